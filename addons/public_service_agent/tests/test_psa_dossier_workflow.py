"""The dossier workflow: drawn once, declared once in the stage data, read through flags."""

import json

from odoo.tests import tagged
from odoo.tools import convert_file, mute_logger

from .common import PsaDossierCommon
from .test_psa_portal import DENIALS, PsaHttpCommon


@tagged("post_install", "-at_install")
class TestPsaDossierWorkflow(PsaDossierCommon):
    def _stage_key(self, stage):
        xmlid = stage.get_external_id()[stage.id]
        module, name = xmlid.split(".")
        self.assertEqual(module, "public_service_agent")
        return name.removeprefix("stage_")

    def test_drawing_matches_stage_data(self):
        """psa.dossier's docstring draws exactly the transitions the stage data declares."""
        declared = {
            self._stage_key(stage): {self._stage_key(nxt) for nxt in stage.next_stage_ids}
            for stage in self.env["psa.dossier.stage"].search([])
        }
        drawing = self.env["psa.dossier"]._psa_workflow_drawing()
        self.assertEqual(set(drawing), set(declared), "every stage is drawn, and only those")
        self.assertEqual(drawing, declared)

    def test_every_flag_marks_one_stage(self):
        Stage = self.env["psa.dossier.stage"]
        for flag in ("is_new", "is_received", "is_processing", "is_supplement", "is_done"):
            self.assertEqual(Stage.search_count([(flag, "=", True)]), 1, flag)
        for flag in ("is_returned", "is_refused"):
            stage = Stage._psa_find(flag)
            self.assertTrue(stage.is_closed, flag)
        self.assertEqual(
            Stage.search([("allow_upload", "=", True)]),
            Stage._psa_find("is_new") | Stage._psa_find("is_supplement"),
        )

    def test_flags_drive_the_workflow_not_codes(self):
        """An administrator who lets agents add scans while processing is obeyed."""
        processing = self.env["psa.dossier.stage"]._psa_find("is_processing")
        dossier = self._fill(self._new_dossier())
        dossier.action_receive()
        dossier.action_start_processing()
        self.assertEqual(dossier.stage_id, processing)
        slot = dossier.document_ids.filtered(lambda d: not d.required)
        upload = {slot.id: (b"%PDF-1.4 scan", "scan.pdf")}
        with self.assertRaisesRegex(Exception, "Scans can only be added"):
            dossier.with_user(self.staff_a)._psa_portal_upload(upload)
        processing.with_user(self.admin_user).allow_upload = True
        dossier.with_user(self.staff_a)._psa_portal_upload(upload)
        self.assertEqual(slot.file_name, "scan.pdf")

    def test_stage_edits_survive_upgrade(self):
        """Stages are noupdate: reloading their data file on upgrade keeps an admin's edits."""
        Stage = self.env["psa.dossier.stage"].with_user(self.admin_user)
        new = Stage._psa_find("is_new")
        withdrawn = self.env.ref("public_service_agent.stage_withdrawn")
        new.write(
            {
                "name": "Mới tiếp nhận tại đại lý",
                "next_stage_ids": [(3, withdrawn.id)],
                "allow_upload": False,
            }
        )
        convert_file(
            self.env,
            "public_service_agent",
            "data/psa_dossier_stage_data.xml",
            {},
            mode="update",
        )
        self.env.invalidate_all()
        self.assertEqual(new.name, "Mới tiếp nhận tại đại lý")
        self.assertNotIn(withdrawn, new.next_stage_ids)
        self.assertFalse(new.allow_upload)

    def test_stage_email_sent_through_track_template(self):
        """Entering a stage with a template e-mails the citizen, through mail tracking."""
        env = self.env(
            context={k: v for k, v in self.env.context.items() if k != "tracking_disable"}
        )
        template = env["mail.template"].create(
            {
                "name": "Dossier received",
                "model_id": env["ir.model"]._get_id("psa.dossier"),
                "subject": "Hồ sơ {{ object.name }} đã được tiếp nhận",
                "body_html": "<p>Hồ sơ của bạn đã được tiếp nhận.</p>",
                "partner_to": "{{ object.citizen_id.id }}",
            }
        )
        received = env["psa.dossier.stage"]._psa_find("is_received")
        received.mail_template_id = template
        self.citizen.email = "an.nguyen@example.com"
        dossier = self._fill(self._new_dossier()).with_env(env)
        # Mail does not track records created in the same transaction: end that one first.
        env.cr.precommit.run()
        dossier.with_user(self.officer).action_receive()
        env.cr.precommit.run()  # mail tracking runs at commit
        messages = env["mail.message"].search(
            [("model", "=", "psa.dossier"), ("res_id", "=", dossier.id)]
        )
        message = messages.filtered(
            lambda m: m.subject == f"Hồ sơ {dossier.name} đã được tiếp nhận"
        )
        self.assertEqual(len(message), 1, messages.mapped(lambda m: (m.subject, m.body)))
        self.assertIn(self.citizen, message.partner_ids)
        # The citizen is notified by e-mail (the outgoing mail is sent and deleted at once).
        notified = message.notification_ids.filtered(lambda n: n.notification_type == "email")
        self.assertEqual(notified.res_partner_id, self.citizen)


@tagged("post_install", "-at_install")
class TestPsaPostalReturnRule(PsaHttpCommon):
    def test_postal_return_refused_over_rpc(self):
        """The procedure's "result may be posted" holds for an officer over RPC, not only
        in the portal's form."""
        self.procedure.allow_postal_return = False
        dossier = self._fill(self._new_dossier(return_method="agent"))
        self._login(self.officer)
        params = {
            "model": "psa.dossier",
            "method": "write",
            "args": [dossier.ids, {"return_method": "post"}],
            "kwargs": {},
        }
        with mute_logger(*DENIALS):
            response = self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
                headers={"Content-Type": "application/json"},
            )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn("cannot be sent by post", error["message"])
        dossier.invalidate_recordset()
        self.assertEqual(dossier.return_method, "agent")
        # Allowed procedures still take it.
        self.procedure.allow_postal_return = True
        self._call_kw("psa.dossier", "write", [dossier.ids, {"return_method": "post"}])
        dossier.invalidate_recordset()
        self.assertEqual(dossier.return_method, "post")
