from odoo.tests import tagged

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalContactCentre(PostalCommon):
    """Tickets name their delivery; the Center's dashboard counts deliveries on time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["psa.ticket"].with_user(cls.officer)

    def test_delivery_complaint_finds_its_delivery(self):
        first = self._new_delivery(tracking_ref="VTP111")
        second = self._new_delivery(dossier=first.dossier_id, tracking_ref="VTP222")
        by_number = self.Ticket.create(
            {"subject": "Chưa nhận được", "category": "delivery", "delivery_ref": "vtp 111"}
        )
        self.assertEqual(by_number.delivery_id, first)
        by_dossier = self.Ticket.create(
            {"subject": "Hỏi bưu gửi", "category": "status", "dossier_code": first.dossier_id.name}
        )
        self.assertEqual(by_dossier.delivery_id, second, "the dossier's latest delivery")

    def test_dashboard_counts_deliveries_on_time(self):
        delivery = self._new_delivery()
        delivery.action_request()
        delivery.action_pick_up()
        delivery.action_out_for_delivery()
        delivery.action_deliver()
        self.env.flush_all()
        rows = (
            self.env["psa.center.dashboard"]
            .with_user(self.officer)
            ._read_group(
                [("agent_id", "=", delivery.dossier_id.agent_id.id)],
                aggregates=["delivery_count:sum", "delivery_on_time_percent:avg"],
            )
        )
        self.assertEqual(rows[0][0], 1)
        self.assertIn(rows[0][1], (0.0, 100.0))
