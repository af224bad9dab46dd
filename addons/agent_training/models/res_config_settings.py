from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    training_min_certified_staff = fields.Integer(
        string="Certified Staff per Course",
        config_parameter="agent_training.min_certified_staff",
        default=2,
        help="An agent opens only when, for every mandatory course, at least this many of its "
        "staff hold a valid certificate. Courses mandatory for team leads need one certified "
        "team lead.",
    )

    training_exam_attempts = fields.Integer(
        string="Exam Attempts",
        config_parameter="agent_training.exam_attempts",
        default=1,
        help="How many times a trainee may sit a course exam for one invitation. Exams never "
        "show the correct answers.",
    )

    @api.constrains("training_exam_attempts")
    def _check_training_exam_attempts(self):
        for settings in self:
            if settings.training_exam_attempts < 1:
                raise ValidationError(self.env._("A trainee needs at least one exam attempt."))

    def set_values(self):  # pylint: disable=missing-return
        super().set_values()
        exams = self.env["training.course"].sudo().search([("survey_id", "!=", False)]).survey_id
        if exams:
            exams.write(exams._training_exam_vals())

    training_certificate_signer = fields.Char(
        string="Certificate Signer",
        config_parameter="agent_training.certificate_signer",
        help="Name printed under the Director's signature on certificates.",
    )

    @api.constrains("training_min_certified_staff")
    def _check_training_min_certified_staff(self):
        for settings in self:
            if settings.training_min_certified_staff < 1:
                raise ValidationError(
                    self.env._("At least one certified staff member per course is required.")
                )
