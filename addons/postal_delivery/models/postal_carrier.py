import json
import logging
from datetime import timedelta

import requests

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from odoo.addons.public_service_agent.tools import center_language

_logger = logging.getLogger(__name__)

TIMEOUT = 10
TOKEN_LIFETIME = timedelta(hours=12)


class CarrierError(Exception):
    """A failed carrier call; ``retryable`` when trying again later may succeed."""

    def __init__(self, message, retryable=True):
        super().__init__(message)
        self.retryable = retryable


class PostalCarrier(models.Model):
    """A postal operator that carries dossiers and results.

    Connectors are found by naming convention: ``<carrier_type>_send_shipping``,
    ``<carrier_type>_get_tracking``, ``<carrier_type>_cancel_shipment`` and
    ``<carrier_type>_rate``, as in Odoo's ``delivery.carrier``.
    """

    _name = "postal.carrier"
    _inherit = ["postal.cached.mixin"]
    _description = "Postal Carrier"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    carrier_type = fields.Selection(
        [("manual", "Manual"), ("vnpost", "Vietnam Post"), ("viettelpost", "Viettel Post")],
        required=True,
        default="manual",
    )
    operator_id = fields.Many2one("res.partner", domain=[("is_psa_operator", "=", True)])
    prod_environment = fields.Boolean(
        string="Production", groups="public_service_agent.group_psa_admin"
    )
    api_url_test = fields.Char(string="Test URL", groups="public_service_agent.group_psa_admin")
    api_url_prod = fields.Char(
        string="Production URL", groups="public_service_agent.group_psa_admin"
    )
    api_username = fields.Char(groups="public_service_agent.group_psa_admin")
    api_password = fields.Char(groups="public_service_agent.group_psa_admin")
    webhook_secret = fields.Char(groups="public_service_agent.group_psa_admin", copy=False)
    api_token = fields.Char(
        string="Cached Token",
        groups="public_service_agent.group_psa_admin",
        copy=False,
        help="Viettel Post: an owner-connect token may be pasted here; it is then kept.",
    )
    api_token_expiry = fields.Datetime(groups="public_service_agent.group_psa_admin", copy=False)
    tracking_cursor = fields.Char(
        string="Tracking Cursor",
        copy=False,
        help="Last tracking event read from the carrier (Vietnam Post's lastId).",
    )
    tracking_url = fields.Char(help="Public tracking page; <tracking> is replaced by the number.")
    active = fields.Boolean(default=True)

    # The fields the webhook route's cached look-up depends on.
    _cached_fields = frozenset({"carrier_type", "webhook_secret", "active"})

    @api.model
    @tools.ormcache("carrier_type")
    def _webhook_secrets(self, carrier_type):
        """``((carrier id, secret), ...)`` of the active carriers of a type that take webhooks.

        Cached: the webhook route asks it on every request, and secrets rarely change.
        """
        carriers = self.sudo().search(
            [("carrier_type", "=", carrier_type), ("webhook_secret", "!=", False)]
        )
        return tuple((carrier.id, carrier.webhook_secret) for carrier in carriers)

    # ------------------------------------------------------------------ plumbing
    def _job_channel(self):
        self.ensure_one()
        return f"root.carrier.{self.carrier_type}"

    def _api_url(self):
        carrier = self.sudo()
        url = carrier.api_url_prod if carrier.prod_environment else carrier.api_url_test
        if not url:
            raise CarrierError(
                self.env._("Carrier %(name)s has no API URL.", name=self.name), retryable=False
            )
        return url.rstrip("/")

    def _http(self, path, payload, token=None, token_header="Token"):
        """One POST with a timeout; classifies failures as retryable or not."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers[token_header] = token
        try:
            response = requests.post(
                self._api_url() + path,
                data=json.dumps(payload),
                headers=headers,
                timeout=self._http_timeout(),
            )
        except requests.Timeout:
            raise CarrierError(self.env._("The carrier did not answer in time.")) from None
        except requests.ConnectionError:
            raise CarrierError(self.env._("The carrier cannot be reached.")) from None
        if response.status_code >= 500:
            raise CarrierError(
                self.env._("The carrier failed (HTTP %(code)s).", code=response.status_code)
            )
        if response.status_code == 401:
            return 401, None
        try:
            body = response.json()
        except ValueError:
            raise CarrierError(self.env._("The carrier sent an unreadable answer.")) from None
        if not isinstance(body, dict):
            raise CarrierError(self.env._("The carrier sent an unreadable answer."))
        return response.status_code, body

    def _http_timeout(self):
        param = self.env["ir.config_parameter"].sudo().get_param("postal_delivery.http_timeout")
        try:
            return float(param) if param else TIMEOUT
        except ValueError:
            return TIMEOUT

    def _token(self, force=False):
        """The cached token, renewed when it expired, is about to, or was refused."""
        self.ensure_one()
        carrier = self.sudo()
        now = fields.Datetime.now()
        if (
            not force
            and carrier.api_token
            and (
                not carrier.api_token_expiry
                or carrier.api_token_expiry > now + timedelta(minutes=5)
            )
        ):
            return carrier.api_token
        token = getattr(self, f"_{self.carrier_type}_login")()
        carrier.write({"api_token": token, "api_token_expiry": now + TOKEN_LIFETIME})
        return token

    def _call(self, path, payload, token_header="Token"):
        """An authenticated call; one new token and one more try when the token expired."""
        status, body = self._http(path, payload, self._token(), token_header)
        if status == 401 or self._token_expired(body):
            status, body = self._http(path, payload, self._token(force=True), token_header)
            if status == 401 or self._token_expired(body):
                raise CarrierError(self.env._("The carrier refused our credentials."), False)
        return body

    def _token_expired(self, body):
        return isinstance(body, dict) and body.get("status") == 401

    # ------------------------------------------------------------------ manual
    def manual_send_shipping(self, delivery):
        return {"tracking_ref": delivery.name, "postage": delivery.postage}

    def manual_rate(self, delivery):
        return delivery.postage

    def manual_cancel_shipment(self, delivery):
        return True

    def manual_get_tracking(self):
        return []

    # ------------------------------------------------------------------ Viettel Post
    def _viettelpost_login(self):
        carrier = self.sudo()
        status, body = self._http(
            "/v2/user/Login", {"USERNAME": carrier.api_username, "PASSWORD": carrier.api_password}
        )
        token = ((body or {}).get("data") or {}).get("token") if status == 200 else None
        if not token:
            raise CarrierError(self.env._("Viettel Post refused the login."), retryable=False)
        return token

    def _viettelpost_order(self, delivery):
        d = delivery.sudo()
        return {
            "ORDER_NUMBER": d.order_ref,
            "SENDER_FULLNAME": d.sender_name or "",
            "SENDER_ADDRESS": ", ".join(p for p in (d.sender_street, d.sender_ward_id.name) if p),
            "SENDER_PHONE": d.sender_phone or "",
            "RECEIVER_FULLNAME": d.recipient_name or "",
            "RECEIVER_ADDRESS": ", ".join(p for p in (d.recipient_street, d.ward_id.name) if p),
            "RECEIVER_PHONE": d.recipient_phone or "",
            "PRODUCT_NAME": f"Hồ sơ {d.dossier_id.name}",
            "PRODUCT_WEIGHT": d.weight or 0,
            "PRODUCT_TYPE": "HH",
            "ORDER_PAYMENT": 1,
            "ORDER_SERVICE": "VCN",
            "MONEY_COLLECTION": int(d.cod_amount or 0),
            "ORDER_NOTE": "Hồ sơ hành chính công",
        }

    def viettelpost_rate(self, delivery):
        body = self._call("/v2/order/getPrice", self._viettelpost_order(delivery))
        return float((body.get("data") or {}).get("MONEY_TOTAL") or 0)

    def viettelpost_send_shipping(self, delivery):
        body = self._call("/v2/order/createOrder", self._viettelpost_order(delivery))
        data = body.get("data") or {}
        if body.get("error") or not data.get("ORDER_NUMBER"):
            raise CarrierError(
                self.env._("Viettel Post refused the order: %(msg)s", msg=body.get("message")),
                retryable=False,
            )
        return {"tracking_ref": data["ORDER_NUMBER"], "postage": data.get("MONEY_TOTAL") or 0}

    def viettelpost_cancel_shipment(self, delivery):
        body = self._call(
            "/v2/order/UpdateOrder",
            {"TYPE": 4, "ORDER_NUMBER": delivery.tracking_ref, "NOTE": "Hủy đơn"},
        )
        if body.get("error"):
            raise CarrierError(body.get("message") or "cancel refused", retryable=False)
        return True

    def viettelpost_get_tracking(self):
        # Viettel Post pushes its statuses to /postal/webhook/viettelpost.
        return []

    # ------------------------------------------------------------------ Vietnam Post
    def _vnpost_login(self):
        carrier = self.sudo()
        status, body = self._http(
            "/customer-partner/GetAccessToken",
            {"username": carrier.api_username, "password": carrier.api_password},
        )
        token = (body or {}).get("token") if status == 200 else None
        if not token:
            raise CarrierError(self.env._("Vietnam Post refused the login."), retryable=False)
        return token

    def _vnpost_order(self, delivery):
        d = delivery.sudo()
        return {
            "orderNumber": d.order_ref,
            "senderName": d.sender_name or "",
            "senderAddress": ", ".join(p for p in (d.sender_street, d.sender_ward_id.name) if p),
            "senderTel": d.sender_phone or "",
            "receiverName": d.recipient_name or "",
            "receiverAddress": ", ".join(p for p in (d.recipient_street, d.ward_id.name) if p),
            "receiverTel": d.recipient_phone or "",
            "weight": d.weight or 0,
            "codAmount": int(d.cod_amount or 0),
            "content": f"Hồ sơ {d.dossier_id.name}",
        }

    def vnpost_rate(self, delivery):
        body = self._call(
            "/customer-partner/ServicesCharge", self._vnpost_order(delivery), "h-token"
        )
        return float(body.get("totalFee") or 0)

    def vnpost_send_shipping(self, delivery):
        body = self._call("/customer-partner/CreateOrder", self._vnpost_order(delivery), "h-token")
        if not body.get("itemCode"):
            raise CarrierError(
                self.env._("Vietnam Post refused the order: %(msg)s", msg=body.get("message")),
                retryable=False,
            )
        return {"tracking_ref": body["itemCode"], "postage": body.get("totalFee") or 0}

    def vnpost_cancel_shipment(self, delivery):
        body = self._call(
            "/customer-partner/orderCancel", {"itemCode": delivery.tracking_ref}, "h-token"
        )
        if not body.get("success", True):
            raise CarrierError(body.get("message") or "cancel refused", retryable=False)
        return True

    def vnpost_get_tracking(self, page_size=100):
        """Polled tracking after our cursor: ``(items, new cursor)``."""
        body = self._call(
            "/customer-partner/GetTracking",
            {"pageSize": page_size, "lastId": int(self.tracking_cursor or 0)},
            "h-token",
        )
        items = body.get("data")
        if not isinstance(items, list):
            raise CarrierError(self.env._("Vietnam Post sent an unreadable tracking page."))
        return items

    # ------------------------------------------------------------------ dispatch
    def _connector(self, action):
        method = getattr(self, f"{self.carrier_type}_{action}", None)
        if not method:
            raise UserError(
                self.env._("Carrier %(name)s cannot %(action)s.", name=self.name, action=action)
            )
        return method

    @api.model
    @center_language
    def _cron_poll_tracking(self):
        """Vietnam Post: read new tracking events after each carrier's cursor."""
        from .postal_webhook_event import WebhookRejected

        Event = self.env["postal.webhook.event"].sudo().with_context(postal_event_source="poll")
        for carrier in self.search([("carrier_type", "=", "vnpost")]):
            while True:
                try:
                    items = carrier.vnpost_get_tracking()
                except CarrierError as error:
                    _logger.warning("Tracking of %s failed: %s", carrier.name, error)
                    break
                if not items:
                    break
                raw = json.dumps({"data": items}).encode()
                try:
                    parsed = Event._parse_vnpost({"data": items})
                except WebhookRejected as error:
                    _logger.warning("Tracking page of %s unreadable: %s", carrier.name, error)
                    break
                for item in parsed:
                    Event._ingest_item(carrier, item, raw)
                last = max(int(item.get("id") or 0) for item in items)
                if last <= int(carrier.tracking_cursor or 0):
                    break
                carrier.tracking_cursor = str(last)
        self.env["postal.webhook.event"].sudo()._cron_process_pending()
        return True
