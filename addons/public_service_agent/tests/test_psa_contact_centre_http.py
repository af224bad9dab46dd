import hashlib
import hmac
import json
import time

from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .test_psa_portal import CSRF_RE, DENIALS, PsaHttpCommon

SECRET = "test-shared-secret-0123456789"
API = "/contact-centre/api/v1"


@tagged("post_install", "-at_install")
class TestPsaContactForm(PsaHttpCommon):
    """/lien-he: public, CSRF-protected, rate-limited, and it reveals nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier = cls._fill(cls._new_dossier(cls.agent_a, staff_user_id=cls.staff_a.id))
        cls.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.contact_form_rate_limit", "3"
        )
        # Tickets of demo data are not the test's.
        last = cls.env["psa.ticket"].search([], order="id desc", limit=1)
        cls.new = [("channel", "=", "web"), ("id", ">", last.id or 0)]

    def _post(self, **fields):
        token = self._csrf("/lien-he")
        data = {
            "csrf_token": token,
            "contact_name": "Người dân",
            "contact_phone": "0988 123 456",
            "category": "extra_fee",
            "subject": "Đại lý thu thêm phí",
            "description": "Nhân viên thu 200.000 đồng không có biên lai.",
            **fields,
        }
        return self.url_open("/lien-he", data=data)

    def test_form_files_a_fee_complaint_about_an_agent(self):
        page = self.url_open("/lien-he")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_psa_contact_form", self.url_open("/contact-centre").text)
        self.assertIn("o_psa_contact_form", page.text)
        self.assertEqual(page.headers.get("Cache-Control"), "no-store")
        self.assertIn(f'value="{self.agent_a.id}"', page.text)
        response = self._post(agent_id=str(self.agent_a.id), dossier_code=self.dossier.name)
        self.assertEqual(response.status_code, 200)
        ticket = self.env["psa.ticket"].search([("contact_phone", "=", "+84988123456")])
        self.assertEqual(len(ticket), 1)
        self.assertIn(ticket.name, response.text)
        self.assertEqual(
            (ticket.channel, ticket.ticket_type, ticket.category), ("web", "complaint", "extra_fee")
        )
        self.assertEqual(ticket.dossier_id, self.dossier)
        self.assertEqual(ticket.agent_id, self.agent_a)
        self.assertEqual(ticket.staff_user_id, self.staff_a)
        self.assertFalse(ticket.citizen_id)
        # Nothing about the dossier or its citizen comes back to the caller.
        for secret in ("Nguyễn", "0912345678", "912345678", self.procedure.name, self.agent_a.name):
            self.assertNotIn(secret, response.text.split("o_psa_contact_done")[1])

    def test_known_and_unknown_codes_answer_alike(self):
        known = self._post(dossier_code=self.dossier.name)
        unknown = self._post(dossier_code="000.00.05.H26-991231-9999")
        first, second = self.env["psa.ticket"].search(self.new, order="id")
        self.assertEqual(known.status_code, unknown.status_code)

        def page(response, ticket):
            # CSRF tokens carry their own second-resolution timestamp.
            text = CSRF_RE.sub("csrf_token", response.text)
            return text.replace(ticket.name, "N")

        self.assertEqual(page(known, first), page(unknown, second))

    @mute_logger("odoo.http")
    def test_without_csrf_nothing_is_filed(self):
        response = self.url_open(
            "/lien-he",
            data={
                "contact_name": "X",
                "contact_phone": "0988123456",
                "subject": "S",
                "description": "D",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["psa.ticket"].search([("contact_phone", "=", "+84988123456")]))

    def test_bad_input_is_a_400_with_the_form_again(self):
        response = self._post(contact_phone="", contact_email="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_psa_contact_error", response.text)
        self.assertIn("Đại lý thu thêm phí", response.text)  # what was typed is kept
        response = self._post(contact_phone="123")
        self.assertEqual(response.status_code, 400)
        response = self._post(agent_id="999999")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["psa.ticket"].search(self.new))

    def test_fourth_message_within_the_hour_is_refused(self):
        for _i in range(3):
            self.assertEqual(self._post().status_code, 200)
        response = self._post()
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.headers.get("Retry-After"), "3600")
        self.assertEqual(self.env["psa.ticket"].search_count(self.new), 3)


@tagged("post_install", "-at_install")
class TestPsaContactCentreApi(PsaHttpCommon):
    """The platform's API: HMAC over the raw body, idempotent, 4xx on bad input."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.contact_centre_api_secret", SECRET
        )
        cls.dossier = cls._fill(cls._new_dossier(cls.agent_a, staff_user_id=cls.staff_a.id))

    def _signed(self, path, payload, secret=SECRET, timestamp=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
        return self.url_open(
            f"{API}/{path}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-PSA-Timestamp": timestamp,
                "X-PSA-Signature": "sha256=" + signature.hexdigest(),
            },
        )

    def _call_payload(self, **extra):
        return {
            "external_id": "VCS-20261130-0001",
            "channel": "hotline_1022",
            "category": "extra_fee",
            "subject": "Công dân phản ánh thu thêm phí",
            "description": "Gọi lúc 9h, phản ánh đại lý A.",
            "contact": {"name": "Nguyễn Văn An", "phone": "0912345678"},
            "dossier_code": self.dossier.name,
            "tracking_number": "eb 123 456 789 vn",
            "call": {
                "id": "CALL-1",
                "start": "2026-11-30T02:00:00Z",
                "duration": 95,
                "extension": "7",
            },
            **extra,
        }

    def test_a_switchboard_call_creates_one_ticket(self):
        response = self._signed("tickets", self._call_payload())
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        self.assertTrue(answer["created"])
        ticket = self.env["psa.ticket"].search([("name", "=", answer["ticket"])])
        self.assertEqual(ticket.external_id, "VCS-20261130-0001")
        self.assertEqual(ticket.delivery_ref, "EB123456789VN")
        self.assertEqual(ticket.dossier_id, self.dossier)
        self.assertEqual(ticket.citizen_id, self.citizen)  # same phone as the dossier's citizen
        self.assertEqual(ticket.agent_id, self.agent_a)
        self.assertEqual(ticket.call_ids.external_id, "CALL-1")
        self.assertEqual(ticket.call_ids.duration, 95)
        self.assertNotIn("citizen", answer)
        # Replayed (the platform retries): the same ticket, no duplicate call.
        again = self._signed("tickets", self._call_payload(description="Bổ sung nội dung."))
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["ticket"], ticket.name)
        self.assertFalse(again.json()["created"])
        self.assertEqual(
            self.env["psa.ticket"].search_count([("external_id", "=", "VCS-20261130-0001")]), 1
        )
        self.assertEqual(len(ticket.call_ids), 1)
        self.assertEqual(ticket.description, "Bổ sung nội dung.")
        # A later call on the same ticket, then its replay.
        call = {
            "id": "CALL-2",
            "ticket_external_id": "VCS-20261130-0001",
            "duration": 30,
            "direction": "outbound",
        }
        self.assertEqual(self._signed("calls", call).status_code, 201)
        self.assertEqual(self._signed("calls", call).status_code, 200)
        self.assertEqual(len(ticket.call_ids), 2)

    @mute_logger("odoo.http")
    def test_bad_signatures_are_401(self):
        payload = self._call_payload()
        self.assertEqual(self._signed("tickets", payload, secret="wrong").status_code, 401)
        self.assertEqual(
            self._signed("tickets", payload, timestamp=time.time() - 3600).status_code, 401
        )
        unsigned = self.url_open(
            f"{API}/tickets",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(unsigned.status_code, 401)
        self.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.contact_centre_api_secret", ""
        )
        self.assertEqual(self._signed("tickets", payload).status_code, 401)
        self.assertFalse(self.env["psa.ticket"].search([("external_id", "!=", False)]))

    def test_bad_input_is_4xx_and_nothing_is_written(self):
        self.assertEqual(self._signed("tickets", None, raw=b"{not json").status_code, 400)
        self.assertEqual(self._signed("tickets", None, raw=b"[1, 2]").status_code, 422)
        for bad in (
            {"subject": ""},
            {"channel": "telegram"},
            {"category": "marketing"},
            {"contact": {"phone": "12"}},
            {"contact": "0912345678"},
            {"call": {"id": "C9", "duration": -5}},
            {"call": {"id": "C9", "start": "yesterday"}},
            {"external_id": None},
        ):
            with self.subTest(bad=bad):
                response = self._signed("tickets", self._call_payload(**bad))
                self.assertEqual(response.status_code, 422, response.text)
                self.assertEqual(response.json()["error"], "invalid_request")
        self.assertEqual(
            self._signed("calls", {"id": "C1", "ticket": "PA00-000000"}).status_code, 422
        )
        self.assertFalse(self.env["psa.ticket"].search([("external_id", "!=", False)]))
        self.assertFalse(self.env["psa.ticket.call"].search([("external_id", "in", ["C1", "C9"])]))
        self.assertEqual(self.url_open(f"{API}/tickets").status_code, 405)


@tagged("post_install", "-at_install")
class TestPsaContactCentreRpc(PsaHttpCommon):
    """Agent staff and other internal users reach no ticket, alert or signal over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dossier = cls._new_dossier(cls.agent_a, staff_user_id=cls.staff_a.id)
        cls.ticket = cls.env["psa.ticket"].create(
            {
                "subject": "Phản ánh",
                "category": "extra_fee",
                "dossier_id": dossier.id,
                "contact_phone": "0912345678",
            }
        )
        cls.employee = new_test_user(cls.env, login="t_employee_cc", groups="base.group_user")
        # A trainer (agent_training) is an internal user without any right here.
        trainer = cls.env.ref("agent_training.group_training_trainer", raise_if_not_found=False)
        cls.outsiders = cls.staff_a | cls.employee
        if trainer:
            cls.outsiders |= new_test_user(
                cls.env,
                login="t_trainer_cc",
                groups=f"base.group_user,{trainer.get_external_id()[trainer.id]}",
            )

    @mute_logger(*DENIALS)
    def test_portal_and_plain_employees_are_refused(self):
        for user in self.outsiders:
            self._login(user)
            for model in (
                "psa.ticket",
                "psa.ticket.call",
                "psa.notification",
                "psa.quality.signal",
                "psa.center.dashboard",
                "psa.notification.provider",
            ):
                with (
                    self.subTest(user=user.login, model=model),
                    self.assertRaises(JsonRpcException),
                ):
                    self._call_kw(model, "search_read", [[]], {"fields": ["id"]})
            with self.assertRaises(JsonRpcException):
                self._call_kw("psa.ticket", "read", [self.ticket.ids, ["contact_phone"]])
            with self.assertRaises(JsonRpcException):
                self._call_kw("psa.ticket", "create", [{"subject": "x"}])
        # Agent staff do not see the broker-risk score of their own agent either.
        self._login(self.staff_a)
        with self.assertRaises(JsonRpcException):
            self._call_kw("psa.agent", "read", [self.agent_a.ids, ["risk_score"]])
        fields = self._call_kw("psa.agent", "fields_get", [], {"attributes": ["type"]})
        self.assertNotIn("risk_score", fields)
        self.assertNotIn("open_signal_count", fields)
        # Nor the alerts, tickets and proxy on their own agent's dossiers.
        dossier = self.ticket.dossier_id
        for field in ("notification_ids", "ticket_ids", "proxy_id"):
            with self.assertRaises(JsonRpcException):
                self._call_kw("psa.dossier", "read", [dossier.ids, [field]])
        self.assertEqual(
            self._call_kw("psa.dossier", "read", [dossier.ids, ["name"]])[0]["name"], dossier.name
        )

    def test_officer_reads_tickets_over_rpc(self):
        self._login(self.officer)
        rows = self._call_kw("psa.ticket", "read", [self.ticket.ids, ["contact_phone", "agent_id"]])
        self.assertEqual(rows[0]["contact_phone"], "+84912345678")
        self.assertEqual(rows[0]["agent_id"][0], self.agent_a.id)


@tagged("post_install", "-at_install")
class TestPsaAlertSettingsPage(PsaHttpCommon):
    """/thong-bao/<token>: the link in every e-mail alert lets the citizen opt out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.citizen.write({"email": "an.nguyen@example.vn", "psa_notify_channel": "email"})

    def test_citizen_opts_out_from_the_link_in_the_alert(self):
        dossier = self._fill(self._new_dossier(self.agent_a))
        dossier.action_receive()
        alert = dossier.notification_ids
        self.assertEqual(alert.state, "sent")
        token = self.citizen.sudo().psa_alert_token
        self.assertTrue(token)
        self.assertIn(f"/thong-bao/{token}", alert.body)
        page = self.url_open(f"/thong-bao/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Nguyễn V. A.", page.text)
        for secret in ("an.nguyen@example.vn", "0912345678", "912345678", "001085012345"):
            self.assertNotIn(secret, page.text)
        csrf = CSRF_RE.search(page.text).group(1)
        saved = self.url_open(
            f"/thong-bao/{token}",
            data={"csrf_token": csrf, "channel": "sms", "optout_email": "1", "name": "Hacker"},
        )
        self.assertEqual(saved.status_code, 200)
        self.assertIn("o_psa_alert_saved", saved.text)
        self.assertEqual(self.citizen.psa_notify_channel, "sms")
        self.assertTrue(self.citizen.psa_optout_email)
        self.assertFalse(self.citizen.psa_optout_sms)
        self.assertEqual(self.citizen.name, "Nguyễn Văn An")
        self.citizen.psa_notify_channel = "email"
        dossier.action_start_processing()
        later = dossier.notification_ids.filtered(lambda n: n.event_code == "dossier_processing")
        self.assertEqual(later.state, "skipped")

    @mute_logger("odoo.http")
    def test_wrong_tokens_are_404_and_posts_need_csrf(self):
        self.assertEqual(self.url_open("/thong-bao/not-a-token").status_code, 404)
        self.assertEqual(self.url_open("/thong-bao/" + "x" * 32).status_code, 404)
        url = self.citizen._psa_alert_settings_url()
        response = self.url_open(url, data={"optout_email": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.citizen.psa_optout_email)
