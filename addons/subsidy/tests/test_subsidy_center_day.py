from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import SubsidyCommon


@tagged("psa_clock", "post_install", "-at_install")
class TestSubsidyCenterDay(SubsidyCommon):
    """A claim without a date is dated on the Center's day, not on the officer's UTC one."""

    @freeze_time("2025-12-31 17:30:00")  # 00:30 on 1/1/2026 in Hanoi, still 2025 in UTC
    def test_undated_claim_takes_the_center_new_year(self):
        signature = self.env["subsidy.policy"].create(
            {
                "name": "77/2025 chứng thư số",
                "kind": "signature",
                "date_start": "2026-01-01",
                "rule": "share",
                "yearly_cap_per_person": 100000,
                "currency_id": self.currency.id,
            }
        )
        self.officer.tz = "UTC"
        Claim = self.env["subsidy.claim"].with_user(self.officer)
        vals = {
            "policy_id": signature.id,
            "citizen_id": self.citizen.id,
            "operator_id": self.operator_a.id,
            "source_type": "manual",
        }
        claim = Claim.create({**vals, "name": "CTS-1", "amount": 90000})
        self.assertEqual(str(claim.date), "2026-01-01")
        self.assertEqual(claim.amount, 90000)
