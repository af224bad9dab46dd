from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPostalCarrier(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, login="t_officer", groups="public_service_agent.group_psa_officer"
        )
        cls.admin_user = new_test_user(
            cls.env, login="t_admin", groups="public_service_agent.group_psa_admin"
        )
        cls.carrier = cls.env["postal.carrier"].create(
            {"name": "VTP", "carrier_type": "viettelpost", "api_password": "s3cret"}
        )

    def test_officer_is_a_dispatcher(self):
        self.assertTrue(self.officer.has_group("postal_delivery.group_postal_dispatcher"))
        self.assertEqual(self.carrier.with_user(self.officer).name, "VTP")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_credentials_for_administrators_only(self):
        with self.assertRaises(AccessError):
            self.carrier.with_user(self.officer).read(["api_password"])
        with self.assertRaises(AccessError):
            self.carrier.with_user(self.officer).write({"name": "x"})
        self.assertEqual(self.carrier.with_user(self.admin_user).api_password, "s3cret")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_portal_sees_no_carrier(self):
        portal = new_test_user(self.env, login="t_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.carrier.with_user(portal).read(["name"])
