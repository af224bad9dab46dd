import json
import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PostalCommon
from .test_postal_handover import SIGNATURE


@tagged("post_install", "-at_install")
class TestPostalPortal(PostalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery_a = cls._done_dossier().postal_delivery_ids
        cls.delivery_a.write({"tracking_ref": "VTPA0001"})
        cls.delivery_b = cls._done_dossier(agent=cls.agent_b).postal_delivery_ids
        cls.delivery_b.write({"tracking_ref": "VTPB0001"})
        cls.trainer_like = new_test_user(cls.env, login="t_trainer", groups="base.group_user")

    def _rpc(self, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_staff_see_only_their_agents_deliveries(self):
        self.authenticate("t_staff_a", "t_staff_a")
        page = self.url_open("/my/deliveries")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.delivery_a.name, page.text)
        self.assertIn("VTPA0001", page.text)
        self.assertNotIn(self.delivery_b.name, page.text)
        label = self.url_open(f"/my/deliveries/{self.delivery_a.id}/label")
        self.assertEqual(label.status_code, 200)
        self.assertEqual(label.headers["Content-Type"], "application/pdf")
        dossier_page = self.url_open(f"/my/dossiers/{self.delivery_a.dossier_id.id}")
        self.assertIn("o_postal_dossier_delivery", dossier_page.text)
        self.assertIn("VTPA0001", dossier_page.text)
        other = self.url_open(f"/my/deliveries/{self.delivery_b.id}/label", allow_redirects=False)
        self.assertIn(other.status_code, (302, 303))
        self.assertNotEqual(other.headers.get("Content-Type"), "application/pdf")

    @mute_logger("odoo.http")
    def test_rpc_isolation_for_portal_and_other_internal_users(self):
        self.authenticate("t_staff_a", "t_staff_a")
        own = self._rpc("postal.delivery", "read", [self.delivery_a.ids, ["recipient_phone"]])
        self.assertEqual(own["result"][0]["recipient_phone"], self.citizen.phone)
        theirs = self._rpc("postal.delivery", "read", [self.delivery_b.ids, ["name"]])
        self.assertIn("error", theirs)
        found = self._rpc("postal.delivery", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual([r["id"] for r in found["result"]], self.delivery_a.ids)
        write = self._rpc("postal.delivery", "write", [self.delivery_a.ids, {"state": "delivered"}])
        self.assertIn("error", write)
        events = self._rpc("postal.webhook.event", "search_read", [[]], {"fields": ["raw_body"]})
        self.assertIn("error", events)
        # An internal user outside the postal groups reads no delivery at all.
        self.authenticate("t_trainer", "t_trainer")
        denied = self._rpc("postal.delivery", "read", [self.delivery_a.ids, ["recipient_phone"]])
        self.assertIn("error", denied)
        via_dossier = self._rpc(
            "postal.delivery", "search_read", [[("dossier_id", "=", self.delivery_a.dossier_id.id)]]
        )
        self.assertIn("error", via_dossier)

    def test_prepare_and_sign_a_handover_over_http(self):
        dossier = self._fill(self._new_dossier())
        other = self._fill(self._new_dossier(agent=self.agent_b))
        self.authenticate("t_staff_a", "t_staff_a")
        page = self.url_open("/my/handovers")
        self.assertIn(dossier.name, page.text)
        self.assertNotIn(other.name, page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        # Another agent's dossier slipped into the form is refused.
        refused = self.url_open(
            "/my/handovers/new",
            data={"csrf_token": csrf, "dossier_ids": [other.id], "carrier_id": self.carrier.id},
        )
        self.assertIn("o_postal_error", refused.text)
        created = self.url_open(
            "/my/handovers/new",
            data={"csrf_token": csrf, "dossier_ids": [dossier.id], "carrier_id": self.carrier.id},
        )
        handover = self.env["postal.handover"].search([("agent_id", "=", self.agent_a.id)])
        self.assertEqual(len(handover), 1)
        self.assertTrue(created.url.endswith(f"/my/handovers/{handover.id}"))
        signed = self.url_open(
            f"/my/handovers/{handover.id}/sign",
            data={
                "csrf_token": csrf,
                "sender_signer": "Trần Thị B",
                "sender_signature": f"data:image/png;base64,{SIGNATURE}",
                "receiver_signer": "Lê Văn C",
                "receiver_signature": f"data:image/png;base64,{SIGNATURE}",
            },
        )
        self.assertEqual(signed.status_code, 200)
        self.assertEqual(handover.state, "signed")
        self.assertTrue(handover.sender_signature)
        self.assertEqual(handover.delivery_ids.state, "picked_up")
        pdf = self.url_open(f"/my/handovers/{handover.id}/pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # Staff of agent B neither open nor sign it.
        self.authenticate("t_staff_b", "t_staff_b")
        page_b = self.url_open(f"/my/handovers/{handover.id}", allow_redirects=False)
        self.assertIn(page_b.status_code, (302, 303))

    def test_public_tracking_shows_delivery_status_and_carrier_number(self):
        dossier = self.delivery_a.dossier_id
        page = self.url_open("/tracking")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        result = self.url_open(
            "/tracking",
            data={"csrf_token": csrf, "code": dossier.name, "phone_digits": "5678"},
        )
        self.assertIn("o_postal_tracking_item", result.text)
        self.assertIn("VTPA0001", result.text)
        self.assertNotIn(self.citizen.phone, result.text)
        self.assertNotIn("12 Hàng Bài", result.text)
