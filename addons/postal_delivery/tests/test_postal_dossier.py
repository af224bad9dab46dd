from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalDossier(PostalCommon):
    def test_done_with_return_by_post_creates_the_return_delivery(self):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.service_type, "return_result")
        self.assertEqual(delivery.state, "draft")
        self.assertEqual(delivery.carrier_id, self.carrier)  # the agent's operator's carrier
        self.assertEqual(delivery.recipient_name, self.citizen.name)
        self.assertEqual(delivery.recipient_street, "12 Hàng Bài")
        self.assertEqual(delivery.recipient_phone, self.citizen.phone)
        self.assertEqual(delivery.ward_id, self.ward)
        self.assertEqual(dossier.postal_state, "draft")

    def test_no_delivery_for_other_return_methods(self):
        dossier = self._fill(self._new_dossier(return_method="agent"))
        dossier.action_receive()
        dossier.action_start_processing()
        dossier.action_mark_done()
        self.assertFalse(dossier.postal_delivery_ids)

    def test_batch_of_done_dossiers(self):
        dossiers = self.env["psa.dossier"]
        for _ in range(3):
            dossier = self._fill(self._new_dossier(return_method="post"))
            dossier.action_receive()
            dossier.action_start_processing()
            dossiers |= dossier
        dossiers.action_mark_done()
        self.assertEqual(len(dossiers.postal_delivery_ids), 3)
        # Done again (e.g. after a re-run of the hook): no second delivery.
        self.assertFalse(dossiers._postal_create_return_deliveries())

    def test_delivered_returns_the_result_at_the_delivery_time(self):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        delivery.action_request()
        delivery.action_pick_up()
        delivery.action_out_for_delivery()
        moment = datetime(2026, 3, 9, 4, 30)
        delivery.with_context(postal_event_date=moment).action_deliver()
        self.assertEqual(dossier.status_code, 10)
        self.assertEqual(dossier.date_returned, moment)
        self.assertEqual(delivery.date_delivered, moment)

    def test_handover_signing_is_the_legal_receipt_time(self):
        dossier = self._fill(self._new_dossier())
        signed = datetime(2026, 3, 6, 2, 0)
        with freeze_time(signed):
            # As the signing of the handover record calls it (postal.handover._move_deliveries).
            dossier.sudo()._postal_receive_at(signed)
        self.assertEqual(dossier.status_code, 2)
        self.assertEqual(dossier.date_received, signed)
        self.assertEqual(dossier.date_due, dossier._deadline_vals(signed)["date_due"])

    def test_dossier_opens_its_delivery(self):
        dossier = self._done_dossier()
        action = dossier.with_user(self.officer).action_view_postal_deliveries()
        self.assertEqual(action["res_id"], dossier.postal_delivery_ids.id)
        self.assertEqual(dossier.with_user(self.officer).postal_delivery_count, 1)
