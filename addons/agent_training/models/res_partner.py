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
        result = super().write(vals)
        if watched:
            agents |= self.sudo().parent_id.psa_agent_ids
            agents._training_enforce_gate(self.env._("Certified staff left or joined the agent."))
        return result
