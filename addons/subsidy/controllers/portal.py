"""The operator's accountant's portal: /my/subsidy/statements.

Every route reads with the logged-in user's rights: the portal record rules (own operator,
confirmed statements) decide what exists. ``sudo()`` is used only after that check, to render
reports whose actions the portal cannot read. Answers go through ``subsidy.claim._portal_respond``.
"""

from urllib.parse import quote

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

XLSX_REPORT = "subsidy.action_report_subsidy_statement_xlsx"
PDF_REPORT = "subsidy.action_report_subsidy_statement"


class SubsidyPortal(CustomerPortal):
    def _subsidy_is_operator(self):
        """Operators' accountants only: agent staff are portal users too, of an agent."""
        user = request.env.user
        return (
            user._is_portal()
            and user.partner_id.commercial_partner_id.is_psa_operator
            and request.env["subsidy.statement"].has_access("read")
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            values["subsidy_is_operator"] = self._subsidy_is_operator()
        if "subsidy_statement_count" in counters:
            values["subsidy_statement_count"] = (
                request.env["subsidy.statement"].search_count([])
                if self._subsidy_is_operator()
                else 0
            )
        return values

    def _subsidy_statement(self, statement_id):
        if not self._subsidy_is_operator():
            raise NotFound()
        statement = request.env["subsidy.statement"].browse(statement_id).exists()
        try:
            statement.check_access("read")
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        if not statement:
            raise NotFound()
        return statement

    @http.route(
        ["/my/subsidy/statements", "/my/subsidy/statements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_subsidy_statements(self, page=1, **kw):
        Statement = request.env["subsidy.statement"]
        if not self._subsidy_is_operator():
            raise NotFound()
        count = Statement.search_count([])
        pager = portal_pager(url="/my/subsidy/statements", total=count, page=page, step=20)
        statements = Statement.search([], limit=20, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "statements": statements,
                "pager": pager,
                "page_name": "subsidy_statements",
                "default_url": "/my/subsidy/statements",
            }
        )
        return request.render("subsidy.portal_my_subsidy_statements", values)

    @http.route("/my/subsidy/statements/<int:statement_id>", type="http", auth="user", website=True)
    def portal_my_subsidy_statement(self, statement_id, report_type=None, download=False, **kw):
        statement = self._subsidy_statement(statement_id)
        if report_type == "pdf":
            return self._show_report(
                model=statement, report_type="pdf", report_ref=PDF_REPORT, download=download
            )
        if report_type == "xlsx":
            content, _fmt = (
                request.env["ir.actions.report"]
                .sudo()
                .with_context(lang=request.env.user.lang)
                ._render_xlsx(XLSX_REPORT, statement.ids, None)
            )
            filename = f"Doi-soat-{statement.name}".replace("/", "-") + ".xlsx"
            return request.make_response(
                content,
                headers=[
                    (
                        "Content-Type",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    ("Content-Length", len(content)),
                    ("Content-Disposition", http.content_disposition(filename)),
                ],
            )
        # Read access is proven above; the lines show policy names the portal cannot read.
        statement_sudo = statement.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "statement": statement_sudo,
                "claims": statement_sudo.claim_ids,
                "page_name": "subsidy_statement",
                "error": kw.get("error"),
                "message": kw.get("message"),
            }
        )
        return request.render("subsidy.portal_my_subsidy_statement", values)

    @http.route(
        "/my/subsidy/statements/<int:statement_id>/answer",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_subsidy_answer(
        self, statement_id, claim_id=None, answer=None, comment=None, **kw
    ):
        statement = self._subsidy_statement(statement_id)
        try:
            claim_id = int(claim_id or 0)
        except ValueError as exc:
            raise NotFound() from exc
        claim = request.env["subsidy.claim"].browse(claim_id)
        if claim not in statement.claim_ids:
            raise NotFound()
        url = f"/my/subsidy/statements/{statement.id}"
        try:
            claim._portal_respond(answer, comment)
        except ValidationError as exc:
            return request.redirect(f"{url}?error={quote(str(exc.args[0]))}")
        return request.redirect(f"{url}?message=saved")
