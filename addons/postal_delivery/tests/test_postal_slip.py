from odoo.tests import tagged

from .common import PostalCommon


@tagged("post_install", "-at_install")
class TestPostalSlip(PostalCommon):
    """The Phiếu gửi prints the postage and item number of the dossier's deliveries."""

    def _slip_html(self, dossier, report="public_service_agent.action_report_psa_phieu_gui"):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_html(report, dossier.ids)
        )
        return html.decode()

    def test_slip_prints_postage_and_tracking_number(self):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        delivery.write({"postage": 25000, "cod_amount": 1200000, "tracking_ref": "VTP123456789"})
        html = self._slip_html(dossier)
        self.assertIn("25.000 đ", html)
        self.assertIn("1.200.000 đ", html)
        self.assertIn("VTP123456789", html)
        self.assertIn("chiều trả kết quả", html)
        self.assertNotIn("Cước dịch vụ bưu chính: ....", html)
        # The return slip of the delivery too.
        slip = self._slip_html(delivery, "postal_delivery.action_report_postal_return_slip")
        self.assertIn("25.000 đ", slip)
        self.assertIn("VTP123456789", slip)

    def test_slip_before_rating_keeps_the_amount_blank(self):
        dossier = self._done_dossier()
        html = self._slip_html(dossier)
        # Not rated yet: the amount stays to be filled in, the item number is ours.
        self.assertIn(dossier.postal_delivery_ids.name, html)
        self.assertIn("....................... đồng", html)

    def test_counter_dossier_keeps_the_blank(self):
        dossier = self._fill(self._new_dossier(return_method="agent"))
        html = self._slip_html(dossier)
        self.assertIn("Cước dịch vụ bưu chính: ....................... đồng", html)
        self.assertNotIn("số hiệu bưu gửi", html)

    def test_cancelled_delivery_is_not_printed(self):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        delivery.write({"postage": 25000})
        delivery.action_cancel("Công dân đổi sang nhận tại quầy")
        html = self._slip_html(dossier)
        self.assertNotIn("25.000 đ", html)
        self.assertIn("Cước dịch vụ bưu chính: ....................... đồng", html)

    def test_return_slip_names_sender_recipient_and_agency(self):
        # Entered by hand, without addresses: the Center sends, the citizen receives.
        delivery = self._new_delivery(dossier=self._done_dossier(), postage=26000)
        self.assertFalse(delivery.sender_name)
        html = self._slip_html(delivery, "postal_delivery.action_report_postal_return_slip")
        self.assertIn(self.env.company.name, html)
        self.assertIn(self.citizen.name, html)
        self.assertIn("12 Hàng Bài", html)
        name, _parent, _address = delivery.dossier_id._psa_agency()
        self.assertTrue(name)
        self.assertIn(f"Cơ quan giải quyết: {name}", html)
        # The result line is Vietnamese, as the slip, whoever created the delivery.
        self.assertIn("Kết quả giải quyết thủ tục", delivery.result_documents)
        self.assertIn("26.000 đ", html)
