import logging
import uuid

import psycopg2
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..tools import center_env, center_language
from .psa_notification_template import EVENTS, NOTIFY_CHANNELS, STATUS_EVENTS
from .res_partner import is_vn_mobile

_logger = logging.getLogger(__name__)

MAX_RETRIES = 5


class ProviderError(Exception):
    """A provider refused or failed a message. ``permanent`` ones are not retried."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class PsaNotification(models.Model):
    """One message to a citizen on one channel, for one event of one dossier or ticket.

    Other modules call the model API, never the providers::

        env["psa.notification"]._notify_citizens(dossiers, "delivery_out_for_delivery",
                                                 tracking_number="EB123456789VN")

    ``dedup_key`` (unique) makes a send idempotent: the same event of the same record
    never goes twice on a channel. E-mail goes through Odoo's mail queue; SMS and Zalo
    ZNS through ``queue_job`` with retries (``_send_job``).
    """

    _name = "psa.notification"
    _description = "Citizen Notification"
    _order = "id desc"
    _rec_name = "event_code"

    dossier_id = fields.Many2one("psa.dossier", index="btree_not_null", ondelete="cascade")
    ticket_id = fields.Many2one("psa.ticket", index="btree_not_null", ondelete="cascade")
    citizen_id = fields.Many2one("res.partner", string="Citizen", index="btree_not_null")
    event_code = fields.Selection(EVENTS, string="Event", required=True, index=True)
    channel = fields.Selection(NOTIFY_CHANNELS, required=True, index=True)
    template_id = fields.Many2one("psa.notification.template", ondelete="set null")
    recipient = fields.Char(help="Phone in +84 form or e-mail address.")
    subject = fields.Char()
    body = fields.Text()
    template_data = fields.Json(string="Template Data")
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("skipped", "Not Sent"),
        ],
        default="queued",
        required=True,
        index=True,
    )
    provider_id = fields.Many2one("psa.notification.provider", ondelete="set null")
    provider_message_id = fields.Char(string="Provider Message ID", copy=False)
    tracking_id = fields.Char(
        default=lambda self: uuid.uuid4().hex, readonly=True, copy=False, required=True
    )
    error = fields.Text()
    date_sent = fields.Datetime(readonly=True)
    dedup_key = fields.Char(required=True, readonly=True, copy=False)

    _sql_constraints = [
        ("dedup_key_uniq", "unique(dedup_key)", "This message was already sent."),
        ("tracking_id_uniq", "unique(tracking_id)", "Tracking ids are unique."),
    ]

    # ------------------------------------------------------------------ public API
    @api.model
    def _notify_citizens(self, dossiers, event_code, occurrence="", **values):
        """Tell each dossier's citizen about ``event_code`` on the channel they chose.

        Idempotent per dossier, event, ``occurrence`` (for events that may happen more than
        once, e.g. the second failed delivery attempt) and channel. ``values`` fill the
        placeholders (e.g. ``tracking_number``, ``next_attempt``). Returns the new
        notifications.
        """
        dossiers = dossiers.sudo()
        if not dossiers:
            return self.browse()
        if event_code not in dict(EVENTS):
            raise ValueError(f"Unknown notification event {event_code!r}")
        suffix = f":{occurrence}" if occurrence else ""
        requests_ = []
        for dossier in dossiers:
            citizen = dossier.citizen_id
            channel = citizen._psa_notify_channel()
            requests_.append(
                {
                    "dossier": dossier,
                    "citizen": citizen,
                    "channel": channel,
                    "key": f"psa.dossier:{dossier.id}:{event_code}{suffix}:{channel}",
                    "values": {**dossier._psa_notification_values(), **values},
                }
            )
        return self._create_and_dispatch(event_code, requests_)

    @api.model
    def _notify_dossier_stage(self, dossiers, new_stage):
        """Called by the dossier when it enters a stage: the event of its national status."""
        event_code = STATUS_EVENTS.get(new_stage.status_code)
        if event_code:
            return self._notify_citizens(dossiers, event_code)
        return self.browse()

    @api.model
    def _notify_ticket_answer(self, ticket):
        """Send a ticket's latest answer to the contact the ticket came from."""
        ticket = ticket.sudo()
        ticket.ensure_one()
        if ticket.channel == "email" or (ticket.contact_email and not ticket.contact_phone):
            channel = "email"
        elif ticket.channel == "zalo":
            channel = "zalo"
        else:
            channel = "sms"
        req = {
            "ticket": ticket,
            "citizen": ticket.citizen_id,
            "channel": channel,
            "recipient": ticket.contact_email if channel == "email" else ticket.contact_phone,
            "key": f"psa.ticket:{ticket.id}:ticket_answered:{ticket.answer_count}:{channel}",
            "values": {
                "citizen": ticket.contact_name or "",
                "ticket": ticket.name,
                "answer": ticket.answer,
                "code": ticket.dossier_id.name or "",
            },
        }
        return self._create_and_dispatch("ticket_answered", [req])

    def action_retry(self):
        """Administrators send a failed SMS or Zalo message again (after fixing a gateway)."""
        failed = self.filtered(lambda n: n.state == "failed" and n.channel != "email")
        if failed != self:
            raise UserError(self.env._("Only failed SMS and Zalo messages can be sent again."))
        failed.write({"state": "queued", "error": False})
        failed._dispatch()
        return True

    # ------------------------------------------------------------------ internals
    @api.model
    def _create_and_dispatch(self, event_code, requests_):
        keys = [req["key"] for req in requests_]
        existing = set(self.sudo().search([("dedup_key", "in", keys)]).mapped("dedup_key"))
        templates = {
            template.channel: template
            for template in self.env["psa.notification.template"]
            .sudo()
            .search([("event_code", "=", event_code)])
        }
        vals_list = []
        seen = set()
        for req in requests_:
            if req["key"] in existing or req["key"] in seen:
                continue
            seen.add(req["key"])
            vals_list.append(self._prepare_vals(event_code, req, templates.get(req["channel"])))
        notifications = self._create_unique(vals_list)
        notifications.filtered(lambda n: n.state == "queued")._dispatch()
        return notifications

    @api.model
    def _create_unique(self, vals_list):
        """Create, skipping what a concurrent transaction sent first (same ``dedup_key``)."""
        Notification = self.sudo()
        try:
            with self.env.cr.savepoint():
                return Notification.create(vals_list)
        except psycopg2.IntegrityError:
            created = Notification.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        created |= Notification.create(vals)
                except psycopg2.IntegrityError:
                    _logger.info("Notification %s was already sent", vals["dedup_key"])
            return created

    @api.model
    def _prepare_vals(self, event_code, req, template):
        citizen = req.get("citizen")
        channel = req["channel"]
        dossier = req.get("dossier")
        vals = {
            "dossier_id": dossier.id if dossier else req["ticket"].dossier_id.id,
            "ticket_id": req["ticket"].id if req.get("ticket") else False,
            "citizen_id": citizen.id if citizen else False,
            "event_code": event_code,
            "channel": channel,
            "dedup_key": req["key"],
            "template_id": template.id if template else False,
        }
        recipient = req.get("recipient")
        if recipient is None and citizen:
            recipient = citizen.email if channel == "email" else citizen.phone
        vals["recipient"] = recipient or False
        skip = None
        if citizen and citizen._psa_opted_out(channel):
            skip = self.env._("The citizen opted out of this channel.")
        elif not template or not template.active:
            skip = self.env._("No active template for this event and channel.")
        elif not recipient:
            skip = self.env._("No phone number or e-mail address for this channel.")
        if skip:
            vals.update(state="skipped", error=skip)
            return vals
        subject, body, data = template._render(req["values"])
        vals.update(subject=subject, body=body, template_data=data)
        if channel != "email" and not is_vn_mobile(recipient):
            vals.update(
                state="failed",
                error=self.env._("%(phone)s is not a mobile number.", phone=recipient),
            )
        return vals

    def _dispatch(self):
        emails = self.filtered(lambda n: n.channel == "email")
        emails._send_email()
        for notification in self - emails:
            notification.with_delay(
                max_retries=MAX_RETRIES,
                description=center_env(self.env)._(
                    "Citizen notification %(event)s (%(channel)s) #%(id)s",
                    event=notification.event_code,
                    channel=notification.channel,
                    id=notification.id,
                ),
                identity_key=f"psa.notification:{notification.id}:{notification.write_date}",
            )._send_job()

    def _send_email(self):
        """E-mail goes through Odoo's own outbound queue (``mail.mail``), which retries."""
        for notification in self:
            record = notification.ticket_id or notification.dossier_id
            body = Markup("<p>%s</p>") % Markup("<br/>").join(
                escape(line) for line in (notification.body or "").splitlines()
            )
            mail_vals = {
                "subject": notification.subject or notification.body[:80],
                "body_html": body,
                "email_to": notification.recipient,
                "auto_delete": False,
                "message_type": "email_outgoing",
                "is_internal": True,
            }
            if record:
                mail_vals.update(model=record._name, res_id=record.id)
                if record._name == "psa.ticket":
                    # Replies come back to the alias and thread onto the ticket.
                    alias = self.env.ref(
                        "public_service_agent.mail_alias_contact_centre", raise_if_not_found=False
                    )
                    if alias and alias.alias_full_name:
                        mail_vals["reply_to"] = alias.alias_full_name
            mail = self.env["mail.mail"].sudo().create(mail_vals)
            notification.write(
                {
                    "state": "sent",
                    "provider_message_id": mail.message_id,
                    "date_sent": fields.Datetime.now(),
                }
            )

    @center_language
    def _send_job(self):
        """The queued send of one SMS or ZNS message (a ``queue_job`` job).

        A timeout, a connection error or a 5xx answer raises ``RetryableJobError`` and
        queue_job tries again later; after the last try, or on a refusal (invalid phone,
        bad template), the notification is marked failed with the provider's error.
        """
        from odoo.addons.queue_job.exception import RetryableJobError

        self.ensure_one()
        if self.state != "queued":
            return self.state
        provider = self.env["psa.notification.provider"].sudo()._for_channel(self.channel)
        if not provider:
            self.write({"state": "failed", "error": self.env._("No provider for this channel.")})
            return self.state
        try:
            message_id = provider._send(self)
        except ProviderError as err:
            attempt = self._current_attempt()
            if err.permanent or attempt >= MAX_RETRIES:
                self.write({"state": "failed", "error": str(err), "provider_id": provider.id})
                return self.state
            _logger.info("Notification %s: attempt %s failed: %s", self.id, attempt, err)
            # Back off: 1, 2, 4, 8 minutes.
            raise RetryableJobError(str(err), seconds=60 * 2 ** (attempt - 1)) from err
        self.write(
            {
                "state": "sent",
                "provider_id": provider.id,
                "provider_message_id": message_id,
                "date_sent": fields.Datetime.now(),
                "error": False,
            }
        )
        return self.state

    def _current_attempt(self):
        """Which try of its job this is (1 outside a job)."""
        job_uuid = self.env.context.get("job_uuid")
        if not job_uuid:
            return MAX_RETRIES
        job = self.env["queue.job"].sudo().search([("uuid", "=", job_uuid)], limit=1)
        return job.retry + 1 if job else MAX_RETRIES

    @api.model
    def _format_date(self, value):
        if not value:
            return ""
        tz = self.env["psa.dossier"]._center_tz()
        return format_datetime(self.env, value, tz=tz, dt_format="dd/MM/yyyy")
