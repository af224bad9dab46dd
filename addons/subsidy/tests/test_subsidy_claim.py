from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SubsidyCommon


@tagged("psa_clock", "post_install", "-at_install")
class TestSubsidyClaim(SubsidyCommon):
    def test_policy_boundary_on_new_year_in_hanoi_time(self):
        # 16:59 UTC on 31/12 is 23:59 in Hanoi: 39/2024 pays 26,000 whatever the postage.
        last_day = self._deliver("2025-12-31 16:59:00", postage=41000)
        # 17:00 UTC on 31/12 is already 01/01/2026 in Hanoi: 77/2025 pays 100 % of postage.
        first_day = self._deliver("2025-12-31 17:00:00", postage=41000)
        claim_2025, claim_2026 = self._claims(last_day), self._claims(first_day)
        self.assertEqual(
            (claim_2025.policy_id, claim_2025.amount, str(claim_2025.date)),
            (self.nq39, 26000, "2025-12-31"),
        )
        self.assertEqual(
            (claim_2026.policy_id, claim_2026.amount, str(claim_2026.date)),
            (self.nq77, 41000, "2026-01-01"),
        )
        self.assertEqual((claim_2025 | claim_2026).mapped("state"), ["confirmed", "confirmed"])

    def test_in_person_dossier_gets_nothing_under_77_but_does_under_39(self):
        branch_2026 = self._deliver("2026-02-02 03:00:00", channel="branch")
        online_2026 = self._deliver("2026-02-02 03:00:00", channel="online")
        branch_2025 = self._deliver("2025-06-02 03:00:00", channel="branch")
        self.assertFalse(self._claims(branch_2026))
        self.assertEqual(self._claims(online_2026).amount, 30000)
        self.assertEqual(self._claims(branch_2025).amount, 26000)

    def test_claim_carries_what_finance_needs_without_reading_citizens(self):
        delivery = self._deliver(
            "2026-02-02 03:00:00", dossier=self._fill(self._new_dossier(ward_id=self.ward.id))
        )
        claim = self._claims(delivery).with_user(self.finance)
        self.assertEqual(claim.citizen_masked, "Nguyễn V. A.")
        self.assertEqual(claim.dossier_code, delivery.dossier_id.name)
        self.assertEqual(claim.ward_name, self.ward.name)
        self.assertEqual(claim.operator_id, self.operator_a)
        # The citizen himself is only for officers.
        with self.assertRaises(AccessError):
            claim.read(["citizen_id"])

    def test_no_claim_for_failed_returned_cancelled_or_lost(self):
        returned = self._deliver("2026-02-02 03:00:00", state="returned")
        cancelled = self._deliver("2026-02-02 03:00:00", state="cancelled", state_reason="x")
        failed = self._deliver("2026-02-02 03:00:00", state="failed_attempt")
        lost = self._deliver("2026-02-02 03:00:00", state="lost", state_reason="lost in transit")
        self.assertEqual((cancelled | lost).mapped("state"), ["cancelled", "lost"])
        self.assertFalse(self._claims(returned | cancelled | failed | lost))

    def test_lost_after_delivery_withdraws_an_open_claim(self):
        delivery = self._deliver("2026-02-02 03:00:00")
        claim = self._claims(delivery)
        # The Center's officer records the carrier's report that the envelope was lost.
        delivery.with_user(self.officer).action_mark_lost("Lost after delivery scan")
        self.assertEqual(claim.state, "rejected")
        self.assertEqual(claim.reject_reason, "Delivery lost")

    def test_lost_after_billing_gets_a_negative_adjustment(self):
        delivery = self._deliver("2026-02-02 03:00:00", postage=35000)
        claim = self._claims(delivery)
        statement = (
            self.env["subsidy.statement"]
            .with_user(self.finance)
            ._generate("2026-02-01", self.operator_a)
        )
        statement.action_confirm()
        delivery.with_user(self.officer).action_mark_lost("Lost")
        adjustment = self.env["subsidy.claim"].search([("adjusted_claim_id", "=", claim.id)])
        self.assertEqual(claim.state, "in_statement")
        self.assertEqual(
            (adjustment.amount, adjustment.state, adjustment.source_type),
            (-35000, "confirmed", "adjustment"),
        )
        # Marking it lost twice never offsets twice.
        self.env["subsidy.claim"]._adjust_for_lost(delivery)
        self.assertEqual(
            self.env["subsidy.claim"].search_count([("adjusted_claim_id", "=", claim.id)]), 1
        )

    def test_one_claim_per_delivery_and_policy(self):
        delivery = self._deliver("2026-02-02 03:00:00")
        # Running the hook again is harmless...
        self.env["subsidy.claim"]._create_for_deliveries(delivery)
        self.assertEqual(len(self._claims(delivery)), 1)
        # ...and the database refuses a second claim whatever the path.
        claim = self._claims(delivery)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            claim._system().copy({"name": "dup"})  # even the server's own path

    def test_category_required_and_bonus(self):
        category = self.env["subsidy.beneficiary.category"].create(
            {"name": "BTXH", "code": "T_BTXH"}
        )
        self.nq39.write({"bonus_category_id": category.id, "bonus_amount": 10000})
        other = self.env["res.partner"]._psa_find_or_create_citizen(
            {"name": "Trần Thị Bích", "psa_cccd": "001192004321", "phone": "0987654321"}
        )
        attachment = self.env["ir.attachment"].create({"name": "proof.pdf", "raw": b"%PDF-1.4"})
        with self.assertRaises(ValidationError):
            self.env["subsidy.eligibility"].create(
                {"citizen_id": self.citizen.id, "category_id": category.id, "state": "verified"}
            )
        eligibility = (
            self.env["subsidy.eligibility"]
            .with_user(self.officer)
            .create(
                {
                    "citizen_id": self.citizen.id,
                    "category_id": category.id,
                    "date_start": "2025-01-01",
                    "proof_attachment_ids": [(6, 0, attachment.ids)],
                }
            )
        )
        eligibility.sudo().proof_attachment_ids = attachment
        eligibility.action_verify()
        self.assertEqual(eligibility.verifier_id, self.officer)
        with_bonus = self._deliver("2025-06-02 03:00:00")
        without = self._deliver(
            "2025-06-02 03:00:00", dossier=self._fill(self._new_dossier(citizen_id=other.id))
        )
        self.assertEqual(
            (self._claims(with_bonus).amount, self._claims(with_bonus).category_id),
            (36000, category),
        )
        self.assertEqual(self._claims(without).amount, 26000)
        # A policy that requires the category pays nobody else.
        self.nq39.write({"required_category_id": category.id, "bonus_category_id": False})
        self.assertFalse(
            self._claims(
                self._deliver(
                    "2025-06-03 03:00:00",
                    dossier=self._fill(self._new_dossier(citizen_id=other.id)),
                )
            )
        )

    def test_per_person_yearly_cap_for_signature_certificates(self):
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
        Claim = self.env["subsidy.claim"].with_user(self.officer)
        vals = {
            "policy_id": signature.id,
            "citizen_id": self.citizen.id,
            "operator_id": self.operator_a.id,
            "date": "2026-03-01",
            "source_type": "manual",
        }
        first = Claim.create({**vals, "name": "CTS-1", "amount": 70000})
        second = Claim.create({**vals, "name": "CTS-2", "amount": 70000})
        self.assertEqual((first.amount, second.amount), (70000, 30000))
        with self.assertRaisesRegex(ValidationError, "yearly cap"):
            Claim.create({**vals, "name": "CTS-3", "amount": 10000})
        # A new year starts a new cap.
        self.assertEqual(
            Claim.create({**vals, "name": "CTS-4", "amount": 120000, "date": "2027-01-05"}).amount,
            100000,
        )
        # Rejected claims give the room back.
        second.with_user(self.finance).action_reject("Duplicate certificate")
        self.assertEqual(Claim.create({**vals, "name": "CTS-5", "amount": 50000}).amount, 30000)

    def test_certificate_claims_imported_by_an_officer(self):
        signature = self.env["subsidy.policy"].create(
            {
                "name": "77/2025 CTS",
                "kind": "signature",
                "date_start": "2026-01-01",
                "rule": "share",
                "yearly_cap_per_person": 100000,
                "currency_id": self.currency.id,
            }
        )
        fields = [
            "name",
            "source_type",
            "policy_id/.id",
            "citizen_id/.id",
            "operator_id/.id",
            "date",
            "amount",
        ]
        row = [signature.id, self.citizen.id, self.operator_a.id, "2026-04-01"]
        rows = [
            ["CTS-A", "import", row[0], row[1], row[2], row[3], "60000"],
            ["CTS-B", "import", row[0], row[1], row[2], row[3], "60000"],
        ]
        result = self.env["subsidy.claim"].with_user(self.officer).load(fields, rows)
        self.assertFalse(result["messages"], result["messages"])
        claims = self.env["subsidy.claim"].browse(result["ids"])
        self.assertEqual(claims.mapped("amount"), [60000, 40000])
        self.assertEqual(set(claims.mapped("state")), {"draft"})
        self.assertEqual(set(claims.mapped("source_type")), {"import"})
        # What only the server sets is ignored or refused in an entry.
        statement = (
            self.env["subsidy.statement"]
            .with_user(self.finance)
            ._generate("2026-02-01", self.operator_a)
        )
        sneaky = (
            self.env["subsidy.claim"]
            .with_user(self.officer)
            .create(
                {
                    "name": "CTS-C",
                    "source_type": "manual",
                    "policy_id": signature.id,
                    "citizen_id": self.citizen.id,
                    "operator_id": self.operator_a.id,
                    "date": "2027-05-01",
                    "amount": 100,
                    "statement_id": statement.id,
                    "citizen_masked": "Someone Else",
                    "operator_status": "confirmed",
                }
            )
        )
        self.assertFalse(sneaky.statement_id)
        self.assertEqual(sneaky.citizen_masked, "Nguyễn V. A.")
        self.assertEqual(sneaky.operator_status, "pending")
        with self.assertRaisesRegex(ValidationError, "created by the system"):
            self.env["subsidy.claim"].with_user(self.finance).create(
                {
                    "name": "X",
                    "source_type": "delivery",
                    "policy_id": self.nq77.id,
                    "operator_id": self.operator_a.id,
                    "amount": 10,
                }
            )
        # Finance confirms them; the officer cannot.
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            claims.with_user(self.officer).action_confirm()
        claims.with_user(self.finance).action_confirm()
        self.assertEqual(set(claims.mapped("state")), {"confirmed"})

    def test_cap_applies_to_delivery_claims_in_one_batch(self):
        self.nq77.yearly_cap_per_person = 50000
        dossiers = [self._fill(self._new_dossier()) for _ in range(3)]
        deliveries = self.env["postal.delivery"].create(
            [
                {
                    "dossier_id": d.id,
                    "carrier_id": self.carrier.id,
                    "postage": 30000,
                    "service_type": "send_dossier",
                    "state": "out_for_delivery",
                }
                for d in dossiers
            ]
        )
        deliveries.with_context(postal_event_date="2026-02-02 03:00:00").write(
            {"state": "delivered"}
        )
        self.assertEqual(sorted(self._claims(deliveries).mapped("amount")), [20000, 30000])

    def test_bad_input_refused_with_nothing_written(self):
        Claim = self.env["subsidy.claim"].with_user(self.finance)
        count = Claim.search_count([])
        with self.assertRaisesRegex(ValidationError, "positive"):
            Claim.create(
                {
                    "name": "X",
                    "policy_id": self.nq77.id,
                    "operator_id": self.operator_a.id,
                    "amount": -5000,
                    "source_type": "manual",
                }
            )
        self.assertEqual(Claim.search_count([]), count)
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            self.env["subsidy.policy"].create(
                {"name": "Overlap", "date_start": "2025-12-01", "currency_id": self.currency.id}
            )
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.nq39.fixed_amount = -1
        claim = self._claims(self._deliver("2026-02-02 03:00:00"))
        with self.assertRaisesRegex(ValidationError, "cannot be edited"):
            claim.with_user(self.finance).amount = 1
        self.assertEqual(claim.amount, 30000)

    def test_translated_messages(self):
        """Bad input is refused in the user's language (Vietnamese for the demo users)."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["subsidy"], ["vi_VN"], overwrite=True)
        finance = self.finance
        finance.lang = "vi_VN"
        claim = self._claims(self._deliver("2026-02-02 03:00:00"))
        Claim = self.env["subsidy.claim"].with_user(finance).with_context(lang="vi_VN")
        with self.assertRaisesRegex(ValidationError, "không được sửa"):
            Claim.browse(claim.id).write({"amount": 1})
        with self.assertRaisesRegex(ValidationError, "phải lớn hơn 0"):
            Claim.create(
                {
                    "name": "X",
                    "policy_id": self.nq77.id,
                    "operator_id": self.operator_a.id,
                    "amount": -1,
                    "source_type": "manual",
                }
            )
        Policy = (
            self.env["subsidy.policy"].with_user(self.finance_manager).with_context(lang="vi_VN")
        )
        with self.assertRaisesRegex(ValidationError, "trùng thời gian"):
            Policy.create(
                {"name": "Trùng", "date_start": "2025-06-01", "currency_id": self.currency.id}
            )
        statement = self.env["subsidy.statement"].with_user(finance).with_context(lang="vi_VN")
        statement = statement._generate("2026-02-01", self.operator_a)
        statement.action_confirm()
        with self.assertRaisesRegex(ValidationError, "không được sửa"):
            statement.write({"date_from": "2026-03-01"})
        statement.write(
            {"einvoice_number": "1", "einvoice_date": "2026-03-01", "einvoice_amount": 5}
        )
        with self.assertRaisesRegex(ValidationError, "khác tổng bảng kê"):
            statement.action_bill()
