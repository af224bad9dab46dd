from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    training_team_lead = fields.Boolean(
        string="Team Lead",
        help="Agent staff who lead the counter: courses mandatory for team leads apply to them.",
    )
