from odoo import api, fields, models
from odoo.exceptions import ValidationError

MIN_CERTIFIED_PARAM = "agent_training.min_certified_staff"
DEFAULT_MIN_CERTIFIED = 2


class TrainingCourse(models.Model):
    _name = "training.course"
    _description = "Training Course"
    _inherit = ["mail.thread"]
    _order = "sequence, code"

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True, tracking=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    topics = fields.Html(translate=True)
    duration_hours = fields.Float(string="Duration (hours)")
    mandatory_for = fields.Selection(
        [("none", "Optional"), ("all", "All Staff"), ("lead", "Team Leads")],
        default="all",
        required=True,
        index=True,
        tracking=True,
    )
    validity_months = fields.Integer(default=24, tracking=True)
    survey_id = fields.Many2one(
        "survey.survey",
        string="Exam",
        domain=[("certification", "=", True)],
        tracking=True,
        help="A certification survey. Present trainees are invited to it when a session ends.",
    )
    pass_mark = fields.Float(
        related="survey_id.scoring_success_min",
        readonly=False,
        string="Pass Mark (%)",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Receives the renewal reminders of certificates issued without a trainer.",
    )
    session_ids = fields.One2many("training.session", "course_id", string="Sessions")
    session_count = fields.Integer(compute="_compute_counts")
    certificate_count = fields.Integer(compute="_compute_counts")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The course code must be unique."),
        ("validity_positive", "CHECK(validity_months > 0)", "Validity must be at least one month."),
    ]

    def _compute_counts(self):
        sessions = dict(
            self.env["training.session"]._read_group(
                [("course_id", "in", self.ids)], ["course_id"], ["__count"]
            )
        )
        certificates = dict(
            self.env["training.certificate"]._read_group(
                [("course_id", "in", self.ids), ("state", "in", ("valid", "expiring"))],
                ["course_id"],
                ["__count"],
            )
        )
        for course in self:
            course.session_count = sessions.get(course, 0)
            course.certificate_count = certificates.get(course, 0)

    @api.model_create_multi
    def create(self, vals_list):
        self._training_secure_exams([vals.get("survey_id") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("survey_id"):
            self._training_secure_exams([vals["survey_id"]])
        return super().write(vals)

    @api.model
    def _training_secure_exams(self, survey_ids):
        """A course exam hides the correct answers and limits attempts (a setting)."""
        surveys = self.env["survey.survey"].sudo().browse([sid for sid in survey_ids if sid])
        if surveys:
            surveys.write(surveys._training_exam_vals())

    @api.constrains("survey_id")
    def _check_survey_is_certification(self):
        for course in self:
            if course.survey_id and not course.survey_id.certification:
                raise ValidationError(
                    self.env._(
                        "The exam of course %(course)s must be a certification survey.",
                        course=course.name,
                    )
                )

    @api.model
    def _mandatory_courses(self):
        return self.search([("mandatory_for", "!=", "none")])

    @api.model
    def _min_certified_staff(self):
        return self.env["ir.config_parameter"]._psa_positive_int(
            MIN_CERTIFIED_PARAM, DEFAULT_MIN_CERTIFIED
        )

    def _required_certified(self, minimum):
        """How many certified staff an agent needs for this course."""
        self.ensure_one()
        return 1 if self.mandatory_for == "lead" else minimum

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agent_training.training_session_action"
        )
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action

    def action_view_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agent_training.training_certificate_action"
        )
        action["domain"] = [("course_id", "=", self.id)]
        return action
