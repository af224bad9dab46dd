from datetime import datetime

from odoo.tests import freeze_time, tagged

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalCitizenNotifications(PostalCommon):
    """Delivery events reach the citizen through the contact centre's notifications."""

    def _events(self, dossier):
        notes = self.env["psa.notification"].sudo().search([("dossier_id", "=", dossier.id)])
        return sorted(notes.filtered(lambda n: n.event_code.startswith("delivery_")).mapped(
            "event_code"
        ))  # fmt: skip

    def test_out_for_delivery_failed_attempts_and_delivered_each_notify_once(self):
        self.citizen.email = "an.nguyen@example.vn"
        delivery = self._new_delivery(service_type="return_result", tracking_ref="VTP777")
        delivery.action_request()
        delivery.action_pick_up()
        with freeze_time(datetime(2026, 3, 6, 2, 0)):
            delivery.action_out_for_delivery()
            delivery.action_fail_attempt("Nobody at home")
        with freeze_time(datetime(2026, 3, 10, 3, 0)):
            delivery.action_out_for_delivery()
            delivery.action_fail_attempt("Nobody at home again")
        # Two attempts, two notices; the second out-for-delivery repeats the first's key.
        self.assertEqual(
            self._events(delivery.dossier_id),
            ["delivery_failed_attempt", "delivery_failed_attempt", "delivery_out_for_delivery"],
        )
        failed = (
            self.env["psa.notification"]
            .sudo()
            .search(
                [
                    ("dossier_id", "=", delivery.dossier_id.id),
                    ("event_code", "=", "delivery_failed_attempt"),
                ],
                order="id",
            )
        )
        self.assertIn("VTP777", failed[0].body)
        self.assertNotEqual(failed[0].body, failed[1].body, "the last notice says no next attempt")

    def test_delivered_notifies_and_sending_a_dossier_does_not(self):
        returned = self._new_delivery(service_type="return_result")
        returned.action_request()
        returned.action_pick_up()
        returned.action_out_for_delivery()
        returned.action_deliver()
        self.assertIn("delivery_delivered", self._events(returned.dossier_id))
        sent = self._new_delivery(service_type="send_dossier")
        sent.action_request()
        sent.action_pick_up()
        sent.action_out_for_delivery()
        self.assertEqual(self._events(sent.dossier_id), [])
