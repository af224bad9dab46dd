from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import create_index, format_datetime

from odoo.addons.public_service_agent.models.psa_guard_mixin import as_system
from odoo.addons.public_service_agent.tools import center_env, center_language
from odoo.addons.queue_job.exception import RetryableJobError

from .postal_carrier import CarrierError

# Order of progress, for "a late event never moves a delivery backwards". A failed attempt
# and a new round out for delivery share a rank: a carrier may loop between them.
STATE_RANK = {
    "draft": 0,
    "requested": 1,
    "picked_up": 2,
    "in_transit": 3,
    "out_for_delivery": 4,
    "failed_attempt": 4,
    "returning": 5,
    "delivered": 6,
    "returned": 6,
    "cancelled": 7,
    "lost": 7,
}
# Personal data of the recipient: officers, dispatchers and agent staff (record rules narrow
# portal users to their own agent) read them; other internal users do not.
PERSONAL_GROUPS = "postal_delivery.group_postal_dispatcher,base.group_portal"
# Set by the workflow only: RPC callers, imports and forms may not write them.
WORKFLOW_FIELDS = {
    "name",
    "date_accepted",
    "date_requested",
    "date_delivered",
    "date_returned",
    "date_state",
    "date_carrier_event",
    "date_next_attempt",
    "attempt_count",
    "job_state",
    "job_error",
}
MAX_ATTEMPTS = 2
JOB_MAX_ATTEMPTS = 5
JOB_BACKOFF = (60, 300, 900, 3600)
ATTEMPT_GAP_DAYS = 2


class PostalDelivery(models.Model):
    """A dossier sent to the Center or a result returned by public post.

    States::

        draft -> requested, cancelled
        requested -> picked_up, cancelled
        picked_up -> in_transit, out_for_delivery, lost
        in_transit -> out_for_delivery, returning, lost
        out_for_delivery -> delivered, failed_attempt, returning, lost
        failed_attempt -> out_for_delivery, returning, lost
        returning -> returned, lost
        delivered -> lost
        returned -> (final)
        cancelled -> (final)
        lost -> (final)

    Two attempts two working days apart (Circular 17/2017 Art. 5.2.h): the second failed
    attempt sends the delivery back to the agency. Each move is kept as a
    ``postal.delivery.event``.
    """

    _name = "postal.delivery"
    _description = "Postal Delivery"
    _inherit = ["psa.state.machine.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_names_search = ["name", "tracking_ref"]

    _state_transitions = {
        "draft": ("requested", "cancelled"),
        "requested": ("picked_up", "cancelled"),
        "picked_up": ("in_transit", "out_for_delivery", "lost"),
        "in_transit": ("out_for_delivery", "returning", "lost"),
        "out_for_delivery": ("delivered", "failed_attempt", "returning", "lost"),
        "failed_attempt": ("out_for_delivery", "returning", "lost"),
        "returning": ("returned", "lost"),
        "delivered": ("lost",),
        "returned": (),
        "cancelled": (),
        "lost": (),
    }
    _state_needs_reason = ("cancelled", "lost")
    _state_reason_field = "state_reason"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    service_type = fields.Selection(
        [
            ("send_dossier", "Send Dossier"),
            ("return_result", "Return Result"),
            ("both", "Send Dossier and Return Result"),
        ],
        required=True,
        default="return_result",
        tracking=True,
        help="Decision 45/2016 Art. 5.",
    )
    dossier_id = fields.Many2one(
        "psa.dossier", required=True, index=True, ondelete="restrict", tracking=True
    )
    dossier_code = fields.Char(related="dossier_id.name", string="Dossier Code")
    agent_id = fields.Many2one(
        related="dossier_id.agent_id", store=True, index=True, precompute=True, string="Agent"
    )
    carrier_id = fields.Many2one(
        "postal.carrier", required=True, index=True, tracking=True, ondelete="restrict"
    )
    carrier_type = fields.Selection(related="carrier_id.carrier_type")
    carrier_name = fields.Char(related="carrier_id.name", string="Carrier Name")
    operator_id = fields.Many2one(
        related="carrier_id.operator_id", store=True, index=True, precompute=True
    )
    citizen_id = fields.Many2one(
        "res.partner",
        compute="_compute_citizen_id",
        store=True,
        precompute=True,
        index=True,
        string="Citizen",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("draft", "Draft"),
            ("requested", "Pickup Requested"),
            ("picked_up", "Picked Up"),
            ("in_transit", "In Transit"),
            ("out_for_delivery", "Out for Delivery"),
            ("delivered", "Delivered"),
            ("failed_attempt", "Failed Attempt"),
            ("returning", "Returning to Sender"),
            ("returned", "Returned to Sender"),
            ("cancelled", "Cancelled"),
            ("lost", "Lost"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    state_reason = fields.Text(string="Reason", copy=False, tracking=True)

    # Sender and recipient (Phiếu gửi, Circular 17/2017 Art. 9)
    sender_name = fields.Char()
    sender_street = fields.Char(string="Sender Address")
    sender_phone = fields.Char()
    sender_ward_id = fields.Many2one(
        "psa.admin.unit", string="Sender Ward / Commune", domain=[("level", "=", "ward")]
    )
    recipient_name = fields.Char(groups=PERSONAL_GROUPS)
    recipient_street = fields.Char(string="Recipient Address", groups=PERSONAL_GROUPS)
    recipient_phone = fields.Char(groups=PERSONAL_GROUPS)
    ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Recipient Ward / Commune",
        index=True,
        domain=[("level", "=", "ward")],
    )
    weight = fields.Integer(string="Weight (g)", default=200)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self._default_currency()
    )
    postage = fields.Monetary(tracking=True)
    cod_amount = fields.Monetary(string="COD Amount", help="Fees the postman collects.")
    tracking_ref = fields.Char(
        string="Tracking Number", copy=False, index="btree_not_null", tracking=True
    )
    order_ref = fields.Char(
        string="Order Reference",
        compute="_compute_order_ref",
        store=True,
        index="btree_not_null",
        help="Sent to the carrier as our order number: a retried request finds the same order.",
    )

    # Postal leg (Circular 17/2017 Art. 7)
    route = fields.Selection(
        [
            ("same_ward", "Within One Ward / Commune"),
            ("hanoi", "Within Hanoi"),
            ("class1_city", "To Another Special or Class-I City"),
            ("other", "Elsewhere"),
        ],
        compute="_compute_route",
        store=True,
        readonly=False,
        precompute=True,
    )
    with_appointment = fields.Boolean(
        string="With Appointment Slip", help="The limit doubles when a slip is delivered too."
    )
    date_accepted = fields.Datetime(
        string="J Date", readonly=True, copy=False, help="Acceptance date on the Phiếu gửi."
    )
    date_due = fields.Datetime(
        string="Postal-leg Due Date", compute="_compute_date_due", store=True, index=True
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", store=True, index=True
    )

    date_requested = fields.Datetime(readonly=True, copy=False)
    date_delivered = fields.Datetime(readonly=True, copy=False)
    date_returned = fields.Datetime(string="Date Returned to Sender", readonly=True, copy=False)
    date_state = fields.Datetime(
        string="Last Status Time", readonly=True, copy=False, help="Time of the last move."
    )
    date_carrier_event = fields.Datetime(
        readonly=True, copy=False, help="Time of the carrier's last status applied here."
    )
    attempt_count = fields.Integer(string="Failed Attempts", readonly=True, copy=False)
    date_next_attempt = fields.Datetime(
        readonly=True, copy=False, help="Two working days after the first failed attempt."
    )
    event_ids = fields.One2many("postal.delivery.event", "delivery_id", string="History")
    handover_ids = fields.Many2many(
        "postal.handover",
        "postal_handover_delivery_rel",
        "delivery_id",
        "handover_id",
        string="Handover Records",
        copy=False,
    )
    job_state = fields.Selection(
        [("none", "None"), ("pending", "Pending"), ("failed", "Failed"), ("done", "Done")],
        string="Carrier Call",
        default="none",
        readonly=True,
        copy=False,
    )
    job_error = fields.Text(string="Carrier Error", readonly=True, copy=False)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The delivery number must be unique."),
        ("weight_positive", "CHECK(weight >= 0)", "The weight cannot be negative."),
    ]

    def init(self):
        create_index(
            self.env.cr,
            "postal_delivery_open_due_idx",
            self._table,
            ["date_due"],
            where="state NOT IN ('delivered', 'returned', 'cancelled', 'lost')",
        )

    @api.model
    def _default_currency(self):
        # _xmlid_to_res_id is cached; env.ref() would check existence once per record.
        vnd = self.env["ir.model.data"]._xmlid_to_res_id("base.VND", raise_if_not_found=False)
        return vnd or self.env.company.currency_id.id

    label_code = fields.Char(
        compute="_compute_label_code", help="Tracking number, or our number before there is one."
    )
    public_tracking_url = fields.Char(compute="_compute_label_code")
    result_documents = fields.Text(
        string="Result Documents",
        help="Listed on the return Phiếu gửi; one per line.",
        compute="_compute_result_documents",
        store=True,
        readonly=False,
    )

    # ------------------------------------------------------------------ computes
    @api.depends("tracking_ref", "name", "dossier_id")
    def _compute_label_code(self):
        # get_base_url() takes one record; a bulk print computes many at once.
        base = self[:1].get_base_url() if self else ""
        for delivery in self:
            delivery.label_code = delivery.tracking_ref or delivery.name
            code = delivery.dossier_id.name or ""
            delivery.public_tracking_url = f"{base}/tracking?code={code}"

    @api.depends("dossier_id", "service_type")
    def _compute_result_documents(self):
        for delivery in self:
            if delivery.result_documents or delivery.service_type == "send_dossier":
                continue
            procedure = delivery.dossier_id.sudo().procedure_id
            # Printed on the return Phiếu gửi, a Vietnamese document whoever creates it.
            delivery.result_documents = self.with_context(lang="vi_VN").env._(
                "Result of the procedure: %(procedure)s", procedure=procedure.name or ""
            )

    @api.depends("dossier_id")
    def _compute_citizen_id(self):
        for delivery in self:
            delivery.citizen_id = delivery.dossier_id.sudo().citizen_id

    @api.depends("dossier_id", "name")
    def _compute_order_ref(self):
        for delivery in self:
            if delivery.id and delivery.dossier_id:
                delivery.order_ref = f"{delivery.dossier_id.name}-{delivery.id}"
            else:
                delivery.order_ref = False

    @api.depends("ward_id", "sender_ward_id")
    def _compute_route(self):
        for delivery in self:
            if delivery.route and not (delivery.ward_id and delivery.sender_ward_id):
                continue
            if delivery.ward_id and delivery.ward_id == delivery.sender_ward_id:
                delivery.route = "same_ward"
            else:
                # Our admin units are Hanoi's: two known wards are a route within Hanoi.
                delivery.route = "hanoi"

    @api.depends("date_accepted", "route", "with_appointment")
    def _compute_date_due(self):
        limits = self.env["postal.leg.limit"]._limits()
        calendar = self.env["psa.dossier"]._center_calendar()
        Dossier = self.env["psa.dossier"]
        for delivery in self:
            if not delivery.date_accepted or not delivery.route:
                delivery.date_due = False
                continue
            days, days_slip = limits.get(delivery.route, (4, 8))
            n = days_slip if delivery.with_appointment else days
            # plan_days counts the start day: J is day zero.
            due = calendar.plan_days(n + 1, delivery.date_accepted, compute_leaves=True)
            delivery.date_due = Dossier._end_of_working_day(due)

    @api.depends("date_due", "date_delivered", "date_returned", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for delivery in self:
            end = delivery.date_delivered or delivery.date_returned
            if delivery.state in ("cancelled", "lost") or not delivery.date_due:
                delivery.is_overdue = False
            else:
                delivery.is_overdue = (end or now) > delivery.date_due

    # ------------------------------------------------------------------ create / write
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                forbidden = set(vals) & (WORKFLOW_FIELDS - {"name"})
                if forbidden or vals.get("name", "/") != "/":
                    raise UserError(
                        self.env._(
                            "These fields follow the delivery's workflow and cannot be set "
                            "directly: %(fields)s",
                            fields=", ".join(
                                self._fields[f].string for f in sorted(forbidden or {"name"})
                            ),
                        )
                    )
        missing = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        if missing:
            for vals, name in zip(missing, self._reserve_names(len(missing)), strict=True):
                vals["name"] = name
        return super().create(vals_list)

    @api.model
    def _reserve_names(self, count):
        """``count`` numbers of the delivery sequence in one query, whatever the batch size."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "postal.delivery"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(self.env._("The sequence of postal deliveries is missing."))
        if sequence.implementation != "standard" or count == 1:
            return [sequence.next_by_id() for _ in range(count)]
        # ir.sequence draws one number per call; a batch of 100,000 return deliveries would cost
        # 100,000 queries. The standard implementation is a PostgreSQL sequence: draw them at once.
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            (f"ir_sequence_{sequence.id:03d}", count),
        )
        numbers = [row[0] for row in self.env.cr.fetchall()]
        prefix, suffix = sequence._get_prefix_suffix()
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for number in numbers]

    @api.model
    def _create_returns_for(self, dossiers):
        """The return deliveries of ``dossiers`` returned by post that have none yet.

        Written in SQL rather than with ``create()``: a batch of done dossiers may hold
        100,000 of them, and the ORM inserts by pages of 100 rows and reads by pages of 1,000,
        so its number of queries grows with the batch; here it is the same for any size. The
        values are those ``create()`` would give (defaults, computed and related fields),
        which a test compares field by field with a delivery created through the ORM.
        """
        cr = self.env.cr
        if not dossiers:
            return self.browse()
        # The SQL below must read what the ORM holds (the dossiers' new stage, deliveries...).
        self.env.flush_all()
        cr.execute(
            """
            SELECT d.id FROM psa_dossier d
             WHERE d.id = ANY(%s) AND d.return_method = 'post'
               AND NOT EXISTS (
                   SELECT 1 FROM postal_delivery x
                    WHERE x.dossier_id = d.id AND x.service_type IN ('return_result', 'both')
                      AND x.state != 'cancelled')
             ORDER BY d.id
            """,
            (dossiers.ids,),
        )
        dossier_ids = [row[0] for row in cr.fetchall()]
        default_carrier = self.env["postal.carrier"].sudo().search([], limit=1)
        if not dossier_ids or not default_carrier:
            return self.browse()
        center = self.env.company.partner_id.sudo()
        now = fields.Datetime.now()
        cr.execute(
            """
            INSERT INTO postal_delivery (
                id, name, service_type, dossier_id, agent_id, carrier_id, operator_id,
                citizen_id, company_id, state, sender_name, sender_street, sender_phone,
                sender_ward_id, recipient_name, recipient_street, recipient_phone, ward_id,
                weight, currency_id, order_ref, route, result_documents, job_state,
                create_uid, create_date, write_uid, write_date)
            SELECT src.id, src.name, 'return_result', d.id, d.agent_id,
                   COALESCE(oc.id, %(carrier)s),
                   CASE WHEN oc.id IS NULL THEN %(carrier_operator)s ELSE oc.operator_id END,
                   d.citizen_id, d.company_id, 'draft', %(sender_name)s, %(sender_street)s,
                   %(sender_phone)s, %(sender_ward)s, p.name,
                   COALESCE(NULLIF(p.street, ''), d.street), p.phone,
                   COALESCE(p.ward_id, d.ward_id), %(weight)s, %(currency)s,
                   d.name || '-' || src.id,
                   CASE WHEN COALESCE(p.ward_id, d.ward_id) = %(sender_ward)s
                        THEN 'same_ward' ELSE 'hanoi' END,
                   replace(%(documents)s, %(placeholder)s, COALESCE(pr.name, '')),
                   'none', %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM (SELECT nextval('postal_delivery_id_seq') AS id, u.dossier_id, u.name
                      FROM unnest(%(dossier_ids)s::int[], %(names)s::varchar[])
                           AS u(dossier_id, name)) src
              JOIN psa_dossier d ON d.id = src.dossier_id
              LEFT JOIN res_partner p ON p.id = d.citizen_id
              LEFT JOIN psa_procedure pr ON pr.id = d.procedure_id
              -- The first carrier of the dossier's operator, else the first carrier.
              LEFT JOIN LATERAL (
                  SELECT c.id, c.operator_id FROM postal_carrier c
                   WHERE c.active AND c.operator_id IS NOT DISTINCT FROM d.operator_id
                   ORDER BY c.sequence, c.id LIMIT 1) oc ON true
             ORDER BY src.id
            RETURNING id
            """,
            {
                "dossier_ids": dossier_ids,
                "names": self._reserve_names(len(dossier_ids)),
                "carrier": default_carrier.id,
                "carrier_operator": default_carrier.operator_id.id or None,
                "sender_name": center.name,
                "sender_street": center.street or None,
                "sender_phone": center.phone or None,
                "sender_ward": center.ward_id.id or None,
                "weight": self._fields["weight"].default(self),
                "currency": self._default_currency(),
                # As _compute_result_documents: printed in Vietnamese whoever creates it.
                "documents": self.with_context(lang="vi_VN").env._(
                    "Result of the procedure: %(procedure)s"
                ),
                "placeholder": "%(procedure)s",
                "uid": self.env.uid,
                "now": now,
            },
        )
        deliveries = self.browse([row[0] for row in cr.fetchall()])
        dossiers.invalidate_recordset(
            ["postal_delivery_ids", "postal_delivery_count", "postal_state"]
        )
        return deliveries

    def write(self, vals):
        if not self.env.su:
            # Contexts that skip checks are honoured for the server's own writes only.
            forbidden = set(vals) & WORKFLOW_FIELDS
            if self.env.context.get("psa_state_unchecked") or forbidden:
                raise UserError(
                    self.env._(
                        "These fields follow the delivery's workflow and cannot be set "
                        "directly: %(fields)s",
                        fields=", ".join(
                            self._fields[f].string for f in sorted(forbidden or {"state"})
                        ),
                    )
                )
        carrier_event = self.env.su and self.env.context.get("postal_carrier_event")
        if vals.get("state") == "out_for_delivery" and not carrier_event:
            self._check_next_attempt()
        return super().write(vals)

    def _workflow_write(self, vals):
        """Timestamps and counters set by the workflow itself (never by RPC callers)."""
        return as_system(self.sudo()).write(vals)

    def _check_next_attempt(self):
        now = fields.Datetime.now()
        early = self.filtered(
            lambda d: d.state == "failed_attempt"
            and d.date_next_attempt
            and now < d.date_next_attempt
        )
        if early:
            raise ValidationError(
                self.env._(
                    "Delivery %(name)s can be attempted again from %(date)s: attempts are two "
                    "working days apart.",
                    name=early[0].name,
                    date=fields.Datetime.to_string(early[0].date_next_attempt),
                )
            )

    def _state_check(self, old_state, new_state, vals):
        if new_state == "requested":
            for delivery in self:
                if not delivery.carrier_id:
                    raise ValidationError(self.env._("Choose a carrier first."))
        return super()._state_check(old_state, new_state, vals)

    def _on_state_change(self, old_state, new_state):  # pylint: disable=missing-return
        """Timestamps, history and the dossier's side, once for the whole batch."""
        super()._on_state_change(old_state, new_state)
        # The event's time and source come from the carrier or the server (superuser: webhooks,
        # polls, handover records, data files), never from a client's context: the delivery
        # date decides which subsidy policy pays, and how much.
        context = self.env.context if self.env.su else {}
        moment = context.get("postal_event_date") or fields.Datetime.now()
        vals = {"date_state": moment}
        if new_state == "requested":
            vals["date_requested"] = moment
        elif new_state == "picked_up":
            vals["date_accepted"] = moment
        elif new_state == "delivered":
            vals["date_delivered"] = moment
        elif new_state == "returned":
            vals["date_returned"] = moment
        self._workflow_write(vals)
        self.env["postal.delivery.event"].sudo().create(
            [
                {
                    "delivery_id": delivery.id,
                    "state_from": old_state,
                    "state_to": new_state,
                    "date": moment,
                    "source": context.get("postal_event_source", "manual"),
                    "carrier_status": self.env.context.get("postal_carrier_status"),
                    "note": self.env.context.get("postal_event_note"),
                }
                for delivery in self
            ]
        )
        if new_state == "failed_attempt":
            self._register_failed_attempt(moment)
        if new_state == "delivered":
            self._postal_delivered()
        if new_state == "returned":
            self._postal_returned()
        if new_state in ("out_for_delivery", "failed_attempt", "delivered"):
            self._notify_citizens_of(new_state)

    def _notify_citizens_of(self, state):
        """The citizen hears of their result's delivery on their own channel (contact centre)."""
        Notification = self.env["psa.notification"].sudo()
        returns = self.filtered(
            lambda d: d.dossier_id and d.service_type in ("return_result", "both")
        )
        for delivery in returns:
            values = {"tracking_number": delivery.tracking_ref or delivery.name}
            occurrence = ""
            if state == "failed_attempt":
                occurrence = str(delivery.attempt_count)
                last = delivery.attempt_count >= MAX_ATTEMPTS or not delivery.date_next_attempt
                values["next_attempt"] = (
                    self.env._("none, the result goes back to the agency")
                    if last
                    else format_datetime(
                        self.env,
                        delivery.date_next_attempt,
                        tz=self.env["psa.dossier"]._center_calendar().tz,
                        dt_format="dd/MM/yyyy",
                    )
                )
            Notification._notify_citizens(
                delivery.dossier_id, f"delivery_{state}", occurrence=occurrence, **values
            )

    def _register_failed_attempt(self, moment):
        calendar = self.env["psa.dossier"]._center_calendar()
        last = self.browse()
        for delivery in self:
            count = delivery.attempt_count + 1
            vals = {"attempt_count": count}
            if count < MAX_ATTEMPTS:
                day = calendar.plan_days(ATTEMPT_GAP_DAYS + 1, moment, compute_leaves=True)
                vals["date_next_attempt"] = self._start_of_local_day(day, calendar)
            else:
                last |= delivery
            delivery._workflow_write(vals)
        if last:
            # Circular 17/2017 Art. 5.2.h: after the second attempt the item goes back.
            last.with_context(
                postal_event_note=self.env._("Second failed attempt: back to the sender.")
            ).write({"state": "returning"})
            for delivery in last:
                delivery.dossier_id.sudo().message_post(
                    body=self.env._(
                        "Delivery %(name)s failed twice and is going back to the sender.",
                        name=delivery.name,
                    )
                )

    @api.model
    def _start_of_local_day(self, moment, calendar):
        tz = pytz.timezone(calendar.tz or self.env["psa.dossier"]._center_tz())
        local = pytz.utc.localize(moment).astimezone(tz)
        start = tz.localize(datetime.combine(local.date(), time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _postal_delivered(self):
        """Hook for the dossier side; see models/psa_dossier.py."""
        results = self.filtered(lambda d: d.service_type in ("return_result", "both"))
        # The dossier's own moves stay tracked when a batch of carrier events skips tracking.
        results.dossier_id.sudo().with_context(mail_notrack=False)._postal_result_delivered(results)

    def _postal_returned(self):
        for delivery in self:
            delivery.dossier_id.sudo().message_post(
                body=self.env._("Delivery %(name)s was returned to the sender.", name=delivery.name)
            )

    # ------------------------------------------------------------------ actions
    def action_request(self):
        self.write({"state": "requested"})
        self._carrier_send()
        return True

    # ------------------------------------------------------------------ carrier calls
    def _carrier_send(self):
        """Create the carriers' orders through queue_job, one channel per carrier."""
        for delivery in self:
            if delivery.carrier_id.carrier_type == "manual":
                delivery._job_send_shipping()
                continue
            delivery._workflow_write({"job_state": "pending", "job_error": False})
            delivery.with_delay(
                channel=delivery.carrier_id._job_channel(),
                description=center_env(self.env)._(
                    "Send %(name)s to the carrier", name=delivery.name
                ),
                identity_key=f"postal_send_{delivery.id}",
            )._job_send_shipping()

    @center_language
    def _job_send_shipping(self):
        """The job: create the carrier's order, idempotently.

        The order reference (dossier code plus delivery id) goes to the carrier as its
        order number: a retry after a timeout finds the order created by the first try.
        """
        self.ensure_one()
        if self.tracking_ref and self.carrier_id.carrier_type != "manual":
            return self.tracking_ref
        carrier = self.carrier_id.sudo()
        try:
            result = carrier._connector("send_shipping")(self)
        except CarrierError as error:
            return self._job_failed(error)
        vals = {"tracking_ref": result["tracking_ref"], "job_state": "done", "job_error": False}
        if result.get("postage") and not self.postage:
            vals["postage"] = result["postage"]
        self._workflow_write(vals)
        return result["tracking_ref"]

    @center_language
    def _job_cancel_shipment(self):
        self.ensure_one()
        try:
            self.carrier_id.sudo()._connector("cancel_shipment")(self)
        except CarrierError as error:
            return self._job_failed(error)
        self._workflow_write({"job_state": "done", "job_error": False})
        return True

    def _job_attempt(self):
        """``(this attempt, attempts allowed)`` of the running job."""
        attempt = self.env.context.get("postal_job_attempt")
        if attempt:
            return attempt, JOB_MAX_ATTEMPTS
        uuid = self.env.context.get("job_uuid")
        job = uuid and self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
        if job:
            return job.retry + 1, job.max_retries or JOB_MAX_ATTEMPTS
        return 1, JOB_MAX_ATTEMPTS

    def _job_failed(self, error):
        """Retry with backoff while it may help; then flag the delivery for an officer."""
        attempt, allowed = self._job_attempt()
        if error.retryable and attempt < allowed:
            # queue_job rolls this transaction back and runs the job again later.
            raise RetryableJobError(str(error), seconds=JOB_BACKOFF[min(attempt, 4) - 1])
        self._workflow_write({"job_state": "failed", "job_error": str(error)})
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Carrier call failed"),
            note=str(error),
        )
        return False

    def action_retry_carrier(self):
        """Officers send a failed carrier call again."""
        self.filtered(lambda d: d.job_state == "failed" and d.state == "requested")._carrier_send()
        return True

    def action_rate(self):
        for delivery in self:
            try:
                postage = delivery.carrier_id.sudo()._connector("rate")(delivery)
            except CarrierError as error:
                raise UserError(str(error)) from None
            delivery.postage = postage
        return True

    def action_pick_up(self):
        self.write({"state": "picked_up"})
        return True

    def action_in_transit(self):
        self.write({"state": "in_transit"})
        return True

    def action_out_for_delivery(self):
        self.write({"state": "out_for_delivery"})
        return True

    def action_deliver(self):
        self.write({"state": "delivered"})
        return True

    def action_fail_attempt(self, note=None):
        self.with_context(postal_event_note=note).write({"state": "failed_attempt"})
        return True

    def action_return(self):
        self.write({"state": "returning"})
        return True

    def action_returned(self):
        self.write({"state": "returned"})
        return True

    def action_cancel(self, reason):
        sent = self.filtered(lambda d: d.tracking_ref and d.carrier_id.carrier_type != "manual")
        self.write({"state": "cancelled", "state_reason": reason})
        for delivery in sent:
            delivery.with_delay(
                channel=delivery.carrier_id._job_channel(),
                identity_key=f"postal_cancel_{delivery.id}",
            )._job_cancel_shipment()
        return True

    def action_mark_lost(self, reason):
        self.write({"state": "lost", "state_reason": reason})
        return True

    # ------------------------------------------------------------------ carrier events
    def _postal_event_moves(self, target, event_date):
        """Whether a carrier event for ``target`` at ``event_date`` moves this delivery.

        Never backwards: a target behind the current state, an event older than the last move,
        or a move the table cannot reach is kept as history and changes nothing.
        """
        self.ensure_one()
        if target == self.state:
            return False
        rank, current = STATE_RANK[target], STATE_RANK[self.state]
        if rank < current:
            return False
        if self.date_carrier_event and event_date and event_date < self.date_carrier_event:
            return False
        return self._state_path(self.state, target) is not None

    def _postal_apply_carrier_status(self, target, event_date, code, note, source="webhook"):
        self.ensure_one()
        extra = {}
        if target in self._state_needs_reason:
            extra["state_reason"] = note or code
        self.with_context(
            postal_carrier_event=True,
            postal_event_source=source,
            postal_event_date=event_date,
            postal_carrier_status=code,
            postal_event_note=note,
        )._state_walk(target, **extra)
        self._workflow_write({"date_carrier_event": event_date})

    @api.model
    @center_language
    def _cron_refresh_overdue(self):
        late = self.search(
            [
                ("state", "not in", ("delivered", "returned", "cancelled", "lost")),
                ("is_overdue", "=", False),
                ("date_due", "<", fields.Datetime.now()),
            ]
        )
        if late:
            self.env.add_to_compute(self._fields["is_overdue"], late)
            late.flush_recordset(["is_overdue"])
        return len(late)

    def _get_report_base_filename(self):
        return self.name

    @api.model
    def _demo_populate(self):
        """Demo: return deliveries for the demo's processed dossiers, at telling stages."""
        dossiers = self.env["psa.dossier"].search(
            [
                "|",
                ("stage_id.is_done", "=", True),
                ("stage_id.is_returned", "=", True),
                ("return_method", "=", "post"),
            ],
            order="id",
        )
        dossiers.filtered(lambda d: d.stage_id.is_done)._postal_create_return_deliveries()
        # Processed before or after postal_delivery was installed: theirs, made now or then.
        deliveries = self.search(
            [
                ("dossier_id", "in", dossiers.ids),
                ("service_type", "=", "return_result"),
                ("state", "=", "draft"),
            ],
            order="id",
        )
        returned = dossiers.filtered(lambda d: d.stage_id.is_returned)
        if not deliveries:
            return
        carrier_event = self.sudo().with_context(postal_carrier_event=True)
        # One delivery on its way, one that failed twice and came back, the others waiting.
        travelling = carrier_event.browse(deliveries[:1].ids)
        viettel = self.env.ref("postal_delivery.carrier_viettelpost", raise_if_not_found=False)
        travelling.write(
            {"tracking_ref": "VTPDEMO1", "carrier_id": (viettel or travelling.carrier_id).id}
        )
        travelling._state_walk("in_transit")
        if len(deliveries) > 1:
            failed = carrier_event.browse(deliveries[1:2].ids)
            failed._state_walk("out_for_delivery")
            failed.action_fail_attempt("Không có người nhận")
            failed.write({"state": "out_for_delivery"})
            failed.action_fail_attempt("Không liên lạc được người nhận")
            failed._state_walk("returned")
        if len(deliveries) > 2:
            handed = deliveries[2:3]
            handed._state_walk("requested")
            handover = self.env["postal.handover"].create(
                {
                    "kind": "center_to_post",
                    "carrier_id": handed.carrier_id.id,
                    "delivery_ids": [(6, 0, handed.ids)],
                    "sender_signer": "Nguyễn Thị Hạnh",
                    "receiver_signer": "Phạm Văn Long",
                }
            )
            handover.action_sign()
        return returned

    def unlink(self):
        if any(d.state != "draft" for d in self):
            raise UserError(self.env._("Only draft deliveries can be deleted; cancel the others."))
        return super().unlink()
