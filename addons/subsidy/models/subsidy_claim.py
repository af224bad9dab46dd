import logging
from collections import defaultdict

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from odoo.addons.public_service_agent.models.psa_personal_data_log import (
    mask_name as mask_citizen_name,
)

from .common import format_vnd
from .subsidy_budget import COMMITTED_STATES

_logger = logging.getLogger(__name__)
# Fields a claim keeps once it is in a statement: the statement is never edited, only reversed.
LOCKED_FIELDS = {
    "amount",
    "postage",
    "policy_id",
    "category_id",
    "date",
    "delivery_id",
    "citizen_id",
    "operator_id",
    "statement_id",
    "company_id",
    "source_type",
}
OPEN_STATES = ("draft", "over_budget", "confirmed")
SYSTEM_FIELDS = (
    "statement_id",
    "bill_id",
    "refund_id",
    "payment_ref",
    "adjusted_claim_id",
    "operator_status",
    "operator_comment",
    "resolution_note",
    "reject_reason",
    "citizen_masked",
    "ward_name",
    "dossier_code",
    "delivery_ref",
    "postage",
)


class SubsidyClaim(models.Model):
    """What the city owes an operator for one delivery (or one entry) under one policy.

    States::

        draft -> confirmed, over_budget, rejected
        over_budget -> confirmed, rejected
        confirmed -> in_statement, rejected
        in_statement -> confirmed, billed, rejected
        billed -> paid, confirmed, rejected
        paid -> rejected
        rejected -> (final)

    Claims are many (hundreds of thousands a month), so they carry no chatter; statements do.
    Finance never reads citizens: the masked name, ward and dossier code are copied on
    creation, on the server.
    """

    _name = "subsidy.claim"
    _description = "Subsidy Claim"
    _inherit = ["psa.state.machine.mixin", "psa.guard.mixin"]
    _order = "date desc, id desc"

    # The guard (psa.guard.mixin): what only the server writes, and what a confirmed claim keeps.
    _guard_system_fields = SYSTEM_FIELDS
    _guard_locked_fields = tuple(sorted(LOCKED_FIELDS))

    _state_transitions = {
        "draft": ("confirmed", "over_budget", "rejected"),
        "over_budget": ("confirmed", "rejected"),
        "confirmed": ("in_statement", "rejected"),
        "in_statement": ("confirmed", "billed", "rejected"),
        "billed": ("paid", "confirmed", "rejected"),
        "paid": ("rejected",),
        "rejected": (),
    }
    _state_needs_reason = ("rejected",)
    _state_reason_field = "reject_reason"

    name = fields.Char(string="Reference", required=True, index=True)
    source_type = fields.Selection(
        [
            ("delivery", "Delivery"),
            ("manual", "Officer's Entry"),
            ("import", "Import"),
            ("adjustment", "Adjustment (Lost Delivery)"),
        ],
        required=True,
        default="manual",
        index=True,
    )
    is_adjustment = fields.Boolean(compute="_compute_is_adjustment", store=True, precompute=True)
    adjusted_claim_id = fields.Many2one("subsidy.claim", string="Adjusts", readonly=True)
    delivery_id = fields.Many2one(
        "postal.delivery",
        index=True,
        ondelete="restrict",
        groups="public_service_agent.group_psa_officer",
    )
    delivery_ref = fields.Char(string="Delivery Number", readonly=True)
    dossier_id = fields.Many2one(
        "psa.dossier",
        index=True,
        ondelete="restrict",
        groups="public_service_agent.group_psa_officer",
    )
    dossier_code = fields.Char(readonly=True, index=True)
    citizen_id = fields.Many2one(
        "res.partner",
        string="Citizen",
        index=True,
        ondelete="restrict",
        groups="public_service_agent.group_psa_officer",
    )
    citizen_masked = fields.Char(string="Citizen (masked)", readonly=True)
    ward_id = fields.Many2one("psa.admin.unit", string="Ward / Commune", index=True, readonly=True)
    ward_name = fields.Char(readonly=True)
    operator_id = fields.Many2one(
        "res.partner",
        string="Operator",
        required=True,
        index=True,
        domain=[("is_psa_operator", "=", True)],
    )
    policy_id = fields.Many2one("subsidy.policy", required=True, index=True, ondelete="restrict")
    category_id = fields.Many2one(
        "subsidy.beneficiary.category", string="Category", index=True, ondelete="restrict"
    )
    date = fields.Date(
        required=True, index=True, default=lambda self: self.env["psa.dossier"]._center_today()
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="policy_id.currency_id")
    postage = fields.Monetary(readonly=True)
    amount = fields.Monetary(required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("over_budget", "Over Budget"),
            ("confirmed", "Confirmed"),
            ("in_statement", "In Statement"),
            ("billed", "Billed"),
            ("paid", "Paid"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="draft",
        index=True,
        readonly=True,
    )
    reject_reason = fields.Char(readonly=True)
    # Indexed with the id in init(): statements are read in id order, chunk by chunk.
    statement_id = fields.Many2one("subsidy.statement", readonly=True, copy=False)
    bill_id = fields.Many2one("account.move", string="Vendor Bill", readonly=True, copy=False)
    refund_id = fields.Many2one("account.move", string="Credit Note", readonly=True, copy=False)
    payment_ref = fields.Char(string="Payment", readonly=True, copy=False)
    operator_status = fields.Selection(
        [
            ("pending", "Not Reviewed"),
            ("confirmed", "Confirmed by Operator"),
            ("disputed", "Disputed"),
            ("resolved", "Dispute Resolved"),
        ],
        default="pending",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    operator_comment = fields.Text(readonly=True, copy=False)
    resolution_note = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        (
            "one_claim_per_delivery_policy",
            "UNIQUE(delivery_id, policy_id, is_adjustment)",
            "A delivery has at most one claim per policy.",
        ),
    ]

    def init(self):
        tools.create_index(
            self.env.cr, "subsidy_claim_statement_id_id_index", self._table, ["statement_id", "id"]
        )

    @api.depends("source_type")
    def _compute_is_adjustment(self):
        for claim in self:
            claim.is_adjustment = claim.source_type == "adjustment"

    @api.constrains("amount", "source_type")
    def _check_amount_sign(self):
        for claim in self:
            if claim.source_type == "adjustment" and claim.amount > 0:
                raise ValidationError(self.env._("An adjustment cannot be positive."))
            if claim.source_type != "adjustment" and claim.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "The amount of a claim must be positive (claim %(name)s).", name=claim.name
                    )
                )

    # ------------------------------------------------------------------ create / write
    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"].sudo()
        Dossier = self.env["psa.dossier"].sudo()
        Policy = self.env["subsidy.policy"].sudo()
        pending = defaultdict(float)  # what this batch already gives, per policy/citizen/year
        # Users enter claims; settlement, answers and system sources are the server's.
        self._guard_create_vals(vals_list)
        for vals in vals_list:
            if not self._is_system() and vals.get("source_type") in ("delivery", "adjustment"):
                raise ValidationError(
                    self.env._("Claims for deliveries and adjustments are created by the system.")
                )
            if vals.get("dossier_id") and not vals.get("citizen_id"):
                vals["citizen_id"] = Dossier.browse(vals["dossier_id"]).citizen_id.id
            if vals.get("dossier_id"):
                dossier = Dossier.browse(vals["dossier_id"])
                vals.setdefault("dossier_code", dossier.name)
                if dossier.ward_id and not vals.get("ward_id"):
                    vals["ward_id"] = dossier.ward_id.id
            if vals.get("citizen_id") and not vals.get("citizen_masked"):
                vals["citizen_masked"] = mask_citizen_name(Partner.browse(vals["citizen_id"]).name)
            if vals.get("ward_id") and not vals.get("ward_name"):
                vals["ward_name"] = self.env["psa.admin.unit"].sudo().browse(vals["ward_id"]).name
            if vals.get("source_type", "manual") in ("manual", "import") and vals.get("policy_id"):
                policy = Policy.browse(vals["policy_id"])
                delivery = self.env["postal.delivery"].sudo().browse(vals.get("delivery_id"))
                if delivery:
                    vals["postage"] = delivery.postage
                vals["amount"] = self._capped_manual_amount(policy, vals, pending)
                self._check_within_policy(policy, vals["amount"], delivery)
        return super().create(vals_list)

    @api.model
    def _policy_ceiling(self, policy, delivery):
        """The most one claim may pay under ``policy``; None when only the yearly cap bounds it.

        A fixed policy pays its amount per delivery (39/2024: 26,000 VND); a share of postage
        (77/2025: 100 %) is bounded by the delivery's postage. Both add the category's extra.
        """
        extra = policy.bonus_amount if policy.bonus_category_id else 0.0
        if policy.rule == "fixed":
            return policy.fixed_amount + extra
        if delivery:
            return delivery.postage * policy.postage_share / 100.0 + extra
        if policy.kind == "postage":
            return 0.0  # a share of postage without the delivery has nothing to be a share of
        return None

    @api.model
    def _check_within_policy(self, policy, amount, delivery):
        ceiling = self._policy_ceiling(policy, delivery)
        if ceiling is None or policy.currency_id.compare_amounts(amount, ceiling) <= 0:
            return
        if policy.rule == "share" and not delivery:
            raise ValidationError(
                self.env._(
                    "%(policy)s pays a share of a delivery's postage: give the delivery.",
                    policy=policy.name,
                )
            )
        raise ValidationError(
            self.env._(
                "%(amount)s VND is more than %(policy)s pays for one claim (%(ceiling)s VND).",
                amount=format_vnd(amount),
                policy=policy.name,
                ceiling=format_vnd(ceiling),
            )
        )

    def _check_policy_bound(self):
        for claim in self.sudo().filtered(lambda c: c.source_type != "adjustment"):
            claim._check_within_policy(claim.policy_id, claim.amount, claim.delivery_id)

    @api.model
    def _capped_manual_amount(self, policy, vals, pending):
        """An entry pays 100 % up to the policy's yearly cap per person, never beyond it."""
        amount = vals.get("amount") or 0.0
        if amount <= 0:
            raise ValidationError(self.env._("The amount of a claim must be positive."))
        if not policy.yearly_cap_per_person:
            return amount
        if not vals.get("citizen_id"):
            raise ValidationError(
                self.env._("%(policy)s has a cap per person: give the citizen.", policy=policy.name)
            )
        date = fields.Date.to_date(vals.get("date") or self.env["psa.dossier"]._center_today())
        used = self._used_by_citizen(policy, [vals["citizen_id"]], date.year)
        key = (policy.id, vals["citizen_id"], date.year)
        remaining = policy.yearly_cap_per_person - used.get(vals["citizen_id"], 0.0) - pending[key]
        if remaining <= 0:
            raise ValidationError(
                self.env._(
                    "This citizen already received the yearly cap of %(cap)s under %(policy)s.",
                    cap=format_vnd(policy.yearly_cap_per_person),
                    policy=policy.name,
                )
            )
        amount = min(amount, remaining)
        pending[key] += amount
        return amount

    @api.model
    def _used_by_citizen(self, policy, citizen_ids, year):
        """{citizen id: amount} already claimed in ``year`` under ``policy`` (not rejected).

        Takes a transaction lock per (policy, citizen), so two claims never pass a cap together.
        """
        for citizen_id in sorted(set(citizen_ids)):
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [policy.id, citizen_id])
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT citizen_id, SUM(amount) FROM subsidy_claim
             WHERE policy_id = %s AND citizen_id IN %s AND state != 'rejected'
               AND date >= make_date(%s, 1, 1) AND date < make_date(%s, 1, 1)
             GROUP BY citizen_id
            """,
            [policy.id, tuple(set(citizen_ids)), year, year + 1],
        )
        return dict(self.env.cr.fetchall())

    def write(self, vals):
        self.check_access("write")  # access first, then the guard and the rules below
        if "amount" in vals and vals["amount"] is not None:
            for claim in self:
                if claim.source_type != "adjustment" and vals["amount"] <= 0:
                    raise ValidationError(self.env._("The amount of a claim must be positive."))
        result = super().write(vals)
        if {"amount", "policy_id", "delivery_id"}.intersection(vals) and not self._is_system():
            self._check_policy_bound()
        return result

    def _guard_is_locked(self):
        return bool(self.filtered(lambda c: c.state not in ("draft", "over_budget")))

    def _guard_system_error(self, names):
        if "statement_id" in names:
            # Claims enter a statement only by collection, which checks their state.
            return ValidationError(self.env._("Claims join a statement only by collecting them."))
        return super()._guard_system_error(names)

    def _guard_locked_error(self, names):
        return ValidationError(
            self.env._("A confirmed claim cannot be edited; reject it with a reason instead.")
        )

    def _state_check(self, old_state, new_state, vals):
        # The budget, the statements and the credit notes follow the claims' moves: users move
        # claims with the buttons (Confirm, Reject) and the statements, never by writing.
        if not (self.env.su or self._is_system()):
            raise ValidationError(
                self.env._(
                    "A claim changes state only through its buttons (Confirm, Reject) and its "
                    "statement."
                )
            )
        return super()._state_check(old_state, new_state, vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda c: c.state not in ("draft", "over_budget")):
            raise UserError(self.env._("Only draft claims can be deleted; reject the others."))

    # ------------------------------------------------------------------ from deliveries
    @api.model
    def _local_date(self, dt):
        if not dt:
            return self.env["psa.dossier"]._center_today()
        tz = pytz.timezone(self.env["psa.dossier"]._center_tz())
        return pytz.utc.localize(dt).astimezone(tz).date()

    @api.model
    def _create_for_deliveries(self, deliveries):
        """Claims for delivered deliveries, batch-wise; a delivery with a claim is skipped."""
        deliveries = deliveries.sudo()
        if not deliveries:
            return self.browse()
        policies = self.env["subsidy.policy"].sudo().search([("kind", "=", "postage")])
        self.flush_model()
        self.env.cr.execute(
            "SELECT delivery_id, policy_id FROM subsidy_claim "
            "WHERE delivery_id IN %s AND NOT is_adjustment",
            [tuple(deliveries.ids)],
        )
        existing = set(self.env.cr.fetchall())
        citizens = deliveries.mapped("dossier_id.citizen_id") | deliveries.mapped("citizen_id")
        eligibility = self.env["subsidy.eligibility"]._index_for(citizens.ids)
        candidates = []
        for delivery in deliveries:
            day = self._local_date(delivery.date_delivered)
            policy = policies._in_force("postage", day, policies)
            if not policy or (delivery.id, policy.id) in existing:
                continue
            dossier = delivery.dossier_id
            if policy.online_only and dossier.channel == "branch":
                continue
            operator = delivery.operator_id or delivery.carrier_id.operator_id
            if not operator:
                _logger.warning("Delivery %s has no operator: no subsidy claim", delivery.name)
                continue
            citizen = delivery.citizen_id or dossier.citizen_id
            categories = self.env["subsidy.eligibility"]._categories_on(
                eligibility, citizen.id, day
            )
            amount = policy._amount_for(delivery.postage, categories)
            if amount <= 0:
                continue
            category = (
                policy.bonus_category_id
                if policy.bonus_category_id.id in categories
                else policy.required_category_id
            )
            candidates.append(
                {
                    "name": delivery.name,
                    "source_type": "delivery",
                    "delivery_id": delivery.id,
                    "delivery_ref": delivery.name,
                    "dossier_id": dossier.id,
                    "citizen_id": citizen.id,
                    "ward_id": (delivery.ward_id or dossier.ward_id).id,
                    "operator_id": operator.id,
                    "policy_id": policy.id,
                    "category_id": category.id,
                    "date": day,
                    "company_id": (delivery.company_id or dossier.company_id).id,
                    "postage": delivery.postage,
                    "amount": amount,
                }
            )
        candidates = self._apply_caps(candidates)
        # Back to the caller's (sudo) environment: the system one stays inside this method.
        claims = self.sudo()._system_create(candidates).with_env(self.sudo().env)
        claims._confirm_within_budget()
        return claims

    @api.model
    def _apply_caps(self, candidates):
        """Cut each candidate to what is left of its policy's yearly cap per person."""
        Policy = self.env["subsidy.policy"].sudo()
        by_key = defaultdict(list)
        for vals in candidates:
            policy = Policy.browse(vals["policy_id"])
            if policy.yearly_cap_per_person and vals.get("citizen_id"):
                by_key[(policy, vals["date"].year)].append(vals)
        dropped = set()
        for (policy, year), group in by_key.items():
            used = self._used_by_citizen(policy, [v["citizen_id"] for v in group], year)
            for vals in group:
                left = policy.yearly_cap_per_person - used.get(vals["citizen_id"], 0.0)
                vals["amount"] = min(vals["amount"], max(left, 0.0))
                used[vals["citizen_id"]] = used.get(vals["citizen_id"], 0.0) + vals["amount"]
                if vals["amount"] <= 0:
                    dropped.add(id(vals))
        return [vals for vals in candidates if id(vals) not in dropped]

    @api.model
    def _adjust_for_lost(self, deliveries):
        """A delivered delivery later lost: its claim is withdrawn, or offset once billed."""
        claims = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("delivery_id", "in", deliveries.ids),
                    ("is_adjustment", "=", False),
                    ("state", "!=", "rejected"),
                ]
            )
        )
        reason = self.env._("Delivery lost")
        open_claims = claims.filtered(
            lambda c: c.state in OPEN_STATES
            or (c.state == "in_statement" and c.statement_id.state == "draft")
        )
        if open_claims:
            open_claims._system_write({"statement_id": False})
            open_claims._system_write({"state": "rejected", "reject_reason": reason})
        to_offset = claims - open_claims
        if not to_offset:
            return self.browse()
        self.flush_model()
        self.env.cr.execute(
            "SELECT adjusted_claim_id FROM subsidy_claim WHERE adjusted_claim_id IN %s",
            [tuple(to_offset.ids)],
        )
        done = {row[0] for row in self.env.cr.fetchall()}
        today = self.env["psa.dossier"]._center_today()
        adjustments = self.sudo()._system_create(
            [
                {
                    "name": self.env._("Lost: %(ref)s", ref=claim.name),
                    "source_type": "adjustment",
                    "adjusted_claim_id": claim.id,
                    "delivery_id": claim.delivery_id.id,
                    "delivery_ref": claim.delivery_ref,
                    "dossier_id": claim.dossier_id.id,
                    "dossier_code": claim.dossier_code,
                    "citizen_id": claim.citizen_id.id,
                    "citizen_masked": claim.citizen_masked,
                    "ward_id": claim.ward_id.id,
                    "ward_name": claim.ward_name,
                    "operator_id": claim.operator_id.id,
                    "policy_id": claim.policy_id.id,
                    "category_id": claim.category_id.id,
                    "company_id": claim.company_id.id,
                    "date": today,
                    "postage": -claim.postage,
                    "amount": -claim.amount,
                }
                for claim in to_offset
                if claim.id not in done
            ]
        )
        adjustments._system_write({"state": "confirmed"})
        return adjustments.with_env(self.sudo().env)

    # ------------------------------------------------------------------ budget
    def _confirm_within_budget(self):
        """Confirm draft or waiting claims while their budget lasts; the rest wait over budget.

        The budget row is locked first, so concurrent confirmations see each other's amounts.
        """
        claims = self.filtered(lambda c: c.state in ("draft", "over_budget"))
        groups = defaultdict(lambda: self.browse())
        for claim in claims:
            groups[(claim.company_id, claim.policy_id, claim.date.year)] |= claim
        to_confirm = self.browse()
        to_wait = self.browse()
        budgets = self.env["subsidy.budget"].sudo()
        for (company, policy, year), group in groups.items():
            if not policy.budget_limited:
                to_confirm |= group
                continue
            budget = budgets._lock_for(company, policy, year)
            budgets |= budget
            allocation = budget.allocation_total if budget else 0.0
            committed = 0.0
            if budget:
                committed = budget._consumption_by_state()[budget.id]
                committed = sum(committed.get(s, 0.0) for s in COMMITTED_STATES)
            remaining = allocation - committed
            # First in, first served: while older claims wait, newer ones wait behind them.
            self.env.cr.execute(
                """
                SELECT 1 FROM subsidy_claim
                 WHERE state = 'over_budget' AND policy_id = %s AND company_id = %s
                   AND date >= make_date(%s, 1, 1) AND date < make_date(%s, 1, 1)
                   AND id NOT IN %s LIMIT 1
                """,
                [policy.id, company.id, year, year + 1, tuple(group.ids)],
            )
            waiting = bool(self.env.cr.fetchone())
            for claim in group.sorted(lambda c: (c.date, c.id)):
                if claim.amount <= 0 or (not waiting and claim.amount <= remaining):
                    to_confirm |= claim
                    remaining -= claim.amount
                else:
                    waiting = True
                    to_wait |= claim
        to_confirm._system_write({"state": "confirmed"})
        to_wait.filtered(lambda c: c.state == "draft")._system_write({"state": "over_budget"})
        if budgets:
            budgets._check_thresholds()
        return to_confirm

    # ------------------------------------------------------------------ buttons
    def action_confirm(self):
        if self.filtered(lambda c: c.state not in ("draft", "over_budget")):
            raise UserError(self.env._("Only draft or over-budget claims can be confirmed."))
        confirmed = self._confirm_within_budget()
        if self - confirmed:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "%(count)s claim(s) wait over budget.", count=len(self - confirmed)
                    ),
                },
            }
        return True

    def action_reject(self, reason):
        """Reject with a reason; after billing, the operator owes it back through a credit note."""
        if not str(reason or "").strip():
            raise ValidationError(self.env._("Give a reason to reject a claim."))
        billed = self.filtered(lambda c: c.state in ("billed", "paid"))
        in_draft_statement = self.filtered(
            lambda c: c.state == "in_statement" and c.statement_id.state == "draft"
        )
        self._system_write({"state": "rejected", "reject_reason": reason})
        if in_draft_statement:
            in_draft_statement._system_write({"statement_id": False})
        for statement, claims in billed.grouped("statement_id").items():
            statement._refund_claims(claims)
        return True

    def action_resolve_dispute(self, note):
        """Finance answers a disputed line: it stays in the statement, with the answer."""
        if not str(note or "").strip():
            raise ValidationError(self.env._("Write the answer to the operator's dispute."))
        if self.filtered(lambda c: c.operator_status != "disputed"):
            raise UserError(self.env._("Only disputed lines can be resolved."))
        self._system_write({"operator_status": "resolved", "resolution_note": note})
        for statement in self.statement_id:
            statement.message_post(
                body=self.env._(
                    "Dispute on %(lines)s resolved: %(note)s",
                    lines=", ".join(
                        self.filtered(lambda c, s=statement: c.statement_id == s).mapped("name")
                    ),
                    note=note,
                )
            )
        return True

    def _portal_respond(self, action, comment=None):
        """The one write a portal operator may make: confirm or dispute its own lines.

        The caller has proven read access with the operator's own rights (record rules).
        """
        self.check_access("read")
        # The answer is the operator's word: only its own portal users give it, never finance
        # or an officer who can read the line too.
        operator = self.env.user.partner_id.commercial_partner_id
        if not self.env.user.share or self.sudo().filtered(lambda c: c.operator_id != operator):
            raise ValidationError(
                self.env._("Only the operator's own accountants answer the lines of its statement.")
            )
        if action not in ("confirm", "dispute"):
            raise ValidationError(self.env._("Unknown answer."))
        comment = (comment or "").strip()
        if action == "dispute" and not comment:
            raise ValidationError(self.env._("Say why you dispute this line."))
        if len(comment) > 2000:
            raise ValidationError(self.env._("The comment is too long (2,000 characters at most)."))
        # Access is proven: the statement's state is read and the answer written as superuser.
        claims = self.sudo()
        for claim in claims:
            if claim.statement_id.state != "confirmed" or claim.state != "in_statement":
                raise ValidationError(
                    self.env._("Lines can be answered only while the statement awaits billing.")
                )
        claims._system_write(
            {
                "operator_status": "confirmed" if action == "confirm" else "disputed",
                "operator_comment": comment or False,
            }
        )
        if action == "dispute":
            for statement in claims.statement_id:
                statement.message_post(
                    body=self.env._(
                        "The operator disputes %(lines)s: %(comment)s",
                        lines=", ".join(self.mapped("name")),
                        comment=comment,
                    ),
                    author_id=self.env.user.partner_id.id,
                )
                statement.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Resolve the operator's dispute"),
                    user_id=statement._finance_owner().id,
                )
        return True
