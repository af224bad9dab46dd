import base64
import inspect
import re
import secrets
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import create_index, format_datetime, single_email_re

from ..tools import center_language
from .ir_config_parameter import CENTER_TZ
from .psa_personal_data_log import mask_digits, mask_name
from .psa_state_machine_mixin import DRAWING_LINE


def _to_int(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


# Fields a citizen's evaluation and the mail machinery may still write on a closed dossier.
WRITABLE_WHEN_CLOSED = {
    "is_overdue",
    "evaluation_token",
    "evaluation_sent",
    "access_token",
    "message_main_attachment_id",
}


# Set by the workflow only: RPC callers, imports and forms may not write them.
WORKFLOW_FIELDS = {
    "name",
    "agency_code",
    "date_received",
    "date_due",
    "date_warning",
    "date_paused",
    "date_done",
    "date_returned",
    "is_on_time",
    "processing_days",
    "supplement_request",
    "refusal_reason",
    "apology_issued",
    "apology_date",
    "apology_reason",
    "apology_previous_due",
    "evaluation_token",
    "evaluation_sent",
    "filed_name",
    "filed_phone",
    "filed_email",
    "contact_review",
}

# What the portal's dossier form may set; everything else is decided by the server.
PORTAL_FIELDS = {"procedure_id", "return_method", "street", "ward_id"}
# Citizen data of a dossier: exporting any of these is logged.
PERSONAL_FIELDS = {
    "citizen_id",
    "citizen_name",
    "citizen_cccd",
    "citizen_phone",
    "street",
    "filed_name",
    "filed_phone",
    "filed_email",
}


class PsaDossier(models.Model):
    """An administrative dossier filed for a citizen (hồ sơ thủ tục hành chính).

    Stages carry the 10 national statuses; ``write()`` only lets a dossier move
    along the transitions its stage allows, whoever calls it. The workflow is
    declared once, as the stages' ``next_stage_ids`` in
    ``data/psa_dossier_stage_data.xml`` (``noupdate``: administrators may edit it),
    and drawn here by the stages' XML ids (``stage_<name>``); ``test_psa_dossier_workflow``
    compares the two::

        new -> received, not_received, withdrawn
        received -> processing, supplement, payment, withdrawn
        processing -> supplement, payment, done, stopped, withdrawn
        supplement -> processing, stopped, withdrawn
        payment -> processing, stopped, withdrawn
        done -> returned
        returned -> (final)
        not_received -> (final)
        withdrawn -> (final)
        stopped -> (final)

    The code reads the stages' flags, never their national codes: ``is_new`` (filed,
    at the agent), ``allow_upload`` (agent staff may add scans), ``is_received``
    (starts the deadline), ``is_processing``, ``is_supplement`` (``pauses_sla``: the
    deadline is suspended, and restarts in full when the dossier leaves, Decree
    61/2018 Art. 19), ``is_done`` (stamps the done date), ``is_returned`` (stamps the
    return, sends the evaluation link), ``is_refused`` and ``is_closed`` (read-only).
    A stage's ``mail_template_id`` is sent on entering it (``_track_template``).
    """

    _name = "psa.dossier"
    _description = "Administrative Dossier"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _mail_post_access = "read"
    _rec_names_search = ["name", "citizen_name"]

    name = fields.Char(string="Dossier Code", readonly=True, copy=False, index=True, default="/")
    procedure_id = fields.Many2one(
        "psa.procedure", required=True, index=True, tracking=True, ondelete="restrict"
    )
    agency_code = fields.Char(readonly=True, copy=False)
    agent_id = fields.Many2one("psa.agent", index=True, tracking=True, ondelete="restrict")
    operator_id = fields.Many2one(
        related="agent_id.operator_id", store=True, index=True, precompute=True, string="Operator"
    )
    staff_user_id = fields.Many2one(
        "res.users", string="Receiving Staff", index=True, tracking=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    citizen_id = fields.Many2one(
        "res.partner", string="Citizen", required=True, index=True, ondelete="restrict"
    )
    # Shown by need: officers read the name, CCCD and phone masked until revealed (logged);
    # staff of the dossier's open agent read what they typed; everyone else masked values.
    citizen_name = fields.Char(
        compute="_compute_citizen_data", search="_search_citizen_name", string="Citizen Name"
    )
    citizen_cccd = fields.Char(compute="_compute_citizen_data", string="CCCD")
    citizen_phone = fields.Char(compute="_compute_citizen_data", string="Citizen Phone")
    # As typed at the agent's counter: a returning citizen's record is never overwritten.
    filed_name = fields.Char(string="Name as Filed", readonly=True, copy=False)
    filed_phone = fields.Char(string="Phone as Filed", readonly=True, copy=False)
    filed_email = fields.Char(string="E-mail as Filed", readonly=True, copy=False)
    contact_review = fields.Boolean(
        string="Contact Change to Review",
        readonly=True,
        copy=False,
        help="The name, phone or e-mail typed at the agent is not exactly the citizen's "
        "record: an officer confirms the link and accepts the change or leaves the record as "
        "it is.",
    )
    street = fields.Char(string="Address")
    ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Ward / Commune",
        index=True,
        domain=[("level", "=", "ward"), ("is_legacy", "=", False)],
    )

    channel = fields.Selection(
        [
            ("counter", "Agent Counter"),
            ("pickup", "Home Pickup"),
            ("contact_centre", "Contact Centre"),
            ("online", "Self Online"),
        ],
        required=True,
        default="counter",
        index=True,
    )
    return_method = fields.Selection(
        [("post", "By Post"), ("agent", "At the Agent"), ("center", "At the Center")],
        required=True,
        default="post",
    )
    document_ids = fields.One2many("psa.dossier.document", "dossier_id", string="Documents")
    missing_document_count = fields.Integer(compute="_compute_missing_document_count")
    note = fields.Text()

    stage_id = fields.Many2one(
        "psa.dossier.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
    )
    status_code = fields.Integer(related="stage_id.status_code", store=True, precompute=True)
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, precompute=True)
    # The stage's flags, for the form's buttons: the views decide on flags, never on national codes.
    stage_is_new = fields.Boolean(related="stage_id.is_new")
    stage_is_received = fields.Boolean(related="stage_id.is_received")
    stage_is_processing = fields.Boolean(related="stage_id.is_processing")
    stage_is_supplement = fields.Boolean(related="stage_id.is_supplement")
    stage_is_done = fields.Boolean(related="stage_id.is_done")
    kanban_state = fields.Selection(
        [("normal", "Normal"), ("warning", "Due Soon"), ("late", "Overdue"), ("done", "Closed")],
        compute="_compute_kanban_state",
        string="Deadline State",
    )

    date_received = fields.Datetime(readonly=True, copy=False, tracking=True, index=True)
    date_due = fields.Datetime(string="Due Date", readonly=True, copy=False, tracking=True)
    date_warning = fields.Datetime(
        readonly=True, copy=False, help="One working day before the due date."
    )
    date_paused = fields.Datetime(readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)
    date_returned = fields.Datetime(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", store=True, precompute=True
    )
    is_on_time = fields.Boolean(readonly=True, copy=False, help="Set when processing is done.")
    on_time_percent = fields.Float(
        string="On-time Rate (%)",
        compute="_compute_on_time_percent",
        store=True,
        precompute=True,
        aggregator="avg",
        help="100 when processed by the due date, else 0: its average over processed "
        "dossiers is the on-time rate.",
    )
    processing_days = fields.Float(
        string="Processing Days", readonly=True, copy=False, aggregator="avg"
    )

    supplement_request = fields.Text(string="Documents Requested", readonly=True, copy=False)
    refusal_reason = fields.Text(readonly=True, copy=False, tracking=True)
    apology_issued = fields.Boolean(readonly=True, copy=False)
    apology_date = fields.Datetime(readonly=True, copy=False)
    apology_reason = fields.Text(readonly=True, copy=False, tracking=True)
    apology_previous_due = fields.Datetime(readonly=True, copy=False)
    apology_allowed = fields.Boolean(
        compute="_compute_apology_allowed",
        help="Form 04 can still be issued: once, at least one working day before the due date.",
    )

    evaluation_token = fields.Char(
        readonly=True, copy=False, groups="base.group_system", index="btree_not_null"
    )
    evaluation_sent = fields.Boolean(readonly=True, copy=False)
    evaluation_ids = fields.One2many("psa.dossier.evaluation", "dossier_id")
    satisfaction = fields.Float(
        compute="_compute_satisfaction", string="Satisfaction (%)", aggregator="avg"
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The dossier code must be unique."),
    ]

    def init(self):
        # Lists and kanban show open dossiers; these stay small while closed ones pile up.
        # Predicates spelled as the ORM writes its domains, or PostgreSQL will not use them.
        self.env.cr.execute(
            "DROP INDEX IF EXISTS psa_dossier_open_stage_idx, psa_dossier_overdue_idx"
        )
        create_index(
            self.env.cr,
            "psa_dossier_open_idx",
            self._table,
            ["stage_id", "id"],
            where="is_closed IS NULL OR is_closed = false",
        )
        create_index(
            self.env.cr, "psa_dossier_late_idx", self._table, ["date_due"], where="is_overdue"
        )
        create_index(
            self.env.cr, "psa_dossier_agent_stage_idx", self._table, ["agent_id", "stage_id"]
        )

    # ------------------------------------------------------------------ defaults
    @api.model
    def _default_stage(self):
        return self.env["psa.dossier.stage"].search([("is_new", "=", True)], limit=1)

    @api.model
    def _psa_workflow_drawing(self):
        """The transitions drawn in this class's docstring: ``{stage: {next stages}}``."""
        drawing = {}
        for line in inspect.cleandoc(PsaDossier.__doc__).splitlines():
            match = DRAWING_LINE.match(line)
            if match:
                targets = set(re.findall(r"[a-z_]+", match.group(2))) - {"final"}
                drawing.setdefault(match.group(1), set()).update(targets)
        return drawing

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    @api.model
    def _center_calendar(self):
        calendar = self.env.ref(
            "public_service_agent.resource_calendar_center", raise_if_not_found=False
        )
        return calendar or self.env.company.resource_calendar_id

    @api.model
    def _center_tz(self):
        """The Center's time zone name: its calendar's, Hanoi's when unset."""
        return self.sudo()._center_calendar().tz or CENTER_TZ

    @api.model
    def _center_today(self, timestamp=None):
        """The Center's date (now, or of a UTC ``timestamp``), whoever asks.

        Crons, the demo install and admin run in UTC, seven hours behind Hanoi: their own
        ``context_today`` is yesterday between 00:00 and 07:00 at the Center.
        """
        return fields.Date.context_today(self.with_context(tz=self._center_tz()), timestamp)

    # ------------------------------------------------------------------ printed forms
    @api.model
    def _psa_format_vnd(self, amount):
        """An amount as a Vietnamese form writes it: ``25.000 đ``."""
        return f"{amount or 0:,.0f}".replace(",", ".") + " đ"

    def _psa_agency(self):
        """The competent agency the printed forms name: ``(name, parent, address)``.

        A ward-level agency ("Công an phường/xã") is the one of the dossier's ward, else of
        the citizen's; without its own address, the ward's.
        """
        self.ensure_one()
        procedure = self.procedure_id
        ward = self.ward_id or self.citizen_id.ward_id
        name = procedure.agency_name or ""
        if ward and "phường/xã" in name:
            name = name.replace("phường/xã", ward.name)
        address = procedure.agency_address or (ward and f"{ward.name}, Thành phố Hà Nội") or ""
        return name, procedure.agency_parent or "", address

    def _psa_slip_postage(self):
        """Postal legs printed in section 5 of the Phiếu gửi, one dict per leg.

        Keys: ``service`` (the leg, in Vietnamese), ``postage`` and ``cod`` (formatted, or
        False when not known yet) and ``tracking`` (the item number). None here, so a dossier
        filed at the counter keeps the dotted blank filled in by hand; postal_delivery lists
        the dossier's deliveries.
        """
        self.ensure_one()
        return []

    # ------------------------------------------------------------------ citizen data
    def _psa_staff_may_read(self, user):
        """Staff of this dossier's agent, while the agent is open (checked as superuser)."""
        self.ensure_one()
        agent = self.sudo().agent_id
        return (
            user._is_portal()
            and agent.state == "active"
            and agent.partner_id == user.commercial_partner_id
        )

    @api.depends_context("uid")
    @api.depends("citizen_id", "filed_name", "filed_phone", "agent_id.state")
    def _compute_citizen_data(self):
        user = self.env.user
        officer = user._psa_reads_citizens()
        for dossier in self:
            citizen = dossier.citizen_id.sudo()
            cccd = citizen.psa_cccd
            phone = dossier.filed_phone or citizen.phone
            if officer:
                dossier.citizen_name = citizen.name
            elif dossier._psa_staff_may_read(user):
                # What was typed at the counter; a dossier the Center filed for the agent
                # (no typed values) shows the record of the citizen it serves.
                dossier.citizen_name = dossier.filed_name or citizen.name
                dossier.citizen_cccd = cccd
                dossier.citizen_phone = phone
                continue
            else:
                dossier.citizen_name = mask_name(citizen.name)
            dossier.citizen_cccd = mask_digits(cccd)
            dossier.citizen_phone = mask_digits(phone)

    def _search_citizen_name(self, operator, value):
        if self.env.user._psa_reads_citizens():
            return [("citizen_id.name", operator, value)]
        # Others search what was typed at the counter, or the name shown on dossiers the
        # Center filed for the agent; record rules still decide which dossiers exist.
        citizens = self.env["res.partner"].sudo()._search([("name", operator, value)])
        return [
            "|",
            ("filed_name", operator, value),
            "&",
            ("filed_name", "=", False),
            ("citizen_id", "in", citizens),
        ]

    def _psa_check_officer(self):
        if not (self.env.su or self.env.user.has_group("public_service_agent.group_psa_officer")):
            raise AccessError(self.env._("Only Center officers may do this."))

    def action_reveal_citizen(self):
        """Show an officer the citizen's CCCD, phone, e-mail and address; each reveal is logged."""
        self.ensure_one()
        self._psa_check_officer()
        self.check_access("read")
        citizen = self.citizen_id.sudo()
        self.env["psa.personal.data.log"]._psa_log(
            "reveal", citizen, ["psa_cccd", "phone", "email", "street"], self._name, self
        )
        lines = [
            self.env._("CCCD: %(value)s", value=citizen.psa_cccd or "-"),
            self.env._("Phone: %(value)s", value=citizen.phone or "-"),
            self.env._("E-mail: %(value)s", value=citizen.email or "-"),
            self.env._("Address: %(value)s", value=citizen.street or "-"),
        ]
        if self.filed_phone or self.filed_email:
            lines.append(
                self.env._(
                    "Typed at the agent: %(phone)s %(email)s",
                    phone=self.filed_phone or "",
                    email=self.filed_email or "",
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": citizen.name,
                "message": "\n".join(lines),
                "sticky": True,
                "type": "warning",
            },
        }

    def action_accept_contact_change(self):
        """An officer copies the phone and e-mail typed at the agent to the citizen's record."""
        self._psa_check_officer()
        self.check_access("write")
        for dossier in self.filtered("contact_review"):
            vals = {}
            if dossier.filed_phone:
                vals["phone"] = dossier.filed_phone
            if dossier.filed_email:
                vals["email"] = dossier.filed_email
            if vals:
                dossier.citizen_id.sudo().write(vals)
            dossier.message_post(
                body=self.env._("The contact details typed at the agent were accepted."),
                subtype_xmlid="mail.mt_note",
            )
        self.sudo().with_context(psa_skip_checks=True).write({"contact_review": False})

    def action_dismiss_contact_change(self):
        self._psa_check_officer()
        self.check_access("write")
        self.sudo().with_context(psa_skip_checks=True).write({"contact_review": False})

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        roots = {path.split("/")[0].split(".")[0] for path in fields_to_export}
        exported = roots & PERSONAL_FIELDS
        if exported and self:
            self.env["psa.personal.data.log"]._psa_log(
                "export", self.env["res.partner"], exported, self._name, self
            )
        return result

    # ------------------------------------------------------------------ computes
    @api.depends("document_ids.state", "document_ids.required")
    def _compute_missing_document_count(self):
        for dossier in self:
            dossier.missing_document_count = len(dossier.document_ids._missing())

    @api.depends("date_due", "is_closed", "date_done")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for dossier in self:
            end = dossier.date_done or now
            dossier.is_overdue = (
                bool(dossier.date_due)
                and end > dossier.date_due
                and (not dossier.is_closed or bool(dossier.date_done))
            )

    @api.depends("is_closed", "date_due", "date_warning", "apology_issued")
    def _compute_apology_allowed(self):
        # Not stored: the clock decides, and the form asks at each read.
        for dossier in self:
            dossier.apology_allowed = not dossier._apology_refusal(with_message=False)

    @api.depends("is_on_time", "date_done")
    def _compute_on_time_percent(self):
        for dossier in self:
            dossier.on_time_percent = 100.0 if dossier.date_done and dossier.is_on_time else 0.0

    @api.depends_context("uid")
    @api.depends("date_due", "date_warning", "is_closed")
    def _compute_kanban_state(self):
        now = fields.Datetime.now()
        for dossier in self:
            if dossier.is_closed:
                dossier.kanban_state = "done"
            elif dossier.date_due and now > dossier.date_due:
                dossier.kanban_state = "late"
            elif dossier.date_warning and now >= dossier.date_warning:
                dossier.kanban_state = "warning"
            else:
                dossier.kanban_state = "normal"

    @api.depends("evaluation_ids.score_percent")
    def _compute_satisfaction(self):
        for dossier in self:
            scores = dossier.evaluation_ids.mapped("score_percent")
            dossier.satisfaction = sum(scores) / len(scores) if scores else 0.0

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for dossier in self:
            dossier.access_url = f"/my/dossiers/{dossier.id}"

    # ------------------------------------------------------------------ create / write
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        Procedure = self.env["psa.procedure"]
        today = self._center_today()  # the code carries the Center's day, not the user's
        by_agency = {}
        first_stage = self._default_stage()
        for vals in vals_list:
            self._check_workflow_fields(vals)
            self._psa_default_contact(vals)
            if vals.get("document_ids") and not self.env.su:
                raise UserError(
                    self.env._("Document slots come from the procedure's list, not from the form.")
                )
            vals.setdefault("stage_id", first_stage.id)
            if vals["stage_id"] != first_stage.id:
                raise ValidationError(
                    self.env._("A dossier starts as “%(stage)s”.", stage=first_stage.name)
                )
            procedure = Procedure.browse(vals["procedure_id"])
            vals.setdefault("agency_code", procedure.agency_code)
            if vals.get("name", "/") == "/":
                by_agency.setdefault(vals["agency_code"], []).append(vals)
        for agency_code, agency_vals in by_agency.items():
            first = self.env["psa.dossier.sequence"]._reserve(agency_code, today, len(agency_vals))
            for offset, vals in enumerate(agency_vals):
                vals["name"] = f"{agency_code}-{today:%y%m%d}-{first + offset:04d}"
        dossiers = super().create(vals_list)
        dossiers._check_receiving_side()
        dossiers._create_document_slots()
        return dossiers

    @api.model
    def _psa_default_contact(self, vals):
        """A dossier filed without contact data (backend, contact centre) takes the chosen
        citizen's: the officer's choice of citizen is the Center's. The contact data of the
        dossier is what alerts, evaluation links and deliveries use."""
        if vals.get("filed_phone") or vals.get("filed_email") or not vals.get("citizen_id"):
            return
        citizen = self.env["res.partner"].sudo().browse(vals["citizen_id"])
        vals.update(
            filed_name=vals.get("filed_name") or citizen.name or False,
            filed_phone=citizen.phone or False,
            filed_email=citizen.email or False,
        )
        if not vals.get("street") and not vals.get("ward_id"):
            vals.update(street=citizen.street or False, ward_id=citizen.ward_id.id or False)

    @api.constrains("return_method", "procedure_id")
    def _check_postal_return(self):
        """A result goes by post only for procedures that allow it, whoever writes."""
        for dossier in self:
            if dossier.return_method == "post" and not dossier.procedure_id.allow_postal_return:
                raise ValidationError(
                    self.env._(
                        "The result of “%(procedure)s” cannot be sent by post.",
                        procedure=dossier.procedure_id.name,
                    )
                )

    def _check_receiving_side(self):
        # Once per distinct agent and staff member: batches come from few counters.
        closed_agent = self.agent_id.filtered(lambda agent: agent.state != "active")[:1]
        if closed_agent:
            raise ValidationError(
                self.env._(
                    "Agent %(agent)s is not open and cannot receive dossiers.",
                    agent=closed_agent.display_name,
                )
            )
        self.staff_user_id._psa_check_can_handle_dossiers()

    @api.model
    def _psa_portal_file(self, values, citizen_vals, uploads):
        """File a dossier from the agent portal's form, for the calling staff member.

        The one way agent staff create dossiers (they have no create right): only
        ``PORTAL_FIELDS`` are taken from ``values``; the agent is the caller's, the
        receiving staff member is the caller and the certification check applies to the
        caller. A returning citizen is matched by CCCD on the server and never
        overwritten: the typed name, phone and e-mail stay on the dossier, and a
        difference is flagged for an officer. ``uploads`` maps procedure document ids to
        ``(content, file name)``. Private: not callable over RPC.
        """
        user = self.env.user
        if not user._is_portal():
            raise AccessError(self.env._("Only agent staff file dossiers from the portal."))
        agent = self.env["psa.agent"].search(
            [("partner_id", "=", user.commercial_partner_id.id)], limit=1
        )
        if not agent:
            raise AccessError(self.env._("Only the staff of an agent can file dossiers here."))
        user._psa_check_can_handle_dossiers()
        vals = {key: value for key, value in values.items() if key in PORTAL_FIELDS}
        procedure = self.env["psa.procedure"].browse(vals.get("procedure_id")).exists()
        procedure.check_access("read")
        Partner = self.env["res.partner"]
        citizen_vals = dict(citizen_vals)
        citizen = Partner._psa_find_or_create_citizen(
            {
                key: value
                for key, value in citizen_vals.items()
                if key in ("psa_cccd", "name", "phone", "email", "street", "ward_id") and value
            }
        )
        phone = citizen_vals.get("phone") or False
        email = citizen_vals.get("email") or False
        # Linked without review only on an exact match (CCCD, name and phone); otherwise an
        # officer confirms the link. The record is never written either way.
        matches = citizen._psa_citizen_matches(citizen_vals.get("name"), phone)
        changed = not matches or (email and email != citizen.email)
        vals.update(
            {
                "agent_id": agent.id,
                "staff_user_id": user.id,
                "channel": "counter",
                "citizen_id": citizen.id,
            }
        )
        # As superuser past the checks above: filed values are set by this method only.
        dossier = (
            self.sudo()
            .with_context(psa_skip_checks=True)
            .create(
                {
                    **vals,
                    "filed_name": citizen_vals.get("name") or False,
                    "filed_phone": phone,
                    "filed_email": email,
                    "contact_review": bool(changed),
                }
            )
        )
        slots = {slot.procedure_document_id.id: slot for slot in dossier.document_ids}
        for doc_id, (data, file_name) in uploads.items():
            if doc_id not in slots:
                raise UserError(self.env._("This document is not on the procedure's list."))
            slots[doc_id].with_context(psa_document_upload=True).write(
                {"file": base64.b64encode(data), "file_name": file_name}
            )
        return dossier.with_env(self.env)

    @api.model
    def _psa_portal_agent(self):
        """The agent of the calling staff member, read with their own rights."""
        user = self.env.user
        if not user._is_portal():
            return self.env["psa.agent"]
        return self.env["psa.agent"].search(
            [("partner_id", "=", user.commercial_partner_id.id)], limit=1
        )

    @api.model
    def _psa_portal_check_form(self, form):
        """Check the agent portal's filing form before anything is written.

        ``form`` holds the posted strings. Returns ``(dossier values, citizen values,
        errors)``, errors keyed by the form's input names, each translated. Name and phone
        are always asked: whether the CCCD is known changes nothing the staff member sees
        (it is matched on the server when the dossier is filed).
        """
        errors = {}
        Partner = self.env["res.partner"]
        cccd = (form.get("cccd") or "").strip()
        try:
            cccd = Partner._psa_check_cccd(cccd)
        except ValidationError as exc:
            errors["cccd"] = exc.args[0]
        name = " ".join((form.get("citizen_name") or "").split())[:200]
        if not name:
            errors["citizen_name"] = self.env._("Enter the citizen's full name.")
        phone = (form.get("phone") or "").strip()
        if phone:
            try:
                phone = Partner._psa_normalize_phone(phone)
            except ValidationError as exc:
                errors["phone"] = exc.args[0]
        else:
            errors["phone"] = self.env._(
                "Enter the citizen's phone number: it is needed to track the dossier."
            )
        email = (form.get("email") or "").strip()
        if email and not single_email_re.match(email):
            errors["email"] = self.env._("Enter a valid e-mail address or leave it empty.")

        procedure = self.env["psa.procedure"]
        procedure_id = _to_int(form.get("procedure_id"))
        if procedure_id:
            procedure = procedure.search([("id", "=", procedure_id)], limit=1)
        if not procedure:
            errors["procedure_id"] = self.env._("Choose the procedure.")
        return_method = form.get("return_method")
        if return_method not in dict(
            self._fields["return_method"]._description_selection(self.env)
        ):
            errors["return_method"] = self.env._("Choose how the result is returned.")
        elif return_method == "post" and procedure and not procedure.allow_postal_return:
            errors["return_method"] = self.env._(
                "The result of this procedure cannot be sent by post."
            )
        ward = self.env["psa.admin.unit"]
        if form.get("ward_id"):
            ward = ward.search(
                [("id", "=", _to_int(form["ward_id"])), ("level", "=", "ward")], limit=1
            )
            if not ward:
                errors["ward_id"] = self.env._("Choose a ward or commune from the list.")
        agent = self._psa_portal_agent()
        if not agent:
            errors["form"] = self.env._("Only the staff of an agent can file dossiers here.")
        elif agent.state != "active":
            errors["form"] = self.env._("Your agent is not open and cannot receive dossiers.")
        street = " ".join((form.get("street") or "").split())[:250] or False
        dossier = {
            "procedure_id": procedure.id,
            "agent_id": agent.id,
            "channel": "counter",
            "return_method": return_method,
            "street": street,
            "ward_id": ward.id,
        }
        citizen = {
            "psa_cccd": cccd,
            "name": name,
            "phone": phone,
            "email": email,
            "street": street,
            "ward_id": ward.id,
        }
        return dossier, {key: value for key, value in citizen.items() if value}, errors

    @api.model
    def _psa_portal_check_scans(self, procedure, uploads):
        """Errors by input name for the procedure's required documents left without a scan."""
        return {
            f"doc_{doc.id}": self.env._("Upload a scan of “%(document)s”.", document=doc.name)
            for doc in procedure.document_ids
            if doc.required and doc.id not in uploads
        }

    def _psa_portal_upload(self, uploads):
        """Agent staff add scans to their own agent's dossier: ``{slot id: (content, name)}``."""
        self.ensure_one()
        self.check_access("read")
        if not self._psa_staff_may_read(self.env.user):
            raise AccessError(self.env._("Your agent is not open: scans cannot be added."))
        if not self.stage_id.allow_upload:
            raise UserError(
                self.env._(
                    "Scans can only be added while the dossier is newly registered or when more "
                    "documents are requested."
                )
            )
        slots = self.sudo().document_ids
        for slot_id, (data, file_name) in uploads.items():
            slot = slots.filtered(lambda s, slot_id=slot_id: s.id == slot_id)
            if not slot or slot.state == "accepted":
                raise UserError(self.env._("This document cannot be replaced."))
            slot.with_context(psa_document_upload=True).write(
                {"file": base64.b64encode(data), "file_name": file_name}
            )
        if uploads and self.stage_id.is_supplement:
            names = ", ".join(slots.filtered(lambda s: s.id in uploads).mapped("name"))
            self.message_post(
                body=self.env._("Additional documents uploaded: %(documents)s", documents=names),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _create_document_slots(self):
        vals_list = [
            {
                "dossier_id": dossier.id,
                "procedure_document_id": doc.id,
                "name": doc.name,
                "required": doc.required,
                "sequence": doc.sequence,
            }
            for dossier in self.filtered(lambda d: not d.document_ids)
            for doc in dossier.procedure_id.document_ids
        ]
        self.env["psa.dossier.document"].sudo().with_context(psa_document_slots=True).create(
            vals_list
        )

    def _check_workflow_fields(self, vals):
        if self.env.su and self.env.context.get("psa_skip_checks"):
            return
        forbidden = sorted(
            f for f in set(vals) & WORKFLOW_FIELDS if not (f == "name" and vals[f] == "/")
        )
        if forbidden:
            raise UserError(
                self.env._(
                    "These fields follow the dossier's workflow and cannot be set directly: "
                    "%(fields)s",
                    fields=", ".join(self._fields[f].string for f in forbidden),
                )
            )

    def write(self, vals):
        if self.env.su and self.env.context.get("psa_skip_checks"):
            return super().write(vals)
        self._check_workflow_fields(vals)
        closed = self.filtered("is_closed")
        if closed and set(vals) - WRITABLE_WHEN_CLOSED - self._mail_fields():
            raise UserError(
                self.env._(
                    "Dossier %(code)s is closed and can no longer be changed.",
                    code=closed[0].name,
                )
            )
        if "staff_user_id" in vals and vals["staff_user_id"]:
            self.env["res.users"].browse(vals["staff_user_id"])._psa_check_can_handle_dossiers()
        if "stage_id" not in vals:
            return super().write(vals)
        new_stage = self.env["psa.dossier.stage"].browse(vals["stage_id"])
        old_stages = {dossier: dossier.stage_id for dossier in self}
        for dossier in self:
            dossier._check_transition(new_stage)
        result = super().write(vals)
        for dossier in self:
            if old_stages[dossier] != new_stage:
                dossier._on_stage_change(old_stages[dossier], new_stage)
        return result

    @api.model
    def _mail_fields(self):
        return {
            name
            for name in self._fields
            if name.startswith(("message_", "activity_", "website_message", "rating_"))
        }

    def _check_transition(self, new_stage):
        self.ensure_one()
        old = self.stage_id
        if old == new_stage:
            return
        if new_stage not in old.next_stage_ids:
            raise ValidationError(
                self.env._(
                    "Dossier %(code)s cannot go from “%(old)s” to “%(new)s”.",
                    code=self.name,
                    old=old.name,
                    new=new_stage.name,
                )
            )
        if new_stage.is_received or (old.pauses_sla and not new_stage.is_closed):
            missing = self.document_ids._missing()
            if missing:
                raise ValidationError(
                    self.env._(
                        "Dossier %(code)s still lacks required documents: %(docs)s",
                        code=self.name,
                        docs=", ".join(missing.mapped("name")),
                    )
                )

    def _on_stage_change(self, old_stage, new_stage):
        now = fields.Datetime.now()
        vals = {}
        if new_stage.is_received and not self.date_received:
            vals.update(date_received=now, **self._deadline_vals(now))
        elif old_stage.pauses_sla and not new_stage.is_closed:
            # Complete again: the time limit restarts in full (Decree 61/2018 Art. 19).
            vals.update(date_paused=False, **self._deadline_vals(now))
        if new_stage.pauses_sla:
            vals["date_paused"] = now
        if new_stage.is_done and not self.date_done:
            vals["date_done"] = now
            if self.date_received:
                vals["processing_days"] = self._working_days_between(self.date_received, now)
            vals["is_on_time"] = not self.date_due or now <= self.date_due
        if new_stage.is_returned:
            vals["date_returned"] = now
            vals["evaluation_token"] = secrets.token_urlsafe(24)
        if vals:
            self.sudo().with_context(psa_skip_checks=True).write(vals)
        if new_stage.is_returned:
            self._send_evaluation_link()
        # The citizen hears of it on their own channel (contact centre, psa.notification).
        self.env["psa.notification"]._notify_dossier_stage(self, new_stage)

    # ------------------------------------------------------------------ deadlines
    def _deadline_vals(self, start):
        self.ensure_one()
        calendar = self._center_calendar()
        days = self.procedure_id.processing_days
        # plan_days counts the day it starts from: the receipt day is day zero.
        due = calendar.plan_days(days + 1, start, compute_leaves=True)
        warning = calendar.plan_days(days, start, compute_leaves=True)
        return {
            "date_due": self._end_of_working_day(due),
            "date_warning": self._end_of_working_day(warning),
        }

    @api.model
    def _end_of_working_day(self, moment):
        """Closing time of the Center on the working day of ``moment`` (naive UTC)."""
        if not moment:
            return False
        calendar = self._center_calendar()
        tz = pytz.timezone(calendar.tz or CENTER_TZ)
        local = moment.astimezone(tz) if moment.tzinfo else pytz.utc.localize(moment).astimezone(tz)
        day_start = tz.localize(datetime.combine(local.date(), time.min))
        intervals = calendar._work_intervals_batch(day_start, day_start + timedelta(days=1))[False]
        end = max((stop for _start, stop, _meta in intervals), default=local)
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    def _working_days_between(self, start, end):
        calendar = self._center_calendar()
        data = calendar.get_work_duration_data(start, end, compute_leaves=True)
        return round(data["days"], 2)

    @api.model
    @center_language
    def _cron_refresh_overdue(self):
        """Deadlines pass without any write: flag what became overdue since the last run."""
        now = fields.Datetime.now()
        late = self.search(
            [("is_closed", "=", False), ("is_overdue", "=", False), ("date_due", "<", now)]
        )
        if late:
            self.env.add_to_compute(self._fields["is_overdue"], late)
            late.flush_recordset(["is_overdue"])
        return len(late)

    # ------------------------------------------------------------------ actions
    def _move_to(self, flag):
        """Move to the stage carrying ``flag`` (see ``psa.dossier.stage``'s ``STAGE_FLAGS``)."""
        self.write({"stage_id": self.env["psa.dossier.stage"]._psa_find(flag).id})

    def action_receive(self):
        self._move_to("is_received")

    def action_start_processing(self):
        self._move_to("is_processing")

    def action_mark_done(self):
        self._move_to("is_done")

    def action_return_result(self):
        self._move_to("is_returned")

    def action_refuse(self, reason):
        self._psa_check_officer()
        if not (reason or "").strip():
            raise ValidationError(self.env._("Give the reason for refusing the dossier."))
        self._move_to("is_refused")
        self.sudo().with_context(psa_skip_checks=True).write({"refusal_reason": reason})

    def action_request_supplement(self, note=""):
        """One request that lists every missing or rejected document at once."""
        self._psa_check_officer()
        for dossier in self:
            missing = dossier.document_ids._missing()
            if not missing and not (note or "").strip():
                raise ValidationError(
                    self.env._("Nothing is missing: say which document is needed.")
                )
            lines = [
                f"- {doc.name}" + (f": {doc.reject_reason}" if doc.reject_reason else "")
                for doc in missing
            ]
            if note:
                lines.append(note)
            dossier._move_to("is_supplement")
            dossier.sudo().with_context(psa_skip_checks=True).write(
                {"supplement_request": "\n".join(lines)}
            )
            dossier.message_post(
                body=self.env._(
                    "Additional documents requested:\n%(items)s", items="\n".join(lines)
                ),
                partner_ids=dossier.citizen_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _apology_refusal(self, with_message=True):
        """Why form 04 cannot be issued now, or False when it can (True instead of the
        message without ``with_message``): the button and the action share this rule."""
        self.ensure_one()
        if self.apology_issued:
            refusal = "issued"
        elif self.is_closed or not self.date_due:
            refusal = "closed"
        elif not self.date_warning or fields.Datetime.now() > self.date_warning:
            refusal = "late"
        else:
            return False
        if not with_message:
            return True
        if refusal == "issued":
            return self.env._("An apology was already issued for dossier %(code)s.", code=self.name)
        if refusal == "closed":
            return self.env._("Only dossiers being processed can be postponed.")
        return self.env._(
            "An apology must be issued at least one working day before the due date (%(due)s).",
            due=self._center_datetime_text(self.date_due),
        )

    def _center_datetime_text(self, value):
        """A moment as the Center reads it: Hanoi time, ``17:00 09/12/2026``."""
        return format_datetime(self.env, value, tz=self._center_tz(), dt_format="HH:mm dd/MM/yyyy")

    def action_issue_apology(self, reason, new_due):
        """Form 04: once per dossier, at least one working day before the due date."""
        self.ensure_one()
        self._psa_check_officer()
        self.check_access("write")
        new_due = fields.Datetime.to_datetime(new_due)
        if not (reason or "").strip():
            raise ValidationError(self.env._("An apology needs a reason."))
        refusal = self._apology_refusal()
        if refusal:
            raise ValidationError(refusal)
        if not new_due or new_due <= self.date_due:
            raise ValidationError(self.env._("The new date must be after the current due date."))
        calendar = self._center_calendar()
        warning = self._end_of_working_day(
            calendar.plan_days(-2, new_due, compute_leaves=True) or new_due
        )
        self.sudo().with_context(psa_skip_checks=True).write(
            {
                "apology_issued": True,
                "apology_date": fields.Datetime.now(),
                "apology_reason": reason,
                "apology_previous_due": self.date_due,
                "date_due": new_due,
                "date_warning": warning,
            }
        )
        self.message_post(
            body=self.env._(
                "We apologise: the result of dossier %(code)s will be late. Reason: %(reason)s. "
                "New date: %(date)s.",
                code=self.name,
                reason=reason,
                date=self._center_datetime_text(new_due),
            ),
            partner_ids=self.citizen_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def _send_evaluation_link(self):
        """Circular 01/2018: the citizen rates the handling once the result is returned.

        The link is the right to rate: it goes only to the citizen's own channel, an
        e-mail that is no message of the dossier (staff and followers never read it,
        and it is deleted once sent); without an e-mail the citizen opens it from the
        tracking page after giving the code and phone digits. The chatter only says
        that the invitation went out.
        """
        mails = []
        for dossier in self:
            # The dossier's own contact: never an address typed into the registry by staff.
            email = dossier.sudo().filed_email
            url = dossier._evaluation_url()
            if email:
                mails.append(
                    {
                        "subject": self.env._(
                            "Rate the handling of dossier %(code)s", code=dossier.name
                        ),
                        "body_html": Markup(
                            self.env._(
                                "<p>The result of dossier %(code)s has been returned. Please rate "
                                'how it was handled: <a href="%(url)s">%(url)s</a></p>'
                            )
                        )
                        % {"code": dossier.name, "url": url},
                        "email_from": dossier.company_id.partner_id.email_formatted
                        or self.env.company.partner_id.email_formatted,
                        # To the citizen's partner only when it holds that same address.
                        **(
                            {"recipient_ids": [(4, dossier.citizen_id.id)]}
                            if email == dossier.citizen_id.sudo().email
                            else {"email_to": email}
                        ),
                        "auto_delete": True,
                    }
                )
            dossier.message_post(
                body=self.env._(
                    "The citizen was invited to rate the handling of the dossier (by e-mail if "
                    "on file, and on the tracking page)."
                ),
                subtype_xmlid="mail.mt_note",
            )
        if mails:
            self.env["mail.mail"].sudo().create(mails)
        self.sudo().with_context(psa_skip_checks=True).write({"evaluation_sent": True})

    @api.model
    def _psa_rotate_posted_evaluation_tokens(self):
        """Give a new token to every dossier whose token appears in one of its messages,
        and remove the old token from those messages (migration to 18.0.1.1.0).
        Returns the dossiers whose token changed."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT d.id, d.evaluation_token, array_agg(m.id)
              FROM psa_dossier d
              JOIN mail_message m ON m.model = 'psa.dossier' AND m.res_id = d.id
             WHERE d.evaluation_token IS NOT NULL
               AND strpos(m.body, d.evaluation_token) > 0
             GROUP BY d.id, d.evaluation_token
            """
        )
        rows = self.env.cr.fetchall()
        for dossier_id, token, message_ids in rows:
            self.env.cr.execute(
                "UPDATE mail_message SET body = replace(body, %s, 'revoked') WHERE id = ANY(%s)",
                [token, message_ids],
            )
            self.env.cr.execute(
                "UPDATE psa_dossier SET evaluation_token = %s WHERE id = %s",
                [secrets.token_urlsafe(24), dossier_id],
            )
        self.env.invalidate_all()
        return self.browse([row[0] for row in rows])

    def _evaluation_url(self):
        self.ensure_one()
        base = self.get_base_url()
        return f"{base}/dossier/evaluate/{self.sudo().evaluation_token}"

    def _get_report_base_filename(self):
        return self.name

    def _psa_status_timeline(self):
        """The statuses this dossier went through, oldest first, from its tracked stage changes.

        Plain dicts (``date``, ``name``, ``code``, ``current``) so that public templates
        never hold the record itself. Reads the tracking as superuser: the caller must have
        checked access to the dossier first (portal rule, or code and phone digits).
        """
        self.ensure_one()
        field = self.env["ir.model.fields"]._get(self._name, "stage_id")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                ],
                order="id",
            )
        )
        stage_ids = {t.new_value_integer for t in trackings} | {
            t.old_value_integer for t in trackings
        }
        Stage = self.env["psa.dossier.stage"].sudo()
        stages = {stage.id: stage for stage in Stage.browse(list(stage_ids - {0})).exists()}

        def entry(date, stage_id, fallback):
            stage = stages.get(stage_id)
            return {
                "date": date,
                "name": stage.name if stage else (fallback or ""),
                "code": stage.status_code if stage else 0,
                "current": False,
            }

        if trackings:
            first = trackings[0]
            entries = [entry(self.create_date, first.old_value_integer, first.old_value_char)]
            entries += [
                entry(t.mail_message_id.date, t.new_value_integer, t.new_value_char)
                for t in trackings
            ]
        else:
            stages[self.stage_id.id] = self.stage_id
            entries = [entry(self.create_date, self.stage_id.id, self.stage_id.name)]
        entries[-1]["current"] = True
        return entries

    def _track_template(self, changes):
        res = super()._track_template(changes)
        dossier = self[0]
        template = dossier.stage_id.mail_template_id
        if "stage_id" in changes and template and dossier.citizen_id.email:
            res["stage_id"] = (
                template,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _track_subtype(self, init_values):
        if "stage_id" in init_values:
            return self.env.ref("public_service_agent.mt_dossier_stage")
        return super()._track_subtype(init_values)

    def unlink(self):
        if any(d.date_received for d in self):
            raise UserError(self.env._("Received dossiers are records and cannot be deleted."))
        return super().unlink()

    # ---------------------------------------------------------- contact centre, quality control
    proxy_id = fields.Many2one(
        "res.partner",
        string="Filed by Proxy",
        index="btree_not_null",
        ondelete="restrict",
        help="The authorised person who filed for the citizen, when not the citizen.",
        groups="public_service_agent.group_psa_officer",
    )
    # The Center's records: agent staff read the dossier, not these.
    notification_ids = fields.One2many(
        "psa.notification",
        "dossier_id",
        string="Alerts Sent",
        groups="public_service_agent.group_psa_officer",
    )
    ticket_ids = fields.One2many(
        "psa.ticket",
        "dossier_id",
        string="Tickets",
        groups="public_service_agent.group_psa_officer",
    )

    def _psa_notification_values(self):
        """Placeholder values of the dossier's alerts: nothing the citizen does not know."""
        self.ensure_one()
        Notification = self.env["psa.notification"]
        base = self.get_base_url()
        return {
            "citizen": self.citizen_id.name or "",
            "code": self.name,
            "procedure": self.procedure_id.name or "",
            "status": self.stage_id.name or "",
            "due_date": Notification._format_date(self.date_due),
            "agent": self.agent_id.name or "",
            "tracking_url": f"{base}/tracking",
            "settings_url": self.citizen_id._psa_alert_settings_url(),
        }
