from odoo import fields, models

# Contact changes that move staff between agents or change who counts as a team lead.
GATE_FIELDS = {"parent_id", "active", "training_team_lead"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    training_team_lead = fields.Boolean(
        string="Team Lead",
        help="Agent staff who lead the counter: courses mandatory for team leads apply to them.",
    )

    def write(self, vals):
        watched = GATE_FIELDS.intersection(vals)
        agents = self.sudo().parent_id.psa_agent_ids if watched else None
        # Only agents that meet the rule now can fall below it: check those afterwards.
        meeting = agents._training_meeting_gate() if agents else None
        result = super().write(vals)
        if meeting:
            meeting._training_enforce_gate(self.env._("Certified staff left the agent."))
        return result
