from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
class TestTrainingAccess(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.env.ref("base.public_user")
        cls.cert_a1 = cls._certify(cls.staff_a1, cls.courses[0])
        cls.cert_b1 = cls._certify(cls.staff_b1, cls.courses[0])

    def setUp(self):
        super().setUp()
        self.session_1 = self._session([self.staff_a1], trainer=self.trainer, state="open")
        self.session_2 = self._session([self.staff_b1], trainer=self.trainer_2, state="open")

    # Trainers ----------------------------------------------------------------

    def test_trainer_sees_and_manages_own_sessions_only(self):
        Session = self.env["training.session"].with_user(self.trainer)
        self.assertEqual(Session.search([]), self.session_1)
        self.session_1.with_user(self.trainer).write({"location": "Room 2"})
        with self.assertRaises(AccessError):
            self.session_2.with_user(self.trainer).read(["name"])
        with self.assertRaises(AccessError):
            self.session_2.with_user(self.trainer).write({"location": "Hijacked"})
        with self.assertRaises(AccessError):
            self.session_2.with_user(self.trainer).action_start()
        with self.assertRaises(AccessError):
            self.env["training.attendance"].with_user(self.trainer).create(
                {"session_id": self.session_2.id, "user_id": self.staff_a2.id}
            )
        with self.assertRaises(AccessError):
            self.session_2.attendance_ids.with_user(self.trainer).write({"present": True})
        self.assertEqual(self.session_2.location, "Hall 3, 258 Võ Chí Công")

    def test_trainer_cannot_create_a_session_for_another_trainer(self):
        with self.assertRaises(AccessError):
            self.env["training.session"].with_user(self.trainer).create(
                {
                    "course_id": self.course.id,
                    "trainer_id": self.trainer_2.id,
                    "date_start": "2026-03-02 01:30:00",
                    "date_end": "2026-03-02 09:30:00",
                }
            )

    def test_trainer_reads_courses_but_does_not_edit_them(self):
        self.assertTrue(self.course.with_user(self.trainer).name)
        with self.assertRaises(AccessError):
            self.course.with_user(self.trainer).write({"validity_months": 1})

    def test_trainer_sees_certificates_of_own_trainees_only(self):
        other = self._certify(self.staff_a2, self.courses[1], trainer_id=self.trainer_2.id)
        Certificate = self.env["training.certificate"].with_user(self.trainer)
        found = Certificate.search([])
        self.assertIn(self.cert_a1, found)
        self.assertNotIn(other, found)
        with self.assertRaises(AccessError):
            self.cert_a1.with_user(self.trainer).write({"revoke_reason": "x"})

    def test_trainer_reads_the_readiness_report_and_its_menu(self):
        """Trainers track certification: they see the report, its menu, and the reasons."""
        Report = self.env["training.readiness.report"].with_user(self.trainer)
        lines = Report.search([("agent_id", "=", self.agent_a.id)])
        self.assertTrue(lines)
        self.assertTrue(all(line.reason for line in lines))
        with self.assertRaises(AccessError):
            lines[:1].write({"readiness": "ready"})
        menu = self.env.ref("agent_training.training_readiness_report_menu")
        visible = self.env["ir.ui.menu"].with_user(self.trainer)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(menu.parent_id.id, visible)

    # Training managers ---------------------------------------------------------

    def test_manager_sees_and_manages_everything(self):
        Session = self.env["training.session"].with_user(self.manager)
        self.assertEqual(
            Session.search([("id", "in", (self.session_1 | self.session_2).ids)]),
            self.session_1 | self.session_2,
        )
        self.session_2.with_user(self.manager).write({"location": "Room 9"})
        self.course.with_user(self.manager).write({"validity_months": 12})
        certs = self.env["training.certificate"].with_user(self.manager).search([])
        self.assertIn(self.cert_b1, certs)

    # Center officers -----------------------------------------------------------

    def test_officer_reads_but_does_not_run_training(self):
        self.assertEqual(
            self.env["training.session"]
            .with_user(self.officer)
            .search([("id", "in", (self.session_1 | self.session_2).ids)]),
            self.session_1 | self.session_2,
        )
        self.assertIn(
            self.cert_b1, self.env["training.certificate"].with_user(self.officer).search([])
        )
        with self.assertRaises(AccessError):
            self.session_1.with_user(self.officer).write({"location": "x"})
        with self.assertRaises(AccessError):
            self.env["training.session"].with_user(self.officer).create(
                {
                    "course_id": self.course.id,
                    "trainer_id": self.trainer.id,
                    "date_start": "2026-03-02 01:30:00",
                    "date_end": "2026-03-02 09:30:00",
                }
            )
        with self.assertRaises(AccessError):
            self.cert_a1.with_user(self.officer).write({"revoke_reason": "x"})
        # ...but ticks the launch checklist and reads the readiness report.
        Report = self.env["training.readiness.report"].with_user(self.officer)
        before = Report.search([("agent_id", "=", self.agent_a.id)], limit=1).checklist_done
        self.agent_a.launch_check_ids[:1].with_user(self.officer).action_tick()
        self.env.flush_all()
        self.env.invalidate_all()  # the report is an SQL view
        lines = Report.search([("agent_id", "=", self.agent_a.id)])
        self.assertEqual(len(lines), len(self.courses))
        self.assertEqual(set(lines.mapped("checklist_done")), {before + 1})

    # Portal staff ----------------------------------------------------------------

    def test_staff_see_their_own_certificates_only(self):
        Certificate = self.env["training.certificate"].with_user(self.staff_a1)
        self.assertEqual(Certificate.search([]), self.cert_a1)
        self.assertEqual(self.cert_a1.with_user(self.staff_a1).course_id, self.courses[0])
        with self.assertRaises(AccessError):
            self.cert_b1.with_user(self.staff_a1).read(["name"])
        # Not even a colleague of the same agent.
        with self.assertRaises(AccessError):
            self.cert_a1.with_user(self.staff_a2).read(["name"])
        with self.assertRaises(AccessError):
            self.cert_a1.with_user(self.staff_a1).write({"revoke_reason": "x"})

    def test_staff_see_their_own_attendance_only(self):
        Attendance = self.env["training.attendance"].with_user(self.staff_a1)
        self.assertEqual(Attendance.search([]), self.session_1.attendance_ids)
        self.assertEqual(
            self.env["training.session"].with_user(self.staff_a1).search([]), self.session_1
        )
        with self.assertRaises(AccessError):
            self.session_1.attendance_ids.with_user(self.staff_a1).write({"present": True})
        with self.assertRaises(AccessError):
            self.session_2.with_user(self.staff_a1).read(["name"])

    def test_staff_have_no_backend_reports_or_checklists(self):
        with self.assertRaises(AccessError):
            self.env["training.readiness.report"].with_user(self.staff_a1).search([])
        with self.assertRaises(AccessError):
            self.agent_a.launch_check_ids.with_user(self.staff_a1).read(["done"])

    # Public ---------------------------------------------------------------------

    def test_public_sees_nothing(self):
        for model in (
            "training.course",
            "training.session",
            "training.attendance",
            "training.certificate",
            "training.readiness.report",
            "psa.agent.launch.check",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.public).search([])
