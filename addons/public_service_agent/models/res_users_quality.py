from odoo import fields, models

from .psa_agent_quality import MAX_RISK


# Apart from the model's main file: another feature, worked on in parallel.
class ResUsers(models.Model):
    """The broker-risk score of a staff member: the points of open signals naming them."""

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    psa_risk_score = fields.Float(
        compute="_compute_psa_risk_score",
        string="Broker Risk",
        groups="public_service_agent.group_psa_officer",
    )

    def _compute_psa_risk_score(self):
        rows = self.env["psa.quality.signal"]._read_group(
            [("staff_user_id", "in", self.ids), ("state", "=", "open")],
            ["staff_user_id"],
            ["score:sum"],
        )
        scores = dict(rows)
        for user in self:
            user.psa_risk_score = min(scores.get(user) or 0.0, MAX_RISK)
