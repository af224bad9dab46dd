from werkzeug.exceptions import abort
from werkzeug.routing import ValidationError as NoMatch

from odoo import models
from odoo.http import request

from odoo.addons.base.models.ir_http import SignedIntConverter


class BoundedIntConverter(SignedIntConverter):
    """``<int:...>`` that fits a PostgreSQL integer; any other number does not match (404).

    Odoo's converter turned 5,000 digits into a ValueError (int() has a digit limit) and
    twenty digits into an "integer out of range" query: both a 500.
    """

    def to_python(self, value):
        if len(value) > 11:
            raise NoMatch()
        number = super().to_python(value)
        if not -(2**31) <= number < 2**31:
            raise NoMatch()
        return number


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_converters(cls):
        return dict(super()._get_converters(), int=BoundedIntConverter)

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal chatter of dossiers runs mail's components ("The conversation is
        # empty."), whose terms the portal pages do not load by default.
        return [*super()._get_translation_frontend_modules_name(), "mail"]

    @classmethod
    def _pre_dispatch(cls, rule, args):
        result = super()._pre_dispatch(rule, args)
        # A route's max_content_length: a body declared larger is refused unread, with a short
        # JSON error, before werkzeug parses a form of it (its own refusal is an HTML page).
        limit = rule.endpoint.routing.get("max_content_length")
        if isinstance(limit, int) and (request.httprequest.content_length or 0) > limit:
            abort(request.make_json_response({"error": "too_large", "limit": limit}, status=413))
        return result

    @classmethod
    def _serve_fallback(cls):
        # The fallback looks the path up as an attachment URL: a path with a NUL character
        # (/dossier/evaluate/%00) made that query fail, and every 404 of it a 500.
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()
