import uuid

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TrainingAttendance(models.Model):
    """A trainee's seat in a session, and their exam.

    ``exam_state`` is the state machine (``psa.state.machine.mixin``): present trainees of a
    finished session are invited; each completed attempt records passed or failed; a
    failed trainee may retry while the survey allows attempts; a pass is final::

        none -> invited
        invited -> passed, failed
        failed -> passed
        passed -> (final)
    """

    _name = "training.attendance"
    _inherit = ["psa.state.machine.mixin"]
    _description = "Training Attendance"
    _state_field = "exam_state"
    _state_initial = "none"
    _state_transitions = {
        "none": ("invited",),
        "invited": ("passed", "failed"),
        "failed": ("passed",),
        "passed": (),
    }
    _order = "session_id, id"
    _rec_name = "user_id"

    # Fields a trainer may change while the session runs; frozen once it is closed.
    TRAINER_FIELDS = {"session_id", "user_id", "present"}

    session_id = fields.Many2one("training.session", required=True, index=True, ondelete="cascade")
    session_state = fields.Selection(related="session_id.state", string="Session Status")
    course_id = fields.Many2one(related="session_id.course_id", store=True, index=True)
    trainer_id = fields.Many2one(related="session_id.trainer_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Trainee",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("share", "=", True), ("partner_id.parent_id.psa_agent_ids", "!=", False)],
    )
    partner_id = fields.Many2one(related="user_id.partner_id", string="Trainee Contact")
    agent_id = fields.Many2one(
        "psa.agent", compute="_compute_agent_id", store=True, index=True, string="Agent"
    )
    present = fields.Boolean()
    exam_state = fields.Selection(
        [
            ("none", "Not Invited"),
            ("invited", "Invited"),
            ("passed", "Passed"),
            ("failed", "Failed"),
        ],
        string="Exam",
        default="none",
        required=True,
        readonly=True,
        copy=False,
    )
    exam_invite_token = fields.Char(
        readonly=True, copy=False, index="btree_not_null", groups="base.group_system"
    )
    exam_user_input_id = fields.Many2one(
        "survey.user_input", string="Exam Attempt", readonly=True, copy=False
    )
    # Only the trainee (and the invitation, rendered as superuser) gets the link: it
    # carries the answer token, so a trainer holding it could sit the exam for them.
    exam_url = fields.Char(compute="_compute_exam_url", compute_sudo=False)
    certificate_id = fields.Many2one("training.certificate", readonly=True, copy=False)

    _sql_constraints = [
        (
            "session_user_uniq",
            "unique(session_id, user_id)",
            "A trainee is registered only once per session.",
        ),
    ]

    @api.depends("user_id.partner_id.parent_id")
    def _compute_agent_id(self):
        for line in self:
            line.agent_id = line.user_id.partner_id.parent_id.psa_agent_ids[:1]

    @api.depends_context("uid")
    @api.depends("exam_user_input_id", "exam_state")
    def _compute_exam_url(self):
        # Relative, for the portal; the invitation e-mail adds the base URL.
        for line in self:
            if not (self.env.su or line.sudo().user_id.id == self.env.uid):
                line.exam_url = False
                continue
            answer = line.sudo().exam_user_input_id
            survey = answer.survey_id
            if line.exam_state == "invited" and answer:
                line.exam_url = answer.get_start_url()
            elif (
                line.exam_state == "failed"
                and answer
                and survey._has_attempts_left(answer.partner_id, answer.email, answer.invite_token)
            ):
                line.exam_url = f"/survey/retry/{survey.access_token}/{answer.access_token}"
            else:
                line.exam_url = False

    @api.constrains("user_id")
    def _check_trainee_is_agent_staff(self):
        for line in self:
            if line.user_id._is_internal() or not line.agent_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a staff member of an agent: only agent staff are trained.",
                        user=line.user_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        session_ids = {vals.get("session_id") for vals in vals_list if vals.get("session_id")}
        sessions = self.env["training.session"].browse(session_ids)
        if sessions:
            # Serialise registrations per session so that two clerks cannot both take the last seat.
            self.env.cr.execute(
                "SELECT id FROM training_session WHERE id IN %s FOR NO KEY UPDATE",
                [tuple(sessions.ids)],
            )
            sessions.invalidate_recordset(["attendance_ids"])
        added = {}
        for vals in vals_list:
            added[vals.get("session_id")] = added.get(vals.get("session_id"), 0) + 1
        for session in sessions:
            if session.state not in session.REGISTRATION_STATES:
                raise ValidationError(
                    self.env._(
                        "Session %(session)s is closed to registrations.",
                        session=session.display_name,
                    )
                )
            taken = len(session.attendance_ids)
            if taken + added[session.id] > session.capacity:
                raise ValidationError(
                    self.env._(
                        "Session %(session)s is full: %(taken)s of %(capacity)s seats are taken.",
                        session=session.display_name,
                        taken=taken,
                        capacity=session.capacity,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if self.TRAINER_FIELDS.intersection(vals):
            closed = self.filtered(lambda line: line.session_id.state in ("done", "cancelled"))
            if closed:
                raise ValidationError(
                    self.env._(
                        "Session %(session)s is closed: its attendance can no longer change.",
                        session=closed[0].session_id.display_name,
                    )
                )
            if "present" in vals and vals["present"]:
                early = self.filtered(lambda line: line.session_id.state == "draft")
                if early:
                    raise ValidationError(
                        self.env._(
                            "Presence is recorded once session %(session)s is open.",
                            session=early[0].session_id.display_name,
                        )
                    )
        if "session_id" in vals:
            raise ValidationError(self.env._("An attendance cannot move to another session."))
        return super().write(vals)

    def unlink(self):
        if any(line.session_id.state not in ("draft", "open") for line in self):
            raise ValidationError(
                self.env._("Attendees can only be removed before the session starts.")
            )
        return super().unlink()

    def _send_exam_invitations(self):
        """Invite present trainees (never absent ones) to the course exam."""
        to_invite = self.filtered(
            lambda line: line.present
            and line.exam_state == "none"
            and line.session_id.state == "done"
            and line.course_id.survey_id
        )
        if not to_invite:
            return
        lines = to_invite.sudo()
        for line in lines:
            token = uuid.uuid4().hex
            answer = line.course_id.survey_id._create_answer(
                user=line.user_id, check_attempts=False, invite_token=token
            )
            line.write(
                {
                    "exam_invite_token": token,
                    "exam_user_input_id": answer.id,
                    "exam_state": "invited",
                }
            )
        template = self.env.ref("agent_training.mail_template_exam_invitation")
        template.sudo().send_mail_batch(lines.ids)

    def _record_exam_result(self, answer):
        """Called when an exam attempt of this attendance is completed."""
        self.ensure_one()
        vals = {"exam_user_input_id": answer.id}
        if answer.scoring_success:
            vals["exam_state"] = "passed"
        elif self.exam_state != "passed":
            vals["exam_state"] = "failed"
        self.write(vals)
