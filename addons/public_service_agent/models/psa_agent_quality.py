from odoo import fields, models

MAX_RISK = 100.0


class PsaAgent(models.Model):
    """The broker-risk score of an agent: the points of its open signals, capped at 100."""

    _inherit = "psa.agent"

    risk_score = fields.Float(
        compute="_compute_risk_score",
        string="Broker Risk",
        groups="public_service_agent.group_psa_officer",
    )
    open_signal_count = fields.Integer(
        compute="_compute_risk_score",
        string="Open Signals",
        groups="public_service_agent.group_psa_officer",
    )

    def _compute_risk_score(self):
        rows = self.env["psa.quality.signal"]._read_group(
            [("agent_id", "in", self.ids), ("state", "=", "open")],
            ["agent_id"],
            ["score:sum", "__count"],
        )
        by_agent = {agent: (score, count) for agent, score, count in rows}
        for agent in self:
            score, count = by_agent.get(agent, (0.0, 0))
            agent.risk_score = min(score or 0.0, MAX_RISK)
            agent.open_signal_count = count

    def action_view_signals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "public_service_agent.psa_quality_signal_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        return action
