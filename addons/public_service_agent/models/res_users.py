from odoo import api, fields, models

from .psa_agent import MAX_RISK

GROUP_FIELD_PREFIXES = ("groups_id", "in_group_", "sel_groups_")


class ResUsers(models.Model):
    _inherit = "res.users"

    psa_satisfaction = fields.Float(
        compute="_compute_psa_satisfaction", string="Satisfaction (%)", compute_sudo=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._psa_set_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        # The user form writes roles as groups_id or as its reified in_group_/sel_groups_ fields.
        if any(key.startswith(GROUP_FIELD_PREFIXES) for key in vals):
            self._psa_set_home_action()
        return result

    @api.model
    def _psa_home_actions(self):
        """``[(sequence, group xmlid, action xmlid)]``: each role's application.

        A user lands in the application of their first role by sequence; each addon of the
        suite adds its own role.
        """
        return [
            (
                10,
                "public_service_agent.group_psa_officer",
                "public_service_agent.psa_dossier_action",
            )
        ]

    def _psa_set_home_action(self):
        """Set the home action from the user's roles, for users created later too.

        Only a home action left empty, or one this rule set (the app of a role the user may
        since have lost), is replaced: an administrator's own choice is kept.
        """
        homes = []
        for _sequence, group_xmlid, action_xmlid in sorted(self._psa_home_actions()):
            group = self.env.ref(group_xmlid, raise_if_not_found=False)
            action = self.env.ref(action_xmlid, raise_if_not_found=False)
            if group and action:
                homes.append((group, action))
        ours = {action.id for _group, action in homes}
        for user in self.sudo():
            if user.share or (user.action_id and user.action_id.id not in ours):
                continue
            home = next((action for group, action in homes if group in user.groups_id), None)
            home_id = home.id if home else False
            if user.action_id.id != home_id:
                user.action_id = home_id

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
