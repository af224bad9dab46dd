from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import make_exam


@tagged("post_install", "-at_install")
class TestTrainingTour(HttpCase):
    def test_trainer_closes_trainee_passes_certificate_in_portal(self):
        trainer = new_test_user(
            self.env, login="tour_trainer", groups="agent_training.group_training_trainer"
        )
        operator = self.env["res.partner"].create(
            {"name": "Tour Operator", "is_company": True, "is_psa_operator": True}
        )
        agent = self.env["psa.agent"].create({"name": "Tour Agent", "operator_id": operator.id})
        trainee = new_test_user(
            self.env,
            login="tour_trainee",
            name="Tour Trainee",
            groups="base.group_portal",
            email="tour.trainee@example.com",
        )
        trainee.partner_id.parent_id = agent.partner_id
        course = self.env["training.course"].create(
            {
                "code": "TOUR",
                "name": "Tour Course",
                "survey_id": make_exam(self.env, "Tour Exam").id,
            }
        )
        session = (
            self.env["training.session"]
            .with_user(trainer)
            .create(
                {
                    "course_id": course.id,
                    "date_start": "2026-03-02 01:30:00",
                    "date_end": "2026-03-02 09:30:00",
                    "location": "Tour Hall",
                    "attendance_ids": [Command.create({"user_id": trainee.id})],
                }
            )
        )
        session.action_open()
        session.action_start()

        self.start_tour(
            "/odoo/action-agent_training.training_session_action",
            "training_trainer_close_session",
            login="tour_trainer",
        )
        self.assertEqual(session.state, "done")
        self.assertEqual(session.attendance_ids.exam_state, "invited")

        self.start_tour("/my/certificates", "training_trainee_exam", login="tour_trainee")
        certificate = self.env["training.certificate"].search([("user_id", "=", trainee.id)])
        self.assertEqual(certificate.course_id, course)
        self.assertEqual(certificate.state, "valid")
