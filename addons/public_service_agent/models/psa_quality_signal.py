import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import center_language
from .ir_config_parameter import CENTER_TZ
from .psa_quality_rule import SIGNAL_TYPES

EVIDENCE_LIMIT = 50  # evidence rows kept per signal: enough to review, bounded at any scale
MAX_RATIO = 3.0  # a signal weighs at most three times its rule's weight


def _mask(value):
    """'+84912345678' -> '+849•••••678', 'an@x.vn' -> 'a•@x.vn': enough to tell apart."""
    value = value or ""
    if "@" in value:
        local, _sep, domain = value.partition("@")
        return f"{local[:1]}•@{domain}"
    return f"{value[:4]}•••••{value[-3:]}" if len(value) > 7 else "•••"


class PsaQualitySignal(models.Model):
    """A broker signal ("cò") about an agent or a staff member, with its evidence.

    States::

        open -> explained, actioned
        explained -> open
        actioned -> (final)

    Signals are computed set-wise by ``_cron_compute_signals`` (one SQL query per rule,
    whatever the number of dossiers); an officer reviews each one and closes it as
    explained or acts on it (warning, retraining, suspension). Nothing is punished
    automatically: only the review actions touch the agent.
    """

    _name = "psa.quality.signal"
    _description = "Broker Signal"
    _inherit = ["psa.state.machine.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "state, score desc, id desc"
    _state_initial = "open"
    _state_transitions = {
        "open": ("explained", "actioned"),
        "explained": ("open",),
        "actioned": (),
    }
    _state_needs_reason = ("explained", "actioned")
    _state_reason_field = "review_note"

    signal_type = fields.Selection(SIGNAL_TYPES, required=True, readonly=True, index=True)
    rule_id = fields.Many2one("psa.quality.rule", readonly=True, ondelete="set null")
    agent_id = fields.Many2one(
        "psa.agent", required=True, readonly=True, index=True, ondelete="cascade"
    )
    operator_id = fields.Many2one(
        related="agent_id.operator_id", store=True, index=True, string="Operator"
    )
    ward_id = fields.Many2one(related="agent_id.ward_id", store=True, string="Ward / Commune")
    staff_user_id = fields.Many2one(
        "res.users", string="Staff Member", readonly=True, index="btree_not_null"
    )
    subject_key = fields.Char(
        readonly=True, help="Hash of what the evidence shares (a phone, a proxy, a procedure)."
    )
    detail = fields.Char(readonly=True)
    count = fields.Integer(readonly=True, help="Citizens, dossiers, complaints or evaluations.")
    score = fields.Float(readonly=True, aggregator="sum", help="Points in the risk score.")
    date_detected = fields.Datetime(readonly=True, default=fields.Datetime.now)
    date_last_seen = fields.Datetime(readonly=True, default=fields.Datetime.now)
    dossier_ids = fields.Many2many("psa.dossier", string="Evidence Dossiers", readonly=True)
    ticket_ids = fields.Many2many("psa.ticket", string="Evidence Tickets", readonly=True)
    evidence_count = fields.Integer(compute="_compute_evidence_count")

    state = fields.Selection(
        [("open", "To Review"), ("explained", "Explained"), ("actioned", "Acted On")],
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    action_type = fields.Selection(
        [("warning", "Warning"), ("retraining", "Retraining"), ("suspension", "Suspension")],
        tracking=True,
    )
    review_note = fields.Text(string="Reason", tracking=True)
    reviewer_id = fields.Many2one("res.users", readonly=True)
    date_reviewed = fields.Datetime(readonly=True)

    @api.depends("signal_type", "agent_id", "detail")
    def _compute_display_name(self):
        labels = dict(self._fields["signal_type"]._description_selection(self.env))
        for signal in self:
            signal.display_name = (
                f"{labels.get(signal.signal_type, '')}: {signal.agent_id.name or ''}"
            )

    def _compute_evidence_count(self):
        for signal in self:
            signal.evidence_count = len(signal.dossier_ids) + len(signal.ticket_ids)

    # ------------------------------------------------------------------ review
    REVIEW_FIELDS = frozenset(("state", "action_type", "review_note"))

    def write(self, vals):
        # Officers review signals; what the computation found is not theirs to change.
        if not self.env.su:
            mail = {name for name in vals if name.startswith(("message_", "activity_"))}
            computed = set(vals) - self.REVIEW_FIELDS - mail
            if computed:
                raise UserError(
                    self.env._(
                        "Only the review of a signal can be changed, not %(fields)s.",
                        fields=", ".join(sorted(computed)),
                    )
                )
        return super().write(vals)

    def _state_check(self, old_state, new_state, vals):
        result = super()._state_check(old_state, new_state, vals)
        if new_state == "actioned":
            action = vals.get("action_type") or self[:1].action_type
            if not action:
                raise ValidationError(self.env._("Choose the action taken on the signal."))
            if action == "suspension" and not self.env.user.has_group(
                "public_service_agent.group_psa_admin"
            ):
                raise AccessError(self.env._("Only Center administrators suspend an agent."))
        return result

    def _on_state_change(self, old_state, new_state):
        if new_state in ("explained", "actioned"):
            self.sudo().write({"reviewer_id": self.env.uid, "date_reviewed": fields.Datetime.now()})
        if new_state == "actioned":
            for signal in self:
                signal._apply_action()

    def _apply_action(self):
        """The officer's decision reaches the agent: a warning or a retraining request in its
        history, or, for an administrator, the suspension with the reason given."""
        self.ensure_one()
        agent = self.agent_id
        agent.check_access("read")
        note = self.env._(
            "%(action)s after broker signal “%(signal)s”: %(reason)s",
            action=dict(self._fields["action_type"]._description_selection(self.env))[
                self.action_type
            ],
            signal=self.display_name,
            reason=self.review_note,
        )
        if self.action_type == "suspension":
            if agent.state == "active":
                agent.write({"state": "suspended", "state_reason": note})
            else:
                agent.sudo().message_post(body=note, subtype_xmlid="mail.mt_note")
            return
        agent.sudo().message_post(body=note, subtype_xmlid="mail.mt_note")
        if self.action_type == "retraining":
            agent.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Retraining required"),
                note=note,
                user_id=self.env.uid,
            )

    def action_explain(self):
        for signal in self:
            signal.write({"state": "explained", "review_note": signal.review_note})

    def action_act(self):
        for signal in self:
            signal.write(
                {
                    "state": "actioned",
                    "review_note": signal.review_note,
                    "action_type": signal.action_type,
                }
            )

    def action_reopen(self):
        self.write({"state": "open"})

    def action_view_evidence(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Evidence Dossiers"),
            "res_model": "psa.dossier",
            "view_mode": "list,form",
            "domain": [("id", "in", self.dossier_ids.ids)],
        }

    # ------------------------------------------------------------------ computation
    @api.model
    @center_language
    def _cron_compute_signals(self):
        """Compute every active rule set-wise and upsert the signals. Returns them."""
        rules = self.env["psa.quality.rule"].sudo().search([])
        self.env.flush_all()
        found = []
        now = fields.Datetime.now()
        for rule in rules:
            since = now - timedelta(days=rule.window_days)
            self.env.cr.execute(getattr(self, f"_sql_{rule.signal_type}")(rule, since))
            for row in self.env.cr.dictfetchall():
                found.append(self._signal_vals(rule, row))
        return (
            self.sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
            ._upsert(found)
        )

    @api.model
    def _signal_vals(self, rule, row):
        ratio = row.get("ratio") or (row["n"] / rule.threshold)
        vals = {
            "signal_type": rule.signal_type,
            "rule_id": rule.id,
            "agent_id": row["agent_id"],
            "staff_user_id": row.get("staff_id") or False,
            "subject_key": hashlib.sha256((row.get("subject") or "").encode()).hexdigest()[:32],
            "count": row["n"],
            "score": round(rule.weight * min(ratio, MAX_RATIO), 1),
            "detail": self._detail(rule, row),
        }
        if row.get("dossier_ids"):
            vals["dossier_ids"] = [fields.Command.set(row["dossier_ids"])]
        if row.get("ticket_ids"):
            vals["ticket_ids"] = [fields.Command.set(row["ticket_ids"])]
        return vals

    @api.model
    def _detail(self, rule, row):
        kind = rule.signal_type
        if kind == "shared_contact":
            return self.env._(
                "%(n)s citizens share the contact %(value)s",
                n=row["n"],
                value=_mask((row.get("subject") or "").partition(":")[2]),
            )
        if kind == "proxy":
            return self.env._("One proxy filed for %(n)s citizens", n=row["n"])
        if kind == "out_of_hours":
            return self.env._("Dossiers filed outside opening hours: %(n)s", n=row["n"])
        if kind == "fee_complaint":
            return self.env._("Complaints of extra fees or documents: %(n)s", n=row["n"])
        if kind in ("supplement_rate", "refusal_rate"):
            return self.env._(
                "%(rate)s%% of %(total)s dossiers of a procedure, against %(norm)s%% elsewhere",
                rate=round(100 * row["rate"]),
                total=row["total"],
                norm=round(100 * row["norm"]),
            )
        return self.env._("Evaluations scoring 0 on cost or attitude: %(n)s", n=row["n"])

    @api.model
    def _upsert(self, found):
        """Refresh the open signal of each (type, agent, staff, subject); new ones are created.
        A closed signal comes back only with more evidence than it was closed with."""
        existing = self.search(
            [("signal_type", "in", list({v["signal_type"] for v in found}) or [""])],
            order="id desc",
        )
        latest = {}
        for signal in existing:
            key = (
                signal.signal_type,
                signal.agent_id.id,
                signal.staff_user_id.id or False,
                signal.subject_key,
            )
            latest.setdefault(key, signal)
        to_create = []
        result = self.browse()
        now = fields.Datetime.now()
        for vals in found:
            key = (
                vals["signal_type"],
                vals["agent_id"],
                vals["staff_user_id"] or False,
                vals["subject_key"],
            )
            signal = latest.get(key)
            if signal and signal.state == "open":
                signal.write({**vals, "date_last_seen": now})
                result |= signal
            elif signal and vals["count"] <= signal.count:
                continue
            else:
                to_create.append(vals)
        return result | self.create(to_create)

    # One query per rule; each returns agent_id, staff_id, subject, n, dossier_ids/ticket_ids.
    @api.model
    def _sql_shared_contact(self, rule, since):
        def by(prefix, column):
            return SQL(
                """
                SELECT d.agent_id,
                       mode() WITHIN GROUP (ORDER BY d.staff_user_id) AS staff_id,
                       %(prefix)s || %(column)s AS subject,
                       COUNT(DISTINCT d.citizen_id) AS n,
                       (array_agg(d.id ORDER BY d.id DESC))[1:%(limit)s] AS dossier_ids
                  FROM psa_dossier d
                  JOIN res_partner p ON p.id = d.citizen_id
                 WHERE d.create_date >= %(since)s AND d.agent_id IS NOT NULL
                   AND %(column)s IS NOT NULL AND %(column)s != ''
              GROUP BY d.agent_id, %(column)s
                HAVING COUNT(DISTINCT d.citizen_id) >= %(threshold)s
                """,
                prefix=prefix,
                column=column,
                since=since,
                threshold=rule.threshold,
                limit=EVIDENCE_LIMIT,
            )

        return SQL(
            "%s UNION ALL %s", by("phone:", SQL("p.phone")), by("email:", SQL("lower(p.email)"))
        )

    @api.model
    def _sql_proxy(self, rule, since):
        return SQL(
            """
            SELECT d.agent_id,
                   mode() WITHIN GROUP (ORDER BY d.staff_user_id) AS staff_id,
                   'proxy:' || d.proxy_id AS subject,
                   COUNT(DISTINCT d.citizen_id) AS n,
                   (array_agg(d.id ORDER BY d.id DESC))[1:%(limit)s] AS dossier_ids
              FROM psa_dossier d
             WHERE d.create_date >= %(since)s AND d.agent_id IS NOT NULL
               AND d.proxy_id IS NOT NULL AND d.proxy_id != d.citizen_id
          GROUP BY d.agent_id, d.proxy_id
            HAVING COUNT(DISTINCT d.citizen_id) >= %(threshold)s
            """,
            since=since,
            threshold=rule.threshold,
            limit=EVIDENCE_LIMIT,
        )

    @api.model
    def _sql_out_of_hours(self, rule, since):
        # Filing time in the agent's time zone against its opening hours (lunch counts as open)
        # and its closed days.
        return SQL(
            """
            WITH filed AS (
                SELECT d.id, d.agent_id, d.staff_user_id, a.resource_calendar_id AS calendar_id,
                       d.create_date AS utc,
                       (d.create_date AT TIME ZONE 'UTC')
                           AT TIME ZONE COALESCE(c.tz, %(center_tz)s) AS local
                  FROM psa_dossier d
                  JOIN psa_agent a ON a.id = d.agent_id
                  JOIN resource_calendar c ON c.id = a.resource_calendar_id
                 WHERE d.create_date >= %(since)s
            )
            SELECT f.agent_id, f.staff_user_id AS staff_id, '' AS subject, COUNT(*) AS n,
                   (array_agg(f.id ORDER BY f.id DESC))[1:%(limit)s] AS dossier_ids
              FROM filed f
             WHERE EXISTS (
                    -- closed days (public holidays) of the agent's calendar, or of all calendars
                    SELECT 1 FROM resource_calendar_leaves l
                     WHERE l.resource_id IS NULL
                       AND (l.calendar_id = f.calendar_id OR l.calendar_id IS NULL)
                       AND f.utc BETWEEN l.date_from AND l.date_to
                   )
                OR NOT EXISTS (
                    SELECT 1 FROM resource_calendar_attendance att
                     WHERE att.calendar_id = f.calendar_id
                       AND att.display_type IS NULL
                       AND att.dayofweek = (EXTRACT(ISODOW FROM f.local)::int - 1)::varchar
                       AND EXTRACT(HOUR FROM f.local) + EXTRACT(MINUTE FROM f.local) / 60.0
                           >= att.hour_from
                       AND EXTRACT(HOUR FROM f.local) + EXTRACT(MINUTE FROM f.local) / 60.0
                           < att.hour_to
                   )
          GROUP BY f.agent_id, f.staff_user_id
            HAVING COUNT(*) >= %(threshold)s
            """,
            since=since,
            threshold=rule.threshold,
            limit=EVIDENCE_LIMIT,
            center_tz=CENTER_TZ,  # for an agent calendar without a time zone
        )

    @api.model
    def _sql_fee_complaint(self, rule, since):
        return SQL(
            """
            SELECT t.agent_id, t.staff_user_id AS staff_id, '' AS subject, COUNT(*) AS n,
                   (array_agg(t.id ORDER BY t.id DESC))[1:%(limit)s] AS ticket_ids,
                   (array_remove(array_agg(t.dossier_id ORDER BY t.id DESC), NULL))[1:%(limit)s]
                       AS dossier_ids
              FROM psa_ticket t
             WHERE t.date_open >= %(since)s AND t.agent_id IS NOT NULL
               AND t.category IN ('extra_fee', 'extra_documents')
          GROUP BY t.agent_id, t.staff_user_id
            HAVING COUNT(*) >= %(threshold)s
            """,
            since=since,
            threshold=rule.threshold,
            limit=EVIDENCE_LIMIT,
        )

    @api.model
    def _sql_rate(self, rule, since, flag):
        # The norm of a procedure is its rate at the other agents.
        return SQL(
            """
            WITH base AS (
                SELECT d.id, d.agent_id, d.procedure_id, (%(flag)s)::int AS hit
                  FROM psa_dossier d
                  JOIN psa_dossier_stage s ON s.id = d.stage_id
                 WHERE d.create_date >= %(since)s AND d.agent_id IS NOT NULL
                   AND s.is_new IS NOT TRUE
            ), per_agent AS (
                SELECT agent_id, procedure_id, COUNT(*) AS total, SUM(hit) AS hits,
                       (array_agg(id ORDER BY id DESC) FILTER (WHERE hit = 1))[1:%(limit)s]
                           AS dossier_ids
                  FROM base GROUP BY agent_id, procedure_id
            ), per_procedure AS (
                SELECT procedure_id, COUNT(*) AS total, SUM(hit) AS hits
                  FROM base GROUP BY procedure_id
            ), rates AS (
                SELECT a.agent_id, a.procedure_id, a.total, a.hits, a.dossier_ids,
                       a.hits::float / a.total AS rate,
                       (p.hits - a.hits)::float / NULLIF(p.total - a.total, 0) AS norm
                  FROM per_agent a JOIN per_procedure p USING (procedure_id)
                 WHERE a.total >= %(min_dossiers)s
            )
            SELECT agent_id, NULL::int AS staff_id, 'procedure:' || procedure_id AS subject,
                   hits AS n, total, rate, norm, dossier_ids,
                   rate / GREATEST(norm, 0.01) / %(factor)s AS ratio
              FROM rates
             WHERE norm IS NOT NULL AND hits >= %(threshold)s
               AND rate > GREATEST(norm * %(factor)s, norm + 0.05)
            """,
            flag=flag,
            since=since,
            threshold=rule.threshold,
            min_dossiers=rule.min_dossiers,
            factor=rule.factor,
            limit=EVIDENCE_LIMIT,
        )

    @api.model
    def _sql_supplement_rate(self, rule, since):
        return self._sql_rate(rule, since, SQL("d.supplement_request IS NOT NULL"))

    @api.model
    def _sql_refusal_rate(self, rule, since):
        return self._sql_rate(rule, since, SQL("s.is_refused IS TRUE"))

    @api.model
    def _sql_zero_evaluation(self, rule, since):
        return SQL(
            """
            SELECT e.agent_id, e.staff_user_id AS staff_id, '' AS subject, COUNT(*) AS n,
                   (array_agg(e.dossier_id ORDER BY e.id DESC))[1:%(limit)s] AS dossier_ids
              FROM psa_dossier_evaluation e
             WHERE e.create_date >= %(since)s AND e.agent_id IS NOT NULL
               AND (e.score_cost = '0' OR e.score_attitude = '0')
          GROUP BY e.agent_id, e.staff_user_id
            HAVING COUNT(*) >= %(threshold)s
            """,
            since=since,
            threshold=rule.threshold,
            limit=EVIDENCE_LIMIT,
        )
