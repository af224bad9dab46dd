from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import PsaCommon


@tagged("post_install", "-at_install")
class TestPsaStateMachineDrawings(TransactionCase):
    def test_every_drawing_matches_its_table(self):
        mixin = type(self.env["psa.state.machine.mixin"])
        machines = [
            name
            for name, cls in self.env.registry.items()
            if issubclass(cls, mixin) and not cls._abstract
        ]
        self.assertIn("psa.agent", machines)
        for name in machines:
            with self.subTest(model=name):
                model = self.env[name]
                self.assertTrue(model._state_transitions, f"{name} declares no transitions")
                self.assertEqual(model._state_drawing(), model._state_table())
                states = {value for value, _label in model._fields[model._state_field].selection}
                self.assertEqual(set(model._state_table()), states, "every state has its line")

    def test_drawing_parser_sees_a_drift(self):
        agent_cls = type(self.env["psa.agent"])
        original = agent_cls._state_transitions
        try:
            agent_cls._state_transitions = {**original, "closed": ("active",)}
            self.assertNotEqual(
                self.env["psa.agent"]._state_drawing(), self.env["psa.agent"]._state_table()
            )
        finally:
            agent_cls._state_transitions = original


@tagged("post_install", "-at_install")
class TestPsaStateMachineRules(PsaCommon):
    def test_refusal_names_the_allowed_next_states(self):
        with self.assertRaisesRegex(ValidationError, "Allowed next states: Training"):
            self.agent_a.with_user(self.admin_user).write({"state": "ready"})

    def test_rpc_context_cannot_skip_the_table(self):
        admin = self.env["res.users"].browse(self.admin_user.id)
        agent = self.agent_a.with_user(admin).with_context(psa_state_unchecked=True)
        with self.assertRaisesRegex(ValidationError, "cannot go from"):
            agent.write({"state": "active"})

    def test_shortest_path_and_unreachable_state(self):
        Agent = self.env["psa.agent"]
        self.assertEqual(Agent._state_path("draft", "ready"), ["training", "ready"])
        self.assertIsNone(Agent._state_path("closed", "active"))
