from odoo.tests import TransactionCase, tagged

BASE = "https://dichvucong.example.gov.vn"


@tagged("post_install", "-at_install")
class TestReportsUseTheBaseUrl(TransactionCase):
    """Printed links and QR codes follow ``web.base.url``, never the address Odoo runs on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", BASE)
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url.freeze", "True")
        cls.dossier = cls.env.ref("public_service_agent.dossier_processing")

    def _html(self, report_ref, records):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(report_ref, records.ids)
        return html.decode()

    def test_dossier_forms_link_to_the_configured_tracking_page(self):
        self.assertEqual(self.dossier.get_base_url(), BASE)
        html = self._html("public_service_agent.action_report_psa_form01", self.dossier)
        self.assertIn(f"{BASE}/tracking", html)
        self.assertNotIn("127.0.0.1", html)
        self.assertNotIn("localhost", html)

    def test_qr_codes_carry_the_configured_tracking_url(self):
        """Every form's QR code encodes the public tracking URL with the dossier code.

        The barcode widget names its value in the image's alt text.
        """
        url = f"{BASE}/tracking?code={self.dossier.name}"
        for report in (
            "public_service_agent.action_report_psa_form01",
            "public_service_agent.action_report_psa_form05",
            "public_service_agent.action_report_psa_phieu_gui",
        ):
            with self.subTest(report=report):
                html = self._html(report, self.dossier)
                self.assertIn(url, html)
                self.assertIn('src="data:image/png;base64,', html)
