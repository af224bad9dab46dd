from odoo import api, fields, models


class PsaPilotPhase(models.Model):
    _name = "psa.pilot.phase"
    _description = "Agent Rollout Phase"
    _order = "date_open, id"

    name = fields.Char(required=True, translate=True)
    date_open = fields.Date(string="Opening Date", required=True)
    agent_ids = fields.One2many("psa.agent", "pilot_phase_id", string="Agents")
    agent_count = fields.Integer(compute="_compute_agent_count")
    note = fields.Html()

    @api.depends("agent_ids")
    def _compute_agent_count(self):
        counts = dict(
            self.env["psa.agent"]._read_group(
                [("pilot_phase_id", "in", self.ids)], ["pilot_phase_id"], ["__count"]
            )
        )
        for phase in self:
            phase.agent_count = counts.get(phase, 0)
