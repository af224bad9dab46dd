from odoo import models

CHUNK = 5000


class SubsidyStatementXlsx(models.AbstractModel):
    """Reconciliation workbook: one row per claim of the chosen statements.

    Written in xlsxwriter's constant-memory mode and read from the database in id-ordered
    chunks, so memory stays flat whatever the number of claims.
    """

    _name = "report.subsidy.statement_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Subsidy Reconciliation XLSX"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def _claim_rows(self, statements):
        """Rows (tuples) of the statements' claims, chunk by chunk, by plain SQL (read-only)."""
        self.env["subsidy.claim"].flush_model()
        last_id = 0
        while True:
            self.env.cr.execute(
                """
                SELECT c.id, c.delivery_ref, c.dossier_code, c.citizen_masked, c.ward_name,
                       op.name, pol.name, c.amount, bill.name, refund.name, c.payment_ref,
                       c.state, c.date, c.operator_status
                  FROM subsidy_claim c
                  JOIN res_partner op ON op.id = c.operator_id
                  JOIN subsidy_policy pol ON pol.id = c.policy_id
             LEFT JOIN account_move bill ON bill.id = c.bill_id
             LEFT JOIN account_move refund ON refund.id = c.refund_id
                 WHERE c.statement_id IN %s AND c.id > %s
              ORDER BY c.id
                 LIMIT %s
                """,
                [tuple(statements.ids), last_id, CHUNK],
            )
            rows = self.env.cr.fetchall()
            if not rows:
                return
            yield from rows
            last_id = rows[-1][0]

    def generate_xlsx_report(self, workbook, data, statements):
        statements.check_access("read")
        states = dict(self.env["subsidy.claim"]._fields["state"]._description_selection(self.env))
        statuses = dict(
            self.env["subsidy.claim"]._fields["operator_status"]._description_selection(self.env)
        )
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        money = workbook.add_format({"num_format": "#,##0"})
        day = workbook.add_format({"num_format": "dd/mm/yyyy"})
        total_fmt = workbook.add_format({"bold": True, "num_format": "#,##0"})
        sheet = workbook.add_worksheet(self.env._("Reconciliation"))
        headers = [
            self.env._("Delivery"),
            self.env._("Dossier Code"),
            self.env._("Citizen (masked)"),
            self.env._("Ward / Commune"),
            self.env._("Operator"),
            self.env._("Policy"),
            self.env._("Amount (VND)"),
            self.env._("Bill"),
            self.env._("Payment"),
            self.env._("State"),
            self.env._("Date"),
            self.env._("Credit Note"),
            self.env._("Operator's Answer"),
        ]
        widths = [18, 24, 20, 22, 30, 20, 14, 18, 18, 14, 12, 18, 18]
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        # constant_memory writes row by row: the header first, then every claim, then totals.
        for col, header in enumerate(headers):
            sheet.write(0, col, header, bold)
        sheet.freeze_panes(1, 0)
        row = 1
        total = 0.0
        for (
            _id,
            delivery,
            dossier,
            citizen,
            ward,
            operator,
            policy,
            amount,
            bill,
            refund,
            payment,
            state,
            date,
            status,
        ) in self._claim_rows(statements):
            sheet.write_string(row, 0, delivery or "")
            sheet.write_string(row, 1, dossier or "")
            sheet.write_string(row, 2, citizen or "")
            sheet.write_string(row, 3, ward or "")
            sheet.write_string(row, 4, operator or "")
            sheet.write_string(row, 5, policy or "")
            sheet.write_number(row, 6, amount or 0.0, money)
            sheet.write_string(row, 7, bill or "")
            sheet.write_string(row, 8, payment or "")
            sheet.write_string(row, 9, states.get(state, state))
            if date:
                sheet.write_datetime(row, 10, date, day)
            sheet.write_string(row, 11, refund or "")
            sheet.write_string(row, 12, statuses.get(status, status or ""))
            if state != "rejected":
                total += amount or 0.0
            row += 1
        sheet.write(row, 5, self.env._("Total (excluding rejected)"), bold)
        sheet.write_number(row, 6, total, total_fmt)
