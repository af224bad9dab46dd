from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import PsaDossierCommon
from .fake_provider import FakeProvider


class PsaContactCentreCommon(PsaDossierCommon):
    """Dossier fixtures plus a fake ZNS/SMS gateway on 127.0.0.1 and the two providers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Jobs queued before the test (demo dossiers' alerts) are not the test's business.
        cls.jobs_before = cls.env["queue.job"].search([]).ids
        cls.fake = FakeProvider(fail_times=2, slow_seconds=1.0).start()
        cls.addClassCleanup(cls.fake.stop)
        Provider = cls.env["psa.notification.provider"]
        Provider.search([]).write({"active": False})
        cls.zalo = Provider.create(
            {
                "name": "Fake ZNS",
                "provider_type": "zalo_zns",
                "endpoint_url": f"{cls.fake.url}/message/template",
                "access_token": "zns-test-token",
                "timeout": 0.4,
            }
        )
        cls.sms = Provider.create(
            {
                "name": "Fake SMS",
                "provider_type": "http_sms",
                "endpoint_url": f"{cls.fake.url}/sms",
                "access_token": "sms-test-key",
                "sender_name": "TTPVHCC HN",
                "timeout": 0.4,
            }
        )

    @classmethod
    def _citizen(cls, cccd, phone=None, **vals):
        return cls.env["res.partner"]._psa_find_or_create_citizen(
            {"name": vals.pop("name", "Công dân thử"), "psa_cccd": cccd, "phone": phone, **vals}
        )

    def _run_jobs(self, rounds=8):
        """Run the pending notification jobs the way queue_job's runner does, retries included
        (eta ignored), until none is left. Returns how many performs ran."""
        performed = 0
        for _round in range(rounds):
            pending = self.env["queue.job"].search(
                [
                    ("model_name", "=", "psa.notification"),
                    ("state", "=", "pending"),
                    ("id", "not in", self.jobs_before),
                ]
            )
            if not pending:
                break
            for record in pending:
                job = Job.load(self.env, record.uuid)
                job.set_started()
                try:
                    with self.env.cr.savepoint():
                        job.perform()
                    job.set_done()
                except RetryableJobError as err:
                    job.postpone(result=str(err), seconds=err.seconds)
                    job.set_pending(reset_retry=False)
                job.store()
                performed += 1
        self.env.invalidate_all()
        return performed

    def _job_uuids(self, notifications):
        """The queue jobs sending these notifications."""
        jobs = self.env["queue.job"].search([("model_name", "=", "psa.notification")])
        return [job.uuid for job in jobs if set(job.records.ids) & set(notifications.ids)]
