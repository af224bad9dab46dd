import io
import re

import openpyxl

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SubsidyCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
DENIALS = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")


@tagged("post_install", "-at_install")
class TestSubsidyPortal(SubsidyCommon, HttpCase):
    """Operators' accountants over real HTTP: own statements only, downloads, disputes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._deliver("2026-01-05 03:00:00", postage=32000)
        cls._deliver("2026-01-06 03:00:00", postage=41000)
        cls._deliver("2026-01-07 03:00:00", postage=50000, carrier=cls.carrier_b)
        Statement = cls.env["subsidy.statement"].with_user(cls.finance)
        cls.statement_a = Statement._generate("2026-01-01", cls.operator_a)
        cls.statement_b = Statement._generate("2026-01-01", cls.operator_b)
        (cls.statement_a | cls.statement_b).action_confirm()

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    @mute_logger(*DENIALS)
    def test_isolation_between_two_operators(self):
        self._login(self.accountant_a)
        listing = self.url_open("/my/subsidy/statements")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.statement_a.name, listing.text)
        self.assertNotIn(self.statement_b.name, listing.text)
        own = self.url_open(self.statement_a.access_url)
        self.assertEqual(own.status_code, 200)
        self.assertIn("Nguyễn V. A.", own.text)
        self.assertNotIn("001085012345", own.text)
        self.assertEqual(self.url_open(self.statement_b.access_url).status_code, 404)
        self.assertEqual(
            self.url_open(f"{self.statement_b.access_url}?report_type=xlsx").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"{self.statement_b.access_url}?report_type=pdf").status_code, 404
        )
        # Over JSON-RPC too: the other operator's lines do not exist for A.
        rows = self._call_kw("subsidy.claim", "search_read", [[]], {"fields": ["amount"]})
        self.assertEqual({r["id"] for r in rows}, set(self.statement_a.claim_ids.ids))
        with self.assertRaises(JsonRpcException):
            self._call_kw("subsidy.statement", "read", [self.statement_b.ids, ["name"]])
        with self.assertRaises(JsonRpcException):
            self._call_kw(
                "subsidy.claim",
                "write",
                [self.statement_a.claim_ids.ids, {"operator_status": "resolved"}],
            )

    def test_accountant_downloads_the_xlsx(self):
        self._login(self.accountant_a)
        response = self.url_open(f"{self.statement_a.access_url}?report_type=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2 + 2)  # header, two claims, total
        self.assertEqual(rows[-1][6], 73000)

    def test_accountant_downloads_the_pdf(self):
        self._login(self.accountant_a)
        response = self.url_open(f"{self.statement_a.access_url}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        # Odoo's test mode renders reports as HTML instead of calling wkhtmltopdf.
        if response.content.startswith(b"%PDF"):
            self.assertIn("pdf", response.headers["Content-Type"])
        else:
            self.assertIn("BẢNG KÊ", response.text)
            self.assertIn(self.statement_a.name, response.text)
            self.assertNotIn(self.statement_b.name, response.text)

    @mute_logger(*DENIALS)
    def test_dispute_a_line_then_finance_resolves(self):
        self._login(self.accountant_a)
        url = self.statement_a.access_url
        token = CSRF_RE.search(self.url_open(url).text).group(1)
        claim = self.statement_a.claim_ids.sorted("amount")[0]
        response = self.url_open(
            f"{url}/answer",
            data={
                "csrf_token": token,
                "claim_id": claim.id,
                "answer": "dispute",
                "comment": "Bưu gửi này đã hoàn trả",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(claim.operator_status, "disputed")
        self.assertEqual(claim.operator_comment, "Bưu gửi này đã hoàn trả")
        self.assertEqual(self.statement_a.disputed_count, 1)
        todo = self.statement_a.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertTrue(todo.user_id.has_group("subsidy.group_subsidy_finance"))
        # A dispute without a reason is refused with a message, and nothing changes.
        other = self.statement_a.claim_ids - claim
        response = self.url_open(
            f"{url}/answer",
            data={"csrf_token": token, "claim_id": other.id, "answer": "dispute", "comment": " "},
        )
        self.assertIn("Say why you dispute", response.text)
        self.assertEqual(other.operator_status, "pending")
        # The other operator's line cannot be answered through A's statement, nor B's statement.
        claim_b = self.statement_b.claim_ids
        response = self.url_open(
            f"{url}/answer",
            data={"csrf_token": token, "claim_id": claim_b.id, "answer": "confirm"},
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"{self.statement_b.access_url}/answer",
            data={"csrf_token": token, "claim_id": claim_b.id, "answer": "confirm"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(claim_b.operator_status, "pending")
        # Finance sees the dispute; billing waits for the answer.
        self.assertIn("Bưu gửi này đã hoàn trả", self.statement_a.message_ids[0].body)
        claim.with_user(self.finance).action_resolve_dispute("Biên bản giao nhận đã ký")
        self.assertEqual(self.statement_a.disputed_count, 0)

    @mute_logger(*DENIALS)
    def test_agent_staff_have_no_subsidy_pages(self):
        self._login(self.staff_a)
        self.assertEqual(self.url_open("/my/subsidy/statements").status_code, 404)
        self.assertEqual(self.url_open(self.statement_a.access_url).status_code, 404)
        self.assertEqual(
            self._call_kw("subsidy.statement", "search_read", [[]], {"fields": ["name"]}), []
        )

    @mute_logger(*DENIALS)
    def test_finance_over_rpc_never_reads_citizens(self):
        self._login(self.finance)
        claims = self.statement_a.claim_ids
        rows = self._call_kw(
            "subsidy.claim",
            "search_read",
            [[("id", "in", claims.ids)]],
            {"fields": ["citizen_masked", "dossier_code", "ward_name", "amount"]},
        )
        self.assertEqual({r["citizen_masked"] for r in rows}, {"Nguyễn V. A."})
        with self.assertRaises(JsonRpcException):
            self._call_kw("subsidy.claim", "read", [claims.ids, ["citizen_id"]])
        with self.assertRaises(JsonRpcException):
            self._call_kw(
                "subsidy.claim", "search", [[("citizen_id.psa_cccd", "=", "001085012345")]]
            )
        fields = self._call_kw("subsidy.claim", "fields_get", [], {"attributes": ["type"]})
        self.assertNotIn("citizen_id", fields)
        self.assertNotIn("delivery_id", fields)

    @mute_logger(*DENIALS)
    def test_trainer_over_rpc_sees_nothing(self):
        group = self.env.ref("agent_training.group_training_trainer", raise_if_not_found=False)
        if not group:
            self.skipTest("agent_training is not installed")
        trainer = new_test_user(
            self.env,
            login="t_sub_trainer",
            groups="base.group_user,agent_training.group_training_trainer",
        )
        self._login(trainer)
        for model in (
            "subsidy.claim",
            "subsidy.statement",
            "subsidy.budget",
            "subsidy.eligibility",
        ):
            with self.subTest(model=model), self.assertRaises(JsonRpcException):
                self._call_kw(model, "search_read", [[]], {"fields": ["display_name"]})
