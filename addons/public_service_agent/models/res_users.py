from odoo import fields, models

from .psa_agent import MAX_RISK


class ResUsers(models.Model):
    _inherit = "res.users"

    psa_satisfaction = fields.Float(
        compute="_compute_psa_satisfaction", string="Satisfaction (%)", compute_sudo=True
    )

    def _compute_psa_satisfaction(self):
        averages = dict(
            self.env["psa.dossier.evaluation"]._read_group(
                [("staff_user_id", "in", self.ids)], ["staff_user_id"], ["score_percent:avg"]
            )
        )
        for user in self:
            user.psa_satisfaction = averages.get(user) or 0.0

    def _psa_reads_citizens(self):
        """Center officers (and the system's own users) read citizens' data in full."""
        self.ensure_one()
        return self.has_group("public_service_agent.group_psa_officer")

    def _psa_dossier_blockers(self):
        """Reasons this user may not create or receive dossiers; empty when allowed.

        Extended by agent_training (valid certificates for every mandatory course).
        """
        self.ensure_one()
        return []

    def _psa_check_can_handle_dossiers(self):
        for user in self:
            blockers = user._psa_dossier_blockers()
            if blockers:
                raise self.env["psa.agent"]._blocked_error(
                    self.env._("%(user)s may not handle dossiers:", user=user.name), blockers
                )

    # ------------------------------------------------------------------ broker risk
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
