import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingHttp(HttpCase, TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cert = cls._certify(cls.staff_a1, cls.courses[0])
        cls.other_cert = cls._certify(cls.staff_b1, cls.courses[1])
        cls.staff_a1.partner_id.write({"phone": "0912345678", "email": "quan.private@example.com"})

    def _verify(self, token):
        return self.url_open(f"/certificate/verify/{token}", allow_redirects=False)

    # Public verification --------------------------------------------------------

    def test_verify_valid_certificate(self):
        response = self._verify(self.cert.verify_token)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("T*** M*** Quân", page)
        self.assertIn(self.courses[0].name, page)
        self.assertIn('data-state="valid"', page)
        self.assertEqual(response.headers.get("X-Robots-Tag"), "noindex, nofollow")
        # Nothing personal or internal leaks.
        for secret in (
            "Trần Minh Quân",
            "Trần",
            "quan.private@example.com",
            "0912345678",
            self.agent_a.name,
            self.cert.name,
            self.trainer.name,
            "tt_staff_a1",
        ):
            self.assertNotIn(secret, page)

    def test_verify_revoked_certificate(self):
        self.cert._revoke("Fraud detected at the counter")
        response = self._verify(self.cert.verify_token)
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-state="revoked"', response.text)
        self.assertNotIn("Fraud detected", response.text)

    @mute_logger("odoo.http")
    def test_verify_unknown_or_malformed_token_is_404(self):
        for token in ("0" * 32, "not-a-token", "x" * 200, self.cert.verify_token[:-1] + "z"):
            with self.subTest(token=token):
                response = self._verify(token)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.courses[0].name, response.text)

    @mute_logger("odoo.http")
    def test_verify_is_rate_limited(self):
        self.env["ir.config_parameter"].sudo().set_param("agent_training.verify_rate_limit", 3)
        codes = [self._verify("0" * 32).status_code for _i in range(4)]
        self.assertEqual(codes, [404, 404, 404, 429])

    # Portal --------------------------------------------------------------------

    def test_portal_lists_own_certificates_and_pending_exams(self):
        session = self._session([self.staff_a1], course=self.courses[2])
        session.attendance_ids.present = True
        session.action_done()
        self.authenticate("tt_staff_a1", "tt_staff_a1")
        response = self.url_open("/my/certificates")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.cert.name, response.text)
        self.assertNotIn(self.other_cert.name, response.text)
        self.assertIn("o_training_take_exam", response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["training_certificate_count", "training_exam_count"]}
        )
        self.assertEqual(counters, {"training_certificate_count": 1, "training_exam_count": 1})

    def test_portal_certificate_page_and_pdf(self):
        self.authenticate("tt_staff_a1", "tt_staff_a1")
        response = self.url_open(f"/my/certificates/{self.cert.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.cert.verify_url, response.text)
        response = self.url_open(f"/my/certificates/{self.cert.id}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        self.assertIn(self.cert.name, response.text)  # HTML rendering in test mode

    def test_portal_refuses_other_trainees_certificates(self):
        self.authenticate("tt_staff_a2", "tt_staff_a2")
        for url in (
            f"/my/certificates/{self.cert.id}",
            f"/my/certificates/{self.cert.id}?report_type=pdf&download=true",
            f"/my/certificates/{self.other_cert.id}",
            "/my/certificates/999999",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))
        response = self.url_open("/my/certificates")
        self.assertNotIn(self.cert.name, response.text)

    def test_portal_needs_login(self):
        response = self.url_open("/my/certificates", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    # The gate over JSON-RPC, as an administrator -----------------------------------

    @mute_logger("odoo.http")
    def test_rpc_write_obeys_the_gate(self):
        self._to_ready(self.agent_a)
        self.authenticate("tt_psa_admin", "tt_psa_admin")
        for method, args in (
            ("write", [[self.agent_a.id], {"state": "active"}]),
            ("action_activate", [[self.agent_a.id]]),
        ):
            with self.subTest(method=method):
                payload = {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": "psa.agent", "method": method, "args": args, "kwargs": {}},
                }
                response = self.url_open(
                    f"/web/dataset/call_kw/psa.agent/{method}",
                    data=json.dumps(payload),
                    headers={"Content-Type": "application/json"},
                )
                self.assertEqual(response.status_code, 200)
                error = response.json()["error"]
                self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
                self.assertIn("cannot open yet", error["data"]["message"])
        self.agent_a.invalidate_recordset(["state"])
        self.assertEqual(self.agent_a.state, "ready")
