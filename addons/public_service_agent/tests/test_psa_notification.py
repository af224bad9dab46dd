from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.public_service_agent.tools import center_env

from .common_contact_centre import PsaContactCentreCommon


@tagged("post_install", "-at_install")
class TestPsaNotification(PsaContactCentreCommon):
    """Citizen alerts through the fake ZNS/SMS gateway: once per event, retried, refused."""

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.Notification = self.env["psa.notification"]

    def _received_dossier(self, citizen):
        dossier = self._fill(self._new_dossier(citizen_id=citizen.id))
        dossier.action_receive()
        return dossier

    def test_status_change_reaches_zalo_once(self):
        # An officer receives the dossier (officers cannot write alerts: the job must not
        # depend on the officer's rights).
        dossier = self._fill(self._new_dossier()).with_user(self.officer)
        dossier.action_receive()
        alert = dossier.notification_ids
        self.assertEqual(len(alert), 1)
        self.assertEqual(
            (alert.event_code, alert.channel, alert.state), ("dossier_received", "zalo", "queued")
        )
        self._run_jobs()
        self.assertEqual(alert.state, "sent")
        sent = self.fake.sent("/message/template")
        self.assertEqual(len(sent), 1)
        body = sent[0]["body"]
        self.assertEqual(body["phone"], "84912345678")
        self.assertEqual(body["tracking_id"], alert.tracking_id)
        self.assertEqual(body["template_id"], alert.template_id.zns_template_id)
        self.assertEqual(body["template_data"]["code"], dossier.name)
        self.assertEqual(sent[0]["headers"].get("access_token"), "zns-test-token")
        self.assertEqual(alert.provider_message_id, "zns-1")
        self.assertEqual(alert.provider_id, self.zalo)
        # The same event again, by the API or by the workflow: nothing more is sent.
        again = self.Notification._notify_citizens(dossier, "dossier_received")
        self.assertFalse(again)
        self._run_jobs()
        self.assertEqual(len(self.fake.sent("/message/template")), 1)
        self.assertEqual(len(dossier.notification_ids), 1)

    def test_each_status_has_its_event(self):
        dossier = self._received_dossier(self.citizen)
        dossier.action_start_processing()
        dossier.action_mark_done()
        dossier.action_return_result()
        self.assertEqual(
            set(dossier.notification_ids.mapped("event_code")),
            {"dossier_received", "dossier_processing", "dossier_done", "dossier_returned"},
        )

    def test_5xx_is_retried_until_it_works(self):
        citizen = self._citizen("001085055555", "0912345555")
        dossier = self._received_dossier(citizen)
        alert = dossier.notification_ids
        self.assertEqual(self._run_jobs(), 3)
        self.assertEqual(len(self.fake.sent("/message/template")), 3)
        self.assertEqual(alert.state, "sent")
        job = self.env["queue.job"].search([("uuid", "in", self._job_uuids(alert))])
        self.assertEqual((job.state, job.retry), ("done", 3))

    def test_a_timeout_is_retried(self):
        # Odoo's test harness raises every requests timeout to 10 s: the fake waits longer.
        self.fake.slow_seconds = 10.5
        self.addCleanup(setattr, self.fake, "slow_seconds", 1.0)
        citizen = self._citizen("001085000000", "0912340000")
        alert = self._received_dossier(citizen).notification_ids
        self.assertEqual(self._run_jobs(rounds=1), 1)
        job = self.env["queue.job"].search([("uuid", "in", self._job_uuids(alert))])
        self.assertEqual((alert.state, job.state, job.retry), ("queued", "pending", 1))
        self.assertIn("timed out", job.result)
        self.assertGreater(job.eta, job.date_created)
        self.fake.slow_seconds = 0
        self._run_jobs()
        self.assertEqual((alert.state, job.state), ("sent", "done"))
        self.assertEqual(len(self.fake.sent("/message/template")), 2)

    def test_the_last_try_marks_it_failed(self):
        self.fake.fail_times = 10
        self.addCleanup(setattr, self.fake, "fail_times", 2)
        citizen = self._citizen("001085055556", "0912355555")
        alert = self._received_dossier(citizen).notification_ids
        self.assertEqual(self._run_jobs(), 5)
        self.assertEqual(alert.state, "failed")
        self.assertIn("HTTP 503", alert.error)
        self.assertEqual(len(self.fake.sent("/message/template")), 5)

    def test_invalid_phone_is_refused_without_retry(self):
        citizen = self._citizen("001085099999", "0912349999")
        alert = self._received_dossier(citizen).notification_ids
        self.assertEqual(self._run_jobs(), 1)
        self.assertEqual(alert.state, "failed")
        self.assertIn("-108", alert.error)
        # SMS gateway: HTTP 400 is a refusal too.
        citizen.psa_notify_channel = "sms"
        dossier = self._received_dossier(citizen)
        sms = dossier.notification_ids.filtered(lambda n: n.channel == "sms")
        self._run_jobs()
        self.assertEqual(sms.state, "failed")
        self.assertIn("HTTP 400", sms.error)
        self.assertEqual(len(self.fake.sent("/sms")), 1)

    def test_landline_fails_before_any_call(self):
        citizen = self._citizen("001085044444", "024 3825 6789")
        alert = self._received_dossier(citizen).notification_ids
        self.assertEqual(alert.state, "failed")
        self.assertEqual(self._run_jobs(), 0)
        self.assertFalse(self.fake.requests)

    def test_opt_out_and_missing_address_are_logged_not_sent(self):
        self.citizen.psa_optout_zalo = True
        alert = self._received_dossier(self.citizen).notification_ids
        self.assertEqual(alert.state, "skipped")
        self.assertIn("opted out", alert.error)
        no_email = self._citizen("001085033333", "0912333333", psa_notify_channel="email")
        alert = self._received_dossier(no_email).notification_ids
        self.assertEqual(alert.state, "skipped")
        self.assertEqual(self._run_jobs(), 0)
        self.assertFalse(self.fake.requests)

    def test_email_goes_through_the_mail_queue(self):
        citizen = self._citizen(
            "001085066666", "0912366666", email="an@example.vn", psa_notify_channel="email"
        )
        dossier = self._received_dossier(citizen)
        alert = dossier.notification_ids
        self.assertEqual(alert.state, "sent")
        mail = self.env["mail.mail"].search([("message_id", "=", alert.provider_message_id)])
        self.assertEqual(mail.email_to, "an@example.vn")
        self.assertIn(dossier.name, mail.body_html)
        self.assertEqual(mail.message_type, "email_outgoing")

    def test_delivery_events_for_postal_delivery(self):
        self.citizen.psa_notify_channel = "sms"
        dossier = self._received_dossier(self.citizen)
        for event in ("delivery_out_for_delivery", "delivery_failed_attempt", "delivery_delivered"):
            created = self.Notification._notify_citizens(
                dossier, event, tracking_number="EB123456789VN", next_attempt="02/12/2026"
            )
            self.assertEqual(len(created), 1, event)
            self.assertFalse(self.Notification._notify_citizens(dossier, event), event)
        self._run_jobs()
        texts = [r["body"]["text"] for r in self.fake.sent("/sms")]
        self.assertEqual(len(texts), 4)  # received + three delivery events
        self.assertEqual(len([t for t in texts if "EB123456789VN" in t]), 3)
        self.assertEqual(len([t for t in texts if "02/12/2026" in t]), 1)
        # Brand-name SMS go without diacritics by default.
        self.assertTrue(any(t.startswith("TTPVHCC HN: Ho so ") for t in texts), texts)
        self.assertFalse(any("đ" in t or "ồ" in t for t in texts))
        self.assertEqual(
            self.fake.sent("/sms")[0]["headers"].get("Authorization"), "Bearer sms-test-key"
        )
        self.assertEqual(self.fake.sent("/sms")[0]["body"]["to"], "84912345678")

    def test_only_declared_events_and_placeholders(self):
        dossier = self._new_dossier()
        with self.assertRaises(ValueError):
            self.Notification._notify_citizens(dossier, "promotion")
        template = self.env.ref("public_service_agent.notification_template_dossier_received_sms")
        with self.assertRaises(ValidationError):
            template.body = "Ưu đãi {voucher}"
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["psa.notification.template"].create(
                {"event_code": "dossier_received", "channel": "sms", "body": "Again"}
            )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_no_provider_means_failed_not_lost(self):
        (self.zalo | self.sms).active = False
        alert = self._received_dossier(self.citizen).notification_ids
        self._run_jobs()
        self.assertEqual(alert.state, "failed")
        # Written by the job in the Center's language (Vietnamese where it is installed).
        self.assertEqual(alert.error, center_env(self.env)._("No provider for this channel."))
        # Once the gateway is on, an administrator sends it again; officers cannot.
        self.zalo.active = True
        with self.assertRaises(AccessError):
            alert.with_user(self.officer).action_retry()
        alert.with_user(self.admin_user).action_retry()
        self.assertEqual(alert.state, "queued")
        self._run_jobs()
        self.assertEqual(alert.state, "sent")
        with self.assertRaises(UserError):
            alert.with_user(self.admin_user).action_retry()

    @mute_logger("odoo.sql_db")
    def test_a_concurrent_duplicate_is_skipped_not_an_error(self):
        alert = self._received_dossier(self.citizen).notification_ids
        base = {"event_code": "dossier_done", "channel": "sms", "state": "skipped"}
        created = self.Notification._create_unique(
            [
                {**base, "dedup_key": alert.dedup_key},  # sent meanwhile by another transaction
                {**base, "dedup_key": "psa.dossier:0:dossier_done:sms"},
            ]
        )
        self.assertEqual(created.mapped("dedup_key"), ["psa.dossier:0:dossier_done:sms"])


@tagged("post_install", "-at_install")
class TestPsaZaloTokenRefresh(PsaContactCentreCommon, HttpCase):
    """An expired OA access token is refreshed once and the message goes through.

    HttpCase: the refreshed tokens are committed through a cursor of their own, which the test
    registry maps onto the test transaction.
    """

    def test_expired_token_is_refreshed_and_kept(self):
        self.zalo.write(
            {
                "access_token": "expired",
                "refresh_token": "refresh-1",
                "app_id": "123",
                "app_secret": "s3cr3t",
                "token_url": f"{self.fake.url}/v4/oa/access_token",
            }
        )
        self.env.flush_all()  # what an administrator saved earlier
        dossier = self._fill(self._new_dossier())
        dossier.action_receive()
        alert = dossier.notification_ids
        self._run_jobs()
        self.assertEqual(alert.state, "sent")
        paths = [r["path"] for r in self.fake.requests]
        self.assertEqual(paths, ["/message/template", "/v4/oa/access_token", "/message/template"])
        self.assertEqual(self.fake.requests[2]["headers"]["access_token"], "fresh-token")
        self.assertEqual(self.fake.requests[1]["body"]["grant_type"], "refresh_token")
        self.zalo.invalidate_recordset()
        self.assertEqual(self.zalo.access_token, "fresh-token")
        self.assertEqual(self.zalo.refresh_token, "refresh-1+")

    def test_refused_refresh_fails_the_message(self):
        self.zalo.write(
            {
                "access_token": "expired",
                "refresh_token": "spent",
                "token_url": f"{self.fake.url}/v4/oa/access_token",
            }
        )
        dossier = self._fill(self._new_dossier())
        dossier.action_receive()
        alert = dossier.notification_ids
        self._run_jobs()
        self.assertEqual(alert.state, "failed")
        self.assertIn("Invalid refresh_token", alert.error)
