from odoo import fields, models


# Apart from the model's main file: another feature, worked on in parallel.
class ResPartner(models.Model):
    """A citizen's channel for status alerts, and per-channel opt-outs (free amenity since
    1/8/2025). Kept apart from res_partner.py, which holds the citizen identity rules."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    psa_notify_channel = fields.Selection(
        [("zalo", "Zalo"), ("sms", "SMS"), ("email", "E-mail")],
        string="Status Alerts By",
        help="Where the citizen hears about their dossiers. Empty: Zalo when a mobile "
        "number is known, else e-mail.",
    )
    psa_optout_zalo = fields.Boolean(string="No Zalo Alerts")
    psa_optout_sms = fields.Boolean(string="No SMS Alerts")
    psa_optout_email = fields.Boolean(string="No E-mail Alerts")

    def _psa_notify_channel(self):
        self.ensure_one()
        if self.psa_notify_channel:
            return self.psa_notify_channel
        return "zalo" if self.phone else "email"

    def _psa_opted_out(self, channel):
        self.ensure_one()
        return bool(self[f"psa_optout_{channel}"])
