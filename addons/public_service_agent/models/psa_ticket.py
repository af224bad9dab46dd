import re

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..public_input import ascii_int, storable
from ..tools import center_language

CHANNELS = [
    ("hotline_1022", "Hotline 024.1022"),
    ("hotline_19001009", "Hotline 1900 1009"),
    ("zalo", "Zalo OA"),
    ("ihanoi", "iHanoi App"),
    ("email", "E-mail"),
    ("web", "Web Form"),
    ("counter", "At the Counter"),
]

CATEGORIES = [
    ("information", "Procedure Information"),
    ("status", "Dossier Status"),
    ("extra_fee", "Extra Fees Charged"),
    ("extra_documents", "Documents Beyond the Official List"),
    ("data_disclosure", "Disclosure of Dossier Data"),
    ("attitude", "Harassment or Attitude"),
    ("delay", "Delay"),
    ("refusal", "Refusal to Receive"),
    ("delivery", "Delivery Problem"),
    ("other", "Other"),
]
# Conduct banned by Decision 45/2016/QĐ-TTg Art. 16.5, plus delay and delivery problems.
COMPLAINT_CATEGORIES = frozenset(
    ("extra_fee", "extra_documents", "data_disclosure", "attitude", "delay", "refusal", "delivery")
)
SLA_PARAM = "public_service_agent.ticket_sla_days"
DEFAULT_SLA_DAYS = 5
# Bounds of a call sent by the platform (docs/contact-centre-api.md): the duration must fit
# the column, the start a plausible calendar (year 1 broke the time-zone conversions).
MAX_CALL_SECONDS = 86400
CALL_YEARS = (2000, 2100)
# Circular 17/2017/TT-BTTTT Art. 8: postal complaints are settled in 5 working days within
# the province, 7 between provinces.
DELIVERY_SLA_DAYS = {False: 5, True: 7}
CODE_RE = re.compile(r"^[0-9A-Za-z.]{1,40}-\d{6}-\d{4,6}$")
# Set by the system only (sequence, platform id, clock): not over RPC, not by import.
PROTECTED_FIELDS = frozenset(
    ("name", "external_id", "date_open", "date_closed", "date_answered", "answer_count")
)


class PsaTicket(models.Model):
    """An inquiry or complaint received by the contact centre on any channel.

    The citizen and the dossier are matched on the server from what the caller gives
    (dossier code, phone, e-mail); the caller is never told whether anything matched.
    The answer goes back to the contact the ticket came from, never to data found on a
    matched record.
    """

    _name = "psa.ticket"
    _description = "Contact Centre Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _mail_post_access = "read"
    _primary_email = "contact_email"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text()
    channel = fields.Selection(CHANNELS, required=True, default="hotline_1022", index=True)
    ticket_type = fields.Selection(
        [("inquiry", "Inquiry"), ("complaint", "Complaint")],
        string="Type",
        compute="_compute_ticket_type",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
    )
    category = fields.Selection(
        CATEGORIES, required=True, default="information", index=True, tracking=True
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    stage_id = fields.Many2one(
        "psa.ticket.stage",
        string="Stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, precompute=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assigned Officer",
        index=True,
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("public_service_agent.group_psa_officer").id)
        ],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    # What the caller gave: personal data, read by Center officers only.
    contact_name = fields.Char(string="Caller Name")
    contact_phone = fields.Char(string="Caller Phone")
    contact_email = fields.Char(string="Caller E-mail")
    dossier_code = fields.Char(string="Dossier Code Given", help="As the caller gave it.")

    citizen_id = fields.Many2one(
        "res.partner",
        string="Citizen",
        index="btree_not_null",
        compute="_compute_citizen_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    dossier_id = fields.Many2one(
        "psa.dossier",
        string="Dossier",
        index="btree_not_null",
        compute="_compute_dossier_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    agent_id = fields.Many2one(
        "psa.agent",
        string="Agent Concerned",
        index=True,
        compute="_compute_from_dossier",
        store=True,
        readonly=False,
        tracking=True,
    )
    staff_user_id = fields.Many2one(
        "res.users",
        string="Staff Concerned",
        index="btree_not_null",
        compute="_compute_from_dossier",
        store=True,
        readonly=False,
    )
    operator_id = fields.Many2one(
        related="agent_id.operator_id", store=True, index=True, string="Operator"
    )
    call_ids = fields.One2many("psa.ticket.call", "ticket_id", string="Calls")
    call_count = fields.Integer(compute="_compute_call_count")
    external_id = fields.Char(
        string="Platform Message ID",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Id of the conversation on the contact-centre platform, for idempotent updates.",
    )

    delivery_ref = fields.Char(
        string="Postal Tracking Number",
        index="btree_not_null",
        help="The tracking number of the delivery concerned, as the caller gave it; "
        "postal_delivery links the delivery from it.",
    )
    delivery_interprovince = fields.Boolean(
        string="Delivery From Another Province",
        help="Postal complaints get 7 working days instead of 5 (Circular 17/2017 Art. 8).",
    )
    sla_days = fields.Integer(
        string="Time Limit (working days)", compute="_compute_sla_days", store=True
    )
    date_open = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, readonly=True, copy=False
    )
    date_deadline = fields.Datetime(
        string="Deadline", compute="_compute_date_deadline", store=True, index=True
    )
    date_closed = fields.Datetime(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", store=True, index=True
    )

    resolution = fields.Text(help="Internal: what was found and done.")
    answer = fields.Text(string="Answer to the Citizen", tracking=True)
    date_answered = fields.Datetime(readonly=True, copy=False)
    answer_count = fields.Integer(readonly=True, copy=False)
    notification_ids = fields.One2many("psa.notification", "ticket_id", string="Messages Sent")

    _sql_constraints = [
        (
            "external_id_uniq",
            "unique(external_id)",
            "Another ticket already has this platform message id.",
        ),
    ]

    # ------------------------------------------------------------------ defaults
    @api.model
    def _default_stage(self):
        return self.env["psa.ticket.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    # ------------------------------------------------------------------ computes
    @api.depends("category")
    def _compute_ticket_type(self):
        for ticket in self:
            if ticket.category in COMPLAINT_CATEGORIES:
                ticket.ticket_type = "complaint"
            elif not ticket.ticket_type:
                ticket.ticket_type = "inquiry"

    @api.depends("dossier_code")
    def _compute_dossier_id(self):
        for ticket in self:
            code = "".join((ticket.dossier_code or "").split()).upper()
            if code and CODE_RE.match(code):
                ticket.dossier_id = (
                    self.env["psa.dossier"].sudo().search([("name", "=", code)], limit=1)
                )

    @api.depends("dossier_id")
    def _compute_from_dossier(self):
        for ticket in self:
            dossier = ticket.dossier_id.sudo()
            if dossier:
                ticket.agent_id = dossier.agent_id
                ticket.staff_user_id = dossier.staff_user_id

    @api.depends("dossier_id", "contact_phone", "contact_email")
    def _compute_citizen_id(self):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for ticket in self:
            citizen = ticket.dossier_id.sudo().citizen_id
            # The dossier's citizen only when the caller is that citizen (same phone or e-mail),
            # or gave no contact at all (an officer typing during a call).
            if citizen and (ticket.contact_phone or ticket.contact_email):
                if not ticket._contact_matches(citizen):
                    citizen = Partner
            if not citizen and ticket.contact_phone:
                found = Partner.search(
                    [("psa_cccd", "!=", False), ("phone", "=", ticket.contact_phone)], limit=2
                )
                citizen = found if len(found) == 1 else Partner
            if not citizen and ticket.contact_email:
                found = Partner.search(
                    [("psa_cccd", "!=", False), ("email", "=ilike", ticket.contact_email)], limit=2
                )
                citizen = found if len(found) == 1 else Partner
            if citizen:
                ticket.citizen_id = citizen

    def _contact_matches(self, partner):
        self.ensure_one()
        phone = self.contact_phone and partner.phone and self.contact_phone == partner.phone
        email = (
            self.contact_email
            and partner.email
            and self.contact_email.strip().lower() == partner.email.strip().lower()
        )
        return bool(phone or email)

    def _compute_call_count(self):
        counts = dict(
            self.env["psa.ticket.call"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.call_count = counts.get(ticket, 0)

    @api.depends("category", "delivery_interprovince")
    def _compute_sla_days(self):
        default = self._default_sla_days()
        for ticket in self:
            if ticket.category == "delivery":
                ticket.sla_days = DELIVERY_SLA_DAYS[bool(ticket.delivery_interprovince)]
            else:
                ticket.sla_days = default

    @api.model
    def _default_sla_days(self):
        return self.env["ir.config_parameter"]._psa_positive_int(SLA_PARAM, DEFAULT_SLA_DAYS)

    @api.depends("date_open", "sla_days")
    def _compute_date_deadline(self):
        Dossier = self.env["psa.dossier"]
        calendar = Dossier._center_calendar()
        for ticket in self:
            if not ticket.date_open or not ticket.sla_days:
                ticket.date_deadline = False
                continue
            # The day it arrives is day zero, as for dossiers.
            due = calendar.plan_days(ticket.sla_days + 1, ticket.date_open, compute_leaves=True)
            ticket.date_deadline = Dossier._end_of_working_day(due)

    @api.depends("date_deadline", "is_closed", "date_closed")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            end = ticket.date_closed or now
            ticket.is_overdue = bool(ticket.date_deadline) and end > ticket.date_deadline

    # ------------------------------------------------------------------ create / write
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._check_protected(vals)
            self._clean_contact_vals(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("psa.ticket") or "/"
        tickets = super().create(vals_list)
        tickets.filtered("is_closed")._stamp_closed()
        return tickets

    def write(self, vals):
        vals = dict(vals)
        self._check_protected(vals)
        self._clean_contact_vals(vals)
        result = super().write(vals)
        if "stage_id" in vals:
            self.filtered(lambda t: t.is_closed and not t.date_closed)._stamp_closed()
            reopened = self.filtered(lambda t: not t.is_closed and t.date_closed)
            if reopened:
                reopened.sudo().write({"date_closed": False})
        return result

    def _check_protected(self, vals):
        if self.env.su:
            return
        forbidden = sorted(
            f for f in PROTECTED_FIELDS & set(vals) if not (f == "name" and vals[f] == "/")
        )
        if forbidden:
            raise UserError(
                self.env._(
                    "These fields are set by the system and cannot be changed: %(fields)s",
                    fields=", ".join(
                        self._fields[f]._description_string(self.env) for f in forbidden
                    ),
                )
            )

    def _stamp_closed(self):
        if self:
            self.sudo().write({"date_closed": fields.Datetime.now()})

    @api.model
    def _clean_contact_vals(self, vals):
        if vals.get("contact_phone"):
            vals["contact_phone"] = self.env["res.partner"]._psa_normalize_phone(
                vals["contact_phone"]
            )
        if vals.get("contact_email"):
            email = tools.email_normalize(vals["contact_email"])
            if not email:
                raise ValidationError(
                    self.env._("“%(email)s” is not an e-mail address.", email=vals["contact_email"])
                )
            vals["contact_email"] = email
        if vals.get("dossier_code"):
            vals["dossier_code"] = "".join(vals["dossier_code"].split()).upper()[:64]
        if vals.get("delivery_ref"):
            vals["delivery_ref"] = "".join(vals["delivery_ref"].split()).upper()[:40]

    @api.model
    @center_language
    def _cron_refresh_overdue(self):
        """Deadlines pass without any write: flag what became overdue since the last run."""
        late = self.search(
            [
                ("is_closed", "=", False),
                ("is_overdue", "=", False),
                ("date_deadline", "<", fields.Datetime.now()),
            ]
        )
        if late:
            self.env.add_to_compute(self._fields["is_overdue"], late)
            late.flush_recordset(["is_overdue"])
        return len(late)

    # ------------------------------------------------------------------ mail gateway
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to the contact-centre alias becomes a ticket."""
        email = tools.email_normalize(msg_dict.get("email_from") or "") or False
        name = tools.parse_contact_from_email(msg_dict.get("email_from") or "")[0]
        values = {
            "subject": (msg_dict.get("subject") or "").strip() or self.env._("(no subject)"),
            "description": tools.html2plaintext(msg_dict.get("body") or "")[:10000],
            "channel": "email",
            "contact_name": name or False,
            "contact_email": email,
            **(custom_values or {}),
            # The number comes from the sequence, not from the e-mail's subject.
            "name": "/",
        }
        code = re.search(
            r"[0-9A-Za-z.]{1,40}-\d{6}-\d{4,6}", values["subject"] + " " + values["description"]
        )
        if code:
            values["dossier_code"] = code.group(0)
        # Do not let message_new() link the sender's partner: matching is ours.
        msg_dict = dict(msg_dict, author_id=False)
        return super().message_new(msg_dict, custom_values=values)

    def _message_get_suggested_recipients(self):
        # The answer goes through action_send_answer(), never to a guessed partner.
        return []

    # ------------------------------------------------------------------ actions
    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})

    def action_send_answer(self):
        """Send the answer to the contact the ticket came from, then settle the ticket."""
        closed_stage = self.env["psa.ticket.stage"].search([("is_closed", "=", True)], limit=1)
        for ticket in self:
            if not (ticket.answer or "").strip():
                raise ValidationError(self.env._("Write the answer before sending it."))
            if not (ticket.contact_email or ticket.contact_phone):
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has no phone or e-mail to answer to.",
                        ticket=ticket.name,
                    )
                )
            ticket.sudo().write(
                {"answer_count": ticket.answer_count + 1, "date_answered": fields.Datetime.now()}
            )
            self.env["psa.notification"].sudo()._notify_ticket_answer(ticket)
            ticket.message_post(
                body=self.env._("Answer sent to the citizen:\n%(answer)s", answer=ticket.answer),
                subtype_xmlid="mail.mt_note",
            )
            if closed_stage and not ticket.is_closed:
                ticket.stage_id = closed_stage
        return True

    def action_view_calls(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calls"),
            "res_model": "psa.ticket.call",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id},
        }

    # ------------------------------------------------------------------ inbound paths
    @api.model
    def _psa_text(self, value, label, size, required=False):
        if value is not None and not isinstance(value, str):
            raise ValidationError(self.env._("%(field)s must be text.", field=label))
        value = (value or "").strip()
        if required and not value:
            raise ValidationError(self.env._("%(field)s is required.", field=label))
        # PostgreSQL stores no NUL character, UTF-8 no lone surrogate: refused, not a 500.
        if not storable(value):
            raise ValidationError(
                self.env._("%(field)s contains characters that cannot be stored.", field=label)
            )
        if len(value) > size:
            raise ValidationError(
                self.env._("%(field)s is longer than %(size)s characters.", field=label, size=size)
            )
        return value or False

    @api.model
    def _psa_choice(self, value, field_name, default=None):
        allowed = dict(self._fields[field_name]._description_selection(self.env))
        value = value or default
        if not isinstance(value, str) or value not in allowed:
            raise ValidationError(
                self.env._(
                    "%(value)s is not a valid %(field)s. Allowed: %(allowed)s.",
                    value=str(value)[:40],
                    field=self._fields[field_name]._description_string(self.env),
                    allowed=", ".join(allowed),
                )
            )
        return value

    @api.model
    def _psa_create_from_web(self, post):
        """The public form /lien-he: only what the form offers, as a web ticket.

        Whether the dossier code or the contact matched anything is never told back.
        """
        agent_id = post.get("agent_id")
        agent = self.env["psa.agent"]
        if agent_id:
            # ASCII digits that fit an id: '²'.isdigit() is True and int('²') raises.
            agent_id = ascii_int(agent_id, 9)
            if not agent_id:
                raise ValidationError(self.env._("Choose the agent from the list."))
            agent = agent.sudo().search([("id", "=", agent_id), ("state", "=", "active")])
            if not agent:
                raise ValidationError(self.env._("Choose the agent from the list."))
        vals = {
            "channel": "web",
            "category": self._psa_choice(post.get("category"), "category", "information"),
            "subject": self._psa_text(post.get("subject"), self.env._("Subject"), 200, True),
            "description": self._psa_text(
                post.get("description"), self.env._("Description"), 5000, True
            ),
            "contact_name": self._psa_text(post.get("contact_name"), self.env._("Name"), 120, True),
            "contact_phone": self._psa_text(post.get("contact_phone"), self.env._("Phone"), 20),
            "contact_email": self._psa_text(post.get("contact_email"), self.env._("E-mail"), 120),
            "dossier_code": self._psa_text(
                post.get("dossier_code"), self.env._("Dossier code"), 64
            ),
        }
        if not (vals["contact_phone"] or vals["contact_email"]):
            raise ValidationError(
                self.env._("Give a phone number or an e-mail address so that we can answer.")
            )
        ticket = self.sudo().create(vals)
        if agent and not ticket.agent_id:
            ticket.agent_id = agent
        return ticket

    @api.model
    def _psa_api_upsert(self, payload):
        """Create or update a ticket from the contact-centre platform (switchboard, Zalo OA).

        Idempotent on ``external_id``: a replay updates the open ticket, never duplicates.
        Returns ``(ticket, created)``; bad input raises ``ValidationError``.
        """
        if not isinstance(payload, dict):
            raise ValidationError(self.env._("The body must be a JSON object."))
        external_id = self._psa_text(payload.get("external_id"), "external_id", 128, True)
        contact = payload.get("contact")
        contact = {} if contact is None else contact
        if not isinstance(contact, dict):
            raise ValidationError(self.env._("contact must be an object."))
        vals = {
            "channel": self._psa_choice(payload.get("channel"), "channel", "hotline_1022"),
            "category": self._psa_choice(payload.get("category"), "category", "information"),
            "subject": self._psa_text(payload.get("subject"), "subject", 200, True),
            "description": self._psa_text(payload.get("description"), "description", 10000),
            "contact_name": self._psa_text(contact.get("name"), "contact.name", 120),
            "contact_phone": self._psa_text(contact.get("phone"), "contact.phone", 20),
            "contact_email": self._psa_text(contact.get("email"), "contact.email", 120),
            "dossier_code": self._psa_text(payload.get("dossier_code"), "dossier_code", 64),
            "delivery_ref": self._psa_text(payload.get("tracking_number"), "tracking_number", 40),
        }
        Ticket = self.sudo()
        ticket = Ticket.search([("external_id", "=", external_id)], limit=1)
        created = not ticket
        if ticket:
            if not ticket.is_closed:
                ticket.write({k: v for k, v in vals.items() if v and k != "channel"})
        else:
            ticket = Ticket.create({**vals, "external_id": external_id})
        call = payload.get("call")
        if call is not None:
            self._psa_api_log_call(
                dict(call, ticket=ticket.name) if isinstance(call, dict) else call
            )
        return ticket, created

    @api.model
    def _psa_api_log_call(self, payload):
        """Log one call on a ticket (by ``ticket`` number or ``ticket_external_id``).

        Idempotent on the call ``id``. Returns ``(call, created)``.
        """
        if not isinstance(payload, dict):
            raise ValidationError(self.env._("call must be a JSON object."))
        call_id = self._psa_text(payload.get("id"), "call.id", 128, True)
        Call = self.env["psa.ticket.call"].sudo()
        existing = Call.search([("external_id", "=", call_id)], limit=1)
        if existing:
            return existing, False
        Ticket = self.sudo()
        ticket = Ticket.browse()
        number = self._psa_text(payload.get("ticket"), "ticket", 128)
        external_id = self._psa_text(payload.get("ticket_external_id"), "ticket_external_id", 128)
        if number:
            ticket = Ticket.search([("name", "=", number)], limit=1)
        elif external_id:
            ticket = Ticket.search([("external_id", "=", external_id)], limit=1)
        if not ticket:
            raise ValidationError(self.env._("No ticket matches this call."))
        duration = payload.get("duration", 0)
        if (
            not isinstance(duration, int)
            or isinstance(duration, bool)
            or not 0 <= duration <= MAX_CALL_SECONDS
        ):
            raise ValidationError(
                self.env._(
                    "call.duration must be a whole number of seconds, at most %(max)s.",
                    max=MAX_CALL_SECONDS,
                )
            )
        start = payload.get("start")
        try:
            if start is not None and not isinstance(start, str):
                raise ValueError(start)
            start = (
                fields.Datetime.to_datetime(start.replace("T", " ").removesuffix("Z")[:19])
                if start
                else fields.Datetime.now()
            )
        except ValueError as err:
            raise ValidationError(
                self.env._("call.start must be an ISO date and time (UTC).")
            ) from err
        if not CALL_YEARS[0] <= start.year <= CALL_YEARS[1]:
            raise ValidationError(
                self.env._(
                    "call.start must be between the years %(first)s and %(last)s.",
                    first=CALL_YEARS[0],
                    last=CALL_YEARS[1],
                )
            )
        direction = payload.get("direction") or "inbound"
        if direction not in ("inbound", "outbound"):
            raise ValidationError(self.env._("call.direction must be inbound or outbound."))
        call = Call.create(
            {
                "ticket_id": ticket.id,
                "external_id": call_id,
                "direction": direction,
                "date_start": start,
                "duration": duration,
                "operator_extension": self._psa_text(
                    payload.get("extension"), "call.extension", 20
                ),
                "summary": self._psa_text(payload.get("summary"), "call.summary", 5000),
            }
        )
        return call, True
