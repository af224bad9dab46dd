from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.public_service_agent.models.psa_agent import PsaAgent
from odoo.addons.public_service_agent.models.res_users import ResUsers


class PsaCommon(TransactionCase):
    """Users of every role and two agents of two operators, without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # These tests are about this addon's rules; addons that add launch or staff conditions
        # (agent_training's certification gate) test those themselves.
        cls.startClassPatcher(
            patch.object(
                type(cls.env["psa.agent"]),
                "_get_activation_blockers",
                PsaAgent._get_activation_blockers,
            )
        )
        cls.startClassPatcher(
            patch.object(
                type(cls.env["res.users"]), "_psa_dossier_blockers", ResUsers._psa_dossier_blockers
            )
        )
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


class PsaDossierCommon(PsaCommon):
    """Adds a procedure with two required documents and an optional one, and a citizen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._open(cls.agent_a)
        cls._open(cls.agent_b)
        cls.procedure = cls.env["psa.procedure"].create(
            {
                "code": "T.000001",
                "name": "Cấp Phiếu lý lịch tư pháp",
                "agency_name": "Sở Tư pháp",
                "agency_code": "000.00.05.H26",
                "processing_days": 5,
                "document_ids": [
                    (0, 0, {"name": "Tờ khai", "sequence": 1}),
                    (0, 0, {"name": "Bản chụp CCCD", "sequence": 2}),
                    (0, 0, {"name": "Giấy ủy quyền", "sequence": 3, "required": False}),
                ],
            }
        )
        cls.citizen = cls.env["res.partner"]._psa_find_or_create_citizen(
            {"name": "Nguyễn Văn An", "psa_cccd": "001085012345", "phone": "0912345678"}
        )
        cls.stage = {s.status_code: s for s in cls.env["psa.dossier.stage"].search([])}

    @classmethod
    def _new_dossier(cls, agent=None, **vals):
        agent = agent or cls.agent_a
        return cls.env["psa.dossier"].create(
            {
                "procedure_id": cls.procedure.id,
                "citizen_id": cls.citizen.id,
                "agent_id": agent.id,
                **vals,
            }
        )

    @staticmethod
    def _fill(dossier):
        dossier.document_ids.filtered("required").write(
            {"file": b"UERGLTEuNA==", "file_name": "a.pdf"}
        )
        return dossier

    @staticmethod
    def _return_result(dossier):
        """Walk a complete dossier through the normal path to "result returned"."""
        dossier.action_receive()
        dossier.action_start_processing()
        dossier.action_mark_done()
        dossier.action_return_result()
        return dossier
