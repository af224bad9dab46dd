from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPsaTour(HttpCase):
    def test_officer_opens_the_suite_menu(self):
        new_test_user(
            self.env, login="tour_officer", groups="public_service_agent.group_psa_officer"
        )
        operator = self.env["res.partner"].create(
            {"name": "Tour Operator", "is_company": True, "is_psa_operator": True}
        )
        self.env["psa.agent"].create({"name": "Tour Agent Hoàn Kiếm", "operator_id": operator.id})
        self.start_tour("/odoo", "psa_backend_menu", login="tour_officer")
