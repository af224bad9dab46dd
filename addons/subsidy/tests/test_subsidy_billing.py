from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SubsidyCommon


@tagged("post_install", "-at_install")
class TestSubsidyBilling(SubsidyCommon):
    """Statement, vendor bill, payment, reconciliation and credit note, with real entries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expense = cls.env["account.account"].create(
            {"code": "642899", "name": "Test subsidy expense", "account_type": "expense"}
        )
        cls.plan = cls.env["account.analytic.plan"].create({"name": "Test policies"})
        cls.analytic = cls.env["account.analytic.account"].create(
            {"name": "77/2025", "plan_id": cls.plan.id}
        )
        (cls.nq39 | cls.nq77).write({"account_id": cls.expense.id})
        cls.nq77.analytic_account_id = cls.analytic
        cls.treasury = cls.env["account.journal"].create(
            {"name": "Test Kho bạc", "code": "TKB", "type": "bank"}
        )
        cls.deliveries = cls._deliver("2026-01-05 03:00:00", postage=32000)
        cls.deliveries |= cls._deliver("2026-01-06 03:00:00", postage=41000)
        cls.deliveries |= cls._deliver("2026-01-07 03:00:00", postage=27000)
        cls.other_operator = cls._deliver(
            "2026-01-07 03:00:00", postage=50000, carrier=cls.carrier_b
        )

    def _statement(self):
        Statement = self.env["subsidy.statement"].with_user(self.finance)
        statement = Statement._generate("2026-01-15", self.operator_a)
        statement.action_confirm()
        return statement

    def _bill(self, statement, amount=100000):
        self._operator_answers(statement)
        statement.write(
            {
                "einvoice_number": "C26TAA/00012",
                "einvoice_date": "2026-02-03",
                "einvoice_amount": amount,
            }
        )
        statement.action_bill()
        return statement.bill_id

    def _pay(self, bill):
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.finance)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"journal_id": self.treasury.id, "payment_date": "2026-02-10"})
        )
        return wizard._create_payments()

    def test_statement_collects_one_operator_one_month(self):
        statement = self._statement()
        self.assertEqual(statement.claim_ids, self._claims(self.deliveries))
        self.assertEqual((statement.amount_total, statement.claim_count), (100000, 3))
        self.assertEqual(statement.date_from, fields.Date.to_date("2026-01-01"))
        self.assertEqual(set(statement.claim_ids.mapped("state")), {"in_statement"})
        # The other operator's claim is not in it; a second statement for the month is refused.
        self.assertNotIn(self._claims(self.other_operator), statement.claim_ids)
        with self.assertRaisesRegex(ValidationError, "already has a statement"):
            self.env["subsidy.statement"].create(
                {"operator_id": self.operator_a.id, "date_from": "2026-01-20"}
            )

    def test_confirmed_statement_is_never_edited_only_reversed(self):
        statement = self._statement()
        with self.assertRaisesRegex(ValidationError, "reverse it instead"):
            statement.write({"operator_id": self.operator_b.id})
        with self.assertRaisesRegex(ValidationError, "cannot be edited"):
            statement.claim_ids[0].write({"amount": 1})
        with self.assertRaises(UserError):
            statement.unlink()
        with self.assertRaisesRegex(ValidationError, "only through its buttons"):
            statement.write({"state": "billed"})
        self.assertEqual((statement.operator_id, statement.amount_total), (self.operator_a, 100000))
        statement.action_reverse()
        self.assertEqual(statement.state, "reversed")
        claims = self._claims(self.deliveries)
        self.assertEqual(set(claims.mapped("state")), {"confirmed"})
        # A new statement for the month takes them again.
        again = self._statement()
        self.assertEqual(again.claim_ids, claims)

    def test_bill_total_mismatch_refused_and_nothing_written(self):
        statement = self._statement()
        moves_before = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(ValidationError, "differs from the statement total"):
            self._bill(statement, amount=99000)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertEqual(statement.state, "confirmed")
        self.assertFalse(statement.bill_id)
        # Posting a hand-edited bill is refused too, to the finance user who typed it.
        statement.einvoice_amount = 100000
        draft = (
            self.env["account.move"]
            .with_user(self.finance)
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.operator_a.id,
                    "invoice_date": "2026-02-03",
                    "subsidy_statement_id": statement.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "x",
                                "price_unit": 90000,
                                "account_id": self.expense.id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "cannot be posted"):
            draft.action_post()

    def test_bill_pay_reconcile_and_credit_note_end_to_end(self):
        statement = self._statement()
        bill = self._bill(statement)
        with self.assertRaisesRegex(UserError, "reverse the statement"):
            bill.with_user(self.finance).button_draft()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(
            (bill.move_type, bill.partner_id, bill.ref),
            ("in_invoice", self.operator_a, "C26TAA/00012"),
        )
        self.assertEqual(statement.state, "billed")
        self.assertEqual(set(self._claims(self.deliveries).mapped("state")), {"billed"})
        # One line per policy and category, on the expense account, with the policy's analytic.
        self.assertEqual(len(bill.invoice_line_ids), 1)
        line = bill.invoice_line_ids
        self.assertEqual((line.account_id, line.balance), (self.expense, 100000))
        self.assertEqual(line.analytic_distribution, {str(self.analytic.id): 100})
        analytic_lines = self.env["account.analytic.line"].search([("move_line_id", "=", line.id)])
        self.assertEqual(analytic_lines.amount, -100000)
        payable = bill.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "liability_payable"
        )
        self.assertEqual(payable.balance, -100000)
        # Payment from the treasury, reconciled with the bill: every claim is paid.
        payment = self._pay(bill)
        self.assertTrue(payable.reconciled)
        self.assertEqual(payable.amount_residual, 0)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(statement.state, "paid")
        claims = self._claims(self.deliveries)
        self.assertEqual(set(claims.mapped("state")), {"paid"})
        self.assertEqual(set(claims.mapped("payment_ref")), {payment.name})
        # Finance rejects one claim after payment: a credit note, the operator owes it back.
        rejected = claims.filtered(lambda c: c.amount == 41000)
        rejected.with_user(self.finance).action_reject("Delivered outside Hanoi by mistake")
        refund = rejected.refund_id
        self.assertEqual(
            (refund.move_type, refund.state, refund.amount_total), ("in_refund", "posted", 41000)
        )
        self.assertEqual(refund.reversed_entry_id, bill)
        refund_payable = refund.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "liability_payable"
        )
        self.assertEqual(refund_payable.balance, 41000)
        self.assertEqual(statement.amount_total, 59000)

    def test_credit_note_reconciled_with_an_unpaid_bill(self):
        statement = self._statement()
        bill = self._bill(statement)
        claim = self._claims(self.deliveries).filtered(lambda c: c.amount == 27000)
        decision = Form(
            self.env["subsidy.claim.decision"]
            .with_user(self.finance)
            .with_context(active_model="subsidy.claim", active_ids=claim.ids)
        )
        decision.note = "Duplicate delivery"
        decision.save().action_apply()
        self.assertEqual(claim.state, "rejected")
        refund = claim.refund_id
        self.assertTrue(refund)
        payable = (bill | refund).line_ids.filtered(
            lambda aml: aml.account_id.account_type == "liability_payable"
        )
        self.assertTrue(
            all(payable.mapped(lambda aml: aml.matched_debit_ids or aml.matched_credit_ids))
        )
        self.assertEqual(bill.amount_residual, 73000)
        self.assertEqual(refund.amount_residual, 0)
        # Paying the rest pays the remaining claims.
        self._pay(bill)
        remaining = self._claims(self.deliveries) - claim
        self.assertEqual(set(remaining.mapped("state")), {"paid"})
        self.assertEqual(claim.state, "rejected")

    def test_disputed_line_blocks_billing_until_resolved(self):
        statement = self._statement()
        claim = statement.claim_ids[0]
        claim.with_user(self.accountant_a)._portal_respond("dispute", "Not our parcel")
        self.assertEqual(statement.disputed_count, 1)
        with self.assertRaisesRegex(ValidationError, "disputed"):
            self._bill(statement)
        claim.with_user(self.finance).action_resolve_dispute("Scan of the signed receipt attached")
        self.assertEqual(claim.operator_status, "resolved")
        self._bill(statement)
        self.assertEqual(statement.state, "billed")

    def test_reverse_a_billed_statement(self):
        statement = self._statement()
        bill = self._bill(statement)
        statement.action_reverse()
        self.assertEqual(statement.state, "reversed")
        reversal = statement.move_ids.filtered(lambda m: m.move_type == "in_refund")
        self.assertEqual((reversal.state, reversal.amount_total), ("posted", 100000))
        self.assertEqual(bill.payment_state, "reversed")
        self.assertEqual(bill.amount_residual, 0)
        claims = self._claims(self.deliveries)
        self.assertEqual(set(claims.mapped("state")), {"confirmed"})
        self.assertFalse(claims.bill_id)
        # A paid bill is not reversed: wrong claims are rejected one by one instead.
        again = self._statement()
        self._pay(self._bill(again))
        with self.assertRaises(ValidationError):
            again.action_reverse()
        self.assertEqual(again.state, "paid")

    def test_monthly_cron_drafts_last_months_statements(self):
        with freeze_time("2026-02-01 02:00:00"):
            self.env["subsidy.statement"]._cron_generate_previous_month()
        statements = self.env["subsidy.statement"].search(
            [("operator_id", "in", (self.operator_a | self.operator_b).ids)]
        )
        self.assertEqual(set(statements.mapped("state")), {"draft"})
        self.assertEqual(set(statements.mapped("date_from")), {fields.Date.to_date("2026-01-01")})
        self.assertEqual(statements.operator_id, self.operator_a | self.operator_b)
        self.assertEqual(
            statements.filtered(lambda s: s.operator_id == self.operator_a).amount_total, 100000
        )
