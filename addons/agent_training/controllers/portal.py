from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)


class TrainingPortal(CustomerPortal):
    CERTIFICATES_PER_PAGE = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "training_certificate_count" in counters:
            Certificate = request.env["training.certificate"]
            values["training_certificate_count"] = (
                Certificate.search_count(self._training_certificate_domain())
                if Certificate.has_access("read")
                else 0
            )
        if "training_exam_count" in counters:
            values["training_exam_count"] = len(self._training_pending_exams().filtered("exam_url"))
        return values

    def _psa_home_cards(self, agent):
        """Today's work of agent staff: add the agent's certificates about to expire.

        Counted as superuser for the whole agent (a number, no names): staff read only
        their own certificates, but the counter closes if colleagues' lapse.
        """
        cards = super()._psa_home_cards(agent)
        Certificate = request.env["training.certificate"].sudo()
        cards.append(
            {
                "key": "certificates_expiring",
                "title": request.env._("Certificates expiring"),
                "text": request.env._("Staff of this agent to re-certify soon"),
                "count": Certificate.search_count(
                    [("agent_id", "=", agent.id), ("state", "=", "expiring")]
                ),
                "url": "/my/certificates",
                "icon": "fa-certificate",
                "tone": "warning",
            }
        )
        return cards

    def _training_certificate_domain(self):
        # Record rules already limit staff to their own; the domain keeps the list personal
        # for internal users opening the portal too.
        return [("user_id", "=", request.env.user.id)]

    def _training_pending_exams(self):
        Attendance = request.env["training.attendance"]
        if not Attendance.has_access("read"):
            return Attendance
        return Attendance.search(
            [
                ("user_id", "=", request.env.user.id),
                ("exam_state", "in", ("invited", "failed")),
                ("session_id.state", "=", "done"),
                ("certificate_id", "=", False),
            ]
        )

    @http.route(
        ["/my/certificates", "/my/certificates/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_certificates(self, page=1, **kwargs):
        Certificate = request.env["training.certificate"]
        domain = self._training_certificate_domain()
        total = Certificate.search_count(domain) if Certificate.has_access("read") else 0
        pager = portal_pager(
            url="/my/certificates", total=total, page=page, step=self.CERTIFICATES_PER_PAGE
        )
        certificates = (
            Certificate.search(
                domain,
                order="date_issued desc, id desc",
                limit=self.CERTIFICATES_PER_PAGE,
                offset=pager["offset"],
            )
            if total
            else Certificate
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "certificates": certificates,
                "pending_exams": self._training_pending_exams(),
                "pager": pager,
                "page_name": "training_certificates",
                "default_url": "/my/certificates",
            }
        )
        return request.render("agent_training.portal_my_certificates", values)

    @http.route(["/my/certificates/<int:certificate_id>"], type="http", auth="public", website=True)
    def portal_my_certificate(
        self, certificate_id, access_token=None, report_type=None, download=False, **kwargs
    ):
        # consteq() refuses non-ASCII text (a 500): such a token is simply wrong.
        if access_token and not access_token.isascii():
            return request.redirect("/my")
        try:
            certificate_sudo = self._document_check_access(
                "training.certificate", certificate_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=certificate_sudo,
                report_type=report_type,
                report_ref="agent_training.action_report_training_certificate",
                download=download,
            )
        values = self._prepare_portal_layout_values()
        values = self._get_page_view_values(
            certificate_sudo, access_token, values, "my_certificates_history", False, **kwargs
        )
        values.update({"certificate": certificate_sudo, "page_name": "training_certificate"})
        return request.render("agent_training.portal_my_certificate", values)
