import re
import secrets
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..controllers.common import mask_citizen_name
from .test_psa_portal import CSRF_RE, PsaHttpCommon

# Per-request values of a rendered page: CSRF tokens (HMAC "o" timestamp).
VOLATILE_RE = re.compile(r"[0-9a-f]{40}o\d+")
PERSONAL = ("001085012345", "0912345678", "912345678", "+84912345678", "Nguyễn Văn An")


@tagged("post_install", "-at_install")
class TestPsaTrackingPage(PsaHttpCommon):
    """/tracking: code + last 4 phone digits, nothing personal, rate-limited."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dossier = cls._fill(cls._new_dossier(cls.agent_a))
        # One transaction per click in real life: flush (run the pre-commit hooks) so that
        # each change is logged on its own and the creation is not part of the first one.
        cls.env.cr.flush()
        dossier.action_receive()
        cls.env.cr.flush()
        dossier.action_start_processing()
        cls.env.cr.flush()
        cls.dossier = dossier

    def _track(self, code, digits):
        token = self._csrf("/tracking")
        return self.url_open(
            "/tracking", data={"csrf_token": token, "code": code, "phone_digits": digits}
        )

    def _normalised(self, response, code):
        return VOLATILE_RE.sub("TOKEN", response.text.replace(code, "CODE"))

    def test_right_pair_shows_masked_status(self):
        response = self._track(self.dossier.name, "5678")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_tracking_result", response.text)
        self.assertIn("Nguyễn V. A.", response.text)
        self.assertIn(self.dossier.procedure_id.name, response.text)
        self.assertIn("o_psa_date_due", response.text)
        for secret in PERSONAL:
            self.assertNotIn(secret, response.text)
        # Registered, received, processing: one step per status.
        self.assertEqual(response.text.count("o_psa_timeline_step"), 3)
        self.assertIn('data-status-code="4"', response.text)
        # The code may be typed in lower case.
        response = self._track(self.dossier.name.lower(), "5678")
        self.assertIn("o_psa_tracking_result", response.text)

    def test_wrong_pair_answers_like_an_unknown_code(self):
        unknown = "000.00.05.H26-991231-9999"
        wrong = self._track(self.dossier.name, "0000")
        missing = self._track(unknown, "5678")
        self.assertEqual(wrong.status_code, missing.status_code)
        self.assertIn("o_psa_tracking_not_found", wrong.text)
        self.assertNotIn("o_psa_tracking_result", wrong.text)
        self.assertNotIn("Nguyễn V. A.", wrong.text)
        self.assertEqual(
            self._normalised(wrong, self.dossier.name), self._normalised(missing, unknown)
        )

    def test_get_shows_the_form(self):
        response = self.url_open("/tracking")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_tracking_form", response.text)
        self.assertIn('name="viewport"', response.text)
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")

    def test_eleventh_wrong_try_is_refused(self):
        for attempt in range(10):
            response = self._track(self.dossier.name, f"{attempt:04d}")
            self.assertEqual(response.status_code, 200, f"try {attempt + 1}")
            self.assertIn("o_psa_tracking_not_found", response.text)
        response = self._track(self.dossier.name, "0010")
        self.assertEqual(response.status_code, 429)
        self.assertIn("o_psa_too_many", response.text)
        # Blocked means blocked: even the right pair reveals nothing now.
        response = self._track(self.dossier.name, "5678")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("o_psa_tracking_result", response.text)
        # Counted per address and code, per code, and per address (a wider ceiling).
        attempts = self.env["psa.tracking.attempt"].search([])
        self.assertEqual(len(attempts), 3)
        self.assertEqual(attempts.mapped("count"), [10, 10, 10])
        for attempt in attempts:
            self.assertNotIn("127.0.0.1", attempt.client_key)
            self.assertNotIn(self.dossier.name, attempt.client_key)

        # Ten minutes later the client gets a fresh window.
        attempts.window_start = fields.Datetime.now() - timedelta(minutes=11)
        self.env.flush_all()
        response = self._track(self.dossier.name, "5678")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_tracking_result", response.text)
        response = self._track(self.dossier.name, "0000")
        self.assertEqual(response.status_code, 200)
        attempts.invalidate_recordset()
        self.assertEqual(attempts.mapped("count"), [1, 1, 1])

        # Old rows are purged.
        attempts.window_start = fields.Datetime.now() - timedelta(days=2)
        self.env["psa.tracking.attempt"]._gc_tracking_attempts()
        self.assertFalse(attempts.exists())

    def test_right_pairs_are_not_counted(self):
        for _attempt in range(12):
            response = self._track(self.dossier.name, "5678")
            self.assertEqual(response.status_code, 200)
        self.assertFalse(self.env["psa.tracking.attempt"].search([]))

    def test_bad_input_is_not_a_server_error(self):
        token = self._csrf("/tracking")
        for data in ({}, {"code": "x" * 500, "phone_digits": "12"}, {"phone_digits": "abcd"}):
            with self.subTest(data=data):
                response = self.url_open("/tracking", data={"csrf_token": token, **data})
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_psa_tracking_error", response.text)


@tagged("post_install", "-at_install")
class TestPsaEvaluationPage(PsaHttpCommon):
    """/dossier/evaluate/<token>: the 9 indicators, once per dossier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dossier = cls._fill(cls._new_dossier(cls.agent_a))
        dossier.action_receive()
        dossier.action_start_processing()
        dossier.action_mark_done()
        dossier.action_return_result()
        cls.dossier = dossier
        cls.token = dossier.sudo().evaluation_token
        cls.url = f"/dossier/evaluate/{cls.token}"

    def test_unknown_tokens_are_404(self):
        for token in (secrets.token_urlsafe(24), "short", self.token[:-1] + "!", "x" * 100):
            with self.subTest(token=token):
                self.assertEqual(self.url_open(f"/dossier/evaluate/{token}").status_code, 404)

    def test_evaluation_flow(self):
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_evaluation_form", response.text)
        self.assertIn(self.dossier.name, response.text)
        for secret in PERSONAL:
            self.assertNotIn(secret, response.text)
        scores = {
            "score_publicity": "2",
            "score_time": "2",
            "score_contacts": "1",
            "score_agencies": "2",
            "score_attitude": "2",
            "score_result": "2",
            "score_cost": "2",
            "score_feedback": "0",
            "score_online": "2",
        }
        csrf = CSRF_RE.search(response.text).group(1)
        incomplete = dict(scores, score_online="5")
        response = self.url_open(self.url, data={"csrf_token": csrf, **incomplete})
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_psa_evaluation_error", response.text)
        self.assertFalse(self.dossier.evaluation_ids)

        response = self.url_open(
            self.url, data={"csrf_token": csrf, "comment": "Nhanh, chu đáo", **scores}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_evaluation_thanks", response.text)
        evaluation = self.dossier.evaluation_ids
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.score_total, 15)
        self.assertEqual(evaluation.comment, "Nhanh, chu đáo")
        self.assertEqual(evaluation.agent_id, self.agent_a)

        # One evaluation per dossier: the page and a second post say so.
        response = self.url_open(self.url)
        self.assertIn("o_psa_evaluation_already", response.text)
        response = self.url_open(self.url, data={"csrf_token": csrf, **scores})
        self.assertIn("o_psa_evaluation_already", response.text)
        self.dossier.invalidate_recordset()
        self.assertEqual(len(self.dossier.evaluation_ids), 1)


@tagged("post_install", "-at_install")
class TestPsaMaskName(TransactionCase):
    def test_mask_citizen_name(self):
        self.assertEqual(mask_citizen_name("Nguyễn Văn An"), "Nguyễn V. A.")
        self.assertEqual(mask_citizen_name("  Trần   Thị Minh  Thư "), "Trần T. M. T.")
        self.assertEqual(mask_citizen_name("An"), "A.")
        self.assertEqual(mask_citizen_name(""), "")
        self.assertEqual(mask_citizen_name(False), "")
