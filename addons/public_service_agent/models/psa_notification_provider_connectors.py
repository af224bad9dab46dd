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


class PsaNotificationProviderConnectors(models.Model):
    """The two connectors of ``psa.notification.provider``, named ``_<provider_type>_send``.

    Zalo ZNS: ``POST /message/template`` with the ``access_token`` header; Zalo answers
    HTTP 200 with ``{"error": <code>, ...}``.

    Generic HTTP SMS gateway: JSON ``POST`` with a bearer key.
    Request ``{"to": "849...", "text": ..., "sender": <brand name>, "reference": <tracking>}``;
    success is 2xx with ``{"id": ...}`` (or ``message_id``). 4xx other than 429 are refusals
    (invalid number, bad key): not retried. 429, 5xx, timeouts and network errors are.
    """

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
            raise ProviderError(
                f"Zalo ZNS answered HTTP {response.status_code} without JSON"
            ) from err
        if not isinstance(answer, dict):
            raise ProviderError(f"Zalo ZNS answered HTTP {response.status_code}: {answer!r}")
        code = answer.get("error")
        if response.status_code != 200 or code != 0:
            message = f"Zalo ZNS error {code}: {answer.get('message')}"
            permanent = code in ZNS_PERMANENT_ERRORS or 400 <= response.status_code < 500
            raise ProviderError(message, permanent=permanent)
        msg_id = (answer.get("data") or {}).get("msg_id")
        if not msg_id:
            raise ProviderError("Zalo ZNS answered without a message id")
        return str(msg_id)

    def _http_sms_send(self, notification):
        payload = {
            "to": self._phone_84(notification.recipient),
            "text": notification.body,
            "sender": self.sender_name or "",
            "reference": notification.tracking_id,
        }
        try:
            response = requests.post(
                self.endpoint_url,
                json=payload,
                headers={"Authorization": f"Bearer {self.sudo().access_token or ''}"},
                timeout=self.timeout,
            )
        except requests.Timeout as err:
            raise ProviderError(f"SMS gateway timed out after {self.timeout}s") from err
        except requests.RequestException as err:
            raise ProviderError(f"SMS gateway unreachable: {err}") from err
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderError(f"SMS gateway answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not 200 <= response.status_code < 300:
            detail = (
                answer.get("error") or answer.get("message") if isinstance(answer, dict) else ""
            )
            raise ProviderError(
                f"SMS gateway refused the message (HTTP {response.status_code}): {detail or ''}",
                permanent=True,
            )
        message_id = isinstance(answer, dict) and (answer.get("id") or answer.get("message_id"))
        if not message_id:
            raise ProviderError("SMS gateway answered without a message id")
        return str(message_id)
