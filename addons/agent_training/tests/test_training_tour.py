from odoo import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

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


# A Tuesday, 10:00 in Hanoi. The report's view reads PostgreSQL's clock, which no freeze
# reaches: the certificates below stay valid on any day the suite runs.
@freeze_time("2026-03-03 03:00:00")
@tagged("post_install", "-at_install")
class TestTrainingReadinessTour(HttpCase):
    def test_trainer_opens_the_launch_readiness_report(self):
        # The trainer reads the report in Vietnamese: the demo installs the language; without
        # it, load it with the terms of the two addons on screen.
        if not self.env["res.lang"]._lang_get("vi_VN"):
            self.env["res.lang"]._activate_lang("vi_VN")
            self.env["ir.module.module"].search(
                [("name", "in", ["public_service_agent", "agent_training"])]
            )._update_translations(["vi_VN"])
        trainer = new_test_user(
            self.env,
            login="tour_readiness_trainer",
            groups="agent_training.group_training_trainer",
            lang="vi_VN",
        )
        officer = new_test_user(
            self.env,
            login="tour_readiness_officer",
            groups="public_service_agent.group_psa_officer",
        )
        self.env["ir.config_parameter"].sudo().set_param("agent_training.min_certified_staff", 2)
        # Only this test's course is mandatory, whatever else the database holds.
        self.env["training.course"].search([]).active = False
        course = self.env["training.course"].create(
            {"code": "TOUR-R", "name": "Khóa Tour", "survey_id": make_exam(self.env, "Tour").id}
        )
        operator = self.env["res.partner"].create(
            {"name": "Tour Operator", "is_company": True, "is_psa_operator": True}
        )
        phase = self.env["psa.pilot.phase"].create({"name": "Đợt Tour", "date_open": "2026-03-02"})
        Agent = self.env["psa.agent"]
        ready, short = Agent.create(
            [
                {"name": name, "operator_id": operator.id, "pilot_phase_id": phase.id}
                for name in ("Bưu điện Tour Đủ", "Bưu điện Tour Thiếu")
            ]
        )
        staff = {ready: ("r1", "r2"), short: ("s1",)}
        for agent, logins in staff.items():
            for login in logins:
                user = new_test_user(
                    self.env, login=f"tour_staff_{login}", groups="base.group_portal"
                )
                user.partner_id.parent_id = agent.partner_id
                self.env["training.certificate"].create(
                    {
                        "user_id": user.id,
                        "course_id": course.id,
                        "trainer_id": trainer.id,
                        "date_issued": "2025-01-02",
                        "date_expiry": "2099-12-31",
                    }
                )
            agent.launch_check_ids.with_user(officer).action_tick()

        self.start_tour("/odoo", "training_trainer_readiness_report", login=trainer.login)

        Report = self.env["training.readiness.report"].with_user(trainer)
        lines = Report.search([("agent_id", "in", (ready | short).ids)])
        self.assertEqual(
            {(line.agent_id, line.course_id, line.readiness) for line in lines},
            {(ready, course, "ready"), (short, course, "not_ready")},
        )
        self.assertEqual(lines.filtered(lambda line: line.agent_id == short).certified_count, 1)
