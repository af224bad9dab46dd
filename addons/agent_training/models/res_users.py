from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    training_certificate_ids = fields.One2many(
        "training.certificate", "user_id", string="Training Certificates"
    )

    def write(self, vals):
        # Archiving staff, or changing who is portal staff, may leave an open agent short.
        watched = {"active", "share", "groups_id", "partner_id"}.intersection(vals)
        agents = self.sudo().partner_id.parent_id.psa_agent_ids if watched else None
        # Only agents that meet the rule now can fall below it: check those afterwards.
        meeting = agents._training_meeting_gate() if agents else None
        result = super().write(vals)
        if meeting:
            meeting._training_enforce_gate(
                self.env._("A certified staff member left or was archived.")
            )
        return result

    @api.model
    def _psa_home_actions(self):
        # Trainers land on their training sessions.
        return super()._psa_home_actions() + [
            (20, "agent_training.group_training_trainer", "agent_training.training_session_action")
        ]

    def _psa_dossier_blockers(self):
        blockers = super()._psa_dossier_blockers()
        if self._is_internal():
            # Center officers are not agent staff: the training rule is about the counters.
            return blockers
        missing = self._training_missing_courses()
        return blockers + [
            self.env._("No valid certificate for the mandatory course %(course)s.", course=c.name)
            for c in missing
        ]

    def _training_missing_courses(self, today=None):
        """Mandatory courses this staff member holds no valid certificate for."""
        self.ensure_one()
        today = today or self.env["training.certificate"]._today()
        courses = self.env["training.course"].sudo()._mandatory_courses()
        if not self.training_team_lead:
            courses = courses.filtered(lambda c: c.mandatory_for == "all")
        if not courses:
            return courses
        certified = (
            self.env["training.certificate"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "=", self.id),
                    ("course_id", "in", courses.ids),
                    *self.env["training.certificate"]._valid_domain(today),
                ],
                ["course_id"],
            )
            .course_id
        )
        return courses - certified

    @api.model
    def _training_trainer_domain(self):
        return [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("agent_training.group_training_trainer").ids),
        ]
