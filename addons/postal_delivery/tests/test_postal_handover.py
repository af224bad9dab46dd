import io

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.pdf import PdfReader

from odoo.addons.base.models.ir_qweb import QWebException

from .common import PostalCommon

# A 1x1 PNG: a drawn signature as the portal's signature pad sends it.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6"
    "kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPostalHandover(PostalCommon):
    def _new_dossiers(self, count=2, agent=None):
        return self.env["psa.dossier"].concat(
            *[self._fill(self._new_dossier(agent=agent)) for _ in range(count)]
        )

    def test_agent_staff_prepare_and_sign_then_center_receipt(self):
        dossiers = self._new_dossiers()
        Handover = self.env["postal.handover"].with_user(self.staff_a)
        handover = Handover._portal_prepare(dossiers.ids, self.carrier.id)
        self.assertEqual(handover.agent_id, self.agent_a)
        self.assertEqual(len(handover.delivery_ids), 2)
        self.assertEqual(set(handover.delivery_ids.mapped("state")), {"requested"})
        self.assertEqual(set(handover.delivery_ids.mapped("service_type")), {"send_dossier"})
        self.assertTrue(handover.name.startswith("BBGN-"))
        # Signing needs both names.
        with self.assertRaises(ValidationError):
            handover.with_user(self.staff_a)._portal_sign("Trần Thị B", SIGNATURE, "", False)
        handover.with_user(self.staff_a)._portal_sign(
            "Trần Thị B", SIGNATURE, "Lê Văn C (bưu tá)", SIGNATURE
        )
        self.assertEqual(handover.state, "signed")
        self.assertEqual(set(handover.delivery_ids.mapped("state")), {"picked_up"})
        self.assertTrue(all(handover.delivery_ids.mapped("date_accepted")))
        with self.assertRaises(UserError):
            handover.write({"delivery_ids": [(5, 0, 0)]})
        # The postman hands the batch to the Center: that signature is the legal receipt.
        self.assertEqual(set(dossiers.mapped("status_code")), {1})
        receipt = (
            self.env["postal.handover"]
            .with_user(self.officer)
            .create(
                {
                    "kind": "post_to_center",
                    "carrier_id": self.carrier.id,
                    "delivery_ids": [(6, 0, handover.delivery_ids.ids)],
                    "sender_signer": "Lê Văn C",
                    "receiver_signer": "Cán bộ một cửa",
                }
            )
        )
        receipt.action_sign()
        self.assertEqual(set(receipt.delivery_ids.mapped("state")), {"delivered"})
        self.assertEqual(set(dossiers.mapped("status_code")), {2})
        for dossier in dossiers:
            self.assertEqual(dossier.date_received, receipt.date_signed)
            self.assertEqual(
                dossier.date_due, dossier._deadline_vals(receipt.date_signed)["date_due"]
            )
        moves = receipt.delivery_ids.event_ids.filtered(lambda e: e.source == "handover")
        self.assertTrue(moves)

    def test_staff_cannot_batch_or_sign_another_agents_records(self):
        theirs = self._new_dossiers(1, agent=self.agent_b)
        Handover = self.env["postal.handover"].with_user(self.staff_a)
        with self.assertRaises(ValidationError):
            Handover._portal_prepare(theirs.ids, self.carrier.id)
        handover_b = (
            self.env["postal.handover"]
            .with_user(self.staff_b)
            ._portal_prepare(theirs.ids, self.carrier.id)
        )
        with self.assertRaises(AccessError):
            handover_b.with_user(self.staff_a)._portal_sign("A", SIGNATURE, "B", SIGNATURE)
        self.assertEqual(handover_b.state, "draft")
        with self.assertRaises(AccessError):
            self.env["postal.handover"].with_user(self.officer)._portal_prepare(
                theirs.ids, self.carrier.id
            )

    def test_a_dossier_is_sent_once(self):
        dossiers = self._new_dossiers(1)
        Handover = self.env["postal.handover"].with_user(self.staff_a)
        Handover._portal_prepare(dossiers.ids, self.carrier.id)
        with self.assertRaises(ValidationError):
            Handover._portal_prepare(dossiers.ids, self.carrier.id)

    def test_handover_and_label_pdfs(self):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        delivery.action_request()
        # The Center's officer hands the results to the postman and records it.
        handover = (
            self.env["postal.handover"]
            .with_user(self.officer)
            .create(
                {
                    "kind": "center_to_post",
                    "carrier_id": self.carrier.id,
                    "delivery_ids": [(6, 0, delivery.ids)],
                    "sender_signer": "Cán bộ trả kết quả",
                    "receiver_signer": "Bưu tá",
                    "receiver_signature": SIGNATURE,
                }
            )
        )
        handover.action_sign()
        self.assertEqual(delivery.state, "picked_up")
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            .with_context(force_report_rendering=True)
        )
        for xmlid, record, title, size_mm in (
            (
                "postal_delivery.action_report_postal_handover",
                handover,
                "BIÊN BẢN GIAO NHẬN",
                (210, 297),
            ),
            ("postal_delivery.action_report_postal_label", delivery, delivery.name, (100, 150)),
            (
                "postal_delivery.action_report_postal_return_slip",
                delivery,
                "PHIẾU GỬI KẾT QUẢ",
                (148, 210),
            ),
        ):
            pdf, kind = Report._render_qweb_pdf(xmlid, record.ids)
            self.assertEqual(kind, "pdf")
            reader = PdfReader(io.BytesIO(pdf))
            box = reader.pages[0].mediabox
            width, height = float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72
            self.assertAlmostEqual(width, size_mm[0], delta=2)
            self.assertAlmostEqual(height, size_mm[1], delta=2)
            text = "".join(page.extract_text() for page in reader.pages)
            flat = "".join(text.split())
            self.assertIn("".join(title.split()), flat, xmlid)
            self.assertIn(delivery.dossier_id.name, flat, xmlid)
            if record == handover:
                self.assertIn(delivery.name, flat)  # the Phiếu gửi number
                self.assertIn("Bưutá", flat)  # the receiving signer
        # The label carries the barcode and QR code as images.
        html = Report._render_qweb_html("postal_delivery.action_report_postal_label", delivery.ids)[
            0
        ]
        self.assertEqual(html.count(b"data:image/png;base64"), 2)

    def test_label_hides_recipient_from_users_without_the_right(self):
        delivery = self._done_dossier().postal_delivery_ids
        report = self.env["ir.actions.report"].with_user(self.finance_like)
        with self.assertRaisesRegex(QWebException, "not allowed to access"):
            report._render_qweb_html("postal_delivery.action_report_postal_label", delivery.ids)

    def test_a_record_carries_deliveries_of_its_direction_only(self):
        delivery = self._done_dossier().postal_delivery_ids  # a return delivery
        delivery.action_request()
        handover = (
            self.env["postal.handover"]
            .with_user(self.officer)
            .create(
                {
                    "kind": "post_to_center",
                    "carrier_id": self.carrier.id,
                    "delivery_ids": [(6, 0, delivery.ids)],
                    "sender_signer": "A",
                    "receiver_signer": "B",
                }
            )
        )
        with self.assertRaises(ValidationError):
            handover.action_sign()
        self.assertEqual(delivery.state, "requested")
