import calendar
from datetime import date

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.public_service_agent.tools import center_language

from .common import format_vnd

# Fields a confirmed statement still accepts: its state, its bill and the operator's e-invoice.
WRITABLE_AFTER_CONFIRM = {
    "state",
    "bill_id",
    "einvoice_number",
    "einvoice_date",
    "einvoice_amount",
    "payment_ref",
    "access_token",
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
}


class SubsidyStatement(models.Model):
    """One operator's subsidised deliveries of one month (bảng kê), billed to the city.

    States::

        draft -> confirmed, cancelled
        confirmed -> billed, reversed
        billed -> paid, reversed
        paid -> (final)
        cancelled -> (final)
        reversed -> (final)

    Confirming locks it; a confirmed statement is never edited, only reversed. Billing creates
    the operator's vendor bill; the bill's payment and reconciliation mark every claim paid.
    Claims are moved in one SQL statement per step, so the cost of a step does not grow in
    queries with the number of claims.
    """

    _name = "subsidy.statement"
    _description = "Subsidy Statement"
    _inherit = [
        "psa.state.machine.mixin",
        "psa.guard.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_from desc, id desc"

    # The guard (psa.guard.mixin): what the server alone sets, and, once confirmed, everything
    # but WRITABLE_AFTER_CONFIRM is locked (_guard_locked_in).
    _guard_system_fields = (
        "claim_ids",
        "bill_id",
        "payment_ref",
        "date_confirmed",
        "answer_deadline",
    )

    _state_transitions = {
        "draft": ("confirmed", "cancelled"),
        "confirmed": ("billed", "reversed"),
        "billed": ("paid", "reversed"),
        "paid": (),
        "cancelled": (),
        "reversed": (),
    }

    name = fields.Char(readonly=True, copy=False, default="/", index=True)
    operator_id = fields.Many2one(
        "res.partner",
        string="Operator",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_psa_operator", "=", True)],
    )
    date_from = fields.Date(string="Month", required=True, index=True)
    date_to = fields.Date(compute="_compute_date_to", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("billed", "Billed"),
            ("paid", "Paid"),
            ("cancelled", "Cancelled"),
            ("reversed", "Reversed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    claim_ids = fields.One2many("subsidy.claim", "statement_id", string="Claims", readonly=True)
    claim_count = fields.Integer(compute="_compute_totals")
    amount_total = fields.Monetary(string="Total", compute="_compute_totals")
    disputed_count = fields.Integer(compute="_compute_totals")
    einvoice_number = fields.Char(string="Operator's E-invoice No.", tracking=True, copy=False)
    einvoice_date = fields.Date(string="E-invoice Date", tracking=True, copy=False)
    einvoice_amount = fields.Monetary(string="E-invoice Total", tracking=True, copy=False)
    bill_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False)
    move_ids = fields.One2many(
        "account.move", "subsidy_statement_id", string="Bills and Credit Notes", readonly=True
    )
    payment_state = fields.Selection(related="bill_id.payment_state", string="Payment Status")
    payment_ref = fields.Char(string="Payment", readonly=True, copy=False)
    date_confirmed = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    answer_deadline = fields.Date(
        string="Operator Answers By",
        readonly=True,
        copy=False,
        help="The operator answers every line by this day (a number of the Center's working days "
        "after confirmation, setting subsidy.operator_answer_days, 10 by default). The statement "
        "is billed once every line is answered or this day has passed.",
    )
    pending_count = fields.Integer(string="Lines Awaiting the Operator", compute="_compute_totals")

    @api.depends("date_from")
    def _compute_date_to(self):
        for statement in self:
            d = statement.date_from
            statement.date_to = d and d.replace(day=calendar.monthrange(d.year, d.month)[1])

    @api.depends("claim_ids.amount", "claim_ids.state", "claim_ids.operator_status")
    def _compute_totals(self):
        rows = self.env["subsidy.claim"]._read_group(
            [("statement_id", "in", self.ids), ("state", "!=", "rejected")],
            ["statement_id", "operator_status"],
            ["amount:sum", "__count"],
        )
        totals = {}
        for statement, status, amount, count in rows:
            entry = totals.setdefault(statement.id, [0.0, 0, 0, 0])
            entry[0] += amount
            entry[1] += count
            if status == "disputed":
                entry[2] += count
            if status == "pending":
                entry[3] += count
        for statement in self:
            amount, count, disputed, pending = totals.get(statement.id, (0.0, 0, 0, 0))
            statement.amount_total = amount
            statement.claim_count = count
            statement.disputed_count = disputed
            statement.pending_count = pending

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for statement in self:
            statement.access_url = f"/my/subsidy/statements/{statement.id}"

    def init(self):
        # One live statement per operator and month; cancelled and reversed ones stay for history.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS subsidy_statement_operator_month_uniq
                ON subsidy_statement (company_id, operator_id, date_from)
             WHERE state NOT IN ('cancelled', 'reversed')
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._guard_create_vals(vals_list)
        for vals in vals_list:
            if vals.get("claim_ids"):
                raise ValidationError(
                    self.env._("Claims join a statement only by collecting them.")
                )
            if vals.get("date_from"):
                vals["date_from"] = fields.Date.to_date(vals["date_from"]).replace(day=1)
            self._check_unique_month(vals)
        statements = super().create(vals_list)
        for statement in statements:
            if statement.name == "/":
                statement.name = (
                    self.env["ir.sequence"]
                    .with_context(ir_sequence_date=statement.date_from)
                    .next_by_code("subsidy.statement", sequence_date=statement.date_from)
                    or "/"
                )
        return statements

    @api.model
    def _check_unique_month(self, vals):
        """A translated refusal before the unique index would raise a raw SQL error."""
        company_id = vals.get("company_id") or self.env.company.id
        if not (vals.get("operator_id") and vals.get("date_from")):
            return
        clash = self.sudo().search(
            [
                ("company_id", "=", company_id),
                ("operator_id", "=", vals["operator_id"]),
                ("date_from", "=", vals["date_from"]),
                ("state", "not in", ("cancelled", "reversed")),
            ],
            limit=1,
        )
        if clash:
            raise ValidationError(
                self.env._(
                    "%(operator)s already has a statement for %(month)s.",
                    operator=clash.operator_id.name,
                    month=clash.date_from.strftime("%m/%Y"),
                )
            )

    def write(self, vals):
        if "date_from" in vals and vals["date_from"]:
            vals["date_from"] = fields.Date.to_date(vals["date_from"]).replace(day=1)
        einvoice = {"einvoice_number", "einvoice_date", "einvoice_amount"}.intersection(vals)
        if einvoice and self.filtered(lambda s: s.state not in ("draft", "confirmed")):
            raise ValidationError(
                self.env._("The operator's e-invoice cannot change once the statement is billed.")
            )
        if "einvoice_amount" in vals and (vals["einvoice_amount"] or 0) < 0:
            raise ValidationError(self.env._("Amounts cannot be negative."))
        return super().write(vals)

    def _guard_is_locked(self):
        return bool(self.filtered(lambda s: s.state != "draft"))

    def _guard_locked_in(self, vals):
        return set(vals) - WRITABLE_AFTER_CONFIRM

    def _guard_system_error(self, names):
        if "claim_ids" in names:
            return ValidationError(self.env._("Claims join a statement only by collecting them."))
        return super()._guard_system_error(names)

    def _guard_locked_error(self, names):
        return ValidationError(
            self.env._("A confirmed statement cannot be edited; reverse it instead.")
        )

    def _state_check(self, old_state, new_state, vals):
        # Confirming, billing and paying have side effects on claims and journal entries:
        # a statement moves only through its buttons and the bill's payment.
        if not (self.env.su or self._is_system()):
            raise ValidationError(
                self.env._("A statement changes state only through its buttons and its bill.")
            )
        return super()._state_check(old_state, new_state, vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda s: s.state not in ("draft", "cancelled")):
            raise UserError(self.env._("A confirmed statement is never deleted, only reversed."))

    def unlink(self):
        self._unlink_only_drafts()  # before the claims are released, not after
        self._release_claims()
        return super().unlink()

    # ------------------------------------------------------------------ building
    @api.model
    def _generate(self, month, operators=None, company=None):
        """Statements of ``month`` for every operator with confirmed claims not yet in one."""
        company = company or self.env.company
        start = fields.Date.to_date(month).replace(day=1)
        end = start + relativedelta(months=1)
        Claim = self.env["subsidy.claim"]
        # Claims confirmed late (after a supplementary allocation, or an adjustment) for a month
        # whose statement is already confirmed go into the next statement of the operator.
        domain = [
            ("state", "=", "confirmed"),
            ("statement_id", "=", False),
            ("company_id", "=", company.id),
            ("date", "<", end),
        ]
        if operators is not None:
            domain.append(("operator_id", "in", operators.ids))
        found = Claim._read_group(domain, ["operator_id"])
        statements = self.browse()
        for (operator,) in found:
            statement = self.search(
                [
                    ("company_id", "=", company.id),
                    ("operator_id", "=", operator.id),
                    ("date_from", "=", start),
                    ("state", "=", "draft"),
                ],
                limit=1,
            ) or self.create(
                {"operator_id": operator.id, "date_from": start, "company_id": company.id}
            )
            statements |= statement
        statements._collect()
        return statements

    @api.model
    @center_language
    def _cron_generate_previous_month(self):
        """Monthly: draft statements of last month for every operator and company."""
        month = self.env["psa.dossier"]._center_today().replace(day=1) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._generate(month, company=company)

    def _collect(self):
        """Attach the month's confirmed claims: one UPDATE per statement, whatever their number."""
        Claim = self.env["subsidy.claim"]
        Claim.flush_model()
        for statement in self:
            if statement.state != "draft":
                raise UserError(self.env._("Only a draft statement collects claims."))
            # The WHERE clause is the transition check (confirmed -> in_statement).
            self.env.cr.execute(
                """
                UPDATE subsidy_claim
                   SET statement_id = %s, state = 'in_statement', write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE state = 'confirmed' AND statement_id IS NULL
                   AND company_id = %s AND operator_id = %s AND date <= %s
                """,
                [
                    statement.id,
                    self.env.uid,
                    statement.company_id.id,
                    statement.operator_id.id,
                    statement.date_to,
                ],
            )
        self._invalidate_claims()

    def _release_claims(self, states=("in_statement",)):
        """Claims of these statements go back to confirmed, free for the next statement."""
        if not self.ids:
            return
        Claim = self.env["subsidy.claim"]
        Claim.flush_model()
        self.env.cr.execute(
            """
            UPDATE subsidy_claim
               SET statement_id = NULL, bill_id = NULL, state = 'confirmed',
                   operator_status = 'pending', write_uid = %s,
                   write_date = now() AT TIME ZONE 'UTC'
             WHERE statement_id IN %s AND state IN %s
            """,
            [self.env.uid, tuple(self.ids), tuple(states)],
        )
        self._invalidate_claims()

    def _invalidate_claims(self):
        """After a claim UPDATE in SQL: forget the cached claims and the totals built on them."""
        self.env["subsidy.claim"].invalidate_model()
        self.env["subsidy.statement"].invalidate_model(
            ["claim_ids", "amount_total", "claim_count", "disputed_count"]
        )

    # ------------------------------------------------------------------ buttons
    def action_collect(self):
        self._collect()
        return True

    def action_confirm(self):
        for statement in self:
            if not statement.claim_count:
                raise UserError(self.env._("A statement without claims cannot be confirmed."))
        now = fields.Datetime.now()
        self._system_write(
            {"state": "confirmed", "date_confirmed": now, "answer_deadline": self._deadline(now)}
        )
        for statement in self:
            statement._portal_ensure_token()
        return True

    def action_cancel(self):
        self._release_claims()
        self._system_write({"state": "cancelled"})
        return True

    def action_reverse(self):
        """Undo a confirmed or billed statement: a full credit note, claims freed."""
        for statement in self:
            if statement.state == "billed":
                bill = statement.bill_id
                if bill.payment_state not in ("not_paid",):
                    raise UserError(
                        self.env._(
                            "The bill of %(statement)s is already (partly) paid: reject the "
                            "wrong claims instead, which produces credit notes.",
                            statement=statement.name,
                        )
                    )
                reversal = bill._reverse_moves(
                    [
                        {
                            "ref": self.env._("Reversal of %(name)s", name=statement.name),
                            "invoice_date": self.env["psa.dossier"]._center_today(),
                            "date": self.env["psa.dossier"]._center_today(),
                        }
                    ],
                    cancel=True,
                )
                reversal.subsidy_statement_id = statement
            statement._release_claims(("in_statement", "billed"))
        self._system_write({"state": "reversed"})
        return True

    def _check_billable(self):
        for statement in self:
            if statement.state != "confirmed":
                raise UserError(self.env._("Only a confirmed statement can be billed."))
            if statement.disputed_count:
                raise ValidationError(
                    self.env._(
                        "%(count)s line(s) of %(statement)s are disputed by the operator: "
                        "resolve them before billing.",
                        count=statement.disputed_count,
                        statement=statement.name,
                    )
                )
            if statement.currency_id.compare_amounts(statement.amount_total, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The total of %(statement)s is not positive: there is nothing to bill.",
                        statement=statement.name,
                    )
                )
            if not (statement.einvoice_number and statement.einvoice_date):
                raise ValidationError(
                    self.env._("Enter the operator's e-invoice number and date before billing.")
                )
            if (
                float_compare(
                    statement.einvoice_amount,
                    statement.amount_total,
                    precision_rounding=statement.currency_id.rounding,
                )
                != 0
            ):
                raise ValidationError(
                    self.env._(
                        "The operator's e-invoice total (%(einvoice)s) differs from the "
                        "statement total (%(total)s): the bill is not posted.",
                        einvoice=format_vnd(statement.einvoice_amount),
                        total=format_vnd(statement.amount_total),
                    )
                )
            deadline = statement._answer_deadline()
            if statement.pending_count and self._center_today() <= deadline:
                raise UserError(
                    self.env._(
                        "%(count)s line(s) of %(statement)s still await the operator's answer: "
                        "bill it once the operator has answered every line, or after "
                        "%(deadline)s.",
                        count=statement.pending_count,
                        statement=statement.name,
                        deadline=deadline.strftime("%d/%m/%Y"),
                    )
                )

    # ------------------------------------------------------------------ the operator's answer
    @api.model
    def _answer_days(self):
        """Working days the operator has to answer a confirmed statement (setting, 10)."""
        value = self.env["ir.config_parameter"].sudo().get_param("subsidy.operator_answer_days")
        try:
            return max(int(value), 0) if value else 10
        except ValueError:
            return 10

    @api.model
    def _deadline(self, start):
        """The Center's working day that ends the answer period started at ``start`` (UTC)."""
        Dossier = self.env["psa.dossier"].sudo()
        # plan_days counts the day it starts from: confirmation day is day zero.
        end = Dossier._center_calendar().plan_days(
            self._answer_days() + 1, start, compute_leaves=True
        )
        end = end or start
        return pytz.utc.localize(end).astimezone(pytz.timezone(Dossier._center_tz())).date()

    def _answer_deadline(self):
        self.ensure_one()
        # Statements confirmed before the period existed count it from their creation.
        return self.answer_deadline or self._deadline(self.date_confirmed or self.create_date)

    @api.model
    def _center_today(self):
        tz = self.env["psa.dossier"]._center_tz()
        return fields.Date.context_today(self.with_context(tz=tz))

    def _bill_lines(self, claim_domain):
        """One line per policy and category, with the policy's analytic account."""
        self.ensure_one()
        rows = self.env["subsidy.claim"]._read_group(
            claim_domain, ["policy_id", "category_id"], ["amount:sum", "__count"]
        )
        lines = []
        for policy, category, amount, count in rows:
            label = self.env._(
                "%(policy)s - %(category)s - %(count)s claim(s) - %(month)s",
                policy=policy.name,
                category=category.name or self.env._("All citizens"),
                count=count,
                month=self.date_from.strftime("%m/%Y"),
            )
            line = {
                "name": label,
                "quantity": 1,
                "price_unit": amount,
                "account_id": policy._expense_account(self.company_id).id,
                "tax_ids": [Command.clear()],
            }
            if policy.analytic_account_id:
                line["analytic_distribution"] = {str(policy.analytic_account_id.id): 100}
            lines.append(Command.create(line))
        return lines

    def _purchase_journal(self):
        journal = self.env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company_id.id)], limit=1
        )
        if not journal:
            raise UserError(self.env._("Create a purchase journal first."))
        return journal

    def action_bill(self):
        """The operator's vendor bill, posted, with the e-invoice as reference."""
        self._check_billable()
        Move = self.env["account.move"]
        for statement in self:
            domain = [("statement_id", "=", statement.id), ("state", "=", "in_statement")]
            bill = Move.create(
                {
                    "move_type": "in_invoice",
                    "partner_id": statement.operator_id.id,
                    "journal_id": statement._purchase_journal().id,
                    "company_id": statement.company_id.id,
                    "currency_id": statement.currency_id.id,
                    "invoice_date": statement.einvoice_date,
                    "ref": statement.einvoice_number,
                    "subsidy_statement_id": statement.id,
                    "invoice_origin": statement.name,
                    "invoice_line_ids": statement._bill_lines(domain),
                }
            )
            bill.action_post()
            self.env["subsidy.claim"].flush_model()
            self.env.cr.execute(
                """
                UPDATE subsidy_claim SET state = 'billed', bill_id = %s, write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE statement_id = %s AND state = 'in_statement'
                """,
                [bill.id, self.env.uid, statement.id],
            )
            statement._system_write({"bill_id": bill.id, "state": "billed"})
        self._invalidate_claims()
        return True

    def action_register_payment(self):
        self.ensure_one()
        if self.state != "billed":
            raise UserError(self.env._("Only a billed statement awaits payment."))
        return self.bill_id.action_register_payment()

    def action_view_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("subsidy_statement_id", "=", self.id)],
            "name": self.env._("Bills and Credit Notes"),
        }

    def _mark_paid(self):
        """The bill is paid and reconciled: its claims are paid."""
        Claim = self.env["subsidy.claim"]
        Claim.flush_model()
        for statement in self.filtered(lambda s: s.state == "billed"):
            payments = statement.bill_id._get_reconciled_payments()
            ref = ", ".join(payments.mapped("name")) or statement.bill_id.payment_reference or ""
            self.env.cr.execute(
                """
                UPDATE subsidy_claim SET state = 'paid', payment_ref = %s, write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE statement_id = %s AND state = 'billed'
                """,
                [ref, self.env.uid, statement.id],
            )
            statement._system_write({"state": "paid", "payment_ref": ref})
        self._invalidate_claims()

    def _refund_claims(self, claims):
        """A credit note for claims rejected after billing, reconciled with an open bill."""
        self.ensure_one()
        if not self.bill_id:
            return self.env["account.move"]
        claims.flush_recordset()
        domain = [("id", "in", claims.ids)]
        refund = self.env["account.move"].create(
            {
                "move_type": "in_refund",
                "partner_id": self.operator_id.id,
                "journal_id": self.bill_id.journal_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": self.env["psa.dossier"]._center_today(),
                "ref": self.env._("Rejected claims of %(name)s", name=self.name),
                "reversed_entry_id": self.bill_id.id,
                "subsidy_statement_id": self.id,
                "invoice_origin": self.name,
                "invoice_line_ids": self._bill_lines(domain),
            }
        )
        refund.action_post()
        claims.sudo()._system_write({"refund_id": refund.id})
        payable = (self.bill_id | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable" and not line.reconciled
        )
        if len(payable.move_id) == 2:
            payable.reconcile()
        self.message_post(
            body=self.env._(
                "Credit note %(refund)s for %(count)s rejected claim(s).",
                refund=refund.name,
                count=len(claims),
            )
        )
        return refund

    def _finance_owner(self):
        """Who answers for the statement: its author if in finance, else a finance user."""
        self.ensure_one()
        finance = (
            self.env.ref("subsidy.group_subsidy_finance")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share)
        )
        if self.create_uid in finance:
            return self.create_uid
        return finance.sorted("id")[:1] or self.env.ref("base.user_admin")

    # ------------------------------------------------------------------ helpers for reports
    def _lines_by_policy_category(self):
        """[(policy, category, claims)] for the PDF, in a stable order."""
        self.ensure_one()
        groups = {}
        for claim in self.claim_ids.filtered(lambda c: c.state != "rejected").sorted(
            lambda c: (c.policy_id.id, c.category_id.id or 0, c.date, c.id)
        ):
            groups.setdefault((claim.policy_id, claim.category_id), []).append(claim)
        return [(p, c, lines) for (p, c), lines in groups.items()]

    def _amount_in_words(self, amount=None):
        from num2words import num2words

        amount = self.amount_total if amount is None else amount
        words = num2words(int(round(amount)), lang="vi")
        return f"{words[:1].upper()}{words[1:]} đồng."

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"Bang-ke-{self.name}".replace("/", "-")

    def _month_label(self):
        self.ensure_one()
        return f"{self.date_from.month:02d}/{self.date_from.year}"

    @api.model
    def _month_start(self, year, month):
        return date(year, month, 1)

    @api.model
    def _demo_generate_and_confirm(self, months):
        for month in months:
            self._generate(month).action_confirm()

    @api.model
    def _demo_operator_confirms(self, months):
        """The operator's accountants confirm every line of these months, through the portal's
        own method, so that finance may bill them (the answer period has not passed yet)."""
        Users = self.env["res.users"].sudo()
        for statement in self.search([("date_from", "in", months), ("state", "=", "confirmed")]):
            accountant = Users.search(
                [
                    ("share", "=", True),
                    ("partner_id.commercial_partner_id", "=", statement.operator_id.id),
                ],
                limit=1,
            )
            lines = statement.claim_ids.filtered(
                lambda c: c.state == "in_statement" and c.operator_status == "pending"
            )
            if accountant and lines:
                lines.with_user(accountant)._portal_respond("confirm")
