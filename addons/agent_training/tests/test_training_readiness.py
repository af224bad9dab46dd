import io

from openpyxl import load_workbook

from odoo.tests import freeze_time, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestLaunchReadiness(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phase = cls.env["psa.pilot.phase"].create(
            {"name": "Phase T", "date_open": "2026-04-01"}
        )
        (cls.agent_a | cls.agent_b).pilot_phase_id = cls.phase
        cls._certify(cls.staff_a1)
        cls._certify(cls.staff_a2)
        cls._tick_all(cls.agent_a)
        cls._certify(cls.staff_b1, cls.courses[:1])
        cls._tick_all(cls.agent_b, skip=("signage",))

    def _lines(self, user=None):
        Report = self.env["training.readiness.report"].with_user(user or self.officer)
        return Report.search([("pilot_phase_id", "=", self.phase.id)])

    def test_lines_per_agent_and_course(self):
        lines = self._lines()
        self.assertEqual(len(lines), 6)
        a_lines = lines.filtered(lambda r: r.agent_id == self.agent_a)
        self.assertEqual(set(a_lines.mapped("readiness")), {"ready"})
        self.assertEqual(a_lines.mapped("certified_count"), [2, 2, 2])
        self.assertTrue(all(a_lines.mapped("checklist_ok")))
        self.assertEqual(a_lines[0].reason, "Ready")
        b_lines = lines.filtered(lambda r: r.agent_id == self.agent_b)
        self.assertEqual(set(b_lines.mapped("readiness")), {"not_ready"})
        self.assertEqual(sorted(b_lines.mapped("certified_count")), [0, 0, 1])
        self.assertEqual(sum(b_lines.mapped("missing_count")), 5)
        self.assertEqual(b_lines[0].checklist_done, 5)
        self.assertIn("Not ready, because:", b_lines[0].reason)
        self.assertIn("Signage", b_lines[0].reason)
        self.assertIn("1 of 2", b_lines[0].reason)

    def test_report_agrees_with_the_gate(self):
        for agent in self.agent_a | self.agent_b:
            line = self._lines().filtered(lambda r, agent=agent: r.agent_id == agent)[:1]
            self.assertEqual(line.readiness == "ready", agent.training_ready)

    def test_counts_per_pilot_phase(self):
        groups = (
            self.env["training.readiness.report"]
            .with_user(self.officer)
            ._read_group(
                [("pilot_phase_id", "=", self.phase.id)],
                ["pilot_phase_id"],
                ["agent_line:sum", "ready_agent:sum"],
            )
        )
        self.assertEqual(groups, [(self.phase, 2, 1)])
        self.assertEqual(self.phase.training_ready_count, 1)
        self.assertEqual(self.phase.training_not_ready_count, 1)

    def test_setting_and_expiry_change_the_report(self):
        self.env["ir.config_parameter"].sudo().set_param("agent_training.min_certified_staff", 1)
        b_lines = self._lines().filtered(lambda r: r.agent_id == self.agent_b)
        self.assertEqual(b_lines.mapped("required_count"), [1, 1, 1])

    def test_xlsx_export(self):
        lines = self._lines(self.manager)
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render("agent_training.readiness_xlsx", lines.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(len(rows), 3)  # header + two agents
        header = rows[0]
        self.assertIn(f"{self.courses[0].name} (certified / required)", header)
        by_name = {row[2]: row for row in rows[1:]}
        row_a, row_b = by_name[self.agent_a.name], by_name[self.agent_b.name]
        self.assertEqual(row_a[header.index("Readiness")], "Ready")
        self.assertEqual(row_b[header.index("Readiness")], "Not Ready")
        self.assertEqual(row_b[5], "1 / 2")
        self.assertEqual(row_b[header.index("Launch Checklist")], "5 / 6")
        self.assertIn("Signage", row_b[header.index("Why")])
        phases = list(workbook.worksheets[1].iter_rows(values_only=True))
        self.assertEqual(phases[1], ("Phase T", 2, 1, 1))
