import requests

from odoo import models

from .psa_notification import ProviderError


class PsaNotificationProviderSms(models.Model):
    """Generic HTTP SMS gateway: JSON ``POST`` with a bearer key.

    Request ``{"to": "849...", "text": ..., "sender": <brand name>, "reference": <tracking>}``;
    success is 2xx with ``{"id": ...}`` (or ``message_id``). 4xx other than 429 are refusals
    (invalid number, bad key): not retried. 429, 5xx, timeouts and network errors are.
    """

    _inherit = "psa.notification.provider"

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
            detail = answer.get("error") or answer.get("message") if isinstance(answer, dict) else ""
            raise ProviderError(
                f"SMS gateway refused the message (HTTP {response.status_code}): {detail or ''}",
                permanent=True,
            )
        message_id = isinstance(answer, dict) and (answer.get("id") or answer.get("message_id"))
        if not message_id:
            raise ProviderError("SMS gateway answered without a message id")
        return str(message_id)
