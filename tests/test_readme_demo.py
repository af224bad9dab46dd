"""The README's demo steps, run as a newcomer runs them (issue 15, item 7).

Runs with pytest-odoo (``--odoo-http``) against the database built by `make test`, demo data
installed. Each command is taken from README.md itself and run as a subprocess against the
test server, so a step the README promises and the product no longer keeps fails here. What
`make run` adds outside Odoo is played the way it runs there: the queue_job runner performs the
queued jobs, the cron worker runs the crons, the incoming mail server hands an e-mail to
``message_process``.
"""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEMO_URL = "http://127.0.0.1:8069"


def readme_commands(fragment):
    """The README's command lines (in its ```bash blocks) that contain ``fragment``."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        lines += [line.strip() for line in block.splitlines() if fragment in line]
    return lines


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("standard")
class TestReadmeDemo(HttpCase):
    def _argv(self, line, **overrides):
        """A README command line, run here: this venv's Python, the test server's URL and
        database, and ``overrides`` for the options a second server on this machine needs."""
        argv = shlex.split(line.replace(DEMO_URL, self.base_url()))
        self.assertTrue(argv[0].endswith("python"), line)
        argv[0] = sys.executable
        for option, value in overrides.items():
            flag = "--" + option.replace("_", "-")
            if flag in argv:
                argv[argv.index(flag) + 1] = str(value)
            else:
                argv += [flag, str(value)]
        return argv

    def _run(self, line, **overrides):
        self.env.flush_all()  # the server reads the database, not this test's cache
        result = subprocess.run(
            self._argv(line, **overrides),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.assertEqual(result.returncode, 0, f"{line}\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def _start(self, line, ready, **overrides):
        """A README server command started in the background, once it prints ``ready``."""
        self.env.flush_all()
        process = subprocess.Popen(
            self._argv(line, **overrides),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.addCleanup(process.wait, 10)
        self.addCleanup(process.terminate)
        output = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line_out = process.stdout.readline()
            if not line_out and process.poll() is not None:
                break
            output.append(line_out)
            if ready in line_out:
                return process, output
        self.fail(f"{line} never said {ready!r}:\n{''.join(output)}")

    def _perform_jobs(self):
        """The queue_job runner: every pending job, until none is left."""
        for _round in range(5):
            records = self.env["queue.job"].sudo().search([("state", "=", "pending")])
            if not records:
                return
            for record in records:
                job = Job.load(self.env, record.uuid)
                try:
                    job.perform()
                except RetryableJobError:
                    record.state = "failed"
                    continue
                job.set_done()
                job.store()

    def _run_cron(self, xmlid):
        cron = self.env.ref(xmlid)
        # What ir.cron._callback runs, without its catch-all that would hide a crash.
        cron.ir_actions_server_id.with_user(cron.user_id).run()

    # ------------------------------------------------------------------ deliveries by post
    def test_deliveries_by_post(self):
        """README "Demo: deliveries by post", steps 1 to 3, with the README's own commands."""
        serve = readme_commands("fake_carrier.py serve")
        self.assertEqual(len(serve), 1)
        port = free_port()
        self._start(serve[0], "Fake carriers on", port=port)
        carriers = self.env["postal.carrier"].search([("carrier_type", "!=", "manual")])
        self.assertEqual(set(carriers.mapped("api_url_test")), {"http://127.0.0.1:8099"})
        # The README's port is taken on a developer's machine: the fake answers on another.
        carriers.write({"api_url_test": f"http://127.0.0.1:{port}"})

        officer = self.env.ref("public_service_agent.user_officer")
        viettel = self.env.ref("postal_delivery.carrier_viettelpost")
        in_transit = self.env["postal.delivery"].search([("tracking_ref", "=", "VTPDEMO1")])
        self.assertEqual(in_transit.carrier_id, viettel, "the README follows VTPDEMO1")
        self.assertEqual(in_transit.state, "in_transit")

        # Step 1, twice: the officer moves dossiers with return by post to Processed.
        Dossier = self.env["psa.dossier"].with_user(officer)
        dossiers = Dossier.search(
            [("return_method", "=", "post"), ("stage_id.is_closed", "=", False)], order="id"
        ).filtered(lambda d: d.stage_id.status_code in (2, 4))[:2]
        self.assertEqual(len(dossiers), 2, "the demo has dossiers a newcomer can process")
        requested = self.env["postal.delivery"]
        for dossier in dossiers:
            if dossier.stage_id.status_code == 2:
                dossier.action_start_processing()
            dossier.action_mark_done()
            delivery = dossier.postal_delivery_ids.filtered(lambda d: d.state == "draft")
            self.assertEqual(len(delivery), 1, "its return delivery appears")
            self.assertTrue(delivery.carrier_id)
            delivery = delivery.with_user(officer)
            delivery.carrier_id = viettel  # "choose Viettel Post on the draft"
            delivery.action_request()  # Request Pickup
            requested |= delivery
        self._perform_jobs()
        first, second = requested
        self.assertRegex(first.tracking_ref or "", r"^VTP\d+$")
        self.assertRegex(second.tracking_ref or "", r"^VTP\d+$")
        # Step 2: the webhooks of the README, for VTPDEMO1 and for the new tracking number.
        hooks = readme_commands("fake_carrier.py webhook")
        self.assertEqual(len(hooks), 3)
        self._run(hooks[0], pause=0, odoo=self.base_url())
        self._run(hooks[1].replace("VTP100000", first.tracking_ref), pause=0, odoo=self.base_url())
        self._run_cron("postal_delivery.ir_cron_postal_webhook_process")
        self.env.invalidate_all()
        self.assertEqual(in_transit.state, "delivered")
        self.assertEqual(first.state, "delivered")
        self.assertTrue(first.dossier_id.stage_id.is_returned, "the dossier: Result Returned")
        self.assertTrue(in_transit.dossier_id.stage_id.is_returned)

        # Step 3: the second delivery fails twice and goes back.
        self._run(hooks[2].replace("VTP100001", second.tracking_ref), pause=0, odoo=self.base_url())
        self._run_cron("postal_delivery.ir_cron_postal_webhook_process")
        self.env.invalidate_all()
        self.assertIn(second.state, ("returning", "returned"))
        self.assertEqual(second.attempt_count, 2)

        # Step 1's "Print Label prints it", as the officer. (Over HTTP the print is covered by
        # the postal tour; here the report would run wkhtmltopdf against this test server.)
        label = self.env.ref("postal_delivery.action_report_postal_label")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(officer)
            ._render_qweb_html(label.report_name, first.ids)
        )
        self.assertIn(first.tracking_ref.encode(), html, "Print Label prints it")

    # ------------------------------------------------------------------ contact centre
    def test_switchboard_call(self):
        """README "Demo: the contact centre", step 3: a signed call through the API."""
        dossier = self.env.ref("public_service_agent.dossier_processing")
        (line,) = readme_commands("contact_centre_demo.py call")
        line = line.replace("<a dossier code>", dossier.name)
        out = self._run(line, db=self.env.cr.dbname, odoo=self.base_url())
        self.assertTrue(out.startswith("201"), out)
        ticket = self.env["psa.ticket"].search([("dossier_id", "=", dossier.id)], limit=1)
        self.assertTrue(ticket, "the call became a ticket about the dossier")
        self.assertIn(ticket.name, out, "the command prints the ticket number")
        self.assertEqual(len(ticket.call_ids), 1)

    def test_citizens_alerts(self):
        """README "Demo: the contact centre", step 4: each alert arrives once at the gateway."""
        # Under `make run` the job runner has already tried the demo's queued alerts (the
        # providers were inactive): the gateway only sees what comes after it starts.
        self._perform_jobs()
        (line,) = readme_commands("contact_centre_demo.py serve")
        process, output = self._start(
            line,
            "Change a dossier's status",
            db=self.env.cr.dbname,
            port=free_port(),
            odoo=self.base_url(),
        )
        officer = self.env.ref("public_service_agent.user_officer")
        dossier = self.env.ref("public_service_agent.dossier_received").with_user(officer)
        dossier.action_start_processing()
        self._perform_jobs()
        # The gateway prints what it received once a second; then it is stopped.
        time.sleep(2.5)
        process.terminate()
        rest = process.stdout.read()
        received = [x for x in rest.splitlines() if x.startswith("/")]
        self.assertEqual(len(received), 1, "".join(output) + rest)
        self.assertIn(dossier.name, received[0])

    def test_email_to_the_alias_becomes_a_ticket(self):
        """README "Demo: the contact centre", step 2: e-mail to lienhe@<mail domain>."""
        alias = self.env.ref("public_service_agent.mail_alias_contact_centre")
        self.assertEqual(alias.alias_full_name, "lienhe@hcc.hanoi.gov.vn")
        self.assertIn(alias.alias_full_name, README)
        (line,) = readme_commands("contact_centre_demo.py email")
        out = self._run(line, db=self.env.cr.dbname, odoo=self.base_url())
        number = re.search(r"ticket (\S+)", out).group(1)
        ticket = self.env["psa.ticket"].search([("name", "=", number)])
        self.assertEqual(ticket.channel, "email")
        self.assertIn("thu thêm phí", ticket.subject)
        self.assertEqual(ticket.contact_email, "hoa.nguyen@example.com")
