from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    # An answer token is the right to answer as the trainee: survey users (trainers) may
    # not read it; the trainee's own pages and the invitation read it as superuser.
    access_token = fields.Char(groups="survey.group_survey_manager")
    invite_token = fields.Char(groups="survey.group_survey_manager")

    def _mark_done(self):
        res = super()._mark_done()
        # Certificates only for passed attempts of trainees invited by a closed session.
        self.env["training.certificate"].sudo()._issue_from_exams(
            self.filtered(lambda answer: answer.survey_id.certification)
        )
        return res
