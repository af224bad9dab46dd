"""Hostile webhook requests found by the public-route fuzz (issue #15): each was a 500."""

import hashlib
import hmac
import json
import time

from odoo.tests import tagged

from odoo.addons.public_service_agent.public_input import PUBLIC_BODY_LIMIT

from .test_postal_webhook import WebhookCommon


@tagged("post_install", "-at_install")
class TestPostalWebhookHostile(WebhookCommon):
    def _refused(self, body, status, headers=None, url="/postal/webhook/viettelpost"):
        before = self.env["postal.webhook.event"].search_count([])
        response = self._post(body, headers=headers, url=url, process=False)
        self.assertEqual(response.status_code, status, response.text[:300])
        self.assertEqual(response.json()["status"], "rejected")
        self.assertEqual(self.env["postal.webhook.event"].search_count([]), before)
        return response

    def _signed_headers(self, body, timestamp, signature=None):
        if signature is None:
            signed = timestamp.encode() + b"." + body.encode()
            digest = hmac.new(b"hook-secret", signed, hashlib.sha256).hexdigest()
            signature = "sha256=" + digest
        # HTTP headers are latin-1 on the wire: '²' arrives as '²', 'é' * 64 as it is.
        return {
            "X-Timestamp": timestamp.encode("latin-1"),
            "X-Signature": signature.encode("latin-1"),
        }

    def test_non_ascii_signature_header(self):
        body = self._vtp_body(105)
        headers = self._signed_headers(body, str(int(time.time())), "sha256=" + "é" * 64)
        self._refused(body, 401, headers)

    def test_timestamp_superscript_two(self):
        body = self._vtp_body(105)
        self._refused(body, 401, self._signed_headers(body, "²"))

    def test_timestamp_of_5000_digits(self):
        body = self._vtp_body(105)
        self._refused(body, 401, self._signed_headers(body, "9" * 5000))

    def test_status_code_superscript_two(self):
        self._refused(self._vtp_body("²"), 400)
        vnpost = json.dumps(
            {
                "data": [
                    {"itemCode": "EB1VN", "statusCode": "²", "statusDate": "09/03/2026 08:00:00"}
                ]
            }
        )
        self.carrier.copy({"carrier_type": "vnpost", "webhook_secret": "vn-secret"})
        digest = hmac.new(
            b"vn-secret", b"%d." % int(time.time()) + vnpost.encode(), hashlib.sha256
        ).hexdigest()
        headers = {"X-Timestamp": str(int(time.time())), "X-Signature": "sha256=" + digest}
        self._refused(vnpost, 400, headers, url="/postal/webhook/vnpost")

    def test_status_code_of_5000_digits(self):
        self._refused(self._vtp_body("9" * 5000), 400)

    def test_status_date_in_year_one_and_9999(self):
        for date in ("01/01/0001 00:00:00", "0001-01-01T00:00:00", "31/12/9999 23:59:59"):
            self._refused(self._vtp_body(105, ORDER_STATUSDATE=date), 400)

    def test_order_number_that_cannot_be_stored(self):
        self._refused(self._vtp_body(105, number="VTP\x000001"), 400)
        self._refused(self._vtp_body(105, number="x" * 5000), 400)

    def test_json_nested_100000_deep(self):
        self._refused("[" * 100_000 + "]" * 100_000, 400)
        self._refused('{"DATA":' * 100_000 + "1" + "}" * 100_000, 400)

    def test_body_over_the_limit_is_refused_before_parsing(self):
        response = self._post("[" * (20 * 1024 * 1024), process=False)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json(), {"error": "too_large", "limit": PUBLIC_BODY_LIMIT})
        self.assertFalse(self._events())
