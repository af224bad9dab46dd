from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        res = super()._mark_done()
        # Certificates only for passed attempts of trainees invited by a closed session.
        self.env["training.certificate"].sudo()._issue_from_exams(
            self.filtered(lambda answer: answer.survey_id.certification)
        )
        return res
