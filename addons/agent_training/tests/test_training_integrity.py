"""Issue 7, attack 7: exams and the launch gate cannot be weakened.

Each test failed on the code before the fix (commit 91fccd5).
"""

import json

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.public_service_agent.tests.common import run_post_migrate

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestTrainingIntegrity(HttpCase, TrainingCommon):
    def _rpc(self, model, method, args, kwargs=None):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        payload = response.json()
        if "error" in payload:
            return False, payload["error"]["data"]["name"]
        return True, payload["result"]

    def _open_compliant(self, agent, *staff):
        for user in staff:
            self._certify(user)
        self._tick_all(agent)
        self._to_ready(agent).with_user(self.psa_admin).action_activate()
        self.assertEqual(agent.state, "active")
        return agent

    # ------------------------------------------------------------------ exams
    def test_course_exams_hide_answers_and_allow_one_attempt(self):
        survey = self.course.survey_id
        self.assertEqual(survey.scoring_type, "scoring_without_answers")
        self.assertTrue(survey.is_attempts_limited)
        self.assertEqual(survey.attempts_limit, 1)
        for vals in (
            {"scoring_type": "scoring_with_answers"},
            {"is_attempts_limited": False},
            {"attempts_limit": 3},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                survey.write(vals)
        # A failed attempt leaves no second one.
        session = self._session([self.staff_a1])
        session.attendance_ids.present = True
        session.action_done()
        line = session.attendance_ids
        answer = self._answer(line, correct=False)
        self.assertFalse(
            survey._has_attempts_left(answer.partner_id, answer.email, answer.invite_token)
        )
        self.assertFalse(line.with_user(self.staff_a1).exam_url)

    def test_migration_secures_existing_exams(self):
        survey = self.course.survey_id
        # As the old code left them: answers shown, two attempts.
        self.env.cr.execute(
            "UPDATE survey_survey SET scoring_type = 'scoring_with_answers', attempts_limit = 2 "
            "WHERE id = %s",
            [survey.id],
        )
        survey.invalidate_recordset()
        run_post_migrate(self.env.cr, "agent_training", "18.0.1.1.0", "18.0.1.0.0")
        survey.invalidate_recordset()
        self.assertEqual(survey.scoring_type, "scoring_without_answers")
        self.assertEqual(survey.attempts_limit, 1)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.http")
    def test_trainers_cannot_read_or_use_answer_tokens(self):
        session = self._session([self.staff_a1])
        session.attendance_ids.present = True
        session.action_done()
        line = session.attendance_ids
        token = line.sudo().exam_user_input_id.access_token
        self.assertTrue(token)
        self.authenticate(self.trainer.login, self.trainer.login)
        ok, rows = self._rpc(
            "training.attendance",
            "read",
            [line.ids, ["exam_url", "exam_state", "exam_user_input_id"]],
        )
        self.assertTrue(ok, rows)
        self.assertFalse(rows[0]["exam_url"])
        self.assertNotIn(token, json.dumps(rows))
        ok, error = self._rpc("training.attendance", "read", [line.ids, ["exam_invite_token"]])
        self.assertEqual((ok, error), (False, "odoo.exceptions.AccessError"))
        ok, error = self._rpc(
            "survey.user_input", "search_read", [[]], {"fields": ["access_token"]}
        )
        self.assertEqual((ok, error), (False, "odoo.exceptions.AccessError"))
        ok, error = self._rpc(
            "survey.user_input", "search_read", [[]], {"fields": ["invite_token"]}
        )
        self.assertEqual((ok, error), (False, "odoo.exceptions.AccessError"))
        # The trainee still gets the link.
        self.assertIn(token, line.with_user(self.staff_a1).exam_url)

    # ------------------------------------------------------------------ the gate
    def test_archiving_certified_staff_suspends_the_agent(self):
        agent = self._open_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        self.staff_a2.active = False
        self.assertEqual(agent.state, "suspended")
        self.assertIn("Suspended automatically", agent.state_reason)

    def test_certified_staff_leaving_suspends_the_agent(self):
        agent = self._open_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        self.staff_a1.partner_id.parent_id = self.agent_b.partner_id
        self.assertEqual(agent.state, "suspended")
        self.assertIn("left", agent.state_reason)
        self.assertTrue(agent.message_ids.tracking_value_ids)

    def test_staff_joining_keeps_the_agent_open(self):
        agent = self._open_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        self.staff_b1.partner_id.parent_id = agent.partner_id
        self.assertEqual(agent.state, "active")

    def test_certificate_expired_by_hand_suspends_the_agent(self):
        agent = self._open_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        certificate = self.env["training.certificate"].search(
            [("user_id", "=", self.staff_a2.id), ("course_id", "=", self.course.id)]
        )
        certificate.with_user(self.manager).write(
            {"state": "revoked", "revoke_reason": "Exam fraud"}
        )
        self.assertEqual(agent.state, "suspended")
        self.assertIn("revoked", agent.state_reason)

    def test_child_records_follow_the_company(self):
        session = self._session([self.staff_a1])
        company_2 = self.env["res.company"].create({"name": "Other Center"})
        outsider = self.env["res.users"].create(
            {
                "name": "Manager elsewhere",
                "login": "tt_manager_2",
                "company_id": company_2.id,
                "company_ids": [(6, 0, company_2.ids)],
                "groups_id": [
                    (6, 0, self.env.ref("agent_training.group_training_manager").ids),
                    (4, self.env.ref("public_service_agent.group_psa_admin").id),
                ],
            }
        )
        Attendance = self.env["training.attendance"].with_user(outsider)
        self.assertFalse(Attendance.search([("id", "in", session.attendance_ids.ids)]))
        Check = self.env["psa.agent.launch.check"].with_user(outsider)
        self.agent_a.company_id = self.env.company
        self.assertTrue(self.agent_a.launch_check_ids)
        self.assertFalse(Check.search([("agent_id", "=", self.agent_a.id)]))
