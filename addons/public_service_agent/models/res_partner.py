from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_psa_operator = fields.Boolean(
        string="Agent Operator",
        help="A company that runs public-service agents (Vietnam Post, Viettel Post, FPT Retail).",
    )
    ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Ward / Commune",
        domain=[("level", "=", "ward")],
        index="btree_not_null",
    )
    psa_agent_ids = fields.One2many("psa.agent", "partner_id", string="Agent Records")
