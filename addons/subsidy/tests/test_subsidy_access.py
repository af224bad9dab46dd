import csv

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_path

from odoo.addons.public_service_agent.tests.common import GROUPS

from .common import SubsidyCommon


@tagged("post_install", "-at_install")
class TestSubsidyAccess(SubsidyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {}
        for key, xmlid in GROUPS.items():
            if not cls.env.ref(xmlid, raise_if_not_found=False):
                continue  # agent_training is not a dependency of subsidy
            internal = key not in ("public", "portal")
            groups = f"base.group_user,{xmlid}" if internal else xmlid
            cls.users[key] = new_test_user(cls.env, login=f"t_sub_acl_{key}", groups=groups)
        cls.delivery = cls._deliver("2026-02-02 03:00:00")
        cls.claim = cls._claims(cls.delivery)
        cls.statement = (
            cls.env["subsidy.statement"]
            .with_user(cls.finance)
            ._generate("2026-02-01", cls.operator_a)
        )
        cls.statement.action_confirm()

    def _matrix(self):
        path = file_path("subsidy/security/access_matrix.csv")
        with open(path, encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def test_declared_matrix_holds_through_the_orm(self):
        rows = [r for r in self._matrix() if r["model"] != "subsidy.policy"]
        models = {r["model"] for r in rows}
        own = {
            m.model
            for m in self.env["ir.model"].search([("model", "=like", "subsidy.%")])
            if not self.env[m.model]._abstract
            and m.model not in ("subsidy.policy",)
            and "subsidy" in m.modules.split(", ")
        }
        self.assertEqual(own - models, set(), "every subsidy model has its matrix rows")
        for row in rows:
            user = self.users.get(row["group"])
            if not user:
                continue
            Model = self.env[row["model"]].with_user(user)
            for op in ("read", "write", "create", "unlink"):
                with self.subTest(model=row["model"], group=row["group"], op=op):
                    self.assertEqual(Model.has_access(op), row[f"perm_{op}"] == "1")

    def test_declared_personal_fields_are_the_readable_ones(self):
        for row in self._matrix():
            if row["model"] not in ("subsidy.claim", "subsidy.eligibility"):
                continue
            user = self.users.get(row["group"])
            if not user or row["perm_read"] != "1":
                continue
            declared = set(row["personal_fields"].split())
            fields = self.env[row["model"]].with_user(user).fields_get()
            for name in ("citizen_id", "proof_attachment_ids"):
                if name not in self.env[row["model"]]._fields:
                    continue
                with self.subTest(model=row["model"], group=row["group"], field=name):
                    self.assertEqual(name in fields, name in declared)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_officer_reads_claims_but_cannot_change_them(self):
        officer = self.users["officer"]
        claim = self.claim.with_user(officer)
        self.assertEqual(claim.amount, 30000)
        self.assertEqual(claim.citizen_id, self.citizen)
        with self.assertRaises(AccessError):
            claim.write({"state": "rejected", "reject_reason": "x"})
        with self.assertRaises(AccessError):
            self.statement.with_user(officer).read(["name"])
        with self.assertRaises(AccessError):
            self.env["subsidy.budget"].with_user(officer).search([])

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_agent_staff_see_nothing(self):
        for staff in (self.staff_a, self.staff_b):
            self.assertFalse(self.env["subsidy.statement"].with_user(staff).search([]))
            self.assertFalse(self.env["subsidy.claim"].with_user(staff).search([]))
            with self.assertRaises(AccessError):
                self.claim.with_user(staff).read(["amount"])

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_operators_see_only_their_own(self):
        self.assertEqual(
            self.env["subsidy.statement"].with_user(self.accountant_a).search([]), self.statement
        )
        self.assertFalse(self.env["subsidy.statement"].with_user(self.accountant_b).search([]))
        with self.assertRaises(AccessError):
            self.statement.with_user(self.accountant_b).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.claim.with_user(self.accountant_b)._portal_respond("dispute", "not ours")
        # The operator answers only through _portal_respond, never by writing.
        with self.assertRaises(AccessError):
            self.claim.with_user(self.accountant_a).write({"operator_status": "resolved"})
        # Draft statements stay internal.
        self.statement.with_user(self.finance).action_reverse()
        self.assertFalse(self.env["subsidy.statement"].with_user(self.accountant_a).search([]))

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_trainer_and_public_see_nothing(self):
        for key in ("trainer", "training_manager", "public"):
            user = self.users.get(key)
            if not user:
                continue
            for model in (
                "subsidy.claim",
                "subsidy.statement",
                "subsidy.budget",
                "subsidy.eligibility",
            ):
                with self.subTest(group=key, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_finance_does_everything_in_subsidy(self):
        finance = self.users["finance"]
        budget = (
            self.env["subsidy.budget"]
            .with_user(finance)
            .create({"year": 2027, "policy_id": self.nq77.id, "allocation": 1000})
        )
        category = (
            self.env["subsidy.beneficiary.category"]
            .with_user(finance)
            .create({"name": "X", "code": "T_X"})
        )
        budget.unlink()
        category.unlink()
        self.assertEqual(self.claim.with_user(finance).citizen_masked, "Nguyễn V. A.")

    def _open_views(self, user, model, view_types=("list", "form")):
        """What the web client does to open a model's list and form: no access error."""
        Model = self.env[model].with_user(user)
        views = Model.get_views([(False, vt) for vt in view_types])
        for view_type in view_types:
            fields = views["views"][view_type]["arch"]
            spec = {}
            for name in views["models"][model]["fields"]:
                if f'name="{name}"' in fields:
                    field = Model._fields[name]
                    spec[name] = (
                        {"fields": {"display_name": {}}}
                        if field.type in ("many2one", "one2many", "many2many")
                        else {}
                    )
            result = Model.web_search_read([], spec, limit=5)
            self.assertIsInstance(result["records"], list)

    def test_users_open_their_menus(self):
        self._open_views(self.users["officer"], "subsidy.claim")
        self._open_views(self.users["officer"], "subsidy.eligibility")
        for model in (
            "subsidy.claim",
            "subsidy.statement",
            "subsidy.budget",
            "subsidy.eligibility",
            "subsidy.policy",
        ):
            with self.subTest(model=model):
                self._open_views(self.users["finance"], model)
        self._open_views(self.users["finance"], "subsidy.claim", ("pivot", "graph"))
