from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .common import format_percent, format_vnd

COMMITTED_STATES = ("confirmed", "in_statement", "billed", "paid")
WARNING_LEVELS = (80, 95, 100)


class SubsidyBudget(models.Model):
    """A year's allocation of the city budget to one policy.

    Committed counts confirmed claims; at 100 % further claims wait as over budget until a
    supplementary allocation is recorded, then they are confirmed oldest first.
    """

    _name = "subsidy.budget"
    _description = "Subsidy Budget"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, policy_id"

    name = fields.Char(compute="_compute_name", store=True)
    year = fields.Integer(
        required=True, default=lambda self: self.env["psa.dossier"]._center_today().year
    )
    policy_id = fields.Many2one("subsidy.policy", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="policy_id.currency_id")
    allocation = fields.Monetary(string="Initial Allocation", required=True, tracking=True)
    supplementary_allocation = fields.Monetary(tracking=True)
    allocation_total = fields.Monetary(
        string="Total Allocation", compute="_compute_allocation_total", store=True
    )
    committed = fields.Monetary(compute="_compute_consumption")
    invoiced = fields.Monetary(compute="_compute_consumption")
    paid = fields.Monetary(compute="_compute_consumption")
    over_budget_amount = fields.Monetary(
        string="Waiting Over Budget", compute="_compute_consumption"
    )
    consumption = fields.Float(string="Consumption (%)", compute="_compute_consumption")
    warning_level = fields.Integer(
        string="Last Warning (%)",
        readonly=True,
        copy=False,
        help="Highest threshold (80, 95, 100) already announced to finance.",
    )

    _sql_constraints = [
        (
            "year_policy_unique",
            "UNIQUE(company_id, year, policy_id)",
            "A policy has one budget per year.",
        ),
        ("allocation_positive", "CHECK(allocation >= 0)", "Amounts cannot be negative."),
        (
            "supplement_positive",
            "CHECK(supplementary_allocation >= 0)",
            "Amounts cannot be negative.",
        ),
    ]

    @api.depends("year", "policy_id")
    def _compute_name(self):
        for budget in self:
            budget.name = f"{budget.policy_id.name or ''} / {budget.year}"

    @api.depends("allocation", "supplementary_allocation")
    def _compute_allocation_total(self):
        for budget in self:
            budget.allocation_total = budget.allocation + budget.supplementary_allocation

    def _consumption_by_state(self):
        """{budget id: {state: amount}}, one grouped query for the batch."""
        result = {budget.id: {} for budget in self}
        if not self.ids:
            return result
        self.env["subsidy.claim"].flush_model(["amount", "state", "policy_id", "date"])
        self.env.cr.execute(
            """
            SELECT b.id, c.state, SUM(c.amount)
              FROM subsidy_budget b
              JOIN subsidy_claim c
                ON c.policy_id = b.policy_id
               AND c.company_id = b.company_id
               AND c.date >= make_date(b.year, 1, 1)
               AND c.date < make_date(b.year + 1, 1, 1)
             WHERE b.id IN %s
             GROUP BY b.id, c.state
            """,
            [tuple(self.ids)],
        )
        for budget_id, state, amount in self.env.cr.fetchall():
            result[budget_id][state] = amount or 0.0
        return result

    def _compute_consumption(self):
        by_state = self._consumption_by_state()
        for budget in self:
            amounts = by_state.get(budget.id, {})
            budget.committed = sum(amounts.get(s, 0.0) for s in COMMITTED_STATES)
            budget.invoiced = sum(amounts.get(s, 0.0) for s in ("billed", "paid"))
            budget.paid = amounts.get("paid", 0.0)
            budget.over_budget_amount = amounts.get("over_budget", 0.0)
            budget.consumption = (
                100.0 * budget.committed / budget.allocation_total
                if budget.allocation_total
                else 0.0
            )

    @api.constrains("allocation", "supplementary_allocation")
    def _check_amounts(self):
        for budget in self:
            if budget.allocation < 0 or budget.supplementary_allocation < 0:
                raise ValidationError(self.env._("Amounts of a budget cannot be negative."))

    @api.constrains("year")
    def _check_year(self):
        for budget in self:
            if not 2000 <= budget.year <= 2100:
                raise ValidationError(self.env._("Enter a year such as 2026."))

    def write(self, vals):
        if "allocation" in vals or "supplementary_allocation" in vals:
            lowered = self.filtered(
                lambda b: vals.get("allocation", b.allocation)
                + vals.get("supplementary_allocation", b.supplementary_allocation)
                < b.allocation_total
            )
            if lowered:
                lowered._compute_consumption()
                for budget in lowered:
                    new_total = vals.get("allocation", budget.allocation) + vals.get(
                        "supplementary_allocation", budget.supplementary_allocation
                    )
                    if new_total < budget.committed:
                        raise ValidationError(
                            self.env._(
                                "The allocation of %(budget)s cannot go below the amount "
                                "already committed.",
                                budget=budget.name,
                            )
                        )
        res = super().write(vals)
        if "allocation" in vals or "supplementary_allocation" in vals:
            # More money: the claims waiting over budget are confirmed, oldest first.
            self._release_over_budget()
            self._check_thresholds()
        return res

    def _release_over_budget(self):
        Claim = self.env["subsidy.claim"].sudo()
        for budget in self:
            waiting = Claim.search(
                [
                    ("state", "=", "over_budget"),
                    ("policy_id", "=", budget.policy_id.id),
                    ("company_id", "=", budget.company_id.id),
                    ("date", ">=", f"{budget.year}-01-01"),
                    ("date", "<=", f"{budget.year}-12-31"),
                ],
                order="date, id",
            )
            waiting._confirm_within_budget()

    @api.model
    def _lock_for(self, company, policy, year):
        """The budget row, locked until commit so that two claims never pass the cap together."""
        self.env.cr.execute(
            "SELECT id FROM subsidy_budget WHERE company_id = %s AND policy_id = %s AND year = %s "
            "FOR UPDATE",
            [company.id, policy.id, year],
        )
        row = self.env.cr.fetchone()
        return self.sudo().browse(row[0]) if row else self.sudo().browse()

    def _check_thresholds(self):
        """Warn finance (activity and e-mail) once per threshold crossed: 80 %, 95 %, 100 %."""
        self._compute_consumption()
        finance = self.env.ref("subsidy.group_subsidy_finance").sudo().users
        finance = finance.filtered(lambda u: u.active and not u.share)
        for budget in self.sudo():
            reached = max((lvl for lvl in WARNING_LEVELS if budget.consumption >= lvl), default=0)
            if budget.over_budget_amount > 0:
                reached = 100  # the hard stop: claims are waiting
            if reached <= budget.warning_level:
                if reached < budget.warning_level:
                    budget.warning_level = reached  # after a supplement: warn again later
                continue
            budget.warning_level = reached
            summary = self.env._(
                "Budget %(budget)s is %(level)s%% consumed", budget=budget.name, level=reached
            )
            body = Markup("<p>%s</p>") % self.env._(
                "%(budget)s: %(committed)s of %(allocation)s committed (%(pct)s%%).",
                budget=budget.name,
                committed=format_vnd(budget.committed),
                allocation=format_vnd(budget.allocation_total),
                pct=format_percent(budget.consumption),
            )
            if reached >= 100:
                body += Markup("<p>%s</p>") % self.env._(
                    "Further claims wait as over budget until a supplementary allocation "
                    "is recorded."
                )
            budget.message_post(
                subject=summary,
                body=body,
                partner_ids=finance.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_comment",
            )
            for user in finance:
                budget.activity_schedule(
                    "mail.mail_activity_data_todo", summary=summary, user_id=user.id
                )
