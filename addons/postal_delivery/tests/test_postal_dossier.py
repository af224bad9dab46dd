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

    def test_return_deliveries_hold_what_create_would_give(self):
        # The batch is inserted in SQL: every stored field must still be what the ORM's
        # create() gives from the same input (defaults, computed and related fields), so a
        # field added later without its line in the SQL fails here.
        bulk = self._done_dossier().postal_delivery_ids
        given = (
            "service_type",
            "dossier_id",
            "carrier_id",
            "company_id",
            "sender_name",
            "sender_street",
            "sender_phone",
            "sender_ward_id",
            "recipient_name",
            "recipient_street",
            "recipient_phone",
            "ward_id",
        )
        vals = bulk._convert_to_write({name: bulk[name] for name in given})
        other = self._done_dossier()
        other.postal_delivery_ids.sudo().unlink()
        orm = (
            self.env["postal.delivery"]
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create({**vals, "dossier_id": other.id})
        )
        skip = {"id", "name", "dossier_id", "order_ref", "create_uid", "write_uid"}
        skip |= {"create_date", "write_date"}
        stored = [name for name, field in orm._fields.items() if field.store and name not in skip]
        self.env.flush_all()
        self.env.invalidate_all()
        for name in stored:
            self.assertEqual(bulk[name], orm[name], f"field {name}")
        self.assertEqual(bulk.order_ref, f"{bulk.dossier_id.name}-{bulk.id}")
        self.assertEqual(orm.order_ref, f"{other.name}-{orm.id}")
        self.assertRegex(bulk.name, r"\d{3,}$")
        self.assertFalse(bulk.message_ids)
        self.assertFalse(bulk.message_follower_ids)

    def test_return_deliveries_cost_the_same_queries_for_any_batch(self):
        def batch(size):
            dossiers = self.env["psa.dossier"]
            for _ in range(size):
                dossier = self._fill(self._new_dossier(return_method="post"))
                dossier.action_receive()
                dossier.action_start_processing()
                dossiers |= dossier
            dossiers.action_mark_done()
            dossiers.postal_delivery_ids.unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            created = dossiers._postal_create_return_deliveries()
            return len(created), self.cr.sql_log_count - start

        small, queries_small = batch(2)
        large, queries_large = batch(12)
        self.assertEqual((small, large), (2, 12))
        self.assertEqual(queries_small, queries_large)

    def test_delivered_returns_the_result_at_the_delivery_time(self):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        delivery.action_request()
        delivery.action_pick_up()
        delivery.action_out_for_delivery()
        moment = datetime(2026, 3, 9, 4, 30)
        with freeze_time(moment):
            # An officer's context cannot date the event: only the clock (or a carrier) does.
            delivery.with_context(postal_event_date="2025-12-01 03:00:00").action_deliver()
        self.assertEqual(dossier.status_code, 10)
        self.assertEqual(dossier.date_returned, moment)
        self.assertEqual(delivery.date_delivered, moment)
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
