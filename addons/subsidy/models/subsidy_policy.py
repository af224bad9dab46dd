from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SubsidyPolicy(models.Model):
    """A city resolution that pays for postage, e.g. 39/2024/NQ-HĐND or 77/2025/NQ-HĐND."""

    _name = "subsidy.policy"
    _description = "Subsidy Policy"
    _order = "date_start desc, id desc"

    name = fields.Char(string="Resolution", required=True)
    description = fields.Text(translate=True)
    date_start = fields.Date(string="Valid From", required=True)
    date_end = fields.Date(string="Valid Until")
    rule = fields.Selection(
        [("fixed", "Fixed Amount per Delivery"), ("share", "Share of Postage")],
        required=True,
        default="fixed",
    )
    fixed_amount = fields.Monetary(currency_field="currency_id")
    postage_share = fields.Float(string="Postage Share (%)", default=100.0)
    online_only = fields.Boolean(string="Online Dossiers Only", default=True)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.ref("base.VND", raise_if_not_found=False)
    )
    active = fields.Boolean(default=True)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for policy in self:
            if policy.date_end and policy.date_end < policy.date_start:
                raise ValidationError(self.env._("A policy cannot end before it starts."))
