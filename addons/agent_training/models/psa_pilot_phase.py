from odoo import fields, models


class PsaPilotPhase(models.Model):
    _inherit = "psa.pilot.phase"

    training_ready_count = fields.Integer(
        string="Ready Agents", compute="_compute_training_ready_count"
    )
    training_not_ready_count = fields.Integer(
        string="Agents Not Ready", compute="_compute_training_ready_count"
    )

    def _compute_training_ready_count(self):
        agents = self.env["psa.agent"].search(
            [("pilot_phase_id", "in", self.ids), ("state", "!=", "closed")]
        )
        status = agents._training_gate_status()
        ready = {
            agent.id: not agent._training_blockers_from_status(status[agent.id]) for agent in agents
        }
        for phase in self:
            phase_agents = agents.filtered(lambda a, phase=phase: a.pilot_phase_id == phase)
            phase.training_ready_count = sum(1 for a in phase_agents if ready[a.id])
            phase.training_not_ready_count = len(phase_agents) - phase.training_ready_count

    def action_view_training_readiness(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agent_training.training_readiness_report_action"
        )
        action["domain"] = [("pilot_phase_id", "in", self.ids)]
        action["context"] = {"search_default_group_agent": 1}
        return action
