"""Hostile input on the public certificate pages (issue #15, public inputs never crash)."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrainingPublicInputHostile(HttpCase):
    def test_non_ascii_or_nul_access_token_is_a_redirect(self):
        certificate = self.env["training.certificate"].sudo().search([], limit=1)
        certificate._portal_ensure_token()
        for token in ("٣٤٥٦", "é" * 40, "a\x00b"):
            response = self.url_open(
                f"/my/certificates/{certificate.id}?access_token={token}",
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 303, token)

    def test_out_of_range_certificate_id_is_not_a_500(self):
        for certificate_id in ("99999999999999999999", "9" * 5000):
            response = self.url_open(f"/my/certificates/{certificate_id}", allow_redirects=False)
            self.assertLess(response.status_code, 500, certificate_id[:30])
