from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .common import format_vnd


class AccountMove(models.Model):
    _inherit = "account.move"

    subsidy_statement_id = fields.Many2one(
        "subsidy.statement", string="Subsidy Statement", index="btree_not_null", copy=False
    )

    def action_post(self):
        # The rule holds from every path: a statement's bill equals the operator's e-invoice.
        for move in self.filtered(lambda m: m.subsidy_statement_id and m.move_type == "in_invoice"):
            statement = move.subsidy_statement_id
            if (
                float_compare(
                    move.amount_total,
                    statement.einvoice_amount,
                    precision_rounding=move.currency_id.rounding,
                )
                != 0
            ):
                raise ValidationError(
                    self.env._(
                        "The bill total (%(bill)s) differs from the operator's e-invoice "
                        "(%(einvoice)s) of %(statement)s: it cannot be posted.",
                        bill=format_vnd(move.amount_total),
                        einvoice=format_vnd(statement.einvoice_amount),
                        statement=statement.name,
                    )
                )
        return super().action_post()

    def button_draft(self):
        # The bill is the statement's: undo both together with the statement's Reverse button.
        if self.filtered(
            lambda m: m.move_type == "in_invoice"
            and m.subsidy_statement_id.bill_id == m
            and m.subsidy_statement_id.state in ("billed", "paid")
        ):
            raise UserError(
                self.env._(
                    "This bill belongs to a subsidy statement: reverse the statement instead."
                )
            )
        return super().button_draft()

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        bills = self.filtered(
            lambda m: m.move_type == "in_invoice"
            and m.subsidy_statement_id
            and m.payment_state in ("paid", "in_payment")
        )
        if bills:
            statements = (
                self.env["subsidy.statement"]
                .sudo()
                .search([("bill_id", "in", bills.ids), ("state", "=", "billed")])
            )
            statements._mark_paid()
        return res
