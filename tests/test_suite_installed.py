"""Cross-module scenario: the four addons and their groups are in the test database.

Runs with pytest-odoo against the database built by `make test`; installs nothing.
"""

from odoo.tests import TransactionCase, tagged

ADDONS = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
GROUPS = (
    "public_service_agent.group_psa_officer",
    "public_service_agent.group_psa_admin",
    "agent_training.group_training_trainer",
    "agent_training.group_training_manager",
    "postal_delivery.group_postal_dispatcher",
    "subsidy.group_subsidy_finance",
    "subsidy.group_subsidy_manager",
)


@tagged("standard")
class TestSuiteInstalled(TransactionCase):
    def test_addons_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", ADDONS)])
        self.assertEqual({m.name: m.state for m in modules}, dict.fromkeys(ADDONS, "installed"))

    def test_groups_present_and_chained(self):
        for xmlid in GROUPS:
            self.assertTrue(self.env.ref(xmlid, raise_if_not_found=False), xmlid)
        admin = self.env.ref("public_service_agent.group_psa_admin")
        officer = self.env.ref("public_service_agent.group_psa_officer")
        self.assertIn(officer, admin.trans_implied_ids)

    def test_application_menus(self):
        for xmlid in (
            "public_service_agent.psa_menu_root",
            "agent_training.training_menu_root",
            "postal_delivery.postal_menu_root",
            "subsidy.subsidy_menu_root",
        ):
            menu = self.env.ref(xmlid)
            self.assertFalse(menu.parent_id, xmlid)
            self.assertTrue(menu.web_icon, xmlid)
