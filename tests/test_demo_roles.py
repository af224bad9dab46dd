"""Each demo login holds exactly the groups of the role the README says it demonstrates.

The role's groups are those a user freshly made with that role gets (the groups named below
and everything they imply), so the demo cannot show rights a real user of the role lacks.
Runs with pytest-odoo on the database built by `make test` (all addons, demo data).
"""

from odoo.tests import TransactionCase, new_test_user, tagged

# README "Demo logins": login -> the groups that make the role.
INTERNAL = "base.group_user"
PORTAL = "base.group_portal"
ROLES = {
    "officer": [INTERNAL, "public_service_agent.group_psa_officer"],
    "trainer": [INTERNAL, "agent_training.group_training_trainer"],
    "finance": [INTERNAL, "subsidy.group_subsidy_finance"],
    "vnpost_ketoan": [PORTAL],
    "viettelpost_ketoan": [PORTAL],
    "staff.hoankiem": [PORTAL],
    "staff.mydinh": [PORTAL],
    "staff.caugiay": [PORTAL],
}


@tagged("standard")
class TestDemoRoles(TransactionCase):
    def test_each_demo_user_holds_exactly_its_roles_groups(self):
        Users = self.env["res.users"].with_context(active_test=False)
        for login, groups in ROLES.items():
            demo = Users.search([("login", "=", login)])
            self.assertEqual(len(demo), 1, login)
            fresh = new_test_user(self.env, login=f"fresh.{login}", groups=",".join(groups))
            extra = (demo.groups_id - fresh.groups_id).mapped("full_name")
            missing = (fresh.groups_id - demo.groups_id).mapped("full_name")
            self.assertEqual((extra, missing), ([], []), login)

    def test_demo_officer_cannot_create_vendor_bills_or_payments(self):
        officer = self.env["res.users"].search([("login", "=", "officer")])
        self.assertFalse(officer.has_group("account.group_account_manager"))
        self.assertFalse(officer.has_group("account.group_account_invoice"))
        for model in ("account.move", "account.payment"):
            self.assertFalse(self.env[model].with_user(officer).has_access("create"), model)
