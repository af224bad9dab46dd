from odoo import api, models
from odoo.exceptions import ValidationError

EXAM_ATTEMPTS_PARAM = "agent_training.exam_attempts"
DEFAULT_EXAM_ATTEMPTS = 1


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    @api.model
    def _training_exam_attempts(self):
        return self.env["ir.config_parameter"]._psa_positive_int(
            EXAM_ATTEMPTS_PARAM, DEFAULT_EXAM_ATTEMPTS
        )

    @api.model
    def _training_exam_vals(self):
        """What a certification exam must be: no correct answers shown, limited attempts."""
        return {
            "scoring_type": "scoring_without_answers",
            "is_attempts_limited": True,
            "attempts_limit": self._training_exam_attempts(),
        }

    def _training_course_exams(self):
        if not self.ids:
            return self.browse()
        courses = self.env["training.course"].sudo().search([("survey_id", "in", self.ids)])
        return courses.survey_id

    @api.constrains("scoring_type", "is_attempts_limited", "attempts_limit")
    def _check_training_exam_integrity(self):
        limit = self._training_exam_attempts()
        for survey in self._training_course_exams():
            if (
                survey.scoring_type == "scoring_with_answers"
                or not survey.is_attempts_limited
                or survey.attempts_limit > limit
            ):
                raise ValidationError(
                    self.env._(
                        "%(survey)s is a course exam: it must not show the correct answers and "
                        "allows at most %(limit)s attempt(s) (Agent Training settings).",
                        survey=survey.title,
                        limit=limit,
                    )
                )
