from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SubsidyCommon


@tagged("post_install", "-at_install")
class TestSubsidyBudget(SubsidyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nq77.budget_limited = True
        cls.budget = cls.env["subsidy.budget"].create(
            {"year": 2026, "policy_id": cls.nq77.id, "allocation": 100000}
        )

    def _warnings(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "subsidy.budget"), ("res_id", "=", self.budget.id)]
        )

    def test_warnings_at_80_and_95_percent(self):
        self._deliver("2026-02-02 03:00:00", postage=70000)
        self.assertEqual(self.budget.warning_level, 0)
        self.assertFalse(self._warnings())
        self._deliver("2026-02-03 03:00:00", postage=12000)  # 82 %
        self.assertEqual(self.budget.warning_level, 80)
        activities = self._warnings()
        self.assertIn(self.finance, activities.user_id)
        self.assertIn(self.finance_manager, activities.user_id)
        self.assertNotIn(self.officer, activities.user_id)
        message = self.budget.message_ids.filtered(lambda m: "82.0" in (m.body or ""))
        self.assertIn(self.finance.partner_id, message.partner_ids)
        # The e-mail goes out to each finance user.
        emailed = message.notification_ids.filtered(lambda n: n.notification_type == "email")
        self.assertIn(self.finance.partner_id, emailed.res_partner_id)
        self._deliver("2026-02-04 03:00:00", postage=1000)  # 83 %: no new warning
        self.assertEqual(len(self._warnings()), len(activities))
        self._deliver("2026-02-05 03:00:00", postage=13000)  # 96 %
        self.assertEqual(self.budget.warning_level, 95)
        self.assertEqual(len(self._warnings()), 2 * len(activities))

    def test_hard_stop_then_supplementary_allocation(self):
        ok = self._deliver("2026-02-02 03:00:00", postage=90000)
        over = self._deliver("2026-02-03 03:00:00", postage=20000)
        later = self._deliver("2026-02-04 03:00:00", postage=15000)
        self.assertEqual(self._claims(ok).state, "confirmed")
        # Beyond the allocation claims wait, first in first served: the small one waits too.
        self.assertEqual(self._claims(over | later).mapped("state"), ["over_budget"] * 2)
        self.assertEqual(self.budget.committed, 90000)
        self.assertEqual(self.budget.over_budget_amount, 35000)
        # Waiting claims never reach a statement or a bill, even pushed in by hand.
        statement = (
            self.env["subsidy.statement"]
            .with_user(self.finance)
            ._generate("2026-02-01", self.operator_a)
        )
        self.assertEqual(statement.claim_ids, self._claims(ok))
        with self.assertRaisesRegex(ValidationError, "only by collecting"):
            statement.with_user(self.finance).write({"claim_ids": [(4, self._claims(over).id)]})
        with self.assertRaisesRegex(ValidationError, "only by collecting"):
            self._claims(over).with_user(self.finance).write({"statement_id": statement.id})
        with self.assertRaisesRegex(ValidationError, "only through its buttons"):
            self._claims(over).with_user(self.finance).write({"state": "confirmed"})
        self.assertEqual(self._claims(over).state, "over_budget")
        self.assertEqual(statement.claim_ids, self._claims(ok))
        # A supplementary allocation confirms them, oldest first, within the new total.
        self.budget.with_user(self.finance).supplementary_allocation = 20000
        self.assertEqual(self._claims(over).state, "confirmed")
        self.assertEqual(self._claims(later).state, "over_budget")
        self.assertEqual(self.budget.committed, 110000)
        self.assertEqual(self.budget.warning_level, 100)
        self.budget.with_user(self.finance).supplementary_allocation = 30000
        self.assertEqual(self._claims(later).state, "confirmed")

    def test_no_budget_means_nothing_confirmed(self):
        self.budget.unlink()
        claim = self._claims(self._deliver("2026-02-02 03:00:00"))
        self.assertEqual(claim.state, "over_budget")

    def test_allocation_below_commitments_refused(self):
        self._deliver("2026-02-02 03:00:00", postage=60000)
        with self.assertRaisesRegex(ValidationError, "already committed"):
            self.budget.with_user(self.finance).allocation = 50000
        with self.assertRaises(ValidationError):
            self.budget.with_user(self.finance).supplementary_allocation = -10
        self.assertEqual(self.budget.allocation_total, 100000)

    def test_claims_confirmed_late_go_into_the_next_statement(self):
        ok = self._deliver("2026-02-02 03:00:00", postage=90000)
        late = self._deliver("2026-02-03 03:00:00", postage=20000)
        Statement = self.env["subsidy.statement"].with_user(self.finance)
        february = Statement._generate("2026-02-01", self.operator_a)
        february.action_confirm()
        self.assertEqual(february.claim_ids, self._claims(ok))
        self.budget.with_user(self.finance).supplementary_allocation = 50000
        self.assertEqual(self._claims(late).state, "confirmed")
        march = Statement._generate("2026-03-01", self.operator_a)
        self.assertEqual(march.claim_ids, self._claims(late))
        self.assertEqual(february.claim_ids, self._claims(ok))
