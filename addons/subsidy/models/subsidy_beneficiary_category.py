from odoo import fields, models


class SubsidyBeneficiaryCategory(models.Model):
    """Citizens a policy may require or pay more for (e.g. social-protection beneficiaries)."""

    _name = "subsidy.beneficiary.category"
    _description = "Subsidy Beneficiary Category"
    _order = "sequence, name"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The category code must be unique."),
    ]
