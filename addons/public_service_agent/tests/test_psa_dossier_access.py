from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PsaDossierCommon

MODELS = (
    "psa.dossier",
    "psa.dossier.document",
    "psa.dossier.stage",
    "psa.procedure",
    "psa.procedure.document",
    "psa.dossier.evaluation",
)


@tagged("post_install", "-at_install")
class TestPsaDossierAccess(PsaDossierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a = cls._new_dossier(cls.agent_a)
        cls.dossier_b = cls._new_dossier(cls.agent_b)

    def test_officer_follows_and_moves_dossiers(self):
        dossier = self.dossier_a.with_user(self.officer)
        self._fill(dossier)
        dossier.action_receive()
        self.assertEqual(dossier.status_code, 2)
        self.assertEqual(
            self.env["psa.dossier"]
            .with_user(self.officer)
            .search_count([("id", "in", (self.dossier_a | self.dossier_b).ids)]),
            2,
        )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_officer_cannot_configure_or_delete(self):
        with self.assertRaises(AccessError):
            self.dossier_a.with_user(self.officer).unlink()
        with self.assertRaises(AccessError):
            self.procedure.with_user(self.officer).write({"processing_days": 1})
        with self.assertRaises(AccessError):
            self.env["psa.dossier.stage"].with_user(self.officer).create(
                {"name": "X", "status_code": 99}
            )

    def test_admin_configures(self):
        self.procedure.with_user(self.admin_user).write({"processing_days": 7})
        self.assertEqual(self.procedure.processing_days, 7)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_portal_staff_see_only_their_agent(self):
        Dossier = self.env["psa.dossier"].with_user(self.staff_a)
        self.assertEqual(Dossier.search([]), self.dossier_a)
        with self.assertRaises(AccessError):
            self.dossier_b.with_user(self.staff_a).read(["name"])
        with self.assertRaises(AccessError):
            self.dossier_b.document_ids.with_user(self.staff_a).read(["name"])
        with self.assertRaises(AccessError):
            self.dossier_a.with_user(self.staff_a).write({"note": "x"})
        with self.assertRaises(AccessError):
            Dossier.create(
                {
                    "procedure_id": self.procedure.id,
                    "citizen_id": self.citizen.id,
                    "agent_id": self.agent_b.id,
                }
            )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_portal_staff_file_for_their_agent(self):
        # Only through the portal's filing method: no create right of their own.
        Dossier = self.env["psa.dossier"].with_user(self.staff_a)
        with self.assertRaises(AccessError):
            Dossier.create(
                {
                    "procedure_id": self.procedure.id,
                    "citizen_id": self.citizen.id,
                    "agent_id": self.agent_a.id,
                }
            )
        dossier = Dossier._psa_portal_file(
            {"procedure_id": self.procedure.id, "return_method": "agent"},
            {"psa_cccd": "001085012345", "name": "Nguyễn Văn An", "phone": "+84912345678"},
            {self.procedure.document_ids[0].id: (b"%PDF-1.4", "t.pdf")},
        )
        self.assertEqual(dossier.staff_user_id, self.staff_a)
        self.assertEqual(dossier.agent_id, self.agent_a)
        self.assertEqual(dossier.citizen_id, self.citizen)
        self.assertFalse(dossier.contact_review)
        self.assertEqual(dossier.document_ids[0].state, "submitted")

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_public_and_plain_employees_see_nothing(self):
        employee = new_test_user(self.env, login="t_employee2", groups="base.group_user")
        public = self.env.ref("base.public_user")
        for user in (employee, public):
            for model in MODELS:
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([], limit=1)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_portal_cannot_read_evaluations(self):
        with self.assertRaises(AccessError):
            self.env["psa.dossier.evaluation"].with_user(self.staff_a).search([])

    def test_workflow_fields_cannot_be_forced(self):
        for user in (self.officer, self.admin_user):
            with self.assertRaisesRegex(UserError, "cannot be set directly"):
                self.dossier_a.with_user(user).write({"date_due": "2030-01-01 10:00:00"})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.dossier_a.write({"name": "000.00.05.H26-260101-0001"})
        with self.assertRaisesRegex(ValidationError, "starts as"):
            self._new_dossier(stage_id=self.stage[10].id)
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self._new_dossier(apology_issued=True)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_portal_staff_only_upload_scans_while_allowed(self):
        doc = self.dossier_a.document_ids[0].with_user(self.staff_a)
        with self.assertRaises(AccessError):
            doc.write({"state": "accepted"})
        with self.assertRaises(AccessError):
            doc.write({"file": b"UERG", "file_name": "a.pdf"})
        dossier = self.dossier_a.with_user(self.staff_a)
        dossier._psa_portal_upload({doc.id: (b"%PDF-1.4", "a.pdf")})
        self.assertEqual(doc.sudo().state, "submitted")
        self._fill(self.dossier_a).action_receive()
        with self.assertRaisesRegex(UserError, "newly registered"):
            dossier._psa_portal_upload({doc.id: (b"%PDF-1.4", "b.pdf")})

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_technical_models_for_administrators_only(self):
        employee = new_test_user(self.env, login="t_employee3", groups="base.group_user")
        for model in ("psa.dossier.sequence", "psa.tracking.attempt"):
            self.env[model].with_user(self.admin_user).search([], limit=1)
            for user in (self.officer, self.staff_a, employee, self.env.ref("base.public_user")):
                with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([], limit=1)
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.admin_user).create({})

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_dossier_wizards_for_officers_only(self):
        wizards = {
            "psa.dossier.apology.wizard": {"reason": "x", "new_due": "2030-01-01 10:00:00"},
            "psa.dossier.supplement.wizard": {},
            "psa.dossier.refuse.wizard": {"reason": "x"},
        }
        for model, vals in wizards.items():
            vals = {"dossier_id": self.dossier_a.id, **vals}
            self.env[model].with_user(self.officer).create(vals)
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.staff_a).create(vals)
        with self.assertRaises(AccessError):
            self.env["psa.agent.state.wizard"].with_user(self.officer).create(
                {
                    "agent_ids": [(6, 0, self.agent_a.ids)],
                    "target_state": "suspended",
                    "reason": "x",
                }
            )
