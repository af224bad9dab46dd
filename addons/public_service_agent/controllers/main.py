"""Public pages for citizens: dossier tracking and the satisfaction evaluation.

Neither page needs a login. Tracking is opened by a pair of secrets (dossier code and
the last 4 digits of the citizen's phone) and is rate-limited per client address;
the evaluation page by the unguessable token sent when the result is returned. Only
after one of these checks is a dossier read as superuser, and the templates only
receive plain values (masked name, statuses, dates): never CCCD or phone.
"""

import re

import psycopg2
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq

from ..models.psa_dossier_evaluation import INDICATORS
from ..public_input import PUBLIC_BODY_LIMIT, storable
from .common import (
    center_tz,
    mask_citizen_name,
    public_render,
    set_public_lang,
    status_timeline,
)

# ASCII digits, whole string (fullmatch): \d takes '٣' and '$' a trailing newline, and
# consteq() refuses non-ASCII text.
CODE_RE = re.compile(r"[0-9A-Za-z.]{1,40}-[0-9]{6}-[0-9]{4,6}")
DIGITS_RE = re.compile(r"[0-9]{4}")
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
COMMENT_MAX = 2000


class PsaPublic(http.Controller):
    # ------------------------------------------------------------------ helpers
    def _psa_set_public_lang(self, asked=None):
        """Citizens read Vietnamese unless they ask for another language with ?lang=."""
        set_public_lang(asked, public_only=True)

    def _psa_render(self, template, values, status=200, headers=None):
        return public_render(template, values, status=status, headers=headers)

    def _psa_client_keys(self, code):
        # Per address and code, per code, and a wider ceiling per address.
        address = request.httprequest.remote_addr or ""
        return request.env["psa.tracking.attempt"].sudo()._psa_tracking_keys(address, code)

    # ------------------------------------------------------------------ tracking
    def _psa_find_tracked_dossier(self, code, digits):
        """The dossier whose code and phone digits match, else None (the same for both)."""
        dossier = request.env["psa.dossier"].sudo()
        if CODE_RE.fullmatch(code):
            # Codes are upper case (…H26-…); accept them typed in lower case too.
            dossier = dossier.search([("name", "in", list({code, code.upper()}))], limit=1)
        # The phone typed for this dossier or the citizen's record. Compared in constant
        # time, and also for unknown codes, so both take one path.
        filed = self._psa_last_digits(dossier.filed_phone if dossier else "")
        record = self._psa_last_digits(dossier.citizen_id.phone if dossier else "")
        matches = consteq(filed, digits) | consteq(record, digits)
        return dossier if dossier and matches else None

    @staticmethod
    def _psa_last_digits(phone):
        phone = re.sub(r"\D", "", phone or "")
        return phone[-4:] if len(phone) >= 4 else "----"

    def _psa_tracking_result(self, dossier, digits=""):
        """Plain, non-personal values of a dossier for the public page."""
        return {
            "code": dossier.name,
            "procedure": dossier.procedure_id.name,
            "citizen": mask_citizen_name(dossier.citizen_id.name),
            "agent": dossier.agent_id.name or "",
            "stage": dossier.stage_id.name,
            "status_code": dossier.status_code,
            "date_received": dossier.date_received,
            "date_due": dossier.date_due,
            "date_returned": dossier.date_returned,
            "is_overdue": dossier.is_overdue,
            "is_closed": dossier.is_closed,
            "supplement": dossier.stage_id.is_supplement,
            "timeline": status_timeline(dossier),
            # The citizen's own channel to the evaluation: only with the digits of the phone
            # on the citizen's record, not of one typed at a counter for this dossier.
            "evaluation_url": dossier.evaluation_token
            and not dossier.evaluation_ids
            and consteq(self._psa_last_digits(dossier.citizen_id.phone), digits)
            and f"/dossier/evaluate/{dossier.evaluation_token}",
        }

    @http.route(
        "/tracking",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        max_content_length=PUBLIC_BODY_LIMIT,
    )
    def psa_tracking(self, code=None, phone_digits=None, **kw):
        self._psa_set_public_lang(kw.get("lang"))
        code = "".join((code or "").split())[:64]
        values = {
            "code": code,
            "error": None,
            "not_found": False,
            "result": None,
            "tz": center_tz(request.env),
        }
        template = "public_service_agent.psa_tracking_page"
        if request.httprequest.method != "POST":
            return self._psa_render(template, values)

        Attempt = request.env["psa.tracking.attempt"].sudo()
        client_keys = self._psa_client_keys(code)
        if Attempt._psa_any_blocked(client_keys):
            return self._psa_too_many(values)
        digits = (phone_digits or "").strip()
        if not code or not DIGITS_RE.fullmatch(digits):
            values["error"] = request.env._(
                "Enter the dossier code and the last 4 digits of the citizen's phone number."
            )
            return self._psa_render(template, values, status=400)
        dossier = self._psa_find_tracked_dossier(code, digits)
        if not dossier:
            if not Attempt._psa_register_failures(client_keys):
                return self._psa_too_many(values)
            values["not_found"] = True
            return self._psa_render(template, values)
        values["result"] = self._psa_tracking_result(dossier, digits)
        return self._psa_render(template, values)

    def _psa_too_many(self, values):
        _limit, window = request.env["psa.tracking.attempt"].sudo()._psa_settings()
        message = request.env._(
            "Too many unsuccessful attempts. Try again in %(minutes)s minutes.",
            minutes=int(window.total_seconds() // 60),
        )
        values = dict(values, too_many=message)
        return self._psa_render(
            "public_service_agent.psa_tracking_page",
            values,
            status=429,
            headers={"Retry-After": str(int(window.total_seconds()))},
        )

    # ------------------------------------------------------------------ evaluation
    def _psa_dossier_from_token(self, token):
        """The dossier of an evaluation token, compared in constant time; else 404."""
        if not TOKEN_RE.fullmatch(token or ""):
            raise NotFound()
        dossier = (
            request.env["psa.dossier"].sudo().search([("evaluation_token", "=", token)], limit=1)
        )
        if not dossier or not consteq(dossier.evaluation_token or "", token):
            raise NotFound()
        return dossier

    def _psa_evaluation_values(self, dossier, post=None, errors=None):
        Evaluation = request.env["psa.dossier.evaluation"]
        return {
            "token": dossier.evaluation_token,
            "code": dossier.name,
            "procedure": dossier.procedure_id.name,
            "agent": dossier.agent_id.name or "",
            "date_returned": dossier.date_returned,
            "tz": center_tz(request.env),
            "indicators": [
                (fname, Evaluation._fields[fname]._description_string(request.env))
                for fname in INDICATORS
            ],
            "post": post or {},
            "errors": errors or {},
        }

    @http.route(
        "/dossier/evaluate/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        max_content_length=PUBLIC_BODY_LIMIT,
    )
    def psa_evaluate(self, token, **post):
        self._psa_set_public_lang(post.get("lang"))
        # The unguessable token is the right to evaluate this one dossier.
        dossier = self._psa_dossier_from_token(token)
        values = self._psa_evaluation_values(dossier)
        done_template = "public_service_agent.psa_evaluation_done"
        already = dict(
            values,
            already=True,
            done_message=request.env._(
                "Dossier %(code)s has already been evaluated.", code=dossier.name
            ),
        )
        thanks = dict(
            values,
            already=False,
            done_message=request.env._(
                "Your evaluation of dossier %(code)s has been recorded. "
                "It helps the Center improve its service.",
                code=dossier.name,
            ),
        )
        if dossier.evaluation_ids:
            return self._psa_render(done_template, already)
        if request.httprequest.method != "POST":
            return self._psa_render("public_service_agent.psa_evaluation_page", values)

        errors = {}
        scores = {}
        for fname in INDICATORS:
            value = post.get(fname)
            if value in ("0", "1", "2"):
                scores[fname] = value
            else:
                errors[fname] = True
        comment = (post.get("comment") or "").strip()
        if len(comment) > COMMENT_MAX or not storable(comment):
            errors["comment"] = True
        if errors:
            values = self._psa_evaluation_values(
                dossier, {k: v for k, v in post.items() if isinstance(v, str)}, errors
            )
            return self._psa_render("public_service_agent.psa_evaluation_page", values, status=400)
        try:
            with request.env.cr.savepoint():
                request.env["psa.dossier.evaluation"].sudo().create(
                    {"dossier_id": dossier.id, "comment": comment or False, **scores}
                )
        except (UserError, psycopg2.IntegrityError):
            # Sent twice at the same moment: the first one counts.
            return self._psa_render(done_template, already)
        return self._psa_render(done_template, thanks)
