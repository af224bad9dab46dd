"""The user paths behind the defects the button walker found (issue #15, item 2).

Each test takes the path the person takes on the demo database of `make test`: the menu or
button as the role receives it in its views, the action the web client loads, and the
download the browser makes.
"""

import hashlib
import hmac
import io
import json
import time
from datetime import datetime, timedelta

import openpyxl
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import freeze_time
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestButtonPaths(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="paths_officer",
            groups="base.group_user,public_service_agent.group_psa_officer",
            lang="vi_VN",
            tz="Asia/Ho_Chi_Minh",
        )
        cls.admin = new_test_user(
            cls.env,
            login="paths_admin",
            groups="base.group_user,public_service_agent.group_psa_admin",
            lang="vi_VN",
            tz="Asia/Ho_Chi_Minh",
        )

    # ------------------------------------------------------------------ helpers
    def _buttons(self, user, model, name, view_type="form"):
        arch = self.env[model].with_user(user).get_view(view_type=view_type)["arch"]
        return etree.fromstring(arch).xpath(f"//button[@name='{name}']")

    def _visible(self, button, record):
        """``invisible`` evaluated over the record's values, as the web client does."""
        expr = button.get("invisible")
        if not expr:
            return True
        values = {"context": {}, "uid": record.env.uid, "id": record.id}
        for fname, field in record._fields.items():
            if fname in expr:
                value = record[fname]
                if field.type == "many2one":
                    value = value.id
                elif field.type in ("one2many", "many2many"):
                    value = value.ids
                values[fname] = value
        return not safe_eval(expr, values)

    def _client_download(self, action):
        """What report_xlsx's client handler does with an xlsx report action."""
        url = f"/report/xlsx/{action['report_name']}"
        context = action.get("context") or {}
        if context.get("active_ids"):
            url += "/" + ",".join(map(str, context["active_ids"]))
        url += "?context=" + json.dumps({"lang": "vi_VN"})
        return self.url_open(
            "/report/download",
            data={
                "data": json.dumps([url, "xlsx"]),
                "context": json.dumps({"lang": "vi_VN"}),
                "csrf_token": self.csrf_token(),
            },
        )

    def csrf_token(self):
        """The token the backend page embeds for this session, made as the server makes it
        (loading the whole web client only to read it would build its assets)."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        max_ts = int(time.time() + 3600)
        msg = f"{self.session.sid}{max_ts}".encode()
        return hmac.new(secret.encode("ascii"), msg, hashlib.sha1).hexdigest() + f"o{max_ts}"

    # ------------------------------------------------------------------ leadership report
    def test_officer_and_admin_download_the_leadership_xlsx_from_its_menu(self):
        menu = self.env.ref("public_service_agent.psa_center_dashboard_xlsx_menu")
        for user in (self.officer, self.admin):
            self.authenticate(user.login, user.login)
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(menu.id, visible, f"{user.login} does not see the menu")
            action = self.make_jsonrpc_request(
                "/web/action/load", {"action_id": menu.action.id, "context": {"lang": "vi_VN"}}
            )
            if action["type"] == "ir.actions.server":
                # The client runs it and does what it answers.
                action = self.make_jsonrpc_request(
                    "/web/action/run", {"action_id": action["id"], "context": {"lang": "vi_VN"}}
                )
            self.assertEqual(action["type"], "ir.actions.report")
            self.assertEqual(action["report_type"], "xlsx")
            response = self._client_download(action)
            self.assertEqual(response.status_code, 200, response.text[:500])
            book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            self.assertEqual(len(book.sheetnames), 3)
            header = next(book.worksheets[0].iter_rows(values_only=True))
            self.assertEqual(header[0], "Đại lý")
            rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
            self.assertTrue(rows, "the demo's agents are in the workbook")

    # ------------------------------------------------------------------ postal prints
    def _deliveries(self, count):
        deliveries = self.env["postal.delivery"].with_user(self.officer).search([], limit=count)
        self.assertEqual(len(deliveries), count)
        return deliveries

    def _pdf(self, report, records):
        self.authenticate(self.officer.login, self.officer.login)
        ids = ",".join(map(str, records.ids))
        response = self.url_open(f"/report/pdf/{report}/{ids}", timeout=120)
        self.assertEqual(response.status_code, 200, response.text[:500])
        # Under test Odoo answers the report's HTML instead of running wkhtmltopdf.
        self.assertTrue(response.content.lstrip().startswith((b"%PDF", b"<!DOCTYPE html>")))
        return response

    def test_officer_prints_labels_and_return_slips_for_several_deliveries(self):
        deliveries = self._deliveries(3)
        self._pdf("postal_delivery.report_postal_label", deliveries)
        self._pdf("postal_delivery.report_postal_return_slip", deliveries)

    def test_return_slip_of_a_delivery_with_a_recipient_but_no_ward(self):
        delivery = self._deliveries(1)
        delivery.sudo().write(
            {"recipient_name": "Nguyễn Văn An", "recipient_street": "12 Phố Huế", "ward_id": False}
        )
        self._pdf("postal_delivery.report_postal_return_slip", delivery)

    # ------------------------------------------------------------------ form 04
    def _processing_dossier(self):
        dossier = self.env["psa.dossier"].search(
            [("is_closed", "=", False), ("date_due", "!=", False), ("apology_issued", "=", False)],
            limit=1,
        )
        self.assertTrue(dossier)
        return dossier.with_user(self.officer)

    def test_apology_is_offered_only_where_the_model_accepts_it(self):
        dossier = self._processing_dossier()
        action = self.env.ref("public_service_agent.psa_dossier_apology_wizard_action")
        (button,) = self._buttons(self.officer, "psa.dossier", str(action.id))
        warning = dossier.date_warning
        # Two days before the warning date: offered, and the wizard issues form 04.
        with freeze_time(warning.replace(hour=1) - timedelta(days=2)):
            dossier.invalidate_recordset()
            self.assertTrue(self._visible(button, dossier))
            wizard = (
                self.env["psa.dossier.apology.wizard"]
                .with_user(self.officer)
                .with_context(default_dossier_id=dossier.id)
                .create(
                    {
                        "reason": "Cần xác minh thêm",
                        "new_due": dossier.date_due + timedelta(days=5),
                    }
                )
            )
            wizard.action_confirm()
            self.assertTrue(dossier.apology_issued)

    def test_apology_is_hidden_on_an_overdue_dossier(self):
        dossier = self._processing_dossier()
        action = self.env.ref("public_service_agent.psa_dossier_apology_wizard_action")
        (button,) = self._buttons(self.officer, "psa.dossier", str(action.id))
        with freeze_time(dossier.date_due + timedelta(days=1)):
            dossier.invalidate_recordset()
            self.assertFalse(self._visible(button, dossier))
        # Past the last day it may be issued, not yet overdue: hidden too.
        with freeze_time(dossier.date_warning + timedelta(minutes=1)):
            dossier.invalidate_recordset()
            self.assertFalse(self._visible(button, dossier))

    def test_apology_refusal_quotes_hanoi_time(self):
        dossier = self._processing_dossier()
        dossier.sudo().with_context(psa_skip_checks=True).write(
            {
                "date_due": datetime(2026, 12, 9, 10, 0),  # 17:00 in Hanoi
                "date_warning": datetime(2026, 12, 8, 10, 0),
            }
        )
        with freeze_time("2026-12-08 11:00:00"):
            wizard = (
                self.env["psa.dossier.apology.wizard"]
                .with_user(self.officer)
                .with_context(default_dossier_id=dossier.id, lang="vi_VN")
                .create({"reason": "Cần xác minh thêm", "new_due": "2026-12-20 10:00:00"})
            )
            with self.assertRaises(ValidationError) as refused:
                wizard.action_confirm()
        message = str(refused.exception)
        self.assertIn("17:00 09/12/2026", message)
        self.assertNotIn("10:00", message)
        self.assertIn("ít nhất một", message)

    # ------------------------------------------------------------------ agent suspension
    def test_admin_suspends_an_agent_with_a_reason_from_its_button(self):
        agent = self.env["psa.agent"].search([("state", "=", "active")], limit=1)
        agent = agent.with_user(self.admin)
        buttons = self._buttons(self.admin, "psa.agent", "action_open_reason_wizard")
        (suspend,) = [b for b in buttons if "suspended" in (b.get("context") or "")]
        self.assertTrue(self._visible(suspend, agent))
        context = safe_eval(suspend.get("context"), {"id": agent.id})
        action = agent.with_context(**context).action_open_reason_wizard()
        Wizard = (
            self.env[action["res_model"]].with_user(self.admin).with_context(**action["context"])
        )
        wizard = Wizard.create(
            {**Wizard.default_get(list(Wizard._fields)), "reason": "Thu thêm phí"}
        )
        wizard.action_confirm()
        self.assertEqual(agent.state, "suspended")
        self.assertEqual(agent.state_reason, "Thu thêm phí")
