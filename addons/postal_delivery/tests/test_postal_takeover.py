"""Issue 16, class 2: a return delivery goes to the dossier's contact, never the registry's."""

from odoo.tests import tagged

from odoo.addons.public_service_agent.tests.test_psa_citizen_takeover import (
    ATTACKER,
    file_at_counter,
)
from odoo.addons.public_service_agent.tests.test_psa_portal import PsaHttpCommon

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalTakeover(PostalCommon, PsaHttpCommon):
    def _done(self, dossier):
        dossier = dossier.with_user(self.officer)
        dossier.action_receive()
        dossier.action_start_processing()
        dossier.action_mark_done()
        return dossier

    def test_return_delivery_carries_the_dossiers_contact(self):
        # Agent B's staff file with agent A's citizen's CCCD (street on file: 12 Hàng Bài).
        dossier = file_at_counter(
            self,
            self.staff_b,
            cccd=self.citizen.sudo().psa_cccd,
            return_method="post",
            ward_id=str(self.other_ward.id),
            **ATTACKER,
        )
        delivery = self._done(dossier).sudo().postal_delivery_ids
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.recipient_name, "Nguyễn Văn Giả")
        self.assertEqual(delivery.recipient_phone, "+84977000111")
        self.assertEqual(delivery.recipient_street, "99 Phố Giả")
        self.assertEqual(delivery.ward_id, self.other_ward)
        # Created through the ORM from the dossier alone, it says the same.
        orm = self.env["postal.delivery"].create(
            {"dossier_id": dossier.id, "carrier_id": self.carrier.id}
        )
        self.assertEqual(
            (orm.recipient_name, orm.recipient_phone, orm.recipient_street, orm.ward_id),
            ("Nguyễn Văn Giả", "+84977000111", "99 Phố Giả", self.other_ward),
        )
        # The citizen's record is unchanged.
        self.assertEqual(self.citizen.street, "12 Hàng Bài")
        self.assertEqual(self.citizen.name, "Nguyễn Văn An")
        self.assertFalse(self.citizen.email)
