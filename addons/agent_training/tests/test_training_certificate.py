from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from ..models.training_certificate import mask_name
from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestTrainingCertificate(TrainingCommon):
    def _closed_session(self, *trainees, present=True):
        session = self._session(list(trainees))
        session.attendance_ids.present = present
        session.action_done()
        return session

    def test_passing_the_exam_issues_a_certificate(self):
        session = self._closed_session(self.staff_a1)
        line = session.attendance_ids
        answer = self._answer(line, correct=True)
        self.assertTrue(answer.scoring_success)
        certificate = line.certificate_id
        self.assertTrue(certificate)
        self.assertEqual(line.exam_state, "passed")
        self.assertRegex(certificate.name, r"^CC/2026/\d{5}$")
        self.assertEqual(certificate.user_id, self.staff_a1)
        self.assertEqual(certificate.agent_id, self.agent_a)
        self.assertEqual(certificate.course_id, self.course)
        self.assertEqual(certificate.session_id, session)
        self.assertEqual(certificate.trainer_id, self.trainer)
        self.assertEqual(str(certificate.date_issued), "2026-03-02")
        self.assertEqual(str(certificate.date_expiry), "2028-03-02")
        self.assertEqual(certificate.state, "valid")
        self.assertEqual(certificate.score, 100)
        self.assertEqual(len(certificate.verify_token), 32)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "training.certificate"), ("res_id", "=", certificate.id)])
        )
        self.assertEqual(mail.recipient_ids, self.staff_a1.partner_id)

    def test_failed_exam_issues_no_certificate(self):
        session = self._closed_session(self.staff_a1)
        line = session.attendance_ids
        answer = self._answer(line, correct=False)
        self.assertFalse(answer.scoring_success)
        self.assertEqual(line.exam_state, "failed")
        self.assertFalse(line.certificate_id)
        self.assertFalse(
            self.env["training.certificate"].sudo().search([("user_id", "=", self.staff_a1.id)])
        )
        # One attempt by default: no retry.
        survey = answer.survey_id
        self.assertEqual(survey.attempts_limit, 1)
        self.assertFalse(line.with_user(self.staff_a1).exam_url)
        # With two attempts in the settings, a second one goes through the same invitation.
        self.env["ir.config_parameter"].sudo().set_param("agent_training.exam_attempts", "2")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.training_exam_attempts, 2)
        settings.execute()
        self.assertEqual(survey.attempts_limit, 2)
        line.invalidate_recordset(["exam_url"])
        self.assertIn("/survey/retry/", line.with_user(self.staff_a1).exam_url)
        retry = answer.survey_id._create_answer(
            user=self.staff_a1, invite_token=line.exam_invite_token
        )
        for question in retry.survey_id.question_ids:
            retry._save_lines(question, question.suggested_answer_ids.filtered("is_correct").id)
        retry._mark_done()
        self.assertEqual(line.exam_state, "passed")
        self.assertEqual(line.certificate_id.user_input_id, retry)
        self.assertFalse(line.with_user(self.staff_a1).exam_url)

    def test_absent_trainee_cannot_be_certified(self):
        session = self._closed_session(self.staff_a1, present=False)
        self.assertFalse(session.attendance_ids.exam_user_input_id)
        # Even an attempt obtained another way (a survey invitation) certifies nothing.
        answer = self.course.survey_id.sudo()._create_answer(
            user=self.staff_a1, invite_token="forged-token"
        )
        for question in answer.survey_id.question_ids:
            answer._save_lines(question, question.suggested_answer_ids.filtered("is_correct").id)
        answer._mark_done()
        self.assertTrue(answer.scoring_success)
        self.assertFalse(
            self.env["training.certificate"].sudo().search([("user_id", "=", self.staff_a1.id)])
        )

    def test_test_entries_and_other_trainees_issue_nothing(self):
        session = self._closed_session(self.staff_a1)
        answer = session.attendance_ids.sudo().exam_user_input_id
        answer.test_entry = True
        self._answer(session.attendance_ids)
        self.assertFalse(session.attendance_ids.certificate_id)
        # An attempt carrying someone else's invitation token does not certify its author.
        session_2 = self._closed_session(self.staff_a2)
        stolen = self.course.survey_id.sudo()._create_answer(
            user=self.staff_b1,
            check_attempts=False,
            invite_token=session_2.attendance_ids.exam_invite_token,
        )
        for question in stolen.survey_id.question_ids:
            stolen._save_lines(question, question.suggested_answer_ids.filtered("is_correct").id)
        stolen._mark_done()
        self.assertFalse(
            self.env["training.certificate"].sudo().search([("user_id", "=", self.staff_b1.id)])
        )

    def test_state_follows_the_calendar_at_creation(self):
        expiring = self._certify(self.staff_a1, self.course, date_issued="2024-03-20")
        expired = self._certify(self.staff_a2, self.course, date_issued="2024-01-01")
        self.assertEqual(expiring.state, "expiring")  # expires 2026-03-20
        self.assertEqual(expired.state, "expired")

    def test_certificate_is_immutable_and_states_are_checked(self):
        certificate = self._certify(self.staff_a1, self.course)
        with self.assertRaisesRegex(ValidationError, "cannot be altered"):
            certificate.with_user(self.manager).write({"date_expiry": "2030-01-01"})
        with self.assertRaisesRegex(ValidationError, "reason"):
            certificate.with_user(self.manager).write({"state": "revoked"})
        certificate.write({"state": "expired"})
        with self.assertRaisesRegex(ValidationError, "cannot go from"):
            certificate.write({"state": "valid"})
        with self.assertRaisesRegex(ValidationError, "never deleted"):
            certificate.with_user(self.manager).unlink()

    def test_revocation_wizard(self):
        certificate = self._certify(self.staff_a1, self.course)
        wizard = (
            self.env["training.certificate.revoke"]
            .with_user(self.manager)
            .create({"certificate_ids": certificate.ids, "reason": "Extra fees, confirmed on 1022"})
        )
        wizard.action_confirm()
        self.assertEqual(certificate.state, "revoked")
        self.assertEqual(certificate.revoke_reason, "Extra fees, confirmed on 1022")
        self.assertEqual(certificate.revoked_by_id, self.manager)
        self.assertEqual(str(certificate.date_revoked), "2026-03-02")
        with self.assertRaisesRegex(ValidationError, "already"):
            wizard.action_confirm()
        with self.assertRaisesRegex(ValidationError, "reason"):
            self.env["training.certificate.revoke"].with_user(self.manager).create(
                {"certificate_ids": self._certify(self.staff_a2, self.course).ids, "reason": "  "}
            ).action_confirm()

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_only_managers_revoke(self):
        certificate = self._certify(self.staff_a1, self.course)
        for user in (self.trainer, self.officer):
            with self.assertRaises(AccessError):
                self.env["training.certificate.revoke"].with_user(user).create(
                    {"certificate_ids": certificate.ids, "reason": "x"}
                )

    def test_revocation_suspends_an_open_agent_below_the_minimum(self):
        self._certify(self.staff_a1)
        certificate = self._certify(self.staff_a2)[0]
        self._tick_all(self.agent_a)
        self._to_ready(self.agent_a).with_user(self.psa_admin).action_activate()
        self.assertEqual(self.agent_a.state, "active")
        # The training manager revokes, through the wizard of the certificate's form.
        self.env["training.certificate.revoke"].with_user(self.manager).create(
            {"certificate_ids": certificate.ids, "reason": "Documents beyond the list were asked"}
        ).action_confirm()
        self.assertEqual(certificate.state, "revoked")
        self.assertEqual(self.agent_a.state, "suspended")
        self.assertIn("revoked", self.agent_a.state_reason)
        self.assertIn(self.course.name, self.agent_a.state_reason)

    def test_expiry_date_follows_course_validity(self):
        self.course.validity_months = 12
        certificate = self._certify(self.staff_a1, self.course, date_issued="2026-01-31")
        self.assertEqual(
            certificate.date_expiry, certificate.date_issued + relativedelta(months=12)
        )

    def test_mask_name(self):
        self.assertEqual(mask_name("Trần Minh Quân"), "T*** M*** Quân")
        self.assertEqual(mask_name("Quân"), "Q***")
        self.assertEqual(mask_name(""), "")

    def test_pdf_is_vietnamese_with_a_qr_code(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"].search([("name", "=", "agent_training")])._update_translations(
            ["vi_VN"]
        )
        certificate = self._certify(self.staff_a1, self.course)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(
                "agent_training.action_report_training_certificate", certificate.ids
            )[0]
            .decode()
        )
        self.assertIn("GIẤY CHỨNG NHẬN", html)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", html)
        self.assertIn(certificate.name, html)
        self.assertIn("Trần Minh Quân", html)
        self.assertIn("data:image/png;base64,", html)
        self.assertIn(f"/certificate/verify/{certificate.verify_token}", html)
