from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_psa_operator = fields.Boolean(
        string="Agent Operator",
        help="A company that runs public-service agents (Vietnam Post, Viettel Post, FPT Retail).",
    )
    ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Ward / Commune",
        domain=[("level", "=", "ward"), ("is_legacy", "=", False)],
        index="btree_not_null",
        # Follows the former ward when one is entered, and stays editable: a former ward split
        # between several new ones converts to its main successor, which staff may correct.
        compute="_compute_ward_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    legacy_ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Former Ward / Commune",
        domain=[("level", "=", "ward"), ("is_legacy", "=", True)],
        index="btree_not_null",
        help="The ward or commune of an address written before 1 July 2025. "
        "Entering it sets the new ward or commune.",
    )
    psa_agent_ids = fields.One2many("psa.agent", "partner_id", string="Agent Records")

    @api.depends("legacy_ward_id")
    def _compute_ward_id(self):
        for partner in self:
            # Without a former ward, keep the ward entered directly.
            if partner.legacy_ward_id.successor_id:
                partner.ward_id = partner.legacy_ward_id.successor_id
