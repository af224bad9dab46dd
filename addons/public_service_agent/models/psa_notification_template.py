import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Events a citizen is told about. Templates exist only for these: nothing else can be sent,
# so the channel cannot carry marketing.
EVENTS = [
    ("dossier_received", "Dossier Received"),
    ("dossier_refused", "Dossier Not Received"),
    ("dossier_processing", "Dossier Being Processed"),
    ("dossier_supplement", "More Documents Requested"),
    ("dossier_payment", "Payment Requested"),
    ("dossier_withdrawn", "Dossier Withdrawn"),
    ("dossier_stopped", "Processing Stopped"),
    ("dossier_done", "Dossier Processed"),
    ("dossier_returned", "Result Returned"),
    ("delivery_out_for_delivery", "Result Out for Delivery"),
    ("delivery_failed_attempt", "Failed Delivery Attempt"),
    ("delivery_delivered", "Result Delivered"),
    ("ticket_answered", "Answer to an Inquiry or Complaint"),
]
# National status code of a dossier stage -> event.
STATUS_EVENTS = {
    2: "dossier_received",
    3: "dossier_refused",
    4: "dossier_processing",
    5: "dossier_supplement",
    6: "dossier_payment",
    7: "dossier_withdrawn",
    8: "dossier_stopped",
    9: "dossier_done",
    10: "dossier_returned",
}
NOTIFY_CHANNELS = [("email", "E-mail"), ("sms", "SMS"), ("zalo", "Zalo ZNS")]
PLACEHOLDERS = frozenset(
    (
        "citizen",
        "code",
        "procedure",
        "status",
        "due_date",
        "agent",
        "tracking_url",
        "tracking_number",
        "next_attempt",
        "ticket",
        "answer",
        "settings_url",
    )
)
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


class PsaNotificationTemplate(models.Model):
    """The Vietnamese text sent to citizens for one event on one channel.

    Administrators edit the wording; the event list is fixed in code. ``{name}``
    placeholders are filled from a fixed set of values (``PLACEHOLDERS``); for Zalo
    ZNS they become the ``template_data`` of the template registered with Zalo.
    """

    _name = "psa.notification.template"
    _description = "Citizen Notification Template"
    _order = "event_code, channel"

    event_code = fields.Selection(EVENTS, string="Event", required=True, index=True)
    channel = fields.Selection(NOTIFY_CHANNELS, required=True)
    subject = fields.Char(help="E-mail subject.")
    body = fields.Text(required=True)
    zns_template_id = fields.Char(
        string="ZNS Template ID", help="Id of the template approved by Zalo for this event."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "event_channel_uniq",
            "unique(event_code, channel)",
            "An event has one template per channel.",
        ),
    ]

    @api.depends("event_code", "channel")
    def _compute_display_name(self):
        events = dict(self._fields["event_code"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for template in self:
            template.display_name = (
                f"{events.get(template.event_code, '')} ({channels.get(template.channel, '')})"
            )

    @api.constrains("body", "subject", "channel", "zns_template_id")
    def _check_placeholders(self):
        for template in self:
            used = set(PLACEHOLDER_RE.findall(f"{template.subject or ''} {template.body or ''}"))
            unknown = used - PLACEHOLDERS
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Unknown placeholders: %(unknown)s. Allowed: %(allowed)s.",
                        unknown=", ".join(sorted(unknown)),
                        allowed=", ".join(sorted(PLACEHOLDERS)),
                    )
                )
            if template.channel == "zalo" and not template.zns_template_id and template.active:
                raise ValidationError(
                    self.env._("A Zalo ZNS template needs the id of the template approved by Zalo.")
                )

    def _placeholders(self):
        self.ensure_one()
        return PLACEHOLDER_RE.findall(f"{self.subject or ''} {self.body or ''}")

    def _render(self, values):
        """(subject, body, data): the texts with placeholders filled, and the values used."""
        self.ensure_one()
        data = {name: str(values.get(name) or "") for name in self._placeholders()}

        def fill(text):
            return PLACEHOLDER_RE.sub(lambda m: data.get(m.group(1), ""), text or "")

        return fill(self.subject), fill(self.body), data
