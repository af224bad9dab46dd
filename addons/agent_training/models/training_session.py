from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TrainingSession(models.Model):
    """A class of one course, run by one trainer.

    States::

        draft -> open, cancelled
        open -> draft, in_progress, cancelled
        in_progress -> done, cancelled
        done -> (final)
        cancelled -> draft

    The table is ``_state_transitions``, enforced by ``psa.state.machine.mixin``. Reaching
    *done* invites the present trainees, and only them, to the course exam.
    """

    _name = "training.session"
    _description = "Training Session"
    _inherit = ["psa.state.machine.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    _state_transitions = {
        "draft": ("open", "cancelled"),
        "open": ("draft", "in_progress", "cancelled"),
        "in_progress": ("done", "cancelled"),
        "done": (),
        "cancelled": ("draft",),
    }
    # Attendees may be added while the session has not ended.
    REGISTRATION_STATES = {"draft", "open", "in_progress"}
    LOCKED_FIELDS = {"course_id", "trainer_id", "date_start", "date_end", "capacity"}

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index=True, tracking=True
    )
    course_id = fields.Many2one(
        "training.course", required=True, index=True, tracking=True, ondelete="restrict"
    )
    trainer_id = fields.Many2one(
        "res.users",
        string="Trainer",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=lambda self: self.env["res.users"]._training_trainer_domain(),
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    location = fields.Char(string="Place", tracking=True)
    online_url = fields.Char(string="Online Link")
    capacity = fields.Integer(required=True, default=20, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("open", "Open for Registration"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    attendance_ids = fields.One2many(
        "training.attendance", "session_id", string="Attendees", copy=False
    )
    attendee_count = fields.Integer(compute="_compute_attendee_counts")
    present_count = fields.Integer(compute="_compute_attendee_counts")
    seats_available = fields.Integer(compute="_compute_attendee_counts")
    survey_id = fields.Many2one(related="course_id.survey_id", string="Exam")
    certificate_count = fields.Integer(compute="_compute_certificate_count")
    note = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("capacity_positive", "CHECK(capacity > 0)", "The capacity must be positive."),
        (
            "dates_ordered",
            "CHECK(date_end >= date_start)",
            "A session cannot end before it starts.",
        ),
    ]

    @api.depends("attendance_ids.present", "capacity")
    def _compute_attendee_counts(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids)
            session.present_count = len(session.attendance_ids.filtered("present"))
            session.seats_available = max(session.capacity - session.attendee_count, 0)

    def _compute_certificate_count(self):
        counts = dict(
            self.env["training.certificate"]._read_group(
                [("session_id", "in", self.ids)], ["session_id"], ["__count"]
            )
        )
        for session in self:
            session.certificate_count = counts.get(session, 0)

    @api.depends("name", "course_id")
    def _compute_display_name(self):
        for session in self:
            if session.name and session.name != "/":
                session.display_name = f"{session.name} · {session.course_id.name or ''}"
            else:
                session.display_name = session.course_id.name or self.env._("New Session")

    @api.constrains("capacity")
    def _check_capacity_not_below_attendees(self):
        for session in self:
            if session.capacity < len(session.attendance_ids):
                raise ValidationError(
                    self.env._(
                        "Session %(session)s already has %(count)s attendees: the capacity "
                        "cannot be lower.",
                        session=session.display_name,
                        count=len(session.attendance_ids),
                    )
                )

    @api.constrains("trainer_id")
    def _check_trainer_is_a_trainer(self):
        for session in self:
            if not session.trainer_id.has_group("agent_training.group_training_trainer"):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a trainer and cannot run session %(session)s.",
                        user=session.trainer_id.name,
                        session=session.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("training.session") or "/"
        return super().create(vals_list)

    def write(self, vals):
        self._check_locked_fields(vals)
        if "trainer_id" in vals and not self._training_is_manager():
            if any(session.trainer_id.id != vals["trainer_id"] for session in self):
                raise ValidationError(
                    self.env._("Only a training manager can hand a session to another trainer.")
                )
        return super().write(vals)

    def _on_state_change(self, old_state, new_state):
        res = super()._on_state_change(old_state, new_state)
        if new_state == "done":
            self.attendance_ids._send_exam_invitations()
        return res

    def _training_is_manager(self):
        return self.env.su or self.env.user.has_group("agent_training.group_training_manager")

    def _check_locked_fields(self, vals):
        locked = self.LOCKED_FIELDS.intersection(vals)
        if not locked:
            return
        for session in self:
            if session.state in ("done", "cancelled"):
                raise ValidationError(
                    self.env._(
                        "Session %(session)s is closed: its course, trainer, dates and capacity "
                        "can no longer change.",
                        session=session.display_name,
                    )
                )

    def _state_check(self, old_state, new_state, vals):
        result = super()._state_check(old_state, new_state, vals)
        for session in self:
            if new_state == "open" and not (session.location or session.online_url):
                raise ValidationError(
                    self.env._(
                        "Give a place or an online link before opening session %(session)s.",
                        session=session.display_name,
                    )
                )
            if (
                new_state == "done"
                and session.attendance_ids.filtered("present")
                and not session.course_id.survey_id
            ):
                raise ValidationError(
                    self.env._(
                        "Course %(course)s has no exam: set one before closing session "
                        "%(session)s, so that present trainees can be examined.",
                        course=session.course_id.name,
                        session=session.display_name,
                    )
                )
        return result

    def unlink(self):
        if any(session.state not in ("draft", "cancelled") for session in self):
            raise ValidationError(self.env._("Only draft or cancelled sessions can be deleted."))
        return super().unlink()

    def action_open(self):
        self.write({"state": "open"})

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset_draft(self):
        self.write({"state": "draft"})

    def action_view_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agent_training.training_certificate_action"
        )
        action["domain"] = [("session_id", "=", self.id)]
        return action
