from odoo import http
from odoo.http import request


class PostalWebhookController(http.Controller):
    @http.route(
        "/postal/webhook/<string:carrier_type>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def postal_webhook(self, carrier_type, **_kwargs):
        # The model authenticates the request (token or HMAC) before anything is stored.
        status, payload = (
            request.env["postal.webhook.event"]
            .sudo()
            ._ingest_http(carrier_type, request.httprequest.get_data(), request.httprequest.headers)
        )
        return request.make_json_response(payload, status=status)
