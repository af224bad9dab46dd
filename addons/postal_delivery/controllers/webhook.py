from odoo import http
from odoo.http import request

from odoo.addons.public_service_agent.public_input import (
    PUBLIC_BODY_LIMIT,
    BodyRefused,
    read_limited_body,
)


class PostalWebhookController(http.Controller):
    @http.route(
        "/postal/webhook/<string:carrier_type>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=PUBLIC_BODY_LIMIT,
    )
    def postal_webhook(self, carrier_type, **_kwargs):
        # Unauthenticated bytes: never more than the limit is read, nothing of it parsed.
        try:
            raw = read_limited_body(request.httprequest)
        except BodyRefused as refused:
            # The same answer as a body refused by its declared length (ir.http).
            return request.make_json_response(
                {"error": refused.error, "limit": PUBLIC_BODY_LIMIT}, status=refused.status
            )
        # The model authenticates the request (token or HMAC) before anything is stored.
        status, payload = (
            request.env["postal.webhook.event"]
            .sudo()
            ._ingest_http(carrier_type, raw, request.httprequest.headers)
        )
        return request.make_json_response(payload, status=status)
