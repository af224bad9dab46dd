from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PsaCommon


@tagged("post_install", "-at_install")
class TestPsaAccess(PsaCommon):
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_officer_reads_but_does_not_configure_agents(self):
        agents = self.env["psa.agent"].with_user(self.officer)
        self.assertEqual(
            agents.search([("id", "in", (self.agent_a | self.agent_b).ids)]).ids,
            (self.agent_a | self.agent_b).ids,
        )
        with self.assertRaises(AccessError):
            agents.create({"name": "X", "operator_id": self.operator_a.id})
        with self.assertRaises(AccessError):
            self.agent_a.with_user(self.officer).write({"name": "Renamed"})

    def test_admin_manages_agents(self):
        agent = (
            self.env["psa.agent"]
            .with_user(self.admin_user)
            .create({"name": "New", "operator_id": self.operator_a.id})
        )
        agent.action_start_training()
        self.assertEqual(agent.state, "training")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_portal_staff_see_only_their_agent(self):
        Agent = self.env["psa.agent"].with_user(self.staff_a)
        self.assertEqual(Agent.search([]), self.agent_a)
        with self.assertRaises(AccessError):
            self.agent_b.with_user(self.staff_a).read(["name"])
        with self.assertRaises(AccessError):
            self.agent_a.with_user(self.staff_a).write({"name": "Mine"})

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_public_and_internal_without_group_see_nothing(self):
        public = self.env.ref("base.public_user")
        employee = new_test_user(self.env, login="t_employee", groups="base.group_user")
        for user in (public, employee):
            with self.assertRaises(AccessError):
                self.env["psa.agent"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["psa.pilot.phase"].with_user(user).search([])

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_pilot_phase_rights(self):
        with self.assertRaises(AccessError):
            self.env["psa.pilot.phase"].with_user(self.officer).create(
                {"name": "P", "date_open": "2025-02-05"}
            )
        phase = (
            self.env["psa.pilot.phase"]
            .with_user(self.admin_user)
            .create({"name": "P", "date_open": "2025-02-05"})
        )
        self.agent_a.pilot_phase_id = phase
        self.assertEqual(phase.with_user(self.officer).agent_count, 1)
