from dateutil.relativedelta import relativedelta

from odoo import fields, models

MEASURES = [
    "dossier_count:sum",
    "processed_count:sum",
    "on_time_percent:avg",
    "satisfaction:avg",
    "complaint_count:sum",
    "open_signal_count:sum",
    "delivery_on_time_percent:avg",
]


class PsaCenterDashboardXlsx(models.AbstractModel):
    """The leadership workbook: per agent, operator and ward, by month, over 12 months."""

    _name = "report.public_service_agent.center_dashboard_xlsx"
    _description = "Center Dashboard XLSX"
    _inherit = "report.report_xlsx.abstract"

    def _rows(self, data, groupby):
        date_from = fields.Date.to_date((data or {}).get("date_from")) or (
            self.env["psa.dossier"]._center_today().replace(day=1) - relativedelta(months=11)
        )
        return self.env["psa.center.dashboard"]._read_group(
            [("date", ">=", date_from)], [groupby, "date:month"], MEASURES
        )

    def generate_xlsx_report(self, workbook, data, records):
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        pct = workbook.add_format({"num_format": "0.0"})
        headers = [
            self.env._("Month"),
            self.env._("Dossiers Received"),
            self.env._("Dossiers Processed"),
            self.env._("On-time Rate (%)"),
            self.env._("Satisfaction (%)"),
            self.env._("Complaints"),
            self.env._("Complaints per 1,000 Dossiers"),
            self.env._("Open Signals"),
            self.env._("Deliveries On Time (%)"),
        ]
        sheets = [
            ("agent_id", self.env._("By Agent"), self.env._("Agent")),
            ("operator_id", self.env._("By Operator"), self.env._("Operator")),
            ("ward_id", self.env._("By Ward"), self.env._("Ward / Commune")),
        ]
        for groupby, title, label in sheets:
            sheet = workbook.add_worksheet(title[:31])
            sheet.write_row(0, 0, [label, *headers], bold)
            sheet.set_column(0, 0, 40)
            sheet.set_column(1, len(headers), 16)
            rows = sorted(
                self._rows(data, groupby),
                key=lambda r: (r[0].display_name or "", r[1] or fields.Date.today()),
            )
            for line, (
                subject,
                month,
                received,
                processed,
                on_time,
                sat,
                complaints,
                signals,
                delivery,
            ) in enumerate(rows, start=1):
                sheet.write(line, 0, subject.display_name or self.env._("(none)"))
                sheet.write(line, 1, month.strftime("%m/%Y") if month else "")
                sheet.write(line, 2, received or 0)
                sheet.write(line, 3, processed or 0)
                sheet.write(line, 4, on_time if on_time is not None else "", pct)
                sheet.write(line, 5, sat if sat is not None else "", pct)
                sheet.write(line, 6, complaints or 0)
                sheet.write(line, 7, 1000.0 * complaints / received if received else "", pct)
                sheet.write(line, 8, signals or 0)
                sheet.write(line, 9, delivery if delivery is not None else "", pct)
            sheet.freeze_panes(1, 1)
