from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round


class SubsidyPolicy(models.Model):
    """A city resolution that pays for postage, e.g. 39/2024/NQ-HĐND or 77/2025/NQ-HĐND.

    The policy in force on the delivery date applies; policies of one kind never overlap.
    """

    _name = "subsidy.policy"
    _description = "Subsidy Policy"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(string="Resolution", required=True, tracking=True)
    description = fields.Text(translate=True)
    kind = fields.Selection(
        [
            ("postage", "Postage of Dossiers and Results"),
            ("signature", "Digital-Signature Certificate"),
            ("fee", "Fees and Charges"),
        ],
        required=True,
        default="postage",
        tracking=True,
        help="Policies of one kind never overlap. Only postage policies create claims from "
        "deliveries; the others are claimed by an officer's entry or an import.",
    )
    date_start = fields.Date(string="Valid From", required=True, tracking=True)
    date_end = fields.Date(string="Valid Until", tracking=True)
    rule = fields.Selection(
        [("fixed", "Fixed Amount per Delivery"), ("share", "Share of Postage")],
        required=True,
        default="fixed",
        tracking=True,
    )
    fixed_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    postage_share = fields.Float(string="Postage Share (%)", default=100.0, tracking=True)
    online_only = fields.Boolean(
        string="Online Dossiers Only",
        default=True,
        help="Dossiers filed in person at a Center branch get nothing.",
    )
    budget_limited = fields.Boolean(
        string="Within the Budget",
        help="Claims are confirmed only within the year's allocation; beyond it they wait as "
        "over budget until a supplementary allocation is recorded.",
    )
    yearly_cap_per_person = fields.Monetary(
        string="Yearly Cap per Person",
        currency_field="currency_id",
        help="Most paid to one citizen under this policy in a calendar year; 0 means no cap.",
    )
    required_category_id = fields.Many2one(
        "subsidy.beneficiary.category",
        string="Required Category",
        help="Only citizens holding this category on the delivery date are eligible.",
    )
    bonus_category_id = fields.Many2one(
        "subsidy.beneficiary.category",
        string="Extra for Category",
    )
    bonus_amount = fields.Monetary(
        string="Extra Amount",
        currency_field="currency_id",
        help="Added to each claim of a citizen holding the extra category.",
    )
    account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        domain=[("account_type", "in", ("expense", "expense_direct_cost"))],
        company_dependent=True,
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        help="Put on the vendor bill lines, so Odoo's analytic reports split costs by policy.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("fixed_amount_positive", "CHECK(fixed_amount >= 0)", "Amounts cannot be negative."),
        ("bonus_amount_positive", "CHECK(bonus_amount >= 0)", "Amounts cannot be negative."),
        ("cap_positive", "CHECK(yearly_cap_per_person >= 0)", "Amounts cannot be negative."),
        (
            "share_range",
            "CHECK(postage_share >= 0 AND postage_share <= 100)",
            "The postage share is a percentage between 0 and 100.",
        ),
    ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for policy in self:
            if policy.date_end and policy.date_end < policy.date_start:
                raise ValidationError(self.env._("A policy cannot end before it starts."))

    @api.constrains("fixed_amount", "bonus_amount", "yearly_cap_per_person", "postage_share")
    def _check_amounts(self):
        # Same rule as the SQL checks, but with a translated message for the user.
        for policy in self:
            if min(policy.fixed_amount, policy.bonus_amount, policy.yearly_cap_per_person) < 0:
                raise ValidationError(self.env._("Amounts of a policy cannot be negative."))
            if not 0 <= policy.postage_share <= 100:
                raise ValidationError(
                    self.env._("The postage share is a percentage between 0 and 100.")
                )

    @api.constrains("kind", "date_start", "date_end", "active")
    def _check_no_overlap(self):
        for policy in self.filtered("active"):
            domain = [
                ("id", "!=", policy.id),
                ("kind", "=", policy.kind),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", policy.date_start),
            ]
            if policy.date_end:
                domain.append(("date_start", "<=", policy.date_end))
            other = self.search(domain, limit=1)
            if other:
                raise ValidationError(
                    self.env._(
                        "%(policy)s overlaps %(other)s: two policies of one kind cannot be in "
                        "force on the same day.",
                        policy=policy.name,
                        other=other.name,
                    )
                )

    @api.model
    def _in_force(self, kind, on_date, policies=None):
        """The policy of ``kind`` in force on ``on_date`` (one at most, by the constraint)."""
        policies = policies if policies is not None else self.search([("kind", "=", kind)])
        for policy in policies:
            if policy.date_start <= on_date and (not policy.date_end or policy.date_end >= on_date):
                return policy
        return self.browse()

    def _amount_for(self, postage, categories):
        """What this policy pays for one delivery of ``postage``, before the yearly cap."""
        self.ensure_one()
        if self.required_category_id and self.required_category_id.id not in categories:
            return 0.0
        if self.rule == "fixed":
            amount = self.fixed_amount
        else:
            amount = (postage or 0.0) * self.postage_share / 100.0
        if self.bonus_category_id and self.bonus_category_id.id in categories:
            amount += self.bonus_amount
        return float_round(amount, precision_rounding=self.currency_id.rounding)

    def _expense_account(self, company):
        self.ensure_one()
        account = self.with_company(company).account_id
        if not account:
            journal = self.env["account.journal"].search(
                [("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1
            )
            account = journal.default_account_id
        if not account:
            raise ValidationError(
                self.env._("Set an expense account on the policy %(policy)s.", policy=self.name)
            )
        return account

    @api.model
    def _demo_prepare_accounting(self):
        """Demo only: the Center on the Vietnamese chart (VND), a subsidy expense account,
        one analytic account per policy and the treasury (Kho bạc) bank journal."""
        company = self.env.ref("base.main_company")
        # As Odoo itself does in a demo database (account's demo entries are replaced), or on a
        # company without entries; a company with real entries keeps its chart.
        account_demo = self.env.ref("base.module_account").demo
        if company.chart_template != "vn" and (account_demo or not company._existing_accounting()):
            self.env["account.chart.template"].try_loading("vn", company, install_demo=False)
        Account = self.env["account.account"].with_company(company)
        account = Account.search([("code", "=", "642801")], limit=1) or Account.create(
            {
                "code": "642801",
                "name": "Chi hỗ trợ cước bưu chính công ích (ngân sách thành phố)",
                "account_type": "expense",
            }
        )
        plan = self.env["account.analytic.plan"].search(
            [("name", "=", "Chính sách hỗ trợ")], limit=1
        ) or self.env["account.analytic.plan"].create({"name": "Chính sách hỗ trợ"})
        for policy in self.search([]):
            policy.with_company(company).account_id = account
            if not policy.analytic_account_id:
                policy.analytic_account_id = self.env["account.analytic.account"].create(
                    {"name": policy.name, "plan_id": plan.id, "company_id": company.id}
                )
        Journal = self.env["account.journal"]
        if not Journal.search([("code", "=", "KBNN"), ("company_id", "=", company.id)]):
            Journal.create(
                {
                    "name": "Kho bạc Nhà nước Hà Nội",
                    "code": "KBNN",
                    "type": "bank",
                    "company_id": company.id,
                }
            )
