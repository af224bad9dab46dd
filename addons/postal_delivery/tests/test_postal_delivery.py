from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalDelivery(PostalCommon):
    def test_number_from_sequence_and_order_ref(self):
        deliveries = self._new_delivery() | self._new_delivery()
        self.assertTrue(all(d.name.startswith("BC-") for d in deliveries))
        self.assertNotEqual(deliveries[0].name, deliveries[1].name)
        for delivery in deliveries:
            self.assertEqual(delivery.order_ref, f"{delivery.dossier_id.name}-{delivery.id}")

    def test_batch_names_are_consecutive_and_unique(self):
        dossier = self._fill(self._new_dossier())
        deliveries = (
            self.env["postal.delivery"]
            .with_user(self.officer)
            .create([{"dossier_id": dossier.id, "carrier_id": self.carrier.id} for _ in range(5)])
        )
        numbers = [int(d.name.rsplit("-", 1)[1]) for d in deliveries]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 5)))

    def test_related_fields(self):
        delivery = self._new_delivery()
        self.assertEqual(delivery.operator_id, self.operator_a)
        self.assertEqual(delivery.citizen_id, self.citizen)
        self.assertEqual(delivery.agent_id, self.agent_a)
        self.assertEqual(delivery.currency_id, self.env.ref("base.VND"))

    def test_transitions_are_enforced_and_recorded(self):
        delivery = self._new_delivery()
        with self.assertRaises(ValidationError):
            delivery.write({"state": "delivered"})
        delivery.action_request()
        delivery.action_pick_up()
        delivery.action_in_transit()
        delivery.action_out_for_delivery()
        delivery.action_deliver()
        self.assertEqual(delivery.state, "delivered")
        self.assertTrue(delivery.date_delivered)
        self.assertEqual(
            delivery.event_ids.sorted("id").mapped("state_to"),
            ["requested", "picked_up", "in_transit", "out_for_delivery", "delivered"],
        )
        with self.assertRaises(ValidationError):
            delivery.write({"state": "returning"})
        # A delivery later found lost; it needs a reason.
        with self.assertRaises(ValidationError):
            delivery.write({"state": "lost"})
        delivery.action_mark_lost("Envelope lost at the sorting centre")
        self.assertEqual(delivery.state, "lost")

    def test_create_in_a_later_state_walks_the_table(self):
        dossier = self._fill(self._new_dossier())
        delivery = (
            self.env["postal.delivery"]
            .with_user(self.officer)
            .create(
                {"dossier_id": dossier.id, "carrier_id": self.carrier.id, "state": "in_transit"}
            )
        )
        self.assertEqual(delivery.state, "in_transit")
        self.assertEqual(len(delivery.event_ids), 3)

    def test_on_state_change_once_per_batch(self):
        deliveries = self._new_delivery() | self._new_delivery()
        calls = []
        original = type(deliveries)._on_state_change

        def spy(records, old, new):
            calls.append((len(records), old, new))
            return original(records, old, new)

        type(deliveries)._on_state_change = spy
        try:
            deliveries.write({"state": "requested"})
        finally:
            type(deliveries)._on_state_change = original
        self.assertEqual(calls, [(2, "draft", "requested")])

    def test_two_attempts_two_working_days_apart_then_return(self):
        delivery = self._new_delivery()
        delivery.action_request()
        delivery.action_pick_up()
        # Friday 2026-03-06, 09:00 in Hanoi
        with freeze_time(datetime(2026, 3, 6, 2, 0)):
            delivery.action_out_for_delivery()
            delivery.action_fail_attempt("Nobody at home")
            self.assertEqual(delivery.attempt_count, 1)
            # Two working days later: Tuesday 10 March, 00:00 in Hanoi
            self.assertEqual(delivery.date_next_attempt, datetime(2026, 3, 9, 17, 0))
            with self.assertRaises(ValidationError):
                delivery.action_out_for_delivery()
        with freeze_time(datetime(2026, 3, 10, 3, 0)):
            delivery.action_out_for_delivery()
            delivery.action_fail_attempt("Nobody at home again")
        self.assertEqual(delivery.attempt_count, 2)
        self.assertEqual(delivery.state, "returning")
        delivery.action_returned()
        self.assertEqual(delivery.state, "returned")
        self.assertTrue(delivery.date_returned)
        self.assertIn(delivery.name, " ".join(delivery.dossier_id.message_ids.mapped("body")))

    def test_postal_leg_due_dates(self):
        # The whole body on a frozen clock: the last checks read the real one and failed
        # whenever it was before March 2026 (the clock matrix's Tết 2026 run).
        with freeze_time(datetime(2026, 3, 6, 2, 0)) as clock:  # Friday
            delivery = self._new_delivery(ward_id=self.ward.id, sender_ward_id=self.ward.id)
            self.assertEqual(delivery.route, "same_ward")
            delivery.action_request()
            delivery.action_pick_up()
            self.assertEqual(delivery.date_due.date().isoformat(), "2026-03-09")  # J+1: Monday
            delivery.route = "hanoi"
            self.assertEqual(delivery.date_due.date().isoformat(), "2026-03-10")
            delivery.with_appointment = True
            self.assertEqual(delivery.date_due.date().isoformat(), "2026-03-12")
            self.env.ref("postal_delivery.leg_hanoi").days_with_appointment = 5
            delivery.invalidate_recordset()
            delivery.with_appointment = False
            delivery.with_appointment = True
            self.assertEqual(delivery.date_due.date().isoformat(), "2026-03-13")
            self.assertFalse(delivery.is_overdue)
            clock.move_to(datetime(2026, 3, 16, 2, 0))
            delivery.with_appointment = False
            delivery.with_appointment = True  # a write recomputes the stored flag
            self.assertTrue(delivery.is_overdue)
            self.assertIn(delivery, self.env["postal.delivery"].search([("is_overdue", "=", True)]))

    def test_only_draft_deliveries_can_be_deleted(self):
        delivery = self._new_delivery()
        delivery.action_request()
        with self.assertRaises(UserError):
            delivery.with_user(self.admin_user).unlink()

    def test_overdue_cron_flags_late_open_deliveries(self):
        # The whole body on a frozen clock: the cron used to run on the real one, which held
        # only once the frozen pick-up's due date (March 2026) was past.
        with freeze_time(datetime(2026, 3, 6, 2, 0)) as clock:
            delivery = self._new_delivery(ward_id=self.ward.id, sender_ward_id=self.ward.id)
            delivery.action_request()
            delivery.action_pick_up()
            self.assertFalse(delivery.is_overdue)
            # Stored while on time; the clock moves on without any write.
            clock.move_to(datetime(2026, 3, 6, 3, 0))
            delivery.invalidate_recordset(["is_overdue"])
            self.env.add_to_compute(delivery._fields["is_overdue"], delivery)
            delivery.flush_recordset()
            self.assertFalse(delivery.is_overdue)
            self.assertEqual(self.env["postal.delivery"]._cron_refresh_overdue(), 0)
            clock.move_to(delivery.date_due + timedelta(minutes=1))
            self.assertEqual(self.env["postal.delivery"]._cron_refresh_overdue(), 1)
            self.assertTrue(delivery.is_overdue)
            self.assertEqual(self.env["postal.delivery"]._cron_refresh_overdue(), 0)

    def test_workflow_fields_and_skip_contexts_are_for_the_server_only(self):
        delivery = self._new_delivery()
        for vals in ({"date_delivered": "2026-03-09 10:00:00"}, {"attempt_count": 5}):
            with self.assertRaises(UserError):
                delivery.write(vals)
        with self.assertRaises(UserError):
            delivery.with_context(psa_state_unchecked=True).write({"state": "delivered"})
        with self.assertRaises(UserError):
            self.env["postal.delivery"].with_user(self.officer).create(
                {
                    "dossier_id": delivery.dossier_id.id,
                    "carrier_id": self.carrier.id,
                    "date_delivered": "2026-03-09 10:00:00",
                }
            )
        delivery.action_request()
        delivery.action_pick_up()
        delivery.action_out_for_delivery()
        delivery.action_fail_attempt()
        # A carrier's context does not lift the two-day rule for a user.
        with self.assertRaises(ValidationError):
            delivery.with_context(postal_carrier_event=True).action_out_for_delivery()
        self.assertEqual(delivery.state, "failed_attempt")
        self.assertEqual(delivery.sudo().event_ids[:1].user_id, self.officer)
