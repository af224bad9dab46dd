import io

import openpyxl

from odoo.tests import tagged

from .common import SubsidyCommon


@tagged("post_install", "-at_install")
class TestSubsidyReports(SubsidyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        category = cls.env["subsidy.beneficiary.category"].create({"name": "BTXH", "code": "T_RB"})
        cls.nq77.write({"bonus_category_id": category.id, "bonus_amount": 5000})
        cls._deliver("2026-01-05 03:00:00", postage=32000)
        cls._deliver("2026-01-06 03:00:00", postage=41000)
        other = cls.env["res.partner"]._psa_find_or_create_citizen(
            {"name": "Trần Thị Bích", "psa_cccd": "001192004321", "phone": "0987654321"}
        )
        attachment = cls.env["ir.attachment"].create({"name": "p.pdf", "raw": b"%PDF-1.4"})
        cls.env["subsidy.eligibility"].create(
            {
                "citizen_id": other.id,
                "category_id": category.id,
                "date_start": "2025-01-01",
                "proof_attachment_ids": [(6, 0, attachment.ids)],
                "state": "verified",
            }
        )
        cls._deliver(
            "2026-01-07 03:00:00",
            postage=22000,
            dossier=cls._fill(cls._new_dossier(citizen_id=other.id)),
        )
        # Finance collects and confirms the month's statement.
        cls.statement = (
            cls.env["subsidy.statement"]
            .with_user(cls.finance)
            ._generate("2026-01-01", cls.operator_a)
        )
        cls.statement.action_confirm()

    def test_pdf_groups_by_policy_and_category_with_total_in_words(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.finance)
            ._render_qweb_html("subsidy.report_subsidy_statement", self.statement.ids)[0]
            .decode()
        )
        self.assertIn("BẢNG KÊ", html)
        self.assertIn("<span>BTXH</span>", html)
        self.assertIn("<span>Mọi công dân</span>", html)
        self.assertLess(html.index("Mọi công dân"), html.index("<span>BTXH</span>"))
        self.assertIn("100.000", html)  # 32,000 + 41,000 + 27,000
        self.assertIn("Một trăm nghìn đồng", html)
        self.assertIn("Nguyễn V. A.", html)
        self.assertNotIn("Nguyễn Văn An", html)
        self.assertNotIn("001085012345", html)

    def test_pdf_is_a_pdf(self):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, fmt = Report.with_user(self.finance)._render_qweb_pdf(
            "subsidy.action_report_subsidy_statement", self.statement.ids
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_xlsx_reconciliation_read_back(self):
        content, fmt = (
            self.env["ir.actions.report"]
            .with_user(self.finance)
            ._render_xlsx("subsidy.action_report_subsidy_statement_xlsx", self.statement.ids, None)
        )
        self.assertEqual(fmt, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0][:10],
            (
                "Delivery",
                "Dossier Code",
                "Citizen (masked)",
                "Ward / Commune",
                "Operator",
                "Policy",
                "Amount (VND)",
                "Bill",
                "Payment",
                "State",
            ),
        )
        lines = rows[1:-1]
        self.assertEqual(len(lines), 3)
        self.assertEqual(sorted(r[6] for r in lines), [27000, 32000, 41000])
        self.assertEqual({r[4] for r in lines}, {self.operator_a.name})
        self.assertEqual({r[2] for r in lines}, {"Nguyễn V. A.", "Trần T. B."})
        self.assertEqual(rows[-1][6], 100000)

    def test_amount_in_words(self):
        self.assertEqual(
            self.statement._amount_in_words(1226000), "Một triệu hai trăm hai mươi sáu nghìn đồng."
        )
