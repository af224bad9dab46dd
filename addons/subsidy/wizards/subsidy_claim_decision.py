from odoo import api, fields, models


class SubsidyClaimDecision(models.TransientModel):
    """Finance's decision on claims: reject them, or answer the operator's dispute."""

    _name = "subsidy.claim.decision"
    _description = "Decision on Subsidy Claims"

    claim_ids = fields.Many2many("subsidy.claim", string="Claims", required=True)
    decision = fields.Selection(
        [("reject", "Reject"), ("resolve", "Keep and Answer the Dispute")],
        required=True,
        default="reject",
    )
    note = fields.Text(string="Reason / Answer", required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "subsidy.claim":
            res["claim_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return res

    def action_apply(self):
        self.ensure_one()
        if self.decision == "reject":
            self.claim_ids.action_reject(self.note)
        else:
            self.claim_ids.action_resolve_dispute(self.note)
        return {"type": "ir.actions.act_window_close"}
