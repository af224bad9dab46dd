from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingSession(TrainingCommon):
    def test_sequence_and_happy_path(self):
        session = self._session([self.staff_a1, self.staff_a2], state="draft")
        self.assertTrue(session.name.startswith("LH/"))
        self.assertEqual(session.attendee_count, 2)
        session.action_open()
        session.action_start()
        session.attendance_ids.filtered(lambda a: a.user_id == self.staff_a1).present = True
        session.action_done()
        self.assertEqual(session.state, "done")
        self.assertEqual(session.present_count, 1)

    def test_transitions_are_checked_in_write(self):
        session = self._session(state="draft")
        for bad in ("in_progress", "done"):
            with self.assertRaisesRegex(ValidationError, "cannot go from"):
                session.write({"state": bad})
        session.action_cancel()
        with self.assertRaisesRegex(ValidationError, "cannot go from"):
            session.write({"state": "open"})
        session.action_reset_draft()
        self.assertEqual(session.state, "draft")
        with self.assertRaisesRegex(ValidationError, "cannot go from"):
            session.write({"state": "finished"})

    def test_done_is_final(self):
        session = self._session([self.staff_a1])
        session.action_done()
        for state in ("draft", "open", "in_progress", "cancelled"):
            with self.assertRaises(ValidationError):
                session.write({"state": state})
        with self.assertRaisesRegex(ValidationError, "is closed"):
            session.write({"capacity": 30})

    def test_open_needs_place_or_link(self):
        session = self._session(state="draft", location=False)
        with self.assertRaisesRegex(ValidationError, "place or an online link"):
            session.action_open()
        session.online_url = "https://meet.example.com/x"
        session.action_open()
        self.assertEqual(session.state, "open")

    def test_create_in_later_state_walks_the_checks(self):
        Session = self.env["training.session"].with_user(self.trainer)
        vals = {
            "course_id": self.course.id,
            "date_start": "2026-03-02 01:30:00",
            "date_end": "2026-03-02 09:30:00",
        }
        with self.assertRaisesRegex(ValidationError, "place or an online link"):
            Session.create({**vals, "state": "open"})
        session = Session.create({**vals, "location": "Hall", "state": "in_progress"})
        self.assertEqual(session.state, "in_progress")

    def test_full_session_refuses_more_attendees(self):
        session = self._session([self.staff_a1, self.staff_a2], state="open", capacity=2)
        self.assertEqual(session.seats_available, 0)
        with self.assertRaisesRegex(ValidationError, "is full"):
            self.env["training.attendance"].with_user(self.trainer).create(
                {"session_id": session.id, "user_id": self.staff_b1.id}
            )
        with self.assertRaisesRegex(ValidationError, "is full"):
            session.write({"attendance_ids": [Command.create({"user_id": self.staff_a3.id})]})
        with self.assertRaisesRegex(ValidationError, "capacity cannot be lower"):
            session.write({"capacity": 1})

    def test_batch_registration_counts_against_capacity(self):
        session = self._session(state="open", capacity=2)
        with self.assertRaisesRegex(ValidationError, "is full"):
            self.env["training.attendance"].with_user(self.trainer).create(
                [
                    {"session_id": session.id, "user_id": user.id}
                    for user in (self.staff_a1, self.staff_a2, self.staff_a3)
                ]
            )

    def test_only_agent_staff_are_trainees(self):
        session = self._session(state="open")
        with self.assertRaisesRegex(ValidationError, "not a staff member"):
            session.write({"attendance_ids": [Command.create({"user_id": self.officer.id})]})

    def test_attendance_rules(self):
        session = self._session([self.staff_a1], state="draft")
        line = session.attendance_ids
        with self.assertRaisesRegex(ValidationError, "once session"):
            line.present = True
        session.action_open()
        session.action_start()
        line.present = True
        with self.assertRaisesRegex(ValidationError, "before the session starts"):
            line.unlink()
        session.action_done()
        with self.assertRaisesRegex(ValidationError, "attendance can no longer change"):
            line.present = False
        with self.assertRaisesRegex(ValidationError, "closed to registrations"):
            session.write({"attendance_ids": [Command.create({"user_id": self.staff_a2.id})]})

    def test_done_invites_present_trainees_only(self):
        session = self._session([self.staff_a1, self.staff_a2])
        present = session.attendance_ids.filtered(lambda a: a.user_id == self.staff_a1)
        absent = session.attendance_ids - present
        present.present = True
        session.action_done()
        self.assertEqual(present.exam_state, "invited")
        # The link carries the answer token: the trainee gets it, the trainer does not.
        self.assertTrue(present.with_user(self.staff_a1).exam_url)
        self.assertFalse(present.with_user(session.trainer_id).exam_url)
        self.assertEqual(present.sudo().exam_user_input_id.partner_id, self.staff_a1.partner_id)
        self.assertEqual(absent.exam_state, "none")
        self.assertFalse(absent.exam_user_input_id)
        self.assertFalse(absent.exam_url)
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .search([("survey_id", "=", self.course.survey_id.id)])
        )
        self.assertEqual(answers.partner_id, self.staff_a1.partner_id)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "training.attendance"), ("res_id", "=", present.id)])
        )
        self.assertEqual(mail.recipient_ids, self.staff_a1.partner_id)
        self.assertIn(present.with_user(self.staff_a1).exam_url, mail.body_html)

    def test_exam_state_follows_its_drawing(self):
        """Only an invitation starts the exam; a failed trainee may still pass; a pass is final."""
        session = self._session([self.staff_a1, self.staff_a2])
        invited = session.attendance_ids.filtered(lambda a: a.user_id == self.staff_a1)
        absent = session.attendance_ids - invited
        with self.assertRaisesRegex(ValidationError, "Allowed next states: Invited"):
            absent.exam_state = "passed"
        invited.present = True
        session.action_done()
        self.assertEqual(absent.exam_state, "none")
        self._answer(invited, correct=False)
        self.assertEqual(invited.exam_state, "failed")
        with self.assertRaisesRegex(ValidationError, "cannot go from Failed to Invited"):
            invited.exam_state = "invited"
        invited.exam_state = "passed"
        with self.assertRaisesRegex(ValidationError, "Allowed next states: none"):
            invited.exam_state = "failed"

    def test_done_needs_an_exam_when_someone_was_present(self):
        course = self.env["training.course"].create({"code": "NOEXAM", "name": "No exam"})
        session = self._session([self.staff_a1], course=course)
        session.attendance_ids.present = True
        with self.assertRaisesRegex(ValidationError, "has no exam"):
            session.action_done()

    def test_trainer_cannot_hand_over_a_session(self):
        session = self._session(state="draft")
        with self.assertRaisesRegex(ValidationError, "training manager"):
            session.write({"trainer_id": self.trainer_2.id})
        session.with_user(self.manager).write({"trainer_id": self.trainer_2.id})
        self.assertEqual(session.trainer_id, self.trainer_2)

    def test_only_trainers_run_sessions(self):
        session = self._session(state="draft")
        with self.assertRaisesRegex(ValidationError, "is not a trainer"):
            session.with_user(self.manager).write({"trainer_id": self.officer.id})

    def test_only_draft_or_cancelled_sessions_are_deleted(self):
        session = self._session(state="open")
        with self.assertRaisesRegex(ValidationError, "Only draft or cancelled"):
            session.unlink()
        session.action_cancel()
        session.unlink()
        self.assertFalse(session.exists())
