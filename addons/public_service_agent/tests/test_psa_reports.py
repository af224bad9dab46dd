import io
import unicodedata
from datetime import timedelta

import pytz

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import freeze_time
from odoo.tools.pdf import PdfReader
from odoo.tools.safe_eval import safe_eval

from .common import PsaDossierCommon

# A5 portrait in PostScript points: 148 x 210 mm.
A5_WIDTH, A5_HEIGHT = 148 / 25.4 * 72, 210 / 25.4 * 72

REPORTS = {
    "public_service_agent.action_report_psa_form01": (
        "Mau01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    ),
    "public_service_agent.action_report_psa_form02": (
        "Mau02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    ),
    "public_service_agent.action_report_psa_form03": (
        "Mau03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    ),
    "public_service_agent.action_report_psa_form04": (
        "Mau04",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    ),
    "public_service_agent.action_report_psa_form05": (
        "Mau05",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    ),
    "public_service_agent.action_report_psa_phieu_gui": ("PhieuGui", "PHIẾU GỬI HỒ SƠ"),
}
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
HANOI = pytz.timezone("Asia/Ho_Chi_Minh")


# Forms 02-04 fill their page with the signatures at its foot; with the slip, one page each.
FILLED = {
    "public_service_agent.action_report_psa_form02",
    "public_service_agent.action_report_psa_form03",
    "public_service_agent.action_report_psa_form04",
}
ONE_PAGE = FILLED | {"public_service_agent.action_report_psa_phieu_gui"}


def _lowest_text(page):
    """Height above the bottom edge, in points, of the lowest text drawn on the page."""
    heights = []

    def visit(text, cm, tm, _font_dict, _font_size):
        if text.strip():
            heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return min(heights)


def _squash(text):
    """Text compared without case, spacing or Unicode composition differences."""
    return "".join(unicodedata.normalize("NFC", text or "").split()).casefold()


@tagged("post_install", "-at_install")
class TestPsaReports(PsaDossierCommon):
    """The forms of Circular 01/2018 and the Phiếu gửi, as real A5 PDFs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.procedure.write({"fee": 200000})
        declaration, id_copy, _proxy = cls.procedure.document_ids.sorted("sequence")
        declaration.write({"copy_type": "original", "quantity": 2})
        id_copy.write({"copy_type": "certified"})
        cls.ward = cls.env["psa.admin.unit"].search(
            [("level", "=", "ward"), ("is_legacy", "=", False)], limit=1
        )
        cls.agent_a.write({"street": "75 Đinh Tiên Hoàng", "ward_id": cls.ward.id})
        cls.staff_a.partner_id.name = "Trần Thị Bình"

        # The main dossier goes the whole way, moved by the officer with mail tracking on (form 05
        # reads the stage history from the chatter): receipt, processing, apology, done, returned.
        with freeze_time("2026-03-02 02:00:00"):
            cls.dossier = cls._new_dossier(
                street="12 Tràng Tiền", ward_id=cls.ward.id, return_method="post"
            )
            cls._fill(cls.dossier)
            # The counter staff; written past the training gate, which is not tested here.
            cls.dossier.sudo().with_context(psa_skip_checks=True).write(
                {"staff_user_id": cls.staff_a.id}
            )
            cls._flush_tracking()
        with freeze_time("2026-03-02 03:15:00"):
            cls.dossier.action_receive()
            cls._flush_tracking()
        cls.first_due = cls.dossier.date_due
        with freeze_time("2026-03-03 02:30:00"):
            cls.dossier.action_start_processing()
            cls._flush_tracking()
            cls.dossier.action_issue_apology(
                "Cần xác minh thêm thông tin với cơ quan công an", cls.first_due + timedelta(days=2)
            )
            cls._flush_tracking()
        with freeze_time("2026-03-05 04:00:00"):
            cls.dossier.action_mark_done()
            cls._flush_tracking()
        with freeze_time("2026-03-06 03:00:00"):
            cls.dossier.action_return_result()
            cls._flush_tracking()

        # More documents requested: one rejected scan and a note.
        cls.supplement = cls._fill(cls._new_dossier())
        cls.supplement.action_receive()
        cls.supplement.document_ids.filtered(lambda d: d.name == "Bản chụp CCCD").action_reject(
            "Ảnh chụp mờ, không đọc được số CCCD"
        )
        cls.supplement.action_request_supplement("Bổ sung giấy xác nhận cư trú")

        cls.refused = cls._new_dossier()
        cls.refused.action_refuse("Thủ tục không thuộc thẩm quyền của Sở Tư pháp")
        cls.blank = cls._new_dossier()

    @classmethod
    def _flush_tracking(cls):
        cls.env.flush_all()
        cls.env.cr.flush()

    # ------------------------------------------------------------------ helpers
    def _html(self, report_ref, records, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        html, report_type = Report._render_qweb_html(report_ref, records.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def _pdf(self, report_ref, records, user=None):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if user:
            Report = Report.with_user(user)
        pdf, report_type = Report._render_qweb_pdf(report_ref, records.ids)
        self.assertEqual(report_type, "pdf")
        return pdf

    @staticmethod
    def _local(moment, pattern):
        return pytz.utc.localize(moment).astimezone(HANOI).strftime(pattern)

    def assertInAll(self, needles, haystack):
        for needle in needles:
            self.assertIn(needle, haystack)

    def assertDenied(self, render):
        """The rendering fails on the record rule; QWeb wraps the error, keep its cause."""
        with self.assertRaises(Exception) as caught:
            render()
        error = caught.exception
        while not isinstance(error, AccessError) and error.__cause__ is not None:
            error = error.__cause__
        self.assertIsInstance(error, AccessError)

    # ------------------------------------------------------------------ actions
    def test_report_actions(self):
        for report_ref, (prefix, _title) in REPORTS.items():
            report = self.env.ref(report_ref)
            self.assertEqual(report.model, "psa.dossier")
            self.assertEqual(report.report_type, "qweb-pdf")
            self.assertEqual(report.binding_model_id.model, "psa.dossier")
            self.assertEqual(report.paperformat_id.format, "A5")
            self.assertEqual(report.paperformat_id.orientation, "Portrait")
            file_name = safe_eval(report.print_report_name, {"object": self.dossier})
            self.assertEqual(file_name, f"{prefix}-{self.dossier.name}")

    # ------------------------------------------------------------------ PDF
    def test_every_form_is_an_a5_pdf_an_officer_can_print(self):
        records = {
            "public_service_agent.action_report_psa_form02": self.supplement,
            "public_service_agent.action_report_psa_form03": self.refused,
        }
        for report_ref, (_prefix, title) in REPORTS.items():
            dossier = records.get(report_ref, self.dossier)
            with self.subTest(report=report_ref):
                pdf = self._pdf(report_ref, dossier, user=self.officer)
                self.assertEqual(pdf[:4], b"%PDF")
                reader = PdfReader(io.BytesIO(pdf))
                self.assertTrue(reader.pages)
                for page in reader.pages:
                    box = page.mediabox
                    self.assertAlmostEqual(float(box.width), A5_WIDTH, delta=2)
                    self.assertAlmostEqual(float(box.height), A5_HEIGHT, delta=2)
                text = _squash("".join(page.extract_text() for page in reader.pages))
                self.assertIn(_squash(dossier.name), text)
                self.assertIn(_squash(title), text)
                if report_ref != "public_service_agent.action_report_psa_phieu_gui":
                    self.assertIn(_squash(MOTTO[0]), text)
                if report_ref in ONE_PAGE:
                    self.assertEqual(len(reader.pages), 1)
                if report_ref in FILLED:
                    # The signatures sit at the foot of the A5 page, as on the printed model.
                    self.assertLess(_lowest_text(reader.pages[0]), A5_HEIGHT * 0.25)

    def test_several_dossiers_in_one_pdf(self):
        # One article, a page break per dossier: Debian's wkhtmltopdf takes one input only.
        dossiers = self.dossier | self.supplement | self.blank
        pdf = self._pdf("public_service_agent.action_report_psa_phieu_gui", dossiers)
        reader = PdfReader(io.BytesIO(pdf))
        self.assertGreaterEqual(len(reader.pages), len(dossiers))
        texts = [_squash(page.extract_text()) for page in reader.pages]
        for dossier in dossiers:
            self.assertEqual(
                len([text for text in texts if _squash(dossier.name) in text]), 1, dossier.name
            )

    # ------------------------------------------------------------------ content
    def test_every_form_shows_code_qr_and_header(self):
        for report_ref, (_prefix, title) in REPORTS.items():
            with self.subTest(report=report_ref):
                html = self._html(report_ref, self.dossier, user=self.officer)
                self.assertInAll([title, self.dossier.name, 'alt="Barcode ', MOTTO[1]], html)
                self.assertIn("data:image/png;base64,", html)

    def test_blank_dossier_prints_fill_in_forms(self):
        for report_ref, (_prefix, title) in REPORTS.items():
            with self.subTest(report=report_ref):
                html = self._html(report_ref, self.blank)
                self.assertInAll([title, self.blank.name, "....."], html)

    def test_form01_receipt_and_appointment(self):
        d = self.dossier
        html = self._html("public_service_agent.action_report_psa_form01", d)
        self.assertInAll(
            [
                "Mẫu số 01",
                "Tiếp nhận hồ sơ của",
                "Nguyễn Văn An",
                "12 Tràng Tiền",
                self.ward.name,
                "Cấp Phiếu lý lịch tư pháp (mã T.000001)",
                "Tờ khai",
                "Bản chính",
                "Bản sao chứng thực",
                "5 ngày làm việc",
                # 03:15 UTC is 10:15 in Hanoi.
                "10 giờ 15 phút, ngày 02/03/2026",
                self._local(d.date_due, "%H giờ %M phút, ngày %d/%m/%Y"),
                "qua dịch vụ bưu chính công ích",
                "NGƯỜI NỘP HỒ SƠ",
                "NGƯỜI TIẾP NHẬN HỒ SƠ",
                "Hà Nội, ngày 02 tháng 03 năm 2026",
            ],
            html,
        )
        # Only what was handed over: the optional power of attorney was not.
        self.assertNotIn("Giấy ủy quyền", html)

    def test_form02_lists_every_gap(self):
        html = self._html("public_service_agent.action_report_psa_form02", self.supplement)
        self.assertInAll(
            [
                "Mẫu số 02",
                "Hồ sơ của",
                "Bản chụp CCCD: Ảnh chụp mờ, không đọc được số CCCD",
                "Bổ sung giấy xác nhận cư trú",
                "Agent A",
                "NGƯỜI HƯỚNG DẪN",
            ],
            html,
        )

    def test_form03_refusal_reason(self):
        html = self._html("public_service_agent.action_report_psa_form03", self.refused)
        self.assertInAll(
            [
                "Mẫu số 03",
                "thông báo không tiếp nhận, giải quyết hồ sơ này",
                "Thủ tục không thuộc thẩm quyền của Sở Tư pháp",
                "NGƯỜI TIẾP NHẬN HỒ SƠ",
            ],
            html,
        )

    def test_form04_apology_and_new_date(self):
        d = self.dossier
        html = self._html("public_service_agent.action_report_psa_form04", d)
        pattern = "%H giờ %M phút, ngày %d/%m/%Y"
        self.assertInAll(
            [
                "Mẫu số 04",
                "SỞ TƯ PHÁP",
                "Kính gửi: Ông/Bà",
                "Cần xác minh thêm thông tin với cơ quan công an",
                self._local(d.apology_previous_due, pattern),
                self._local(d.date_due, pattern),
                "Hà Nội, ngày 03 tháng 03 năm 2026",
                "THỦ TRƯỞNG CƠ QUAN",
            ],
            html,
        )
        self.assertNotEqual(d.apology_previous_due, d.date_due)

    def test_form05_control_sheet_steps_and_history(self):
        html = self._html(
            "public_service_agent.action_report_psa_form05", self.dossier, user=self.officer
        )
        self.assertInAll(
            [
                "Mẫu số 05",
                "Kèm theo hồ sơ của",
                "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp",
                "Giao: Đại lý Agent A",
                "10 giờ 15 phút, ngày 02/03/2026",  # received
                "09 giờ 30 phút, ngày 03/03/2026",  # handed to the agency
                "11 giờ 00 phút, ngày 05/03/2026",  # done
                "10 giờ 00 phút, ngày 06/03/2026",  # returned
                "Trước hạn",
                "Đã xin lỗi, hẹn lại ngày trả",
                "Được tiếp nhận",
                "Đang xử lý",
                "Đã xử lý xong",
                "Đã trả kết quả",
            ],
            html,
        )

    def test_dispatch_slip_content(self):
        html = self._html("public_service_agent.action_report_psa_phieu_gui", self.dossier)
        self.assertInAll(
            [
                "OPERATOR A",
                "AGENT A",
                "Người gửi",
                "Nguyễn Văn An",
                "12 Tràng Tiền",
                "0912345678",  # stored as +84912345678
                "Sở Tư pháp",
                "Cấp Phiếu lý lịch tư pháp (mã T.000001)",
                "Tờ khai",
                "Giấy ủy quyền",
                "Bản chính",
                "Bản sao chứng thực",
                "200.000 đồng",
                "Cước dịch vụ bưu chính",
                "75 Đinh Tiên Hoàng",
                "có giá trị pháp lý như hợp đồng",
                "Điều 14 Quyết định 45/2016/QĐ-TTg",
                "NGƯỜI GỬI",
                "NHÂN VIÊN ĐẠI LÝ",
                "Trần Thị Bình",
            ],
            html,
        )
        # Only what the slip needs: no identity-card number.
        self.assertNotIn(self.citizen.psa_cccd, html)

    # ------------------------------------------------------------------ access
    def test_agent_staff_print_own_slip_only(self):
        slip = "public_service_agent.action_report_psa_phieu_gui"
        # The portal proves read access with the user's rights, then renders the slip in sudo.
        self.dossier.with_user(self.staff_a).check_access("read")
        Report = self.env["ir.actions.report"].with_user(self.staff_a).sudo()
        pdf, _type = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            slip, self.dossier.ids
        )
        self.assertEqual(pdf[:4], b"%PDF")
        with self.assertRaises(AccessError):
            self.dossier.with_user(self.staff_b).check_access("read")
        for report_ref in REPORTS:
            with self.subTest(report=report_ref):
                self.assertDenied(
                    lambda ref=report_ref: self._html(ref, self.dossier, self.staff_b)
                )
        self.assertDenied(lambda: self._pdf(slip, self.dossier, user=self.staff_b))
