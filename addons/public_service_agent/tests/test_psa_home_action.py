from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

# The application each role lands in (issue 12), for the addons of the suite installed.
EXPECTED = {
    "public_service_agent.group_psa_officer": "public_service_agent.psa_dossier_action",
    "public_service_agent.group_psa_admin": "public_service_agent.psa_dossier_action",
    "agent_training.group_training_trainer": "agent_training.training_session_action",
    "agent_training.group_training_manager": "agent_training.training_session_action",
    "subsidy.group_subsidy_finance": "subsidy.subsidy_claim_action",
}


@tagged("post_install", "-at_install")
class TestHomeAction(TransactionCase):
    """Every user of a role lands in the role's application, not only the demo users."""

    def _ref(self, xmlid):
        return self.env.ref(xmlid, raise_if_not_found=False)

    def test_each_role_lands_in_its_application(self):
        checked = 0
        for group, action in EXPECTED.items():
            if not self._ref(group):
                continue
            with self.subTest(group=group):
                login = "home_" + group.replace(".", "_")
                user = new_test_user(self.env, login=login, groups=f"base.group_user,{group}")
                self.assertEqual(user.action_id.id, self._ref(action).id)
                checked += 1
        self.assertGreaterEqual(checked, 2)
        # Every role an addon declares is covered above.
        declared = {group for _seq, group, _action in self.env["res.users"]._psa_home_actions()}
        self.assertLessEqual(declared, set(EXPECTED))

    def test_demo_users_land_in_their_applications(self):
        for user_xmlid, group in (
            ("public_service_agent.user_officer", "public_service_agent.group_psa_officer"),
            ("agent_training.user_trainer", "agent_training.group_training_trainer"),
            ("subsidy.user_finance", "subsidy.group_subsidy_finance"),
        ):
            user = self._ref(user_xmlid)
            if user:
                with self.subTest(user=user_xmlid):
                    self.assertEqual(user.action_id.id, self._ref(EXPECTED[group]).id)

    def test_other_users_keep_odoo_s_default(self):
        employee = new_test_user(self.env, login="home_employee", groups="base.group_user")
        portal = new_test_user(self.env, login="home_portal", groups="base.group_portal")
        self.assertFalse(employee.action_id)
        self.assertFalse(portal.action_id)

    def test_role_changes_move_the_landing(self):
        officer_group = self.env.ref("public_service_agent.group_psa_officer")
        dossiers = self.env.ref("public_service_agent.psa_dossier_action")
        user = new_test_user(self.env, login="home_later", groups="base.group_user")
        # Given the role from the user's form...
        user.write({"groups_id": [Command.link(officer_group.id)]})
        self.assertEqual(user.action_id.id, dossiers.id)
        # ...losing it takes the landing away,
        user.write({"groups_id": [Command.unlink(officer_group.id)]})
        self.assertFalse(user.action_id)
        # ...and the group's form gives it back.
        officer_group.write({"users": [Command.link(user.id)]})
        self.assertEqual(user.action_id.id, dossiers.id)

    def test_first_role_wins_and_explicit_choice_is_kept(self):
        trainer = self._ref("agent_training.group_training_trainer")
        if trainer:
            both = new_test_user(
                self.env,
                login="home_both",
                groups="base.group_user,agent_training.group_training_trainer,"
                "public_service_agent.group_psa_officer",
            )
            self.assertEqual(
                both.action_id.id, self.env.ref("public_service_agent.psa_dossier_action").id
            )
        chosen = self.env.ref("public_service_agent.psa_agent_action")
        user = new_test_user(self.env, login="home_chosen", groups="base.group_user")
        user.action_id = chosen.id
        user.write(
            {"groups_id": [Command.link(self.env.ref("public_service_agent.group_psa_officer").id)]}
        )
        self.assertEqual(user.action_id.id, chosen.id)
