import csv

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open, mute_logger

from odoo.addons.public_service_agent.tests.common import GROUPS, OPERATIONS

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalAccessMatrix(PostalCommon):
    """Every row of security/access_matrix.csv, checked through the ORM with a real user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with file_open("postal_delivery/security/access_matrix.csv") as handle:
            cls.rows = [row for row in csv.DictReader(handle) if row["model"].startswith("postal.")]
        cls.users = {}
        for key, xmlid in GROUPS.items():
            group = cls.env.ref(xmlid, raise_if_not_found=False)
            if not group:
                continue
            groups = xmlid if key in ("public", "portal") else f"base.group_user,{xmlid}"
            cls.users[key] = new_test_user(cls.env, login=f"t_matrix_{key}", groups=groups)
        cls.users["portal"].partner_id.parent_id = cls.agent_a.partner_id
        dossier = cls._done_dossier()
        cls.samples = {
            "postal.delivery": dossier.postal_delivery_ids,
            "postal.delivery.event": cls.env["postal.delivery.event"].search([], limit=1),
            "postal.leg.limit": cls.env.ref("postal_delivery.leg_hanoi"),
            "postal.carrier.status": cls.env.ref("postal_delivery.vtp_501"),
            "postal.handover": cls.env["postal.handover"].create(
                {"carrier_id": cls.carrier.id, "agent_id": cls.agent_a.id}
            ),
            "postal.webhook.event": cls.env["postal.webhook.event"].create(
                {"carrier_id": cls.carrier.id, "event_key": "k1", "raw_body": "{}"}
            ),
        }
        dossier.postal_delivery_ids.action_request()
        cls.samples["postal.delivery.event"] = dossier.postal_delivery_ids.event_ids[:1]

    def test_every_postal_model_has_its_seven_rows(self):
        models = {
            name
            for name in self.env.registry.models
            if name.startswith("postal.") and not self.env[name]._abstract
        }
        for model in models:
            groups = {row["group"] for row in self.rows if row["model"] == model}
            if model == "postal.carrier" and not groups:
                continue  # the security engineer writes the carrier's rows
            self.assertEqual(groups, set(GROUPS), model)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_model_rights_and_personal_fields(self):
        personal = {}
        for row in self.rows:
            personal.setdefault(row["model"], set()).update(row["personal_fields"].split())
        checked = 0
        for row in self.rows:
            user = self.users.get(row["group"])
            if not user or row["model"] == "postal.carrier":
                continue
            Model = self.env[row["model"]].with_user(user)
            for operation in OPERATIONS:
                with self.subTest(model=row["model"], group=row["group"], op=operation):
                    expected = row[f"perm_{operation}"] == "1"
                    self.assertEqual(
                        self.env["ir.model.access"]
                        .with_user(user)
                        .check(row["model"], operation, raise_exception=False),
                        expected,
                    )
                    checked += 1
            if row["perm_read"] != "1":
                with self.subTest(model=row["model"], group=row["group"], op="read record"):
                    with self.assertRaises(AccessError):
                        self.samples[row["model"]].with_user(user).read(["id"])
                continue
            readable = set(row["personal_fields"].split())
            for field in personal[row["model"]]:
                with self.subTest(model=row["model"], group=row["group"], field=field):
                    if field in readable:
                        Model.check_field_access_rights("read", [field])
                        self.samples[row["model"]].with_user(user).read([field])
                    else:
                        with self.assertRaises(AccessError):
                            self.samples[row["model"]].with_user(user).read([field])
        self.assertGreater(checked, 100)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_portal_rules_limit_staff_to_their_agent(self):
        sample = self._done_dossier(agent=self.agent_b).postal_delivery_ids
        with self.assertRaises(AccessError):
            sample.with_user(self.staff_a).read(["name"])
        own = self.samples["postal.delivery"].with_user(self.staff_a)
        self.assertEqual(own.read(["recipient_phone"])[0]["recipient_phone"], self.citizen.phone)
        handover_b = self.env["postal.handover"].create(
            {"carrier_id": self.carrier.id, "agent_id": self.agent_b.id}
        )
        with self.assertRaises(AccessError):
            handover_b.with_user(self.staff_a).read(["name"])
        self.assertEqual(
            self.env["postal.delivery"].with_user(self.staff_a).search([]),
            self.samples["postal.delivery"],
        )
