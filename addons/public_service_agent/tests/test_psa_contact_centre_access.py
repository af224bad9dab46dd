import csv
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUPS, OPERATIONS, PsaDossierCommon

MATRIX = Path(__file__).parent.parent / "security" / "access_matrix_contact_centre.csv"


@tagged("post_install", "-at_install")
class TestPsaContactCentreAccess(PsaDossierCommon):
    """Every row of access_matrix_contact_centre.csv, for each group installed, through the ORM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with MATRIX.open() as handle:
            cls.rows = list(csv.DictReader(handle))
        cls.users = {}
        for code, xmlid in GROUPS.items():
            if code == "public":
                cls.users[code] = cls.env.ref("base.public_user")
                continue
            if not cls.env.ref(xmlid, raise_if_not_found=False):
                continue  # that addon is not installed in this database
            if code == "officer":
                cls.users[code] = cls.officer
            elif code == "admin":
                cls.users[code] = cls.admin_user
            elif code == "portal":
                cls.users[code] = cls.staff_a
            else:
                groups = xmlid if code == "portal" else f"base.group_user,{xmlid}"
                cls.users[code] = new_test_user(cls.env, login=f"t_cc_{code}", groups=groups)
        dossier = cls._new_dossier(cls.agent_a, staff_user_id=cls.staff_a.id)
        cls.ticket = cls.env["psa.ticket"].create(
            {
                "subject": "Phản ánh",
                "category": "extra_fee",
                "dossier_id": dossier.id,
                "contact_phone": "0912345678",
                "contact_email": "an@example.vn",
                "contact_name": "An",
            }
        )

    def test_matrix_covers_every_model_and_group(self):
        models = {row["model"] for row in self.rows}
        for model in models:
            self.assertEqual(
                {row["group"] for row in self.rows if row["model"] == model}, set(GROUPS), model
            )
            self.assertIn(model, self.env)
        for model in (
            "psa.ticket",
            "psa.ticket.stage",
            "psa.ticket.call",
            "psa.notification",
            "psa.notification.template",
            "psa.notification.provider",
            "psa.quality.rule",
            "psa.quality.signal",
            "psa.center.dashboard",
        ):
            self.assertIn(model, models)

    def test_model_rights_match_the_matrix(self):
        checked = 0
        for row in self.rows:
            user = self.users.get(row["group"])
            if not user:
                continue
            model = self.env[row["model"]].with_user(user)
            for operation in OPERATIONS:
                expected = row[f"perm_{operation}"] == "1"
                with self.subTest(model=row["model"], group=row["group"], op=operation):
                    self.assertEqual(model.has_access(operation), expected)
                    checked += 1
        self.assertGreaterEqual(checked, 9 * 4 * 4)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_personal_fields_only_for_declared_groups(self):
        for row in self.rows:
            if row["model"] != "psa.ticket":
                continue
            user = self.users.get(row["group"])
            if not user:
                continue
            ticket = self.ticket.with_user(user)
            declared = row["personal_fields"].split()
            with self.subTest(group=row["group"]):
                if declared:
                    values = ticket.read(declared)[0]
                    self.assertEqual(values["contact_phone"], "+84912345678")
                else:
                    with self.assertRaises(AccessError):
                        ticket.read(["contact_phone"])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_officer_cannot_configure_or_forge(self):
        officer = self.officer
        with self.assertRaises(AccessError):
            self.env["psa.notification"].with_user(officer).create(
                {"event_code": "dossier_received", "channel": "sms", "dedup_key": "x"}
            )
        with self.assertRaises(AccessError):
            self.env["psa.quality.signal"].with_user(officer).create(
                {"signal_type": "proxy", "agent_id": self.agent_a.id}
            )
        provider = self.env["psa.notification.provider"].create(
            {
                "name": "P",
                "provider_type": "http_sms",
                "endpoint_url": "https://x.invalid",
                "access_token": "secret-token",
            }
        )
        with self.assertRaises(AccessError):
            provider.with_user(officer).read(["access_token"])
        self.assertEqual(provider.with_user(self.admin_user).access_token, "secret-token")
        with self.assertRaises(AccessError):
            self.ticket.with_user(officer).unlink()
