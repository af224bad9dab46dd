"""The contact centre's inbound paths over HTTP.

- ``/lien-he``: the public form (no login, CSRF, rate-limited per client address). Whatever
  the caller types, the answer never tells whether a dossier or a citizen matched.
- ``/contact-centre/api/v1/tickets`` and ``/calls``: the platform's JSON API (switchboard,
  Zalo OA), authenticated by an HMAC-SHA256 of ``<timestamp>.<raw body>`` compared in
  constant time. Documented in docs/contact-centre-api.md.
"""

import hashlib
import hmac
import logging
import time
from datetime import timedelta

import psycopg2
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import consteq

from ..models.psa_ticket import CATEGORIES
from ..public_input import (
    PUBLIC_BODY_LIMIT,
    BodyRefused,
    ascii_int,
    parse_json,
    read_limited_body,
)
from .common import client_hash, mask_citizen_name, public_render, set_public_lang
from .main import TOKEN_RE

_logger = logging.getLogger(__name__)

SECRET_PARAM = "public_service_agent.contact_centre_api_secret"
FORM_LIMIT_PARAM = "public_service_agent.contact_form_rate_limit"
DEFAULT_FORM_LIMIT = 5  # submissions per client and hour
MAX_AGE = 300  # seconds a signed request stays valid
MAX_BODY = PUBLIC_BODY_LIMIT


class PsaContactCentre(http.Controller):
    # ------------------------------------------------------------------ public form
    def _psa_form_values(self, post=None, error=None):
        env = request.env
        labels = dict(env["psa.ticket"]._fields["category"]._description_selection(env))
        agents = env["psa.agent"].sudo().search([("state", "=", "active")], order="name")
        return {
            "post": post or {},
            "error": error,
            "categories": [(code, labels[code]) for code, _label in CATEGORIES],
            "agents": [(agent.id, agent.name) for agent in agents],
        }

    def _psa_render(self, template, values, status=200, headers=None):
        return public_render(template, values, status=status, headers=headers)

    def _psa_form_allowed(self):
        limit = request.env["ir.config_parameter"]._psa_positive_int(
            FORM_LIMIT_PARAM, DEFAULT_FORM_LIMIT
        )
        key = "contact:" + client_hash()
        return request.env["psa.tracking.attempt"].sudo()._psa_hit(key, limit, timedelta(hours=1))

    @http.route(
        ["/lien-he", "/contact-centre"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        max_content_length=MAX_BODY,
    )
    def psa_contact_form(self, **post):
        set_public_lang(post.get("lang"), public_only=True)
        template = "public_service_agent.psa_contact_form_page"
        if request.httprequest.method != "POST":
            return self._psa_render(template, self._psa_form_values())
        if not self._psa_form_allowed():
            values = self._psa_form_values(
                post,
                request.env._("Too many messages from your connection. Try again in an hour."),
            )
            return self._psa_render(template, values, status=429, headers={"Retry-After": "3600"})
        clean = {k: v for k, v in post.items() if isinstance(v, str) and k != "csrf_token"}
        try:
            with request.env.cr.savepoint():
                ticket = request.env["psa.ticket"]._psa_create_from_web(clean)
        except ValidationError as err:
            return self._psa_render(template, self._psa_form_values(clean, err.args[0]), status=400)
        return self._psa_render(
            "public_service_agent.psa_contact_form_done", {"ticket_number": ticket.name}
        )

    # ------------------------------------------------------------------ platform API
    def _psa_json(self, payload, status=200):
        return request.make_json_response(
            payload, status=status, headers={"Cache-Control": "no-store"}
        )

    def _psa_verify(self, raw):
        """True if the raw body is signed with the shared secret, recently."""
        secret = request.env["ir.config_parameter"].sudo().get_param(SECRET_PARAM) or ""
        headers = request.httprequest.headers
        # ASCII digits only: '²'.isdigit() is True and int('²') raises.
        stamp = headers.get("X-PSA-Timestamp", "")
        timestamp = ascii_int(stamp, 12)
        signature = headers.get("X-PSA-Signature", "").removeprefix("sha256=")
        # compare_digest refuses non-ASCII text: such a signature is simply wrong.
        if not secret or timestamp is None or not signature.isascii():
            return False
        expected = hmac.new(
            secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return False
        return abs(time.time() - timestamp) <= MAX_AGE

    def _psa_api_call(self, handler):
        # Unauthenticated bytes: never more than the limit is read, nothing of it parsed.
        try:
            raw = read_limited_body(request.httprequest, MAX_BODY)
        except BodyRefused as refused:
            return self._psa_json({"error": refused.error, "limit": MAX_BODY}, refused.status)
        if not self._psa_verify(raw):
            return self._psa_json({"error": "invalid_signature"}, status=401)
        try:
            payload = parse_json(raw)
        except ValueError:
            return self._psa_json({"error": "invalid_json"}, status=400)
        try:
            with request.env.cr.savepoint():
                return handler(payload)
        except ValidationError as err:
            return self._psa_json({"error": "invalid_request", "message": err.args[0]}, status=422)
        except psycopg2.IntegrityError:
            # The same id sent twice at the same moment: the other request created it.
            return self._psa_json({"error": "conflict", "message": "Retry the request."}, 409)

    @http.route(
        "/contact-centre/api/v1/tickets",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY,
    )
    def psa_api_tickets(self, **_kw):
        def handle(payload):
            ticket, created = request.env["psa.ticket"]._psa_api_upsert(payload)
            return self._psa_json(
                {"ticket": ticket.name, "created": created, "stage": ticket.stage_id.name},
                status=201 if created else 200,
            )

        return self._psa_api_call(handle)

    @http.route(
        "/contact-centre/api/v1/calls",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY,
    )
    def psa_api_calls(self, **_kw):
        def handle(payload):
            call, created = request.env["psa.ticket"]._psa_api_log_call(payload)
            return self._psa_json(
                {"ticket": call.ticket_id.name, "call": call.external_id, "created": created},
                status=201 if created else 200,
            )

        return self._psa_api_call(handle)


class PsaAlertSettings(http.Controller):
    """/thong-bao/<token>: the citizen chooses the alert channel or opts out, without a login.

    The token (sent in every e-mail alert) is the right to change these four settings of one
    citizen; the page shows the masked name only.
    """

    def _psa_partner(self, token):
        if not TOKEN_RE.fullmatch(token or ""):
            raise NotFound()
        partner = (
            request.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("psa_alert_token", "=", token)], limit=1)
        )
        if not partner or not consteq(partner.psa_alert_token or "", token):
            raise NotFound()
        return partner

    @http.route(
        "/thong-bao/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        max_content_length=MAX_BODY,
    )
    def psa_alert_settings(self, token, **post):
        set_public_lang(post.get("lang"), public_only=True)
        partner = self._psa_partner(token)
        saved = False
        if request.httprequest.method == "POST":
            optouts = [name for name in ("zalo", "sms", "email") if post.get(f"optout_{name}")]
            partner._psa_set_alert_settings(post.get("channel"), optouts)
            saved = True
        labels = dict(partner._fields["psa_notify_channel"]._description_selection(request.env))
        values = {
            "token": token,
            "citizen": mask_citizen_name(partner.name),
            "channel": partner.psa_notify_channel or "",
            "channels": list(labels.items()),
            "optouts": {name: partner[f"psa_optout_{name}"] for name in ("zalo", "sms", "email")},
            "saved": saved,
        }
        response = public_render("public_service_agent.psa_alert_settings_page", values)
        return response
