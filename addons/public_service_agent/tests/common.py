from odoo.tests import TransactionCase, new_test_user


class PsaCommon(TransactionCase):
    """Users of every role and two agents of two operators, without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.officer = new_test_user(
            cls.env, login="t_officer", groups="public_service_agent.group_psa_officer"
        )
        cls.admin_user = new_test_user(
            cls.env, login="t_admin", groups="public_service_agent.group_psa_admin"
        )
        Partner = cls.env["res.partner"]
        cls.operator_a = Partner.create(
            {"name": "Operator A", "is_company": True, "is_psa_operator": True}
        )
        cls.operator_b = Partner.create(
            {"name": "Operator B", "is_company": True, "is_psa_operator": True}
        )
        Agent = cls.env["psa.agent"]
        cls.agent_a = Agent.create({"name": "Agent A", "operator_id": cls.operator_a.id})
        cls.agent_b = Agent.create({"name": "Agent B", "operator_id": cls.operator_b.id})
        cls.staff_a = cls._new_staff("t_staff_a", cls.agent_a)
        cls.staff_b = cls._new_staff("t_staff_b", cls.agent_b)

    @classmethod
    def _new_staff(cls, login, agent):
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        user.partner_id.parent_id = agent.partner_id
        return user

    @classmethod
    def _open(cls, agent):
        for state in ("training", "ready", "active"):
            agent.write({"state": state})
        return agent
