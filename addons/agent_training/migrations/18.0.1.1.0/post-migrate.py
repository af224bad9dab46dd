"""18.0.1.1.0: course exams hide the correct answers and allow the attempts of the setting
(one by default). Existing exams are brought in line; answers and certificates are kept."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    courses = env["training.course"].with_context(active_test=False).search([])
    courses._training_secure_exams(courses.survey_id.ids)
