import requests

from odoo import models

from .psa_notification import ProviderError

ZNS_URL = "https://business.openapi.zalo.me/message/template"
# Zalo answers HTTP 200 with {"error": <code>, "message": ...}; codes a retry cannot fix.
ZNS_PERMANENT_ERRORS = {
    -108: "invalid phone number",
    -109: "invalid template id",
    -118: "Zalo account does not exist",
    -124: "invalid access token",
    -131: "template data invalid",
}


class PsaNotificationProviderZalo(models.Model):
    """Zalo ZNS connector: ``POST /message/template`` with the ``access_token`` header."""

    _inherit = "psa.notification.provider"

    def _zalo_zns_send(self, notification):
        template = notification.template_id
        payload = {
            "phone": self._phone_84(notification.recipient),
            "template_id": template.zns_template_id,
            "template_data": notification.template_data or {},
            "tracking_id": notification.tracking_id,
        }
        try:
            response = requests.post(
                self.endpoint_url or ZNS_URL,
                json=payload,
                headers={"access_token": self.sudo().access_token or ""},
                timeout=self.timeout,
            )
        except requests.Timeout as err:
            raise ProviderError(f"Zalo ZNS timed out after {self.timeout}s") from err
        except requests.RequestException as err:
            raise ProviderError(f"Zalo ZNS unreachable: {err}") from err
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderError(f"Zalo ZNS answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as err:
            raise ProviderError(f"Zalo ZNS answered HTTP {response.status_code} without JSON") from err
        code = answer.get("error") if isinstance(answer, dict) else None
        if response.status_code != 200 or code != 0:
            message = f"Zalo ZNS error {code}: {answer.get('message') if isinstance(answer, dict) else answer}"
            permanent = code in ZNS_PERMANENT_ERRORS or 400 <= response.status_code < 500
            raise ProviderError(message, permanent=permanent)
        msg_id = (answer.get("data") or {}).get("msg_id")
        if not msg_id:
            raise ProviderError("Zalo ZNS answered without a message id")
        return str(msg_id)
