from odoo import api, models

# Hanoi's time zone: the Center's calendar carries it; this is only the fallback everywhere.
CENTER_TZ = "Asia/Ho_Chi_Minh"


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _psa_positive_int(self, key, default):
        """The system parameter ``key`` as a positive integer, else ``default``.

        One rule for every limit the suite reads (rate limits, upload size, SLA days...):
        an empty, negative, zero or non-numeric value falls back to the default.
        """
        value = str(self.sudo().get_param(key, "") or "").strip()
        return int(value) if value.isdigit() and int(value) > 0 else default
