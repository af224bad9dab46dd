import json
import re

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SubsidyCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
# Every flag the server used, or could use, for its own writes: a client may send them all.
FORGED_CONTEXT = {
    "subsidy_internal": True,
    "psa_system_write": True,
    "psa_skip_checks": True,
    "psa_state_unchecked": True,
}


@tagged("post_install", "-at_install")
class TestSubsidyGuard(SubsidyCommon, HttpCase):
    """Public money over JSON-RPC, as finance and officers call it from a browser session.

    The server's own writes pass the guard (psa.guard.mixin) only through ``_system_write``,
    which no context a client sends can open.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["subsidy"], ["vi_VN"], overwrite=True)
        expense = cls.env["account.account"].create(
            {"code": "642898", "name": "Test subsidy expense", "account_type": "expense"}
        )
        (cls.nq39 | cls.nq77).write({"account_id": expense.id})
        with freeze_time("2026-02-02 03:00:00"):
            cls.deliveries = cls._deliver("2026-01-05 03:00:00", postage=32000)
            cls.deliveries |= cls._deliver("2026-01-06 03:00:00", postage=26000)
            Statement = cls.env["subsidy.statement"].with_user(cls.finance)
            cls.statement = Statement._generate("2026-01-01", cls.operator_a)
            cls.statement.action_confirm()
        cls.claim = cls.statement.claim_ids.sorted("amount")[0]

    def _rpc(self, model, method, args, kwargs=None, context=None):
        """/web/dataset/call_kw as the browser sends it; returns (result, error message)."""
        kwargs = dict(kwargs or {})
        kwargs["context"] = {"lang": "en_US", **(context or {})}
        payload = {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        if "error" in body:
            return None, body["error"]["data"]["message"]
        return body["result"], None

    # ------------------------------------------------------------------ the flag
    @mute_logger("odoo.http")
    def test_flag_does_not_open_a_claim_of_a_confirmed_statement(self):
        self.authenticate(self.finance.login, self.finance.login)
        self.assertEqual(self.statement.amount_total, 58000)
        _res, error = self._rpc(
            "subsidy.claim",
            "write",
            [self.claim.ids, {"amount": 305000}],
            context=FORGED_CONTEXT,
        )
        self.assertIn("cannot be edited", error)
        _res, error = self._rpc(
            "subsidy.claim",
            "write",
            [self.claim.ids, {"statement_id": False, "bill_id": 1}],
            context=FORGED_CONTEXT,
        )
        self.assertTrue(error)
        self.env.invalidate_all()
        self.assertEqual(self.claim.amount, 26000)
        self.assertEqual(self.statement.amount_total, 58000)
        self.assertEqual(self.claim.statement_id, self.statement)

    @mute_logger("odoo.http")
    def test_flag_does_not_confirm_an_empty_statement(self):
        self.authenticate(self.finance.login, self.finance.login)
        statement_id, error = self._rpc(
            "subsidy.statement",
            "create",
            [{"operator_id": self.operator_b.id, "date_from": "2026-03-01"}],
            context=FORGED_CONTEXT,
        )
        self.assertFalse(error)
        _res, error = self._rpc(
            "subsidy.statement",
            "write",
            [[statement_id], {"state": "confirmed"}],
            context=FORGED_CONTEXT,
        )
        self.assertIn("only through its buttons", error)
        _res, error = self._rpc(
            "subsidy.statement", "action_confirm", [[statement_id]], context=FORGED_CONTEXT
        )
        self.assertIn("without claims", error)
        # Nor may the confirmed statement be emptied or moved to another operator.
        _res, error = self._rpc(
            "subsidy.statement",
            "write",
            [self.statement.ids, {"operator_id": self.operator_b.id, "date_confirmed": False}],
            context=FORGED_CONTEXT,
        )
        self.assertTrue(error)
        self.env.invalidate_all()
        self.assertEqual(self.env["subsidy.statement"].browse(statement_id).state, "draft")
        self.assertEqual(self.statement.operator_id, self.operator_a)

    @mute_logger("odoo.http")
    def test_flag_does_not_create_a_confirmed_claim(self):
        self.nq39.budget_limited = True  # no allocation at all: nothing can be confirmed
        self.authenticate(self.finance.login, self.finance.login)
        count = self.env["subsidy.claim"].search_count([])
        _res, error = self._rpc(
            "subsidy.claim",
            "create",
            [
                {
                    "name": "FORGED",
                    "source_type": "manual",
                    "policy_id": self.nq39.id,
                    "operator_id": self.operator_a.id,
                    "date": "2025-06-01",
                    "amount": 26000,
                    "state": "confirmed",
                }
            ],
            context=FORGED_CONTEXT,
        )
        self.assertIn("only through its buttons", error)
        self.assertEqual(self.env["subsidy.claim"].search_count([]), count)

    # ------------------------------------------------------------------ the operator's answer
    @mute_logger("odoo.http")
    def test_only_the_operators_accountant_answers_a_line(self):
        self.authenticate(self.finance.login, self.finance.login)
        _res, error = self._rpc(
            "subsidy.claim",
            "write",
            [self.claim.ids, {"operator_status": "confirmed", "operator_comment": "OK"}],
            context=FORGED_CONTEXT,
        )
        self.assertIn("set by the system only", error)
        # The portal's answer form is not finance's (the statement is not in its portal), and
        # the model's one answer method refuses anyone but the operator's own portal users.
        url = f"{self.statement.access_url}/answer"
        self.assertEqual(self.url_open(self.statement.access_url).status_code, 404)
        for user in (self.finance, self.finance_manager, self.officer):
            with self.assertRaisesRegex(ValidationError, "accountants answer"):
                self.claim.with_user(user)._portal_respond("confirm")
        self.env.invalidate_all()
        self.assertEqual(self.claim.operator_status, "pending")
        self.assertFalse(self.claim.operator_comment)
        # The operator's own accountant does, through the portal.
        self.authenticate(self.accountant_a.login, self.accountant_a.login)
        token = CSRF_RE.search(self.url_open(self.statement.access_url).text).group(1)
        response = self.url_open(
            url, data={"csrf_token": token, "claim_id": self.claim.id, "answer": "confirm"}
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.claim.operator_status, "confirmed")

    # ------------------------------------------------------------------ amounts
    @mute_logger("odoo.http")
    def test_manual_claim_bounded_by_its_policy(self):
        self.authenticate(self.officer.login, self.officer.login)
        base = {
            "name": "MANUAL",
            "source_type": "manual",
            "operator_id": self.operator_a.id,
            "date": "2025-06-01",
        }
        count = self.env["subsidy.claim"].search_count([])
        _res, error = self._rpc(
            "subsidy.claim",
            "create",
            [{**base, "policy_id": self.nq39.id, "amount": 10**12}],
            context={"lang": "vi_VN", **FORGED_CONTEXT},
        )
        self.assertIn("nhiều hơn", error)
        self.assertIn("26.000", error)
        self.assertEqual(self.env["subsidy.claim"].search_count([]), count)
        # 77/2025 pays the delivery's postage, no more.
        delivery = self._deliver("2026-03-02 03:00:00", postage=41000)
        vals = {**base, "policy_id": self.nq77.id, "date": "2026-03-02"}
        _res, error = self._rpc(
            "subsidy.claim",
            "create",
            [{**vals, "delivery_id": delivery.id, "amount": 10**12}],
            context=FORGED_CONTEXT,
        )
        self.assertIn("more than 77/2025/NQ-HĐND pays for one claim (41.000 VND)", error)
        _res, error = self._rpc(
            "subsidy.claim", "create", [{**vals, "amount": 41000}], context=FORGED_CONTEXT
        )
        self.assertIn("give the delivery", error)
        ok, error = self._rpc(
            "subsidy.claim", "create", [{**base, "policy_id": self.nq39.id, "amount": 26000}]
        )
        self.assertFalse(error)
        # A draft entry cannot be raised afterwards either (finance edits draft claims).
        self.authenticate(self.finance.login, self.finance.login)
        _res, error = self._rpc(
            "subsidy.claim", "write", [[ok], {"amount": 10**12}], context=FORGED_CONTEXT
        )
        self.assertIn("more than", error)
        self.env.invalidate_all()
        self.assertEqual(self.env["subsidy.claim"].browse(ok).amount, 26000)

    # ------------------------------------------------------------------ billing
    def _enter_einvoice(self):
        _res, error = self._rpc(
            "subsidy.statement",
            "write",
            [
                self.statement.ids,
                {
                    "einvoice_number": "C26TAA/00031",
                    "einvoice_date": "2026-02-03",
                    "einvoice_amount": 58000,
                },
            ],
        )
        self.assertFalse(error)

    @mute_logger("odoo.http")
    def test_billing_waits_for_the_operators_answer(self):
        with freeze_time("2026-02-03 03:00:00"):
            self.assertEqual(
                self.statement.answer_deadline.isoformat(),
                self.statement._deadline(self.statement.date_confirmed).isoformat(),
            )
            self.assertGreater(self.statement.answer_deadline.isoformat(), "2026-02-13")
            self.authenticate(self.finance.login, self.finance.login)
            self._enter_einvoice()
            _res, error = self._rpc(
                "subsidy.statement", "action_bill", [self.statement.ids], context=FORGED_CONTEXT
            )
            self.assertIn("still await the operator's answer", error)
            _res, error = self._rpc(
                "subsidy.statement",
                "action_bill",
                [self.statement.ids],
                context={"lang": "vi_VN"},
            )
            self.assertIn("chờ", error)
            self.env.invalidate_all()
            self.assertEqual(self.statement.state, "confirmed")
            self.assertFalse(self.statement.bill_id)
            # The accountant, told the deadline, answers every line in the portal: finance bills.
            self.authenticate(self.accountant_a.login, self.accountant_a.login)
            page = self.url_open(self.statement.access_url).text
            self.assertIn(self.statement.answer_deadline.strftime("%d/%m/%Y"), page)
            token = CSRF_RE.search(page).group(1)
            for claim in self.statement.claim_ids:
                self.url_open(
                    f"{self.statement.access_url}/answer",
                    data={"csrf_token": token, "claim_id": claim.id, "answer": "confirm"},
                )
            self.authenticate(self.finance.login, self.finance.login)
            _res, error = self._rpc("subsidy.statement", "action_bill", [self.statement.ids])
            self.assertFalse(error)
            self.env.invalidate_all()
            self.assertEqual(self.statement.state, "billed")

    @mute_logger("odoo.http")
    def test_billing_after_the_answer_period(self):
        deadline = self.statement.answer_deadline
        with freeze_time(f"{deadline.isoformat()} 09:00:00"):
            self.authenticate(self.finance.login, self.finance.login)
            self._enter_einvoice()
            _res, error = self._rpc("subsidy.statement", "action_bill", [self.statement.ids])
            self.assertIn(deadline.strftime("%d/%m/%Y"), error)
        with freeze_time(f"{deadline.isoformat()} 18:00:00"):  # 01:00 the next day in Hanoi
            self.authenticate(self.finance.login, self.finance.login)
            _res, error = self._rpc("subsidy.statement", "action_bill", [self.statement.ids])
            self.assertFalse(error)
            self.env.invalidate_all()
            self.assertEqual(self.statement.state, "billed")
