"""Cross-module scenario: the subsidy demo, tried as the issue's new finance user would.

Runs with pytest-odoo against the database built by `make test` (all addons with their demo
data); everything happens in the test transaction and is rolled back.
"""

import io

import openpyxl

from odoo.tests import TransactionCase, tagged


@tagged("standard")
class TestSubsidyDemoFlow(TransactionCase):
    def setUp(self):
        super().setUp()
        self.finance = self.env.ref("subsidy.user_finance")
        self.accountant = self.env.ref("subsidy.user_vnpost_accountant")
        self.vnpost = self.env.ref("public_service_agent.partner_operator_vnpost")
        self.Statement = self.env["subsidy.statement"].with_user(self.finance)

    def _statement(self, month):
        return self.Statement.search(
            [("operator_id", "=", self.vnpost.id), ("date_from", "=", month)]
        )

    def test_finance_bills_and_pays_december_and_january(self):
        december, january = self._statement("2025-12-01"), self._statement("2026-01-01")
        self.assertEqual(set(december.claim_ids.mapped("amount")), {26000})
        self.assertEqual(set(december.claim_ids.policy_id.mapped("name")), {"39/2024/NQ-HĐND"})
        self.assertEqual(
            sorted(january.claim_ids.mapped("amount")),
            sorted(january.claim_ids.mapped("postage")),
        )
        self.assertEqual(set(january.claim_ids.policy_id.mapped("name")), {"77/2025/NQ-HĐND"})
        treasury = self.env["account.journal"].search([("code", "=", "KBNN")])
        for statement in december | january:
            statement.write(
                {
                    "einvoice_number": f"C26TBD/{statement.date_from.month:02d}",
                    "einvoice_date": "2026-02-10",
                    "einvoice_amount": statement.amount_total,
                }
            )
            statement.action_bill()
            self.assertEqual(statement.bill_id.currency_id, self.env.ref("base.VND"))
            self.env["account.payment.register"].with_user(self.finance).with_context(
                active_model="account.move", active_ids=statement.bill_id.ids
            ).create({"journal_id": treasury.id})._create_payments()
            self.assertEqual(statement.state, "paid")
            self.assertEqual(set(statement.claim_ids.mapped("state")), {"paid"})
            content, _fmt = (
                self.env["ir.actions.report"]
                .with_user(self.finance)
                ._render_xlsx("subsidy.action_report_subsidy_statement_xlsx", statement.ids, None)
            )
            rows = list(
                openpyxl.load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(
                    values_only=True
                )
            )
            self.assertEqual(len(rows), statement.claim_count + 2)

    def test_accountant_disputes_a_february_line(self):
        february = self._statement("2026-02-01")
        self.assertEqual(february.state, "confirmed")
        self.assertTrue(february.claim_ids)
        claim = february.claim_ids[:1].with_user(self.accountant)
        claim._portal_respond("dispute", "Bưu gửi không thuộc bảng kê")
        self.assertEqual(february.disputed_count, 1)

    def test_budget_2026_shows_its_warning(self):
        budget = self.env["subsidy.budget"].with_user(self.finance).search([("year", "=", 2026)])
        self.assertGreaterEqual(budget.warning_level, 80)
        self.assertGreaterEqual(budget.consumption, 80)
