import io

import openpyxl

from odoo.tests import tagged

from .common import PsaDossierCommon


@tagged("post_install", "-at_install")
class TestPsaCenterDashboard(PsaDossierCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Received and processed by the officer (a union keeps its left operand's user).
        cls.dossiers = cls.env["psa.dossier"].with_user(cls.officer)
        for _i in range(4):
            cls.dossiers |= cls._fill(cls._new_dossier(cls.agent_a, staff_user_id=cls.staff_a.id))
        cls.dossiers.action_receive()
        cls.dossiers[:2].action_start_processing()
        cls.dossiers[:2].action_mark_done()
        cls.env["psa.ticket"].create(
            {"subject": "Phí", "category": "extra_fee", "dossier_id": cls.dossiers[0].id}
        )
        cls.env["psa.ticket"].create({"subject": "Hỏi", "agent_id": cls.agent_a.id})

    def test_measures_per_agent(self):
        rows = (
            self.env["psa.center.dashboard"]
            .with_user(self.officer)
            ._read_group(
                [("agent_id", "=", self.agent_a.id)],
                [],
                [
                    "dossier_count:sum",
                    "processed_count:sum",
                    "on_time_percent:avg",
                    "complaint_count:sum",
                ],
            )
        )
        self.assertEqual(rows, [(4, 2, 100.0, 1)])

    def test_leadership_xlsx(self):
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "public_service_agent.psa_center_dashboard_xlsx", None, {}
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(book.sheetnames), 3)
        by_agent = book.worksheets[0]
        rows = [
            row
            for row in by_agent.iter_rows(values_only=True)
            if row[0] == self.agent_a.display_name
        ]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][2:5], (4, 2, 100))
        self.assertEqual(rows[0][6], 1)
        self.assertEqual(rows[0][7], 250)  # 1 complaint for 4 dossiers
        operators = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
        self.assertIn(self.operator_a.display_name, operators)
