import io

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .common import PostalCommon

LABEL = "postal_delivery.report_postal_label"


@tagged("post_install", "-at_install")
class TestPostalTour(PostalCommon, HttpCase):
    """The Center's dispatcher (an officer, nothing more) prints three labels at once."""

    def test_dispatcher_prints_three_labels_at_once(self):
        carrier = self.env["postal.carrier"].create(
            {"name": "Tour Express Hà Nội", "carrier_type": "manual", "sequence": 50}
        )
        deliveries = self.env["postal.delivery"]
        for _index in range(3):
            deliveries |= self._new_delivery(carrier_id=carrier.id)
        self.start_tour("/odoo", "postal_print_three_labels", login=self.officer.login, timeout=180)
        # What the Print menu asked for, fetched again with the officer's session: one label per
        # delivery (tests render reports as HTML), then the real PDF: one page per label.
        self.authenticate(self.officer.login, self.officer.login)
        ids = ",".join(str(i) for i in sorted(deliveries.ids))
        response = self.url_open(f"/report/pdf/{LABEL}/{ids}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text.count('class="page pd-label"'), 3)
        for delivery in deliveries:
            self.assertIn(delivery.label_code, response.text)
            self.assertIn(f"/tracking?code={delivery.dossier_id.name}", response.text)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(LABEL, deliveries.ids)
        )
        self.assertEqual((kind, len(PdfReader(io.BytesIO(pdf)).pages)), ("pdf", 3))
