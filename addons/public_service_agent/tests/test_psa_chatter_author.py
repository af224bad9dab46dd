import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PsaDossierCommon


@tagged("post_install", "-at_install")
class TestPsaChatterAuthor(PsaDossierCommon, HttpCase):
    """Agent staff post on their dossiers' chatter under their own name only, over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier = cls._fill(cls._new_dossier())
        cls.officer.partner_id.email = "officer.t@ttpvhcc.hanoi.gov.vn"

    def _post(self, route, params):
        payload = {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        response = self.url_open(
            route, data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        return body.get("result"), body.get("error", {}).get("data", {}).get("message")

    def _call_kw(self, method, kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {
                "model": "psa.dossier",
                "method": method,
                "args": [self.dossier.ids],
                "kwargs": kwargs,
            },
        )

    def _messages_by(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "psa.dossier"),
                ("res_id", "=", self.dossier.id),
                ("author_id", "=", partner.id),
            ]
        )

    @mute_logger("odoo.http")
    def test_staff_cannot_post_as_someone_else(self):
        self.authenticate(self.staff_a.login, self.staff_a.login)
        before = self._messages_by(self.officer.partner_id)
        # The default message type (notification): Odoo checks another author only on comments.
        for kwargs in (
            {"body": "Đã duyệt hồ sơ", "author_id": self.officer.partner_id.id},
            {"body": "Đã duyệt hồ sơ", "email_from": self.officer.partner_id.email},
            {"body": "Đã duyệt", "author_id": self.citizen.id, "message_type": "comment"},
            {
                "body": "Đã duyệt",
                "author_id": self.officer.partner_id.id,
                "context": {"lang": "vi_VN"},
            },
        ):
            _result, error = self._call_kw("message_post", kwargs)
            self.assertTrue(error, kwargs)
            self.assertTrue(
                "under your own name" in error or "dưới tên của chính mình" in error, error
            )
        self.assertEqual(self._messages_by(self.officer.partner_id), before)
        self.assertFalse(self._messages_by(self.citizen))
        # The chatter widget's route never takes an author from the client.
        _result, error = self._post(
            "/mail/message/post",
            {
                "thread_model": "psa.dossier",
                "thread_id": self.dossier.id,
                "post_data": {
                    "body": "Tôi đã nộp bản chụp CCCD",
                    "message_type": "comment",
                    "author_id": self.officer.partner_id.id,
                    "email_from": self.officer.partner_id.email,
                },
            },
        )
        self.assertFalse(error)
        self.assertEqual(self._messages_by(self.officer.partner_id), before)
        own = self._messages_by(self.staff_a.partner_id).filtered(
            lambda m: "bản chụp CCCD" in (m.body or "")
        )
        self.assertEqual(len(own), 1)
        # Posting under one's own name stays possible over call_kw too.
        _result, error = self._call_kw(
            "message_post",
            {
                "body": "Hẹn trả kết quả thứ Sáu",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        )
        self.assertFalse(error)
        self.assertTrue(
            self._messages_by(self.staff_a.partner_id).filtered(
                lambda m: "thứ Sáu" in (m.body or "")
            )
        )
