"""Agent staff's portal pages for deliveries and handover records.

Every page reads with the logged-in user's environment: the portal record rules (own
agent) decide what exists. Writes go through the models' ``_portal_*`` methods.
"""

import base64
import binascii

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

LABEL_REPORT = "postal_delivery.action_report_postal_label"
HANDOVER_REPORT = "postal_delivery.action_report_postal_handover"


class PostalPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        user = request.env.user
        if "postal_delivery_count" in counters:
            Delivery = request.env["postal.delivery"]
            values["postal_delivery_count"] = (
                Delivery.search_count([])
                if user._is_portal() and Delivery.has_access("read")
                else 0
            )
        if "postal_handover_count" in counters:
            Handover = request.env["postal.handover"]
            values["postal_handover_count"] = (
                Handover.search_count([])
                if user._is_portal() and Handover.has_access("read")
                else 0
            )
        return values

    def _postal_agent(self):
        user = request.env.user
        if not user._is_portal():
            return request.env["psa.agent"]
        return request.env["psa.agent"].search(
            [("partner_id", "=", user.commercial_partner_id.id)], limit=1
        )

    # ------------------------------------------------------------------ deliveries
    @http.route(["/my/deliveries"], type="http", auth="user", website=True)
    def portal_my_deliveries(self, **kw):
        if not self._postal_agent():
            return request.redirect("/my")
        deliveries = request.env["postal.delivery"].search([], limit=200)
        values = self._prepare_portal_layout_values()
        values.update(page_name="postal_deliveries", deliveries=deliveries)
        return request.render("postal_delivery.portal_my_deliveries", values)

    @http.route(["/my/deliveries/<int:delivery_id>/label"], type="http", auth="user")
    def portal_delivery_label(self, delivery_id, download=False, **kw):
        try:
            delivery_sudo = self._document_check_access("postal.delivery", delivery_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not self._postal_agent():
            raise NotFound()
        # Rendered as the user: the report reads with the user's rights.
        delivery = delivery_sudo.with_user(request.env.user)
        return self._show_report(
            model=delivery, report_type="pdf", report_ref=LABEL_REPORT, download=download
        )

    # ------------------------------------------------------------------ handovers
    @http.route(["/my/handovers"], type="http", auth="user", website=True)
    def portal_my_handovers(self, error=None, **kw):
        agent = self._postal_agent()
        if not agent:
            return request.redirect("/my")
        handovers = request.env["postal.handover"].search([], limit=100)
        sending = request.env["postal.delivery"].search(
            [("service_type", "in", ("send_dossier", "both")), ("state", "!=", "cancelled")]
        )
        dossiers = request.env["psa.dossier"].search(
            [("stage_id.is_new", "=", True), ("id", "not in", sending.dossier_id.ids)], limit=200
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="postal_handovers",
            handovers=handovers,
            dossiers=dossiers,
            carriers=request.env["postal.carrier"].sudo().search([]),
            error=error,
        )
        return request.render("postal_delivery.portal_my_handovers", values)

    @http.route(["/my/handovers/new"], type="http", auth="user", methods=["POST"], website=True)
    def portal_handover_new(self, carrier_id=None, **post):
        ids = request.httprequest.form.getlist("dossier_ids")
        try:
            dossier_ids = [int(i) for i in ids]
            handover = request.env["postal.handover"]._portal_prepare(dossier_ids, int(carrier_id))
        except (ValueError, TypeError):
            return self.portal_my_handovers(error=request.env._("Choose dossiers and a carrier."))
        except (UserError, ValidationError, AccessError) as exc:
            return self.portal_my_handovers(error=str(exc.args[0]))
        return request.redirect(f"/my/handovers/{handover.id}")

    def _handover_or_none(self, handover_id):
        try:
            self._document_check_access("postal.handover", handover_id)
        except (AccessError, MissingError):
            return None
        return request.env["postal.handover"].browse(handover_id)

    @http.route(["/my/handovers/<int:handover_id>"], type="http", auth="user", website=True)
    def portal_my_handover(self, handover_id, error=None, **kw):
        handover = self._handover_or_none(handover_id)
        if not handover:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(page_name="postal_handover", handover=handover, error=error)
        return request.render("postal_delivery.portal_my_handover", values)

    @staticmethod
    def _signature(value):
        """A drawn signature as a data URL from the canvas, or nothing."""
        if not value:
            return False
        data = value.split(",", 1)[-1]
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            return False
        return data if raw.startswith(b"\x89PNG") and len(raw) < 512 * 1024 else False

    @http.route(
        ["/my/handovers/<int:handover_id>/sign"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_handover_sign(self, handover_id, **post):
        handover = self._handover_or_none(handover_id)
        if not handover:
            return request.redirect("/my")
        try:
            handover._portal_sign(
                post.get("sender_signer"),
                self._signature(post.get("sender_signature")),
                post.get("receiver_signer"),
                self._signature(post.get("receiver_signature")),
            )
        except (UserError, ValidationError, AccessError) as exc:
            return self.portal_my_handover(handover_id, error=str(exc.args[0]))
        return request.redirect(f"/my/handovers/{handover_id}")

    @http.route(["/my/handovers/<int:handover_id>/pdf"], type="http", auth="user")
    def portal_handover_pdf(self, handover_id, download=False, **kw):
        handover = self._handover_or_none(handover_id)
        if not handover:
            return request.redirect("/my")
        return self._show_report(
            model=handover, report_type="pdf", report_ref=HANDOVER_REPORT, download=download
        )
