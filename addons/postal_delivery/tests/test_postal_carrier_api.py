from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.public_service_agent.tools import center_env
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import PostalCommon
from .fake_carrier import FakeCarrierServer


@tagged("post_install", "-at_install")
class TestPostalCarrierApi(PostalCommon):
    """Both connectors against a fake carrier server on 127.0.0.1; nothing is patched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeCarrierServer().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.carrier.write(
            {"api_url_test": cls.fake.url, "api_username": "demo", "api_password": "demo"}
        )
        cls.vnpost = cls.env["postal.carrier"].create(
            {
                "name": "Test VNPost",
                "carrier_type": "vnpost",
                "api_url_test": cls.fake.url,
                "api_username": "demo",
                "api_password": "demo",
            }
        )

    def setUp(self):
        super().setUp()
        self.fake.state.faults.clear()
        self.fake.state.calls.clear()

    def _requested(self, carrier=None):
        delivery = self._done_dossier().postal_delivery_ids
        delivery.write({"carrier_id": (carrier or self.carrier).id})
        delivery.write({"state": "requested"})
        return delivery

    def _jobs(self, delivery, method="_job_send_shipping"):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "postal.delivery"),
                ("method_name", "=", method),
                ("records", "like", f"[{delivery.id}]"),
                ("state", "=", "pending"),
            ]
        )

    def _perform(self, jobs):
        for job in jobs:
            Job.load(self.env, job.uuid).perform()

    def _run_job(self, delivery, max_attempts=5):
        """Run the send job as queue_job would: again after each retryable failure."""
        for attempt in range(1, max_attempts + 1):
            try:
                with self.env.cr.savepoint():
                    return delivery.with_context(postal_job_attempt=attempt)._job_send_shipping()
            except RetryableJobError:
                continue
        return None

    def test_request_enqueues_a_job_on_the_carrier_channel(self):
        delivery = self._done_dossier().postal_delivery_ids
        delivery.action_request()
        jobs = self._jobs(delivery)
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.channel, "root.carrier.viettelpost")
        self.assertEqual(delivery.job_state, "pending")
        self.assertFalse(self.fake.state.calls)  # nothing sent before the job runs
        self._perform(jobs)
        self.assertTrue(delivery.tracking_ref.startswith("VTP"))
        self.assertEqual(delivery.job_state, "done")
        self.assertEqual(delivery.postage, 26000)
        sent = self.fake.state.orders[delivery.order_ref]["body"]
        self.assertEqual(sent["ORDER_NUMBER"], f"{delivery.dossier_id.name}-{delivery.id}")
        self.assertEqual(sent["RECEIVER_FULLNAME"], self.citizen.name)

    def test_token_is_cached_and_renewed_when_expired(self):
        first, second = self._requested(), self._requested()
        self._run_job(first)
        self._run_job(second)
        logins = [path for path, _body in self.fake.state.calls if path == "/v2/user/Login"]
        self.assertEqual(len(logins), 1)
        third = self._requested()
        self.fake.state.faults.append("expired_token")
        self._run_job(third)
        logins = [path for path, _body in self.fake.state.calls if path == "/v2/user/Login"]
        self.assertEqual(len(logins), 2)
        self.assertTrue(third.tracking_ref)

    def test_timeout_retry_creates_no_second_shipment(self):
        delivery = self._requested()
        # Odoo's test harness raises client timeouts under 10 s to 10 s: answer later than that.
        self.fake.state.fault_delay = 10.5
        self.carrier._token()  # logged in: the fault hits the order itself
        self.fake.state.faults.append("timeout")
        with self.assertRaises(RetryableJobError):
            delivery.with_context(postal_job_attempt=1)._job_send_shipping()
        self.assertFalse(delivery.tracking_ref)
        self.assertEqual(
            delivery.with_context(postal_job_attempt=2)._job_send_shipping()[:3], "VTP"
        )
        creates = [c for c in self.fake.state.calls if c[0] == "/v2/order/createOrder"]
        self.assertEqual(len(creates), 2)
        self.assertEqual(
            len([ref for ref in self.fake.state.orders if ref == delivery.order_ref]), 1
        )

    def test_5xx_and_malformed_are_retried_then_flagged_with_retry_button(self):
        delivery = self._requested()
        self.fake.state.faults.extend(["500", "malformed", "500", "500", "500", "500"])
        self.assertIsNone(self._run_job(delivery, max_attempts=4))
        self.assertEqual(delivery.with_context(postal_job_attempt=5)._job_send_shipping(), False)
        self.assertEqual(delivery.job_state, "failed")
        self.assertIn("HTTP 502", delivery.job_error)
        self.assertTrue(delivery.activity_ids)
        # The officer's retry button enqueues the call again; this time it works.
        delivery.with_user(self.officer).action_retry_carrier()
        self.fake.state.faults.clear()
        self._perform(self._jobs(delivery))
        self.assertEqual(delivery.job_state, "done")
        self.assertTrue(delivery.tracking_ref)

    def test_wrong_credentials_fail_without_retry(self):
        self.carrier.sudo().write({"api_password": "wrong", "api_token": False})
        delivery = self._requested()
        self.assertEqual(delivery.with_context(postal_job_attempt=1)._job_send_shipping(), False)
        self.assertEqual(delivery.job_state, "failed")

    def test_rate_and_cancel(self):
        delivery = self._requested()
        delivery.action_rate()
        self.assertEqual(delivery.postage, 26000)
        self._run_job(delivery)
        delivery.action_cancel("Citizen collects at the Center")
        self._perform(self._jobs(delivery, "_job_cancel_shipment"))
        self.assertTrue(self.fake.state.orders[delivery.order_ref].get("cancelled"))
        self.assertEqual(delivery.state, "cancelled")

    def test_vnpost_order_and_polled_tracking_with_cursor(self):
        delivery = self._requested(self.vnpost)
        self._run_job(delivery)
        self.assertTrue(delivery.tracking_ref.startswith("EB"))
        code = delivery.tracking_ref
        self.fake.state.add_tracking(code, 1, "09/03/2026 08:00:00")
        self.fake.state.add_tracking(code, 2, "09/03/2026 09:00:00")
        self.fake.state.add_tracking(code, 3, "09/03/2026 10:00:00")
        self.env["postal.carrier"]._cron_poll_tracking()
        self.assertEqual(delivery.state, "out_for_delivery")
        self.assertEqual(self.vnpost.tracking_cursor, "3")
        # Polled again: nothing new, nothing moves; then the delivery is reported done.
        self.env["postal.carrier"]._cron_poll_tracking()
        self.fake.state.add_tracking(code, 4, "09/03/2026 11:00:00")
        self.env["postal.carrier"]._cron_poll_tracking()
        self.assertEqual(delivery.state, "delivered")
        self.assertEqual(delivery.dossier_id.status_code, 10)
        self.assertEqual(self.vnpost.tracking_cursor, "4")
        polled = self.env["postal.webhook.event"].search([("carrier_id", "=", self.vnpost.id)])
        self.assertEqual(len(polled), 4)
        self.assertEqual(set(polled.mapped("source")), {"poll"})

    def test_manual_carrier_uses_our_number(self):
        delivery = self._new_delivery(self._done_dossier(), carrier_id=self.manual_carrier.id)
        delivery.action_request()
        self.assertEqual(delivery.tracking_ref, delivery.name)

    def test_production_url_and_credentials_for_administrators(self):
        self.carrier.sudo().write({"prod_environment": True, "api_url_prod": "http://127.0.0.1:9"})
        self.assertEqual(self.carrier._api_url(), "http://127.0.0.1:9")
        delivery = self._requested()
        # Nothing listens there: a connection error is retried, then flagged.
        self.assertIsNone(self._run_job(delivery, max_attempts=2))
        self.assertFalse(delivery.tracking_ref)
        self.assertEqual(delivery.with_context(postal_job_attempt=5)._job_send_shipping(), False)
        self.assertEqual(delivery.job_state, "failed")
        # Written by the job in the Center's language (Vietnamese where it is installed).
        self.assertEqual(
            delivery.job_error, center_env(self.env)._("The carrier cannot be reached.")
        )
        with self.assertRaises(AccessError):
            self.carrier.with_user(self.officer).read(["api_token"])
