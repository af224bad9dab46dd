"""The agent staff's portal: /my/dossiers (list, detail, documents, new dossier).

Security: every route works with the logged-in user's environment, so the portal
record rules (own agent's dossiers and documents) decide what exists for the user.
``sudo()`` is used only *after* ``_document_check_access`` has proven read access
to the dossier (to render related data the portal may not read directly, such as
the citizen partner), and for the citizen look-up of ``res.partner`` helpers.
"""

import logging
import os
from datetime import timedelta

import psycopg2
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv.expression import AND, OR
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

from .common import center_tz, status_timeline

_logger = logging.getLogger(__name__)

PHIEU_GUI_REPORT = "public_service_agent.action_report_psa_phieu_gui"
MAX_UPLOAD_PARAM = "public_service_agent.portal_max_upload_mb"
DEFAULT_MAX_UPLOAD_MB = 10
ALLOWED_MIMETYPES = ("application/pdf", "image/jpeg", "image/png")
HISTORY_KEY = "my_dossiers_history"
LOOKUP_LIMIT = 30
LOOKUP_WINDOW = timedelta(minutes=10)


class PsaPortal(CustomerPortal):
    # ------------------------------------------------------------------ home counter
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # Rendering /my: agent staff always see the entry, even before their first dossier.
            values["psa_is_agent_staff"] = bool(self._psa_current_agent())
        if "dossier_count" in counters:
            Dossier = request.env["psa.dossier"]
            # Agent staff only: Center officers follow dossiers in the backend.
            values["dossier_count"] = (
                Dossier.search_count([])
                if request.env.user._is_portal() and Dossier.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------ list
    def _psa_dossier_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "due": {"label": request.env._("Due Date"), "order": "date_due asc, id desc"},
            "code": {"label": request.env._("Dossier Code"), "order": "name asc"},
            "stage": {"label": request.env._("Status"), "order": "stage_id, id desc"},
        }

    def _psa_dossier_filters(self):
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("In Progress"), "domain": [("is_closed", "=", False)]},
        }
        for stage in request.env["psa.dossier.stage"].search([]):
            filters[f"stage_{stage.id}"] = {
                "label": stage.name,
                "domain": [("stage_id", "=", stage.id)],
            }
        return filters

    def _psa_dossier_search_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in Code and Citizen")},
            "code": {"input": "code", "label": request.env._("Search in Dossier Code")},
            "citizen": {"input": "citizen", "label": request.env._("Search in Citizen")},
        }

    def _psa_dossier_search_domain(self, search_in, search):
        search = search.strip()
        domains = []
        if search_in in ("all", "code"):
            domains.append([("name", "ilike", search)])
        if search_in in ("all", "citizen"):
            # Names as typed at this agent; a CCCD only as an exact match (staff typed it).
            # The dossier search below runs with the user's rights: own open agent only.
            citizens = (
                request.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                ._search([("psa_cccd", "=", search)])
            )
            domains.append([("citizen_name", "ilike", search)])
            domains.append([("citizen_id", "in", citizens)])
        return OR(domains) if domains else []

    @http.route(
        ["/my/dossiers", "/my/dossiers/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_dossiers(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", overdue=None, **kw
    ):
        Dossier = request.env["psa.dossier"]
        if not Dossier.has_access("read"):
            return request.redirect("/my")
        sortings = self._psa_dossier_sortings()
        sortby = sortby if sortby in sortings else "date"
        filters = self._psa_dossier_filters()
        filterby = filterby if filterby in filters else "all"
        inputs = self._psa_dossier_search_inputs()
        search_in = search_in if search_in in inputs else "all"
        overdue = "1" if overdue == "1" else None
        search = (search or "").strip()[:100]

        domain = list(filters[filterby]["domain"])
        if overdue:
            domain = AND([domain, [("is_overdue", "=", True)]])
        if search:
            domain = AND([domain, self._psa_dossier_search_domain(search_in, search)])

        url_args = {
            "sortby": sortby,
            "filterby": filterby,
            "search_in": search_in,
            "search": search,
            "overdue": overdue,
        }
        pager = portal_pager(
            url="/my/dossiers",
            url_args={key: value for key, value in url_args.items() if value},
            total=Dossier.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        dossiers = Dossier.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY_KEY] = dossiers.ids[:100]

        values = self._prepare_portal_layout_values()
        values.update(
            {
                # Read with the user's rights above; sudo only to show citizen names.
                "dossiers": dossiers.sudo(),
                "page_name": "psa_dossiers",
                "default_url": "/my/dossiers",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
                "overdue": overdue,
                "can_create": bool(self._psa_current_agent()),
                "tz": center_tz(request.env),
            }
        )
        return request.render("public_service_agent.portal_my_dossiers", values)

    # ------------------------------------------------------------------ detail
    def _psa_phieu_gui_report(self):
        # Only the report's own definition is read as superuser: portal users may not
        # read ir.actions.report, and the dossier's access is checked by the caller.
        report = request.env.ref(PHIEU_GUI_REPORT, raise_if_not_found=False)
        report = report and report.sudo()
        if report and report._name == "ir.actions.report" and report.model == "psa.dossier":
            return report
        return None

    def _psa_record_pager(self, dossier):
        """Previous / next links from the last list, without portal access tokens."""
        history = request.session.get(HISTORY_KEY, [])
        if dossier.id not in history:
            return {}
        index = history.index(dossier.id)
        return {
            "prev_record": index > 0 and f"/my/dossiers/{history[index - 1]}",
            "next_record": index < len(history) - 1 and f"/my/dossiers/{history[index + 1]}",
        }

    def _psa_dossier_page_values(self, dossier_sudo, error=None, created=False, uploaded=False):
        report = self._psa_phieu_gui_report()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "dossier": dossier_sudo,
                "object": dossier_sudo,  # for portal.message_thread
                "page_name": "psa_dossier",
                "timeline": status_timeline(dossier_sudo),
                "can_upload": dossier_sudo.stage_id.allow_upload,
                "is_supplement": dossier_sudo.stage_id.is_supplement,
                "phieu_gui_url": report and f"/my/dossiers/{dossier_sudo.id}?report_type=pdf",
                "upload_hint": self._psa_upload_hint(),
                "created": created,
                "created_message": created
                and request.env._("Dossier %(code)s is registered.", code=dossier_sudo.name),
                "uploaded": uploaded,
                "error": error,
                "tz": center_tz(request.env),
            }
        )
        values.update(self._psa_record_pager(dossier_sudo))
        return values

    def _psa_check_dossier_access(self, dossier_id):
        """The dossier as superuser once the record rules let the user read it.

        ``_document_check_access`` returns it as OdooBot; it is rebound to the caller
        (``uid`` kept, superuser rights) so that what depends on the reader, such as the
        citizen's data, is computed for the staff member and not for OdooBot.
        """
        dossier = self._document_check_access("psa.dossier", dossier_id)
        return dossier.with_env(request.env(su=True))

    @http.route(["/my/dossiers/<int:dossier_id>"], type="http", auth="user", website=True)
    def portal_my_dossier(self, dossier_id, report_type=None, download=False, **kw):
        try:
            # No access token: only the record rules (own agent) open a dossier.
            dossier_sudo = self._psa_check_dossier_access(dossier_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type:
            if report_type != "pdf" or not self._psa_phieu_gui_report():
                raise NotFound()
            return self._show_report(
                model=dossier_sudo,
                report_type="pdf",
                report_ref=PHIEU_GUI_REPORT,
                download=download,
            )
        values = self._psa_dossier_page_values(
            dossier_sudo, created=kw.get("created") == "1", uploaded=kw.get("uploaded") == "1"
        )
        return request.render("public_service_agent.portal_psa_dossier_page", values)

    @http.route(
        ["/my/dossiers/<int:dossier_id>/documents/<int:document_id>"],
        type="http",
        auth="user",
    )
    def portal_my_dossier_document(self, dossier_id, document_id, **kw):
        document = request.env["psa.dossier.document"].browse(document_id).exists()
        try:
            document.check_access("read")
            request.env["psa.dossier"].browse(dossier_id).check_access("read")
        except AccessError as exc:
            raise NotFound() from exc
        if not document or document.dossier_id.id != dossier_id or not document.file_name:
            raise NotFound()
        try:
            stream = request.env["ir.binary"]._get_stream_from(
                document, "file", filename=document.file_name
            )
        except (MissingError, UserError) as exc:
            raise NotFound() from exc
        return stream.get_response(as_attachment=True)

    @http.route(
        ["/my/dossiers/<int:dossier_id>/documents/upload"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_dossier_upload(self, dossier_id, **post):
        try:
            dossier_sudo = self._psa_check_dossier_access(dossier_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # From here on, the user's own rights: the model checks the agent and the status.
        dossier = request.env["psa.dossier"].browse(dossier_id)
        errors = []
        if not dossier_sudo.stage_id.allow_upload:
            errors.append(
                request.env._(
                    "Scans can only be added while the dossier is newly registered "
                    "or when more documents are requested."
                )
            )
        uploads = {}
        if not errors:
            for slot in dossier_sudo.document_ids.filtered(lambda d: d.state != "accepted"):
                content, error = self._psa_read_upload(f"doc_{slot.id}", slot.name)
                if error:
                    errors.append(error)
                elif content:
                    uploads[slot] = content
            if not uploads and not errors:
                errors.append(request.env._("Choose at least one file to upload."))
        if not errors:
            try:
                with request.env.cr.savepoint():
                    dossier._psa_portal_upload(
                        {slot.id: content for slot, content in uploads.items()}
                    )
                    request.env.flush_all()
            except (UserError, AccessError, psycopg2.Error) as exc:
                self._psa_reraise_concurrency(exc)
                errors.append(self._psa_error_text(exc))
        if errors:
            dossier_sudo.invalidate_recordset()
            values = self._psa_dossier_page_values(dossier_sudo, error="\n".join(errors))
            return request.render("public_service_agent.portal_psa_dossier_page", values)
        return request.redirect(f"/my/dossiers/{dossier_id}?uploaded=1")

    # ------------------------------------------------------------------ new dossier
    def _psa_current_agent(self):
        """The agent of the logged-in staff member, read with their own rights."""
        return request.env["psa.dossier"]._psa_portal_agent()

    @staticmethod
    def _psa_int(value):
        try:
            return int(value or 0)
        except (TypeError, ValueError):
            return 0

    def _psa_max_upload_mb(self):
        return request.env["ir.config_parameter"]._psa_positive_int(
            MAX_UPLOAD_PARAM, DEFAULT_MAX_UPLOAD_MB
        )

    def _psa_upload_hint(self):
        return request.env._(
            "Scans: PDF, JPEG or PNG, up to %(size)s MB per file.", size=self._psa_max_upload_mb()
        )

    def _psa_read_upload(self, input_name, label):
        """((content, file name), None), (None, None) when nothing was sent, or (None, error)."""
        upload = request.httprequest.files.get(input_name)
        if not upload or not upload.filename:
            return None, None
        max_mb = self._psa_max_upload_mb()
        data = upload.read(max_mb * 1024 * 1024 + 1)
        if not data:
            return None, request.env._("The file for “%(document)s” is empty.", document=label)
        if len(data) > max_mb * 1024 * 1024:
            return None, request.env._(
                "The file for “%(document)s” is larger than %(size)s MB.",
                document=label,
                size=max_mb,
            )
        if guess_mimetype(data) not in ALLOWED_MIMETYPES:
            return None, request.env._(
                "The file for “%(document)s” must be a PDF, JPEG or PNG scan.", document=label
            )
        file_name = os.path.basename(upload.filename.replace("\\", "/"))[:200] or "scan"
        return (data, file_name), None

    def _psa_error_text(self, exc):
        if isinstance(exc, psycopg2.Error):
            _logger.info("Portal dossier form: database error %s", exc)
            return request.env._("The dossier could not be saved. Please try again.")
        if isinstance(exc, AccessError):
            return request.env._("You are not allowed to file this dossier for your agent.")
        return exc.args[0] if exc.args else str(exc)

    def _psa_new_form_values(self, agent, post=None, errors=None):
        post = post or {}
        Procedure = request.env["psa.procedure"]
        procedures = Procedure.search([])
        procedure_id = self._psa_int(post.get("procedure_id"))
        blockers = []
        if agent:
            try:
                blockers = request.env.user._psa_dossier_blockers()
            except AccessError:
                blockers = []
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "psa_dossier_new",
                "agent": agent,
                "blockers": blockers,
                "procedures": procedures,
                "procedure_id": procedure_id,
                "wards": request.env["psa.admin.unit"].search(
                    [("level", "=", "ward"), ("is_legacy", "=", False)], order="name"
                ),
                "return_methods": request.env["psa.dossier"]
                ._fields["return_method"]
                ._description_selection(request.env),
                "post": post,
                "errors": errors or {},
                "upload_hint": self._psa_upload_hint(),
            }
        )
        return values

    def _psa_check_scans(self, procedure, errors):
        """{procedure document id: (content, file name)} read from the request's files."""
        uploads = {}
        for doc in procedure.document_ids:
            content, error = self._psa_read_upload(f"doc_{doc.id}", doc.name)
            if error:
                errors[f"doc_{doc.id}"] = error
            elif content:
                uploads[doc.id] = content
        return uploads

    def _psa_validate_new_dossier(self, agent, post):
        """Check every input before anything is written: (values, errors by input name).

        The rules are the model's (``psa.dossier._psa_portal_check_form``); this reads the
        files only.
        """
        form = {key: value for key, value in post.items() if isinstance(value, str)}
        Dossier = request.env["psa.dossier"]
        dossier, citizen, errors = Dossier._psa_portal_check_form(form)
        procedure = request.env["psa.procedure"].browse(dossier["procedure_id"])
        uploads = self._psa_check_scans(procedure, errors)
        for key, error in Dossier._psa_portal_check_scans(procedure, uploads).items():
            errors.setdefault(key, error)
        values = {"citizen": citizen, "dossier": dossier, "uploads": uploads}
        return values, errors

    def _psa_create_dossier(self, values):
        """File citizen, dossier and scans through the model's portal method, all or nothing."""
        env = request.env
        try:
            with env.cr.savepoint():
                dossier = env["psa.dossier"]._psa_portal_file(
                    values["dossier"], values["citizen"], values["uploads"]
                )
                env.flush_all()
        except (UserError, AccessError, psycopg2.Error) as exc:
            self._psa_reraise_concurrency(exc)
            return None, self._psa_error_text(exc)
        return dossier, None

    @staticmethod
    def _psa_reraise_concurrency(exc):
        # Two counters numbering at once: let Odoo replay the whole request (files included).
        if isinstance(exc, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            raise exc

    @http.route(
        ["/my/dossiers/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_new_dossier(self, **post):
        agent = self._psa_current_agent()
        if request.httprequest.method != "POST":
            values = self._psa_new_form_values(agent)
            return request.render("public_service_agent.portal_psa_dossier_new", values)
        values, errors = self._psa_validate_new_dossier(agent, post)
        if not errors:
            dossier, error = self._psa_create_dossier(values)
            if dossier:
                return request.redirect(f"/my/dossiers/{dossier.id}?created=1")
            errors["form"] = error
        if not errors.get("form"):
            errors["form"] = request.env._("The dossier was not saved: correct the fields below.")
        form_values = self._psa_new_form_values(
            agent, {key: value for key, value in post.items() if isinstance(value, str)}, errors
        )
        return request.render("public_service_agent.portal_psa_dossier_new", form_values)

    @http.route(["/my/dossiers/citizen"], type="json", auth="user", methods=["POST"])
    def portal_citizen_lookup(self, cccd=None, **kw):
        """Checks the CCCD's format only, and is rate-limited per user.

        Whether the citizen is known is never told: the answer is the same either way,
        and the server matches a returning citizen when the dossier is filed.
        """
        if not self._psa_current_agent():
            return {
                "found": False,
                "error": True,
                "message": request.env._("Only agent staff can look up citizens."),
            }
        Attempt = request.env["psa.tracking.attempt"].sudo()
        if not Attempt._psa_hit(f"citizen-lookup:{request.env.uid}", LOOKUP_LIMIT, LOOKUP_WINDOW):
            return {
                "found": False,
                "error": True,
                "message": request.env._("Too many look-ups. Try again in a few minutes."),
            }
        try:
            request.env["res.partner"]._psa_check_cccd(cccd)
        except ValidationError as exc:
            return {"found": False, "error": True, "message": exc.args[0]}
        return {
            "found": False,
            "error": False,
            "message": request.env._(
                "Valid citizen ID. Enter the name and phone as on the citizen's papers: a "
                "returning citizen is matched by the Center, and their record is kept."
            ),
        }
