from odoo import fields, models


class PsaAgentStateWizard(models.TransientModel):
    _name = "psa.agent.state.wizard"
    _description = "Suspend or Close Agents"

    agent_ids = fields.Many2many("psa.agent", required=True)
    target_state = fields.Selection([("suspended", "Suspend"), ("closed", "Close")], required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.agent_ids.write({"state": self.target_state, "state_reason": self.reason})
        return {"type": "ir.actions.act_window_close"}
