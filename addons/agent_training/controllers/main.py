import re
from datetime import timedelta

from odoo import http
from odoo.http import request
from odoo.tools import format_date

from odoo.addons.public_service_agent.controllers.common import (
    client_hash,
    mask_certificate_holder,
    public_render,
    set_public_lang,
)

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
LIMIT_PARAM = "agent_training.verify_rate_limit"
DEFAULT_LIMIT = 30  # look-ups per client and minute


class CertificateVerification(http.Controller):
    @http.route(
        "/certificate/verify/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def certificate_verify(self, token, **kwargs):
        """Public check of a certificate from its QR code: masked name, course and validity."""
        # Counted per client (hashed address, kept one hour), unknown tokens included.
        client = client_hash(32)
        # Refusals are plain responses, not exceptions: an exception would roll the counter back.
        limit = request.env["ir.config_parameter"]._psa_positive_int(LIMIT_PARAM, DEFAULT_LIMIT)
        limiter = request.env["psa.tracking.attempt"].sudo()
        if not limiter._psa_hit(f"verify:{client}", limit, timedelta(minutes=1)):
            return self._training_verify_refusal(429)
        if not TOKEN_RE.fullmatch(token or ""):
            return self._training_verify_refusal(404)
        # The unguessable token is the access right to this page; nothing else is read.
        certificate = (
            request.env["training.certificate"]
            .sudo()
            .search([("verify_token", "=", token)], limit=1)
        )
        if not certificate:
            return self._training_verify_refusal(404)
        self._training_set_page_lang(kwargs.get("lang"))
        state = certificate._public_state()
        states = dict(certificate._fields["state"]._description_selection(request.env))
        values = {
            "masked_name": mask_certificate_holder(certificate.partner_id.name),
            "course_name": certificate.course_id.with_env(request.env).sudo().name,
            "date_issued": format_date(request.env, certificate.date_issued),
            "date_expiry": format_date(request.env, certificate.date_expiry),
            "state": state,
            "state_label": states[state],
            "is_valid": state in certificate.VALID_STATES,
        }
        return public_render("agent_training.certificate_verify_page", values)

    def _training_verify_refusal(self, status):
        self._training_set_page_lang(None)
        return public_render(
            "agent_training.certificate_verify_refused",
            {"status": status},
            status=status,
            headers={"Retry-After": "60"} if status == 429 else None,
        )

    def _training_set_page_lang(self, asked):
        """The certificate is Vietnamese: so is its check page, unless another language is asked."""
        set_public_lang(asked)
