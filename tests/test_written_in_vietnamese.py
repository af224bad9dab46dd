"""What crons, jobs and the demo install store is in the Center's language (issue 15, item 5).

Runs with pytest-odoo against the database built by `make test` (demo data, Vietnamese active).
Every cron of our addons is run as the cron worker runs it and as an English-speaking
administrator's "Run Manually" runs it; every queued job is performed as the job runner does.
Then every text our addons stored (chatter, tracking values, our models' text columns, job
names) is searched for a source string of our ``.pot`` files whose Vietnamese differs: such a
string is English left where Vietnamese staff and citizens read it.
"""

import html
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import Job

ADDONS = Path(__file__).resolve().parents[1] / "addons"
OUR_MODULES = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
OUR_PREFIXES = ("psa.", "training.", "postal.", "subsidy.")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%[sdf]")
TAGS = re.compile(r"<[^>]+>")


def _english_terms():
    """``(exact, phrases)``: every source string with a different Vietnamese text; the phrases
    (two words or more) as regexes where a placeholder matches any text."""
    exact, phrases = set(), []
    for module in OUR_MODULES:
        for entry in polib.pofile(str(ADDONS / module / "i18n" / "vi.po")):
            msgid = entry.msgid.strip()
            if entry.obsolete or not entry.msgstr or entry.msgstr.strip() == msgid:
                continue
            exact.add(msgid)
            words = PLACEHOLDER.sub(" ", msgid).split()
            if len(words) >= 2 and sum(len(w) for w in words) >= 10:
                pattern = ".+?".join(re.escape(part) for part in PLACEHOLDER.split(msgid))
                phrases.append((msgid, re.compile(rf"(?<![\w]){pattern}(?![\w])")))
    return exact, phrases


def _plain(value):
    return html.unescape(TAGS.sub(" ", value or "")).strip()


@tagged("standard")
class TestWrittenInVietnamese(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exact, cls.phrases = _english_terms()
        # Someone who works in English presses the buttons: what is stored must not follow him.
        cls.english_admin = new_test_user(
            cls.env,
            login="t_english_admin",
            lang="en_US",
            groups="base.group_system,public_service_agent.group_psa_admin",
        )
        cls.english_officer = new_test_user(
            cls.env,
            login="t_english_officer",
            lang="en_US",
            groups="public_service_agent.group_psa_officer",
        )

    def _our_crons(self):
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.cron"), ("module", "in", OUR_MODULES)]
        )
        crons = self.env["ir.cron"].browse(data.mapped("res_id")).exists()
        self.assertGreaterEqual(len(crons), 8, "the addons' crons were not found")
        return crons

    def _run_crons(self):
        for cron in self._our_crons():
            # As the cron worker: the cron's user (OdooBot), no language in the context.
            # (what ir.cron._callback runs, without its catch-all that would hide a crash)
            cron.ir_actions_server_id.with_user(cron.user_id).with_context(lang=None).run()
            # As an English administrator's "Run Manually" button.
            cron.with_user(self.english_admin).method_direct_trigger()

    def _perform_jobs(self):
        done = 0
        for _round in range(3):  # jobs may queue further jobs
            records = (
                self.env["queue.job"].sudo().search([("state", "in", ("pending", "enqueued"))])
            )
            if not records:
                break
            for record in records:
                job = Job.load(self.env, record.uuid)
                try:
                    with self.env.cr.savepoint():
                        job.perform()
                        job.set_done()
                        job.store()
                except (RetryableJobError, FailedJobError):
                    record.state = "failed"
                done += 1
        return done

    def _queue_work_as_english_user(self):
        """Enqueue jobs the way an English-speaking user would: stage moves that alert
        citizens, and carrier orders."""
        officer = self.english_officer
        received = self.env.ref("public_service_agent.dossier_received").with_user(officer)
        received.action_start_processing()
        Delivery = self.env["postal.delivery"].with_user(officer)
        drafts = Delivery.search([("state", "=", "draft")], limit=2)
        for delivery in drafts:
            delivery.action_request()

    def _stored_texts(self):
        """``(where, text)`` of every text our addons' records carry, as the demo install left
        it or as this test's crons and jobs wrote it (other tests' leftovers are theirs)."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "SELECT max(write_date), now() AT TIME ZONE 'UTC' FROM ir_module_module "
            "WHERE name IN %s",
            [OUR_MODULES],
        )
        installed, this_test = cr.fetchone()
        when = [installed, this_test]
        for model in self.env.registry.values():
            if not model._name.startswith(OUR_PREFIXES) or model._abstract or not model._auto:
                continue
            if model._transient:
                continue
            for field in model._fields.values():
                if not (field.store and field.column_type) or field.translate:
                    continue
                if field.type not in ("char", "text", "html"):
                    continue
                dated = "AND (write_date <= %s OR write_date >= %s)" if model._log_access else ""
                cr.execute(
                    f'SELECT id, "{field.name}" FROM "{model._table}" '
                    f'WHERE "{field.name}" IS NOT NULL {dated}',
                    when if model._log_access else [],
                )
                for rec_id, value in cr.fetchall():
                    yield f"{model._name}({rec_id}).{field.name}", _plain(value)
        our_models = tuple(m for m in self.env.registry if m.startswith(OUR_PREFIXES))
        # What the English users' own clicks log (their tracked changes) is theirs to word.
        people = tuple((self.english_admin | self.english_officer).partner_id.ids)
        # A user's own notification (activity assigned...) is in that user's language.
        cr.execute(
            """SELECT m.id, m.model, m.subject, m.body FROM mail_message m
                WHERE m.model IN %s AND COALESCE(m.author_id, 0) NOT IN %s
                  AND (m.create_date <= %s OR m.create_date >= %s)
                  AND NOT EXISTS (
                      SELECT 1 FROM mail_message_res_partner_rel r
                        JOIN res_partner p ON p.id = r.res_partner_id
                       WHERE r.mail_message_id = m.id AND m.message_type = 'user_notification'
                         AND COALESCE(p.lang, 'en_US') != 'vi_VN')""",
            [our_models, people, *when],
        )
        for msg_id, model, subject, body in cr.fetchall():
            yield f"mail.message({msg_id}) on {model}", _plain(f"{subject or ''} {body or ''}")
        cr.execute(
            """SELECT v.id, v.old_value_char, v.new_value_char
                 FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id
                WHERE m.model IN %s AND COALESCE(m.author_id, 0) NOT IN %s
                  AND (m.create_date <= %s OR m.create_date >= %s)""",
            [our_models, people, *when],
        )
        for value_id, old, new in cr.fetchall():
            for value in (old, new):
                if value:
                    yield f"mail.tracking.value({value_id})", ("exact", value.strip())
        cr.execute(
            "SELECT id, name FROM queue_job WHERE model_name IN %s "
            "AND (date_created <= %s OR date_created >= %s)",
            [our_models, *when],
        )
        for job_id, name in cr.fetchall():
            yield f"queue.job({job_id}).name", _plain(name)

    def _english_found(self):
        found = []
        for where, text in self._stored_texts():
            if isinstance(text, tuple):
                if text[1] in self.exact:
                    found.append(f"{where}: {text[1]!r}")
                continue
            if not text:
                continue
            if text in self.exact:
                found.append(f"{where}: {text[:120]!r}")
                continue
            for msgid, pattern in self.phrases:
                if pattern.search(text):
                    found.append(f"{where}: {msgid!r} in {text[:120]!r}")
                    break
        return found

    def test_the_terms_are_loaded(self):
        """The check itself: it knows our English strings and finds one it is shown."""
        self.assertIn("No provider for this channel.", self.exact)
        msgid, pattern = next(
            (m, p) for m, p in self.phrases if m.startswith("Citizen notification")
        )
        self.assertTrue(pattern.search("Citizen notification dossier_status (sms) #12"))

    def test_demo_crons_and_jobs_store_vietnamese(self):
        self._queue_work_as_english_user()
        self._run_crons()
        performed = self._perform_jobs()
        self.assertGreater(performed, 0, "no job was performed: the check proves nothing")
        found = self._english_found()
        if found:
            self.fail(
                "English text stored by the demo, a cron or a job ({}):\n{}".format(
                    len(found), "\n".join(found[:400])
                )
            )
