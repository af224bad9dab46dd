from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import SubsidyCommon

DISPUTE = "Bưu gửi bị trả lại, không phát được"


@tagged("post_install", "-at_install")
class TestSubsidyTour(SubsidyCommon, HttpCase):
    """Finance and the operator's accountant click through their main job in Chromium, each
    with only their own role, on a statement of Operator A (two claims, 73.000 VND) made here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expense = cls.env["account.account"].create(
            {"code": "642897", "name": "Tour subsidy expense", "account_type": "expense"}
        )
        (cls.nq39 | cls.nq77).write({"account_id": cls.expense.id})
        cls.treasury = cls.env["account.journal"].create(
            {"name": "Tour Kho bạc", "code": "TKBT", "type": "bank"}
        )
        cls.delivery_ok = cls._deliver("2026-01-05 03:00:00", postage=32000)
        cls.delivery_wrong = cls._deliver("2026-01-06 03:00:00", postage=41000)
        cls.statement = (
            cls.env["subsidy.statement"]
            .with_user(cls.finance)
            ._generate("2026-01-01", cls.operator_a)
        )
        cls.statement.action_confirm()

    def test_finance_bills_the_statement_and_registers_its_payment(self):
        self.assertEqual((self.statement.state, self.statement.amount_total), ("confirmed", 73000))
        # Finance bills once the operator has answered every line.
        self._operator_answers(self.statement)
        self.start_tour(
            "/odoo", "subsidy_finance_bill_and_pay", login=self.finance.login, timeout=180
        )
        self.env.invalidate_all()
        statement = self.statement
        bill = statement.bill_id
        self.assertEqual(statement.state, "paid")
        self.assertEqual(
            (bill.move_type, bill.state, bill.partner_id, bill.ref, bill.amount_total),
            ("in_invoice", "posted", self.operator_a, "C26TAA/00012", 73000),
        )
        self.assertEqual(bill.invoice_date, fields.Date.to_date("2026-02-03"))
        self.assertEqual(bill.create_uid, self.finance)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        payment = bill._get_reconciled_payments()
        self.assertEqual(
            (len(payment), payment.journal_id, payment.amount, payment.create_uid),
            (1, self.treasury, 73000, self.finance),
        )
        self.assertEqual(payment.date, fields.Date.to_date("2026-02-10"))
        self.assertEqual(statement.payment_ref, payment.name)
        claims = statement.claim_ids
        self.assertEqual(set(claims.mapped("state")), {"paid"})
        self.assertEqual(set(claims.mapped("payment_ref")), {payment.name})

    def test_accountant_confirms_a_line_and_disputes_another_on_a_phone(self):
        # The accountant answers from a phone: the Chromium window is a phone's.
        self.browser_size = "390x844"
        self.start_tour(
            "/my", "subsidy_accountant_answers_on_phone", login=self.accountant_a.login, timeout=180
        )
        self.env.invalidate_all()
        claim_ok = self._claims(self.delivery_ok)
        claim_wrong = self._claims(self.delivery_wrong)
        self.assertEqual(
            (claim_ok.operator_status, claim_ok.operator_comment), ("confirmed", False)
        )
        self.assertEqual(
            (claim_wrong.operator_status, claim_wrong.operator_comment), ("disputed", DISPUTE)
        )
        self.assertEqual(set((claim_ok | claim_wrong).mapped("state")), {"in_statement"})
        self.assertEqual((self.statement.state, self.statement.disputed_count), ("confirmed", 1))
        # Finance hears of the dispute, in the accountant's name, with a to-do to resolve it.
        note = self.statement.message_ids.filtered(lambda m: DISPUTE in (m.body or ""))
        self.assertEqual(note.author_id, self.accountant_a.partner_id)
        self.assertEqual(self.statement.activity_ids.user_id, self.finance)
