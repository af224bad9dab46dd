"""Hostile input on the contact-centre API and the public forms, found by the public-route
fuzz (issue #15): each was an HTTP 500 or a half-checked value."""

import hashlib
import hmac
import json
import time

from odoo.tests import tagged

from odoo.addons.public_service_agent.public_input import PUBLIC_BODY_LIMIT

from .test_psa_contact_centre_http import API, SECRET
from .test_psa_portal import PsaHttpCommon


@tagged("post_install", "-at_install")
class TestPsaApiHostileInput(PsaHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.contact_centre_api_secret", SECRET
        )
        cls.ticket = cls.env["psa.ticket"].create(
            {"subject": "Hỏi", "channel": "hotline_1022", "external_id": "VCS-HOSTILE-1"}
        )

    def _counts(self):
        return (
            self.env["psa.ticket"].search_count([]),
            self.env["psa.ticket.call"].search_count([]),
        )

    def _send(self, path, body, timestamp=None, signature=None):
        timestamp = timestamp if timestamp is not None else str(int(time.time()))
        if signature is None:
            digest = hmac.new(
                SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
            signature = "sha256=" + digest
        return self.url_open(
            f"{API}/{path}",
            data=body,
            headers={
                "Content-Type": "application/json",
                # Latin-1 on the wire: '²' arrives as '²' (UTF-8 would arrive as 'Â²').
                "X-PSA-Timestamp": timestamp.encode("latin-1"),
                "X-PSA-Signature": signature.encode("latin-1"),
            },
        )

    def _refused(self, path, body, status, **kw):
        before = self._counts()
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        response = self._send(path, body, **kw)
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertIn("error", response.json())
        self.assertEqual(self._counts(), before)
        return response

    def _call(self, **extra):
        return {"id": "CALL-H", "ticket_external_id": "VCS-HOSTILE-1", "duration": 5, **extra}

    def test_non_ascii_signature_header(self):
        self._refused("tickets", {"external_id": "X"}, 401, signature="sha256=" + "é" * 64)

    def test_timestamp_superscript_two_and_5000_digits(self):
        for stamp in ("²", "9" * 5000):
            self._refused("tickets", {"external_id": "X", "subject": "S"}, 401, timestamp=stamp)

    def test_json_nested_100000_deep(self):
        self._refused("tickets", b"[" * 100_000 + b"]" * 100_000, 400)

    def test_body_over_the_limit_is_refused_before_parsing(self):
        response = self._refused("tickets", b"[" * (20 * 1024 * 1024), 413)
        self.assertEqual(response.json(), {"error": "too_large", "limit": PUBLIC_BODY_LIMIT})

    def test_values_that_cannot_be_stored(self):
        for payload in (
            {"external_id": "A\x00", "subject": "S"},
            {"external_id": "\ud800", "subject": "S"},
            {"external_id": "A", "subject": "S", "channel": ["zalo"]},
            {"external_id": "A", "subject": "S", "category": {"a": 1}},
        ):
            self._refused("tickets", payload, 422)
        self._refused("calls", self._call(ticket_external_id="\x00"), 422)

    def test_call_duration_and_start_out_of_range(self):
        for extra in (
            {"duration": 10**30},
            {"duration": 2**31},
            {"start": "0001-01-01T00:00:00Z"},
            {"start": "9999-12-31T23:59:59Z"},
        ):
            self._refused("calls", self._call(**extra), 422)
        # The same bad call inside a new ticket: neither the ticket nor the call is written.
        ticket = {"external_id": "VCS-HOSTILE-2", "subject": "S"}
        self._refused("tickets", dict(ticket, call={"id": "C", "duration": 10**30}), 422)


@tagged("post_install", "-at_install")
class TestPsaPublicFormsHostileInput(PsaHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.contact_form_rate_limit", "1000"
        )

    def _contact(self, **fields):
        before = self.env["psa.ticket"].search_count([])
        data = {
            "csrf_token": self._csrf("/lien-he"),
            "contact_name": "Người dân",
            "contact_phone": "0988 123 456",
            "subject": "Hỏi",
            "description": "Chi tiết",
            **fields,
        }
        response = self.url_open("/lien-he", data=data)
        self.assertEqual(self.env["psa.ticket"].search_count([]), before)
        return response

    def test_contact_form_agent_id_superscript_or_huge(self):
        for agent_id in ("²", "9" * 5000, "99999999999999999999", "٣"):
            self.assertEqual(self._contact(agent_id=agent_id).status_code, 400, agent_id)

    def test_contact_form_nul_character(self):
        self.assertEqual(self._contact(subject="a\x00b").status_code, 400)

    def test_tracking_with_non_ascii_digits(self):
        dossier = self._fill(self._new_dossier(self.agent_a))
        for digits in ("٥٦٧٨", "５６７８"):
            response = self.url_open(
                "/tracking",
                data={
                    "csrf_token": self._csrf("/tracking"),
                    "code": dossier.name,
                    "phone_digits": digits,
                },
            )
            self.assertEqual(response.status_code, 400, digits)

    def test_a_nul_character_in_a_token_path_is_a_404(self):
        for url in ("/dossier/evaluate/%00", "/thong-bao/a%00b", "/certificate/verify/%00"):
            self.assertEqual(self.url_open(url).status_code, 404, url)
