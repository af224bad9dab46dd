from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestSubsidyPolicy(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env, login="t_finance", groups="subsidy.group_subsidy_finance"
        )
        cls.manager = new_test_user(
            cls.env, login="t_fmanager", groups="subsidy.group_subsidy_manager"
        )
        cls.officer = new_test_user(
            cls.env, login="t_officer", groups="public_service_agent.group_psa_officer"
        )

    def test_manager_sets_policy_in_company_currency(self):
        policy = (
            self.env["subsidy.policy"]
            .with_user(self.manager)
            .create(
                {
                    "name": "T/2030",
                    "kind": "fee",
                    "date_start": "2030-01-01",
                    "fixed_amount": 26000,
                }
            )
        )
        self.assertEqual(policy.currency_id, self.env.company.currency_id)

    def test_end_before_start_refused(self):
        with self.assertRaises(ValidationError):
            self.env["subsidy.policy"].create(
                {"name": "X", "kind": "fee", "date_start": "2031-01-01", "date_end": "2030-01-01"}
            )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_finance_and_officer_read_only(self):
        policy = self.env["subsidy.policy"].create(
            {"name": "P", "kind": "fee", "date_start": "2032-01-01"}
        )
        for user in (self.finance, self.officer):
            self.assertEqual(policy.with_user(user).name, "P")
            with self.assertRaises(AccessError):
                policy.with_user(user).write({"name": "Q"})
        portal = new_test_user(self.env, login="t_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            policy.with_user(portal).read(["name"])
