import requests

from odoo import models
from odoo.tools import SQL

from .psa_notification import ProviderError

ZNS_URL = "https://business.openapi.zalo.me/message/template"
ZNS_TOKEN_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
ZNS_EXPIRED_TOKEN = -124
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

    def _zalo_zns_send(self, notification, token=None):
        template = notification.template_id
        payload = {
            "phone": self._phone_84(notification.recipient),
            "template_id": template.zns_template_id,
            "template_data": notification.template_data or {},
            "tracking_id": notification.tracking_id,
        }
        answer = self._zalo_post(
            self.endpoint_url or ZNS_URL,
            json=payload,
            headers={"access_token": token or self.sudo().access_token or ""},
        )
        code = answer.get("error")
        if code == ZNS_EXPIRED_TOKEN and not token and self.sudo().refresh_token:
            # OA access tokens live about 25 hours: refresh once, then send again.
            return self._zalo_zns_send(notification, token=self._zalo_refresh_token())
        if code != 0:
            message = f"Zalo ZNS error {code}: {answer.get('message')}"
            raise ProviderError(message, permanent=code in ZNS_PERMANENT_ERRORS)
        msg_id = (answer.get("data") or {}).get("msg_id")
        if not msg_id:
            raise ProviderError("Zalo ZNS answered without a message id")
        return str(msg_id)

    def _zalo_post(self, url, **kwargs):
        """POST to Zalo; the JSON answer, or ProviderError (retried unless a 4xx)."""
        try:
            response = requests.post(url, timeout=self.timeout, **kwargs)
        except requests.Timeout as err:
            raise ProviderError(f"Zalo timed out after {self.timeout}s") from err
        except requests.RequestException as err:
            raise ProviderError(f"Zalo unreachable: {err}") from err
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderError(f"Zalo answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise ProviderError(f"Zalo answered HTTP {response.status_code}", permanent=True)
        try:
            answer = response.json()
        except ValueError as err:
            raise ProviderError("Zalo answered without JSON") from err
        if not isinstance(answer, dict):
            raise ProviderError(f"Zalo answered {answer!r}")
        return answer

    def _zalo_refresh_token(self):
        """Exchange the refresh token for a new access token (Zalo OA OAuth v4); return it.

        Zalo answers a new refresh token too, and each one is single-use: both are committed
        at once in their own transaction, so a failed send (rolled back and retried by
        queue_job) cannot lose them.
        """
        provider = self.sudo()
        answer = self._zalo_post(
            provider.token_url or ZNS_TOKEN_URL,
            data={
                "refresh_token": provider.refresh_token,
                "app_id": provider.app_id or "",
                "grant_type": "refresh_token",
            },
            headers={"secret_key": provider.app_secret or ""},
        )
        if not answer.get("access_token"):
            raise ProviderError(
                "Zalo refused to refresh the access token: "
                f"{answer.get('error_name') or answer.get('error_description') or answer}",
                permanent=True,
            )
        # Committed at once, in a transaction of its own (plain SQL: only these two columns),
        # so that a failed send, rolled back and retried, cannot lose the spent refresh token.
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "UPDATE psa_notification_provider SET access_token = %s, refresh_token = %s,"
                    " write_date = (now() AT TIME ZONE 'UTC') WHERE id = %s",
                    answer["access_token"],
                    answer.get("refresh_token") or provider.refresh_token,
                    self.id,
                )
            )
        self.invalidate_recordset(["access_token", "refresh_token", "write_date"])
        return answer["access_token"]

    def _http_sms_send(self, notification):
        payload = {
            "to": self._phone_84(notification.recipient),
            "text": self._unaccent(notification.body) if self.sms_unaccented else notification.body,
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
