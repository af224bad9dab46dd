import base64
import re

from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import PsaDossierCommon

PDF = b"%PDF-1.4\n%\xe4\xfc\xf6\xdf\n1 0 obj <</Type/Catalog>> endobj\n%%EOF\n"
# The token of a form field, or of the page's `odoo.csrf_token` when it has no form.
CSRF_RE = re.compile(r'csrf_token(?:" value=|: )"([^"]+)"')
DENIALS = (
    "odoo.addons.base.models.ir_rule",
    "odoo.addons.base.models.ir_model",
    "odoo.http",
)


class PsaHttpCommon(PsaDossierCommon, HttpCase):
    """The agents, staff, procedure and citizen of PsaDossierCommon, over real HTTP.

    PsaDossierCommon builds everything in ``setUpClass``; HttpCase (a TransactionCase)
    adds the test server, ``url_open`` and ``authenticate``. Portal staff log in with
    their login as password (``new_test_user``).
    """

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        match = CSRF_RE.search(response.text)
        self.assertTrue(match, f"no CSRF token on {url}")
        return match.group(1)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _assert_filed_by_staff_a(self, cccd):
        """The one dossier filed through the portal for this citizen, as staff A filed it."""
        dossier = self.env["psa.dossier"].search([("citizen_id.psa_cccd", "=", cccd)])
        self.assertEqual(len(dossier), 1)
        self.assertEqual(dossier.agent_id, self.agent_a)
        self.assertEqual(dossier.staff_user_id, self.staff_a)
        self.assertEqual(dossier.status_code, 1)
        self.assertEqual(dossier.return_method, "agent")
        self.assertEqual(dossier.citizen_id.phone, "+84987654321")
        return dossier


@tagged("post_install", "-at_install")
class TestPsaPortalIsolation(PsaHttpCommon):
    """Agent B's staff never reach agent A's dossier: by route, by id or by JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a = cls._fill(cls._new_dossier(cls.agent_a))
        # Staff search the names typed at their counter.
        cls.dossier_a.sudo().with_context(psa_skip_checks=True).write(
            {"filed_name": "Nguyễn Văn An"}
        )
        cls.dossier_b = cls._new_dossier(cls.agent_b)
        cls.doc_a = cls.dossier_a.document_ids.filtered("file")[0]
        cls.dossier_a.message_post(
            body="Secret note for agent A", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def test_home_entry_for_agent_staff(self):
        entry = re.compile(r'o_portal_index_card (?!d-none)[^"]*">\s*<a href="/my/dossiers"')
        newcomer = self._new_staff("t_staff_new", self.agent_a)
        self._login(newcomer)  # no dossier yet: the entry is shown all the same
        self.assertRegex(self.url_open("/my").text, entry)
        self._login(self.officer)
        self.assertNotRegex(self.url_open("/my").text, entry)

    def test_list_and_counter_show_own_agent_only(self):
        self._login(self.staff_b)
        response = self.url_open("/my/dossiers")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.dossier_b.name, response.text)
        self.assertNotIn(self.dossier_a.name, response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["dossier_count"]})
        self.assertEqual(counters["dossier_count"], 1)
        # Searching for A's code or the shared citizen finds nothing of A's.
        row_a = f'data-dossier-id="{self.dossier_a.id}"'
        row_b = f'data-dossier-id="{self.dossier_b.id}"'
        for query in (self.dossier_a.name, "Nguyễn Văn An", self.citizen.psa_cccd):
            with self.subTest(query=query):
                response = self.url_open(f"/my/dossiers?search={query}")
                self.assertNotIn(row_a, response.text)

        self._login(self.staff_a)
        for query in (self.dossier_a.name, "Nguyễn Văn", self.citizen.psa_cccd):
            with self.subTest(query=query):
                response = self.url_open(f"/my/dossiers?search={query}")
                self.assertIn(row_a, response.text)
                self.assertNotIn(row_b, response.text)
        response = self.url_open(f"/my/dossiers?search={self.dossier_a.name}&search_in=citizen")
        self.assertNotIn(row_a, response.text)
        stage = self.stage[1]
        response = self.url_open(f"/my/dossiers?filterby=stage_{stage.id}&sortby=due")
        self.assertIn(row_a, response.text)
        response = self.url_open(f"/my/dossiers?filterby=stage_{self.stage[10].id}")
        self.assertNotIn(row_a, response.text)
        response = self.url_open("/my/dossiers?overdue=1")
        self.assertIn("o_psa_no_dossier", response.text)

    @mute_logger(*DENIALS)
    def test_detail_page_by_route_and_id(self):
        self._login(self.staff_b)
        response = self.url_open(f"/my/dossiers/{self.dossier_a.id}")
        self.assertTrue(response.url.rstrip("/").endswith("/my"), response.url)
        self.assertNotIn(self.dossier_a.name, response.text)
        # Unknown ids and a portal access token in the URL change nothing.
        self.dossier_a._portal_ensure_token()
        token = self.dossier_a.access_token
        response = self.url_open(f"/my/dossiers/{self.dossier_a.id}?access_token={token}")
        self.assertNotIn(self.dossier_a.name, response.text)
        response = self.url_open("/my/dossiers/999999999")
        self.assertTrue(response.url.rstrip("/").endswith("/my"), response.url)

        self._login(self.staff_a)
        response = self.url_open(f"/my/dossiers/{self.dossier_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.dossier_a.name, response.text)
        self.assertIn("o_psa_timeline_step", response.text)
        self.assertIn('id="discussion"', response.text)

    @mute_logger(*DENIALS)
    def test_document_download(self):
        url = f"/my/dossiers/{self.dossier_a.id}/documents/{self.doc_a.id}"
        self._login(self.staff_a)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, base64.b64decode(self.doc_a.file))
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))

        self._login(self.staff_b)
        self.assertEqual(self.url_open(url).status_code, 404)
        # B's own dossier id with A's document id.
        crossed = f"/my/dossiers/{self.dossier_b.id}/documents/{self.doc_a.id}"
        self.assertEqual(self.url_open(crossed).status_code, 404)
        # Odoo's generic binary route applies the same record rules.
        response = self.url_open(f"/web/content/psa.dossier.document/{self.doc_a.id}/file")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotEqual(response.content, base64.b64decode(self.doc_a.file))

    @mute_logger(*DENIALS)
    def test_phieu_gui_pdf(self):
        report = self.env.ref(
            "public_service_agent.action_report_psa_phieu_gui", raise_if_not_found=False
        )
        url = f"/my/dossiers/{self.dossier_a.id}?report_type=pdf"
        self._login(self.staff_b)
        response = self.url_open(url)
        self.assertTrue(response.url.rstrip("/").endswith("/my"), response.url)
        self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""))
        if not report:
            self._login(self.staff_a)
            self.assertEqual(self.url_open(url).status_code, 404)
            return
        response = self.url_open(f"/report/pdf/{report.report_name}/{self.dossier_a.id}")
        self.assertFalse(
            response.status_code == 200 and self.dossier_a.name in response.text,
            "agent B's staff printed agent A's dossier through /report",
        )
        self._login(self.staff_a)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/pdf", response.headers.get("Content-Type", ""))
        page = self.url_open(f"/my/dossiers/{self.dossier_a.id}?created=1")
        self.assertIn("o_psa_phieu_gui", page.text)

    @mute_logger(*DENIALS)
    def test_json_rpc(self):
        self._login(self.staff_b)
        found = self._call_kw("psa.dossier", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual([row["id"] for row in found], self.dossier_b.ids)
        found = self._call_kw(
            "psa.dossier", "search_read", [[("id", "=", self.dossier_a.id)]], {"fields": ["name"]}
        )
        self.assertEqual(found, [])
        documents = self._call_kw("psa.dossier.document", "search_read", [[]], {"fields": ["id"]})
        self.assertEqual({row["id"] for row in documents}, set(self.dossier_b.document_ids.ids))
        with self.assertRaises(JsonRpcException):
            self._call_kw("psa.dossier", "read", [self.dossier_a.ids, ["name", "citizen_cccd"]])
        with self.assertRaises(JsonRpcException):
            self._call_kw("psa.dossier.document", "read", [self.doc_a.ids, ["file"]])
        with self.assertRaises(JsonRpcException):
            self._call_kw(
                "psa.dossier", "message_post", [self.dossier_a.ids], {"body": "B was here"}
            )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "psa.dossier",
                    "thread_id": self.dossier_a.id,
                    "post_data": {"body": "B was here", "message_type": "comment"},
                },
            )
        fetched = self.make_jsonrpc_request(
            "/mail/chatter_fetch", {"thread_model": "psa.dossier", "thread_id": self.dossier_a.id}
        )
        self.assertFalse(fetched["messages"])
        self.assertNotIn("Secret note", str(fetched))
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "psa.dossier"),
                    ("res_id", "=", self.dossier_a.id),
                    ("body", "ilike", "B was here"),
                ]
            )
        )

    def test_staff_post_on_own_dossier(self):
        self._login(self.staff_a)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "psa.dossier",
                "thread_id": self.dossier_a.id,
                "post_data": {"body": "Scans sent today", "message_type": "comment"},
            },
        )
        message = self.env["mail.message"].search(
            [("model", "=", "psa.dossier"), ("res_id", "=", self.dossier_a.id)], limit=1
        )
        self.assertIn("Scans sent today", message.body)
        self.assertEqual(message.author_id, self.staff_a.partner_id)


@tagged("post_install", "-at_install")
class TestPsaPortalForm(PsaHttpCommon):
    """The new dossier form: created as the portal user, all or nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.docs = cls.procedure.document_ids
        cls.required_docs = cls.docs.filtered("required")

    def _form(self, **overrides):
        data = {
            "cccd": "001090054321",
            "citizen_name": "Lê Thị Hoa",
            "phone": "0987 654 321",
            "email": "",
            "street": "12 Hàng Bạc",
            "procedure_id": str(self.procedure.id),
            "return_method": "agent",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    def _scans(self, content=PDF, **overrides):
        files = {
            f"doc_{doc.id}": (f"scan-{doc.id}.pdf", content, "application/pdf")
            for doc in self.required_docs
        }
        files.update(overrides)
        return {key: value for key, value in files.items() if value is not None}

    def _submit(self, data, files):
        data = dict(data, csrf_token=self._csrf("/my/dossiers/new"))
        return self.url_open("/my/dossiers/new", data=data, files=files)

    def _counts(self):
        return (
            self.env["psa.dossier"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "psa.dossier.document")]),
        )

    def test_create_with_uploads(self):
        self._login(self.staff_a)
        response = self._submit(self._form(), self._scans())
        self.assertEqual(response.status_code, 200)
        self.assertIn("created=1", response.url)
        dossier = self._assert_filed_by_staff_a("001090054321")
        self.assertEqual(dossier.citizen_id.name, "Lê Thị Hoa")
        self.assertIn(f"/my/dossiers/{dossier.id}", response.url)
        self.assertIn(dossier.name, response.text)
        self.assertIn("o_psa_created", response.text)
        for slot in dossier.document_ids:
            if slot.required:
                self.assertEqual(slot.state, "submitted")
                self.assertEqual(base64.b64decode(slot.file), PDF)
            else:
                self.assertEqual(slot.state, "missing")
        self.assertFalse(dossier.missing_document_count)

    def test_returning_citizen_is_matched_by_cccd(self):
        self._login(self.staff_a)
        before = self.env["res.partner"].search_count([("psa_cccd", "!=", False)])
        Dossier = self.env["psa.dossier"]
        domain = [("citizen_id", "=", self.citizen.id), ("agent_id", "=", self.agent_a.id)]
        existing = Dossier.search(domain)
        # Name and phone are always asked, known CCCD or not: nothing tells them apart.
        data = self._form(cccd=self.citizen.psa_cccd, citizen_name="", phone="")
        response = self._submit(data, self._scans())
        self.assertNotIn("created=1", response.url)
        self.assertFalse(Dossier.search(domain) - existing)
        data = self._form(cccd=self.citizen.psa_cccd, citizen_name="Nguyễn Văn An")
        response = self._submit(data, self._scans())
        self.assertIn("created=1", response.url)
        dossier = Dossier.search(domain) - existing
        self.assertEqual(len(dossier), 1)
        self.assertEqual(dossier.citizen_id, self.citizen)
        self.assertEqual(self.env["res.partner"].search_count([("psa_cccd", "!=", False)]), before)
        # The phone typed differs from the record: kept on the dossier, the record unchanged.
        self.assertEqual(self.citizen.phone, "+84912345678")
        self.assertEqual(dossier.filed_phone, "+84987654321")
        self.assertTrue(dossier.contact_review)
        lookup = self.make_jsonrpc_request("/my/dossiers/citizen", {"cccd": self.citizen.psa_cccd})
        self.assertFalse(lookup["found"])
        self.assertNotIn("Nguyễn", lookup["message"])

    @mute_logger(*DENIALS)
    def test_bad_inputs_create_nothing(self):
        self._login(self.staff_a)
        first, second = self.required_docs[0], self.required_docs[1]
        self.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.portal_max_upload_mb", "1"
        )
        cases = {
            "bad CCCD": (self._form(cccd="12345"), self._scans(), "cccd"),
            "future CCCD": (self._form(cccd="001299012345"), self._scans(), "cccd"),
            "bad phone": (self._form(phone="12345"), self._scans(), "phone"),
            "no phone": (self._form(phone=""), self._scans(), "phone"),
            "no procedure": (self._form(procedure_id=""), self._scans(), "procedure_id"),
            "unknown procedure": (self._form(procedure_id="999999"), {}, "procedure_id"),
            "bad return method": (
                self._form(return_method="drone"),
                self._scans(),
                "return_method",
            ),
            "missing scan": (
                self._form(),
                self._scans(**{f"doc_{second.id}": None}),
                f"doc_{second.id}",
            ),
            "empty file": (
                self._form(),
                self._scans(**{f"doc_{first.id}": ("empty.pdf", b"", "application/pdf")}),
                f"doc_{first.id}",
            ),
            "oversized file": (
                self._form(),
                self._scans(
                    **{
                        f"doc_{first.id}": (
                            "big.pdf",
                            PDF + b"0" * (1024 * 1024),
                            "application/pdf",
                        )
                    }
                ),
                f"doc_{first.id}",
            ),
            "not a scan": (
                self._form(),
                self._scans(
                    **{f"doc_{first.id}": ("evil.html", b"<script>x</script>", "text/html")}
                ),
                f"doc_{first.id}",
            ),
        }
        before = self._counts()
        for label, (data, files, field) in cases.items():
            with self.subTest(case=label):
                response = self._submit(data, files)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.url.endswith("/my/dossiers/new"), response.url)
                self.assertIn("o_psa_form_error", response.text)
                # The faulty input is flagged and explained.
                self.assertRegex(response.text, rf'name="{field}"[^>]*class="[^"]*is-invalid')
                self.assertIn("invalid-feedback", response.text)
                # What was typed is kept.
                if data.get("citizen_name"):
                    self.assertIn('value="Lê Thị Hoa"', response.text)
                self.assertEqual(self._counts(), before)

    @mute_logger(*DENIALS)
    def test_refused_by_the_model_rolls_everything_back(self):
        """A staff member without valid certificates: the new citizen is not kept either."""
        if not self._training_installed():
            self.skipTest("the certification check comes with agent_training")
        uncertified = self._new_staff("t_staff_nocert", self.agent_a, certified=False)
        self._login(uncertified)
        before = self._counts()
        response = self._submit(self._form(), self._scans())
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_form_error", response.text)
        self.assertIn("No valid certificate", response.text)
        self.assertEqual(self._counts(), before)
        self.assertFalse(self.env["res.partner"].search([("psa_cccd", "=", "001090054321")]))

    @mute_logger(*DENIALS)
    def test_closed_agent_and_officers_cannot_file(self):
        self.agent_b.with_user(self.admin_user).write(
            {"state": "suspended", "state_reason": "Audit"}
        )
        self._login(self.staff_b)
        before = self._counts()
        response = self._submit(self._form(), self._scans())
        self.assertIn("o_psa_form_error", response.text)
        self.assertEqual(self._counts(), before)
        self._login(self.officer)
        response = self.url_open("/my/dossiers/new")
        self.assertIn("o_psa_not_staff", response.text)

    @mute_logger(*DENIALS)
    def test_supplement_upload(self):
        dossier = self._fill(self._new_dossier(self.agent_a))
        dossier.with_user(self.officer).action_receive()
        slot = dossier.document_ids.filtered("required")[0]
        slot.with_user(self.officer).action_reject("Blurred")
        dossier.with_user(self.officer).action_request_supplement("Clearer scan please")
        self.assertEqual(dossier.status_code, 5)
        url = f"/my/dossiers/{dossier.id}"

        # Agent B's staff cannot upload into agent A's dossier.
        self._login(self.staff_b)
        token = self._csrf("/my/dossiers")
        response = self.url_open(
            f"{url}/documents/upload",
            data={"csrf_token": token},
            files={f"doc_{slot.id}": ("b.pdf", PDF + b"B", "application/pdf")},
        )
        self.assertTrue(response.url.rstrip("/").endswith("/my"), response.url)
        self.assertEqual(slot.state, "rejected")

        self._login(self.staff_a)
        page = self.url_open(url)
        self.assertIn("o_psa_supplement", page.text)
        self.assertIn(f'name="doc_{slot.id}"', page.text)
        token = self._csrf(url)
        response = self.url_open(
            f"{url}/documents/upload",
            data={"csrf_token": token},
            files={f"doc_{slot.id}": ("clear.pdf", PDF + b"A", "application/pdf")},
        )
        self.assertIn("uploaded=1", response.url)
        slot.invalidate_recordset()
        self.assertEqual(slot.state, "submitted")
        self.assertEqual(base64.b64decode(slot.file), PDF + b"A")
        self.assertEqual(slot.file_name, "clear.pdf")
        self.assertTrue(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "psa.dossier"),
                    ("res_id", "=", dossier.id),
                    ("author_id", "=", self.staff_a.partner_id.id),
                ]
            )
        )
        # An empty upload is refused with a message, not a crash.
        response = self.url_open(
            f"{url}/documents/upload", data={"csrf_token": self._csrf(url)}, files={}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_error", response.text)
