import importlib.util

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user


def run_post_migrate(cr, addon, version, from_version):
    """Run ``migrations/<version>/post-migrate.py`` of ``addon`` as from ``from_version``."""
    path = f"{get_module_path(addon)}/migrations/{version}/post-migrate.py"
    spec = importlib.util.spec_from_file_location(f"{addon}_post_migrate_{version}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, from_version)


# The seven groups of the declared access matrix (security/access_matrix*.csv).
GROUPS = {
    "public": "base.group_public",
    "portal": "base.group_portal",
    "officer": "public_service_agent.group_psa_officer",
    "admin": "public_service_agent.group_psa_admin",
    "trainer": "agent_training.group_training_trainer",
    "training_manager": "agent_training.group_training_manager",
    "finance": "subsidy.group_subsidy_finance",
}
OPERATIONS = ("read", "write", "create", "unlink")


class PsaCommon(TransactionCase):
    """Users of every role and two agents of two operators, without demo data.

    Nothing is patched: where agent_training is installed (as in ``make test``), its launch
    gate holds, and the fixtures meet it as a real agent would (every staff member certified
    for every mandatory course, enough certified staff, the launch checklist ticked).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
    def _training_installed(cls):
        return "training.certificate" in cls.env

    @classmethod
    def _new_staff(cls, login, agent, certified=True):
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        user.partner_id.parent_id = agent.partner_id
        if certified:
            cls._certify(user)
        return user

    @classmethod
    def _certify(cls, user):
        """Where agent_training is installed: valid certificates for every mandatory course,
        issued before the dates the tests freeze, as a trainer would issue them."""
        if not cls._training_installed():
            return
        courses = cls.env["training.course"].sudo()._mandatory_courses()
        if any(course.mandatory_for == "lead" for course in courses):
            user.partner_id.training_team_lead = True
        cls.env["training.certificate"].sudo().create(
            [
                {
                    "user_id": user.id,
                    "course_id": course.id,
                    "date_issued": "2025-01-02",
                    "date_expiry": "2099-12-31",
                }
                for course in courses
            ]
        )

    @classmethod
    def _meet_launch_gate(cls, agent):
        """Enough certified staff and the launch checklist ticked by an officer."""
        if not cls._training_installed():
            return
        minimum = cls.env["training.course"].sudo()._min_certified_staff()
        for index in range(len(agent.staff_user_ids), minimum):
            cls._new_staff(f"t_colleague_{agent.id}_{index}", agent)
        agent.launch_check_ids.filtered(lambda c: not c.done).with_user(cls.officer).action_tick()

    @classmethod
    def _open(cls, agent):
        for state in ("training", "ready"):
            agent.write({"state": state})
        cls._meet_launch_gate(agent)
        agent.write({"state": "active"})
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
    def _new_dossier(cls, agent=None, user=None, **vals):
        """A dossier created in the backend by the officer (or ``user``), who then acts on it:
        the workflow runs under that user's rights, with mail tracking on."""
        agent = agent or cls.agent_a
        return (
            cls.env["psa.dossier"]
            .with_user(user or cls.officer)
            .create(
                {
                    "procedure_id": cls.procedure.id,
                    "citizen_id": cls.citizen.id,
                    "agent_id": agent.id,
                    **vals,
                }
            )
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
