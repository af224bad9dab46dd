import unicodedata

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .psa_notification import ProviderError


class PsaNotificationProvider(models.Model):
    """An outbound gateway for SMS or Zalo ZNS messages.

    One abstraction, one connector per ``provider_type``, found by convention:
    ``_<provider_type>_send(notification)`` returns the provider's message id or raises
    ``ProviderError`` (``permanent=True`` for refusals that a retry cannot fix).
    Credentials are readable by Center administrators only.
    """

    _name = "psa.notification.provider"
    _description = "Notification Provider"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    provider_type = fields.Selection(
        [("zalo_zns", "Zalo ZNS"), ("http_sms", "HTTP SMS Gateway")], required=True
    )
    channel = fields.Selection(
        [("sms", "SMS"), ("zalo", "Zalo ZNS")], compute="_compute_channel", store=True
    )
    endpoint_url = fields.Char(string="Endpoint URL", required=True)
    access_token = fields.Char(groups="public_service_agent.group_psa_admin", copy=False)
    # Zalo OA: the access token is refreshed with these when Zalo says it expired.
    refresh_token = fields.Char(groups="public_service_agent.group_psa_admin", copy=False)
    app_id = fields.Char(string="Zalo App ID", groups="public_service_agent.group_psa_admin")
    app_secret = fields.Char(
        string="Zalo App Secret", groups="public_service_agent.group_psa_admin", copy=False
    )
    token_url = fields.Char(
        string="Token URL",
        groups="public_service_agent.group_psa_admin",
        help="Zalo OA OAuth endpoint; empty: https://oauth.zaloapp.com/v4/oa/access_token",
    )
    sender_name = fields.Char(string="Brand Name", help="SMS brand name registered for the Center.")
    timeout = fields.Float(string="Timeout (seconds)", default=10.0)
    sms_unaccented = fields.Boolean(
        string="Send Without Diacritics",
        default=True,
        help="Brand-name SMS in Vietnam are usually sent without diacritics: 160 characters "
        "per message instead of 70.",
    )

    @api.depends("provider_type")
    def _compute_channel(self):
        for provider in self:
            provider.channel = {"zalo_zns": "zalo", "http_sms": "sms"}.get(provider.provider_type)

    @api.constrains("endpoint_url", "timeout")
    def _check_endpoint(self):
        for provider in self:
            if not (provider.endpoint_url or "").startswith(("https://", "http://")):
                raise ValidationError(self.env._("The endpoint must be an http(s) URL."))
            if not 0 < provider.timeout <= 120:
                raise ValidationError(self.env._("The timeout must be between 0 and 120 seconds."))

    @api.model
    def _for_channel(self, channel):
        return self.search([("channel", "=", channel)], limit=1)

    def _send(self, notification):
        self.ensure_one()
        method = getattr(self, f"_{self.provider_type}_send", None)
        if method is None:
            raise ProviderError(f"No connector for {self.provider_type}", permanent=True)
        return method(notification)

    @staticmethod
    def _unaccent(text):
        """'Hồ sơ đã được tiếp nhận' -> 'Ho so da duoc tiep nhan'."""
        text = (text or "").replace("đ", "d").replace("Đ", "D")
        decomposed = unicodedata.normalize("NFD", text)
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    @staticmethod
    def _phone_84(phone):
        """+84912345678 -> 84912345678, the form both gateways expect."""
        return (phone or "").lstrip("+")
