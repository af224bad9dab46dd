from collections import defaultdict

from odoo import models


class TrainingReadinessXlsx(models.AbstractModel):
    _name = "report.agent_training.readiness_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Launch Readiness XLSX"

    def _get_objs_for_report(self, docids, data):
        # Exported from the report's list: the ids are report lines.
        if not docids:
            docids = (data or {}).get("context", {}).get("active_ids") or self.env.context.get(
                "active_ids", []
            )
        return self.env["training.readiness.report"].browse(docids)

    def generate_xlsx_report(self, workbook, data, objs):
        lines = objs.sorted(
            lambda r: (str(r.pilot_phase_id.date_open or ""), r.agent_code or "", r.course_sequence)
        )
        courses = lines.course_id.sorted(lambda c: (c.sequence, c.code))
        by_agent = defaultdict(lambda: self.env["training.readiness.report"])
        for line in lines:
            by_agent[line.agent_id] |= line
        bold = workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
        )
        ok = workbook.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"})
        ko = workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        states = dict(self.env["psa.agent"]._fields["state"]._description_selection(self.env))

        sheet = workbook.add_worksheet(self.env._("Agents"))
        headers = [
            self.env._("Pilot Phase"),
            self.env._("Agent Code"),
            self.env._("Agent"),
            self.env._("Operator"),
            self.env._("Agent Status"),
            *(self.env._("%(course)s (certified / required)", course=c.name) for c in courses),
            self.env._("Launch Checklist"),
            self.env._("Readiness"),
            self.env._("Why"),
        ]
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 3)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 12)
        sheet.set_column(2, 3, 34)
        sheet.set_column(5, 5 + len(courses), 18)
        sheet.set_column(7 + len(courses), 7 + len(courses), 70)
        summary = defaultdict(lambda: [0, 0])
        row = 1
        for agent, agent_lines in by_agent.items():
            first = agent_lines[0]
            ready = first.readiness == "ready"
            summary[first.pilot_phase_id][0] += 1
            summary[first.pilot_phase_id][1] += int(ready)
            sheet.write_row(
                row,
                0,
                [
                    first.pilot_phase_id.name or "",
                    first.agent_code or "",
                    agent.name or "",
                    first.operator_id.name or "",
                    states.get(first.agent_state, ""),
                ],
            )
            col = 5
            for course in courses:
                line = agent_lines.filtered(lambda r, course=course: r.course_id == course)[:1]
                if line:
                    sheet.write(
                        row,
                        col,
                        f"{line.certified_count} / {line.required_count}",
                        ok if line.course_ok else ko,
                    )
                col += 1
            sheet.write(
                row,
                col,
                f"{first.checklist_done} / {first.checklist_total}",
                ok if first.checklist_ok else ko,
            )
            sheet.write(
                row,
                col + 1,
                self.env._("Ready") if ready else self.env._("Not Ready"),
                ok if ready else ko,
            )
            sheet.write(row, col + 2, first.reason or "", wrap)
            row += 1

        phases = workbook.add_worksheet(self.env._("Pilot Phases"))
        phases.write_row(
            0,
            0,
            [
                self.env._("Pilot Phase"),
                self.env._("Agents"),
                self.env._("Ready"),
                self.env._("Not Ready"),
            ],
            bold,
        )
        phases.set_column(0, 0, 30)
        for row, (phase, (total, ready)) in enumerate(summary.items(), start=1):
            phases.write_row(
                row, 0, [phase.name or self.env._("No phase"), total, ready, total - ready]
            )
