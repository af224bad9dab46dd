"""Every public and portal form can be sent from its own page, as a browser sends it.

One walk over every page our controllers render (public pages, agent staff's and operators'
accountants' /my pages): each page is loaded over HTTP as the person who uses it, its HTML is
parsed, and each <form> is sent with exactly the entries a browser builds from it (successful
controls only, the chosen submit button, files as multipart, hidden fields such as csrf_token).

For each form the walk checks that every control the model needs is on the page, enabled and
marked ``required`` (so the browser asks for it), that every ``required`` control can be filled
(a select has a real option, nothing required is hidden, read-only or disabled without a
value), sends a submission the server must refuse and checks the page it re-renders, then
sends the form of that re-rendered page filled in and checks the record it made.

Coverage is discovered, not listed by hand only: every http route our addons declare must be
classified below (page or form target), every form target must be reached by a form on a page,
and every QWeb template of our addons that holds a <form> must be rendered by a page of the walk.
A new page, form or route fails this test until it is added here.

The browser's scripts are mirrored where the page relies on them, and only there: choosing a
procedure enables its checklist's file inputs (psa_portal.js), drawing on a signature pad fills
its hidden input (postal_signature.js).
"""

import base64
import logging
import re
from collections import Counter
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.public_service_agent.models.psa_dossier_evaluation import INDICATORS

from .common import SubsidyCommon

_logger = logging.getLogger(__name__)

OUR_ADDONS = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
PDF = b"%PDF-1.4\n%\xe4\xfc\xf6\xdf\n1 0 obj <</Type/Catalog>> endobj\n%%EOF\n"
# A 1x1 PNG, as a signature pad's canvas.toDataURL("image/png") gives it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
VIETNAMESE = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
DROP = object()  # an override that leaves the control out, as a tampered or scripted client

# Routes our addons declare that render no page: form targets (reached by a form below) and
# machine endpoints (fuzzed elsewhere) or downloads.
FORM_TARGETS = {
    "/my/dossiers/<int:dossier_id>/documents/upload": "upload",
    "/my/handovers/new": "handover_new",
    "/my/handovers/<int:handover_id>/sign": "handover_sign",
    "/my/subsidy/statements/<int:statement_id>/answer": "subsidy_answer",
}
NOT_PAGES = {
    "/contact-centre/api/v1/tickets": "signed JSON API of the contact-centre platform",
    "/contact-centre/api/v1/calls": "signed JSON API of the contact-centre platform",
    "/postal/webhook/<string:carrier_type>": "carrier webhook",
    "/my/dossiers/citizen": "JSON look-up called by psa_portal.js",
    "/my/dossiers/<int:dossier_id>/documents/<int:document_id>": "file download",
    "/my/deliveries/<int:delivery_id>/label": "PDF",
    "/my/handovers/<int:handover_id>/pdf": "PDF",
}
# Each page route and the page of the walk that loads it.
PAGE_ROUTES = {
    "/lien-he": "contact",
    "/contact-centre": "contact_alias",
    "/tracking": "tracking",
    "/dossier/evaluate/<string:token>": "evaluation",
    "/thong-bao/<string:token>": "alerts",
    "/certificate/verify/<string:token>": "certificate_verify",
    "/my/dossiers": "my_dossiers",
    "/my/dossiers/page/<int:page>": "my_dossiers_page",
    "/my/dossiers/<int:dossier_id>": "my_dossier_new_stage",
    "/my/dossiers/new": "my_dossier_new",
    "/my/certificates": "my_certificates",
    "/my/certificates/page/<int:page>": "my_certificates",
    "/my/certificates/<int:certificate_id>": "my_certificate",
    "/my/deliveries": "my_deliveries",
    "/my/handovers": "my_handovers",
    "/my/handovers/<int:handover_id>": "my_handover",
    "/my/subsidy/statements": "my_statements",
    "/my/subsidy/statements/page/<int:page>": "my_statements",
    "/my/subsidy/statements/<int:statement_id>": "my_statement",
}
TRAINING_ROUTES = {
    "/certificate/verify/<string:token>",
    "/my/certificates",
    "/my/certificates/page/<int:page>",
    "/my/certificates/<int:certificate_id>",
}
# Which form an action URL is: the form's kind decides how it is filled and checked.
FORM_KINDS = [
    (re.compile(r"^/(lien-he|contact-centre)$"), "contact"),
    (re.compile(r"^/tracking$"), "tracking"),
    (re.compile(r"^/dossier/evaluate/[\w-]+$"), "evaluation"),
    (re.compile(r"^/thong-bao/[\w-]+$"), "alerts"),
    (re.compile(r"^/my/dossiers/new$"), "dossier_new"),
    (re.compile(r"^/my/dossiers/\d+/documents/upload$"), "upload"),
    (re.compile(r"^/my/handovers/new$"), "handover_new"),
    (re.compile(r"^/my/handovers/\d+/sign$"), "handover_sign"),
    (re.compile(r"^/my/subsidy/statements/\d+/answer$"), "subsidy_answer"),
]
SUBMIT_TYPES = ("submit", "image")
NOT_SENT_TYPES = ("button", "reset", "submit", "image")
TEXT_LIKE = (
    "text",
    "search",
    "tel",
    "url",
    "email",
    "password",
    "number",
    "date",
    "datetime-local",
    "month",
    "week",
    "time",
    "color",
    "range",
)


class Field:
    """One successful control of a form, as the browser's entry list holds it."""

    def __init__(self, el):
        self.el = el
        self.tag = el.tag
        self.name = el.get("name")
        self.type = (el.get("type") or ("submit" if el.tag == "button" else "text")).lower()
        if el.tag == "select":
            self.type = "select"
        elif el.tag == "textarea":
            self.type = "textarea"


def _disabled(el):
    """Disabled itself, or inside a disabled fieldset (not in its first legend)."""
    if el.get("disabled") is not None:
        return True
    for ancestor in el.iterancestors("fieldset"):
        if ancestor.get("disabled") is not None:
            legend = ancestor.find("legend")
            if legend is None or el not in legend.iterdescendants():
                return True
    return False


def _hidden_from_user(el):
    """Not rendered, so the person cannot fill it (a required one blocks the browser)."""
    for node in [el, *el.iterancestors()]:
        classes = (node.get("class") or "").split()
        style = (node.get("style") or "").replace(" ", "")
        if "d-none" in classes or node.get("hidden") is not None or "display:none" in style:
            return True
    return False


def _options(select):
    return [o for o in select.iter("option")]


def _option_value(option):
    value = option.get("value")
    return option.text_content() if value is None else value


class FormState:
    """A parsed form and the values a person has put in it (starting from the page's own)."""

    def __init__(self, form, page_url):
        self.form = form
        self.method = (form.get("method") or "get").lower()
        self.enctype = (form.get("enctype") or "application/x-www-form-urlencoded").lower()
        self.action = urljoin(page_url, form.get("action") or page_url)
        self.path = urlsplit(self.action).path
        self.controls = [
            Field(el)
            for el in form.iter("input", "select", "textarea", "button")
            if el.get("name") is not None
        ]
        # Current state of each control, as the page renders it.
        self.values = {}
        self.files = {}
        for index, field in enumerate(self.controls):
            el = field.el
            if field.type == "select":
                options = [o for o in _options(el) if o.get("disabled") is None]
                chosen = [o for o in options if o.get("selected") is not None]
                if not chosen and options and el.get("multiple") is None:
                    chosen = options[:1]
                self.values[index] = [_option_value(o) for o in chosen]
            elif field.type == "textarea":
                self.values[index] = el.text or ""
            elif field.type in ("checkbox", "radio"):
                self.values[index] = el.get("checked") is not None
            elif field.type == "file":
                self.files[index] = None
            else:
                self.values[index] = el.get("value") or ""

    def kind(self):
        for pattern, kind in FORM_KINDS:
            if pattern.match(self.path):
                return kind
        return "search" if self.method == "get" else None

    def named(self, name):
        return [(i, f) for i, f in enumerate(self.controls) if f.name == name]

    def sendable(self, index):
        field = self.controls[index]
        return field.type not in NOT_SENT_TYPES and not _disabled(field.el)

    def set(self, name, value):
        """Type, pick or tick ``value`` in the control(s) named ``name``, as a person would."""
        fields = [(i, f) for i, f in self.named(name) if not _disabled(f.el)]
        if not fields:
            raise AssertionError(f"no enabled control named {name!r} to fill")
        kinds = {f.type for _i, f in fields}
        if kinds <= {"radio"}:
            matches = [i for i, f in fields if f.el.get("value") == value]
            if not matches:
                raise AssertionError(f"no radio {name}={value!r}")
            for i, _f in fields:
                self.values[i] = i == matches[0]
        elif kinds <= {"checkbox"}:
            wanted = set(value if isinstance(value, list | tuple) else [value])
            for i, f in fields:
                self.values[i] = (f.el.get("value") or "on") in wanted
        elif kinds == {"file"}:
            for i, _f in fields:
                self.files[i] = value
        elif kinds == {"select"}:
            i, f = fields[0]
            allowed = [_option_value(o) for o in _options(f.el) if o.get("disabled") is None]
            if value not in allowed:
                raise AssertionError(f"{name}: {value!r} is not an option ({allowed})")
            self.values[i] = [value]
        else:
            for i, f in fields:
                if f.el.get("readonly") is not None:
                    raise AssertionError(f"{name} is read-only: a person cannot type in it")
                # What the browser lets the person type: the page's own limits hold.
                maxlength = f.el.get("maxlength")
                if maxlength and len(value) > int(maxlength):
                    raise AssertionError(f"{name}: {value!r} is longer than maxlength {maxlength}")
                pattern = f.el.get("pattern")
                if pattern and value and not re.fullmatch(pattern, value):
                    raise AssertionError(f"{name}: {value!r} does not match pattern {pattern}")
                self.values[i] = value

    def value_of(self, name):
        for i, f in self.named(name):
            if f.type == "file":
                return self.files.get(i)
            if f.type in ("checkbox", "radio"):
                if self.values.get(i):
                    return f.el.get("value") or "on"
                continue
            value = self.values.get(i)
            return value[0] if isinstance(value, list) and value else (value or "")
        return None

    def submitters(self):
        return [
            (i, f)
            for i, f in enumerate(self.controls)
            if f.type in SUBMIT_TYPES and not _disabled(f.el)
        ] + [
            (None, Field(el))
            for el in self.form.iter("button", "input")
            if el.get("name") is None
            and (el.get("type") or ("submit" if el.tag == "button" else "text")).lower()
            in SUBMIT_TYPES
        ]

    def entries(self, submitter=None, overrides=None):
        """(data, files): the browser's entry list for this form, in tree order."""
        overrides = overrides or {}
        data, files = [], []
        for i, field in enumerate(self.controls):
            if field.name in overrides:
                continue
            if field.type in SUBMIT_TYPES:
                if submitter is not None and i == submitter:
                    data.append((field.name, field.el.get("value") or ""))
                continue
            if not self.sendable(i):
                continue
            if field.type in ("checkbox", "radio"):
                if self.values[i]:
                    data.append((field.name, field.el.get("value") or "on"))
            elif field.type == "file":
                content = self.files.get(i)
                if "multipart" in self.enctype:
                    if content is None:
                        files.append((field.name, ("", b"", "application/octet-stream")))
                    else:
                        files.append((field.name, content))
                elif content is not None:
                    data.append((field.name, content[0]))
            elif field.type == "select":
                data.extend((field.name, value) for value in self.values[i])
            else:
                data.append((field.name, self.values[i]))
        for name, value in overrides.items():
            if value is DROP:
                continue
            if isinstance(value, tuple):
                files.append((name, value))
            else:
                data.append((name, value))
        return data, files


@tagged("post_install", "-at_install")
class TestFormPages(SubsidyCommon, HttpCase):
    """Loads every form page of the four addons and sends each form as a browser does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Citizens' pages: a returned dossier to rate, and the citizen's alert settings link.
        cls.returned = cls._return_result(cls._fill(cls._new_dossier()))
        cls.eval_token = cls.returned.sudo().evaluation_token
        cls.citizen.sudo()._psa_alert_settings_url()
        # Agent staff: a new dossier (uploads, handover), one waiting for more documents.
        cls.new_dossier = cls._new_dossier()
        cls._upload_dossier = cls.new_dossier
        cls.supplement = cls._fill(cls._new_dossier())
        cls.supplement.action_receive()
        cls.supplement.action_request_supplement("Thiếu bản chụp giấy ủy quyền.")
        cls.handover_dossier = cls._new_dossier()
        cls.handover = (
            env["postal.handover"]
            .with_user(cls.staff_a)
            ._portal_prepare([cls.handover_dossier.id], cls.carrier.id)
        )
        # The operator's accountant: a confirmed statement of two lines to answer.
        cls._deliver("2026-01-05 03:00:00", postage=32000)
        cls._deliver("2026-01-06 03:00:00", postage=41000)
        cls.statement = (
            env["subsidy.statement"].with_user(cls.finance)._generate("2026-01-01", cls.operator_a)
        )
        cls.statement.action_confirm()
        cls.certificate = (
            env["training.certificate"].sudo().search([("user_id", "=", cls.staff_a.id)], limit=1)
            if "training.certificate" in env
            else None
        )

    # ------------------------------------------------------------------ pages
    def _pages(self):
        """key: (user or None, url, templates rendered, form kinds expected on the page)."""
        staff, accountant = self.staff_a, self.accountant_a
        pages = {
            "contact": (None, "/lien-he", ["psa_contact_form_page"], ["contact"]),
            "contact_alias": (None, "/contact-centre", ["psa_contact_form_page"], ["contact"]),
            "tracking": (None, "/tracking", ["psa_tracking_page"], ["tracking"]),
            "evaluation": (
                None,
                f"/dossier/evaluate/{self.eval_token}",
                ["psa_evaluation_page"],
                ["evaluation"],
            ),
            "alerts": (
                None,
                f"/thong-bao/{self.citizen.sudo().psa_alert_token}",
                ["psa_alert_settings_page"],
                ["alerts"],
            ),
            "my_dossiers": (staff, "/my/dossiers", [], ["search"]),
            "my_dossiers_page": (staff, "/my/dossiers/page/1", [], ["search"]),
            "my_dossier_new_stage": (
                staff,
                f"/my/dossiers/{self.new_dossier.id}",
                ["portal_psa_dossier_page"],
                ["upload"],
            ),
            "my_dossier_supplement": (
                staff,
                f"/my/dossiers/{self.supplement.id}",
                ["portal_psa_dossier_page"],
                ["upload"],
            ),
            "my_dossier_new": (
                staff,
                "/my/dossiers/new",
                ["portal_psa_dossier_new"],
                ["dossier_new"],
            ),
            "my_deliveries": (staff, "/my/deliveries", [], []),
            "my_handovers": (staff, "/my/handovers", ["portal_my_handovers"], ["handover_new"]),
            "my_handover": (
                staff,
                f"/my/handovers/{self.handover.id}",
                ["portal_my_handover"],
                ["handover_sign"],
            ),
            "my_statements": (accountant, "/my/subsidy/statements", [], []),
            "my_statement": (
                accountant,
                f"/my/subsidy/statements/{self.statement.id}",
                ["portal_my_subsidy_statement"],
                ["subsidy_answer"] * len(self.statement.claim_ids),
            ),
        }
        if self.certificate is not None:
            self.assertTrue(self.certificate, "staff A holds no certificate to show")
            pages["certificate_verify"] = (
                None,
                f"/certificate/verify/{self.certificate.verify_token}",
                [],
                [],
            )
            pages["my_certificates"] = (staff, "/my/certificates", [], [])
            pages["my_certificate"] = (staff, f"/my/certificates/{self.certificate.id}", [], [])
        return pages

    # ------------------------------------------------------------------ form kinds
    def _kinds(self):
        """What each form needs, how to fill it, how to make it fail and what it must make.

        ``model`` names what the model refuses to do without: each must be an enabled control
        on the page, and marked required unless the browser cannot require it (a checkbox
        group, a hidden input filled by a script). ``fill`` gives what the person types for
        each control; a required control not in it fails the test.
        """
        procedure = self.procedure
        required_docs = [f"doc_{d.id}" for d in procedure.document_ids if d.required]
        all_docs = [f"doc_{d.id}" for d in procedure.document_ids]
        scan = ("scan.pdf", PDF, "application/pdf")
        return {
            "contact": {
                "model": ["contact_name", "subject", "description"],
                "fill": {
                    "contact_name": "Trần Thị Bình",
                    "subject": "Hỏi giấy tờ cấp phiếu lý lịch tư pháp",
                    "description": "Tôi cần biết phải nộp những giấy tờ gì.",
                    "contact_phone": "0987654321",
                },
                # Neither phone nor e-mail: the model refuses, the page must keep the text.
                "break": {"contact_phone": "", "contact_email": ""},
                "keep": ["contact_name", "subject", "description", "category"],
                "error": "o_psa_contact_error",
                "citizen": True,
                "count": lambda: self.env["psa.ticket"].sudo().search_count([]),
                "check": self._check_ticket,
            },
            "tracking": {
                "model": ["code", "phone_digits"],
                "fill": {"code": self.new_dossier.name, "phone_digits": "5678"},
                "break": {"phone_digits": "56a8"},
                "keep": ["code"],
                "error": "o_psa_tracking_error",
                "citizen": True,
                "count": None,
                "check": self._check_tracking,
            },
            "evaluation": {
                "model": list(INDICATORS),
                "fill": {
                    **{name: "2" for name in INDICATORS},
                    "comment": "Nhân viên hướng dẫn tận tình, trả kết quả đúng hẹn.",
                },
                "break": {INDICATORS[0]: DROP},
                "keep": [*INDICATORS[1:], "comment"],
                "error": "o_psa_evaluation_error",
                "citizen": True,
                "count": lambda: len(self.returned.sudo().evaluation_ids),
                "check": self._check_evaluation,
            },
            "alerts": {
                "model": [],
                "fill": {"channel": "email", "optout_zalo": "1"},
                # Every choice is optional: a forged channel is ignored, never a 500.
                "break": {"channel": "fax"},
                "error": None,
                "count": None,
                "check": self._check_alerts,
            },
            "dossier_new": {
                "model": ["cccd", "citizen_name", "phone", "procedure_id", "return_method"]
                + required_docs,
                "fill": {
                    "cccd": "001090054321",
                    "citizen_name": "Lê Văn Cường",
                    "phone": "0987654321",
                    "procedure_id": str(procedure.id),
                    **{name: scan for name in all_docs},
                },
                "break": {"cccd": "12345"},
                "keep": ["citizen_name", "phone", "procedure_id", "return_method"],
                "error": "o_psa_form_error",
                "count": lambda: self.env["psa.dossier"].sudo().search_count([]),
                "check": self._check_new_dossier,
            },
            "upload": {
                "model": [],
                "fill": {name: scan for name in self._upload_inputs()},
                # A text file is not a scan: the page must say so and keep the inputs.
                "break": {
                    name: ("notes.txt", b"not a scan", "text/plain")
                    for name in self._upload_inputs()[:1]
                },
                "error": "o_psa_error",
                "count": lambda: sum(
                    1
                    for doc in (self.new_dossier | self.supplement).sudo().document_ids
                    if doc.file_name == "scan.pdf"
                ),
                "check": self._check_upload,
            },
            "handover_new": {
                "model": ["dossier_ids", "carrier_id"],
                "fill": {"dossier_ids": str(self.new_dossier.id)},
                "break": {"dossier_ids": DROP},
                "error": "o_postal_error",
                "count": lambda: self.env["postal.handover"].sudo().search_count([]),
                "check": self._check_handover_new,
            },
            "handover_sign": {
                "model": ["sender_signer", "receiver_signer"],
                "fill": {"receiver_signer": "Bưu tá Nguyễn Văn Hùng"},
                "scripted": ["sender_signature", "receiver_signature"],
                "break": {"receiver_signer": ""},
                "error": "o_postal_error",
                "count": lambda: int(self.handover.sudo().state == "signed"),
                "check": self._check_handover_sign,
            },
            "subsidy_answer": {
                "model": ["claim_id", "answer"],
                "fill": {},
                # A dispute needs its reason.
                "break": {"comment": ""},
                "error": "alert-danger",
                "count": lambda: len(
                    self.statement.sudo().claim_ids.filtered(
                        lambda c: c.operator_status in ("confirmed", "disputed")
                    )
                ),
                "check": self._check_subsidy_answer,
            },
            "search": {
                "model": [],
                "fill": {"search": self.new_dossier.name},
                "break": None,
                "error": None,
                "count": None,
                "check": self._check_search,
            },
        }

    def _upload_inputs(self):
        return [f"doc_{d.id}" for d in self._upload_dossier.document_ids if d.state != "accepted"]

    # ------------------------------------------------------------------ browser scripts
    def _run_page_scripts(self, kind, form):
        if kind == "dossier_new":
            # psa_portal.js: the chosen procedure's checklist is shown and only its inputs
            # are enabled; "by post" is offered only when the procedure allows it.
            chosen = form.value_of("procedure_id")
            for block in form.form.xpath('.//*[contains(@class, "o_psa_checklist")]'):
                active = block.get("data-procedure-id") == chosen
                classes = [c for c in (block.get("class") or "").split() if c != "d-none"]
                block.set("class", " ".join(classes + ([] if active else ["d-none"])))
                for el in block.iter("input"):
                    if active:
                        el.attrib.pop("disabled", None)
                    else:
                        el.set("disabled", "disabled")
            select = form.form.xpath('.//select[@name="procedure_id"]')[0]
            option = [o for o in _options(select) if _option_value(o) == chosen]
            if option and option[0].get("data-allow-post") == "0":
                if form.value_of("return_method") == "post":
                    others = [
                        _option_value(o)
                        for o in _options(form.form.xpath('.//select[@name="return_method"]')[0])
                        if _option_value(o) != "post"
                    ]
                    form.set("return_method", others[0])
        if kind == "handover_sign":
            # postal_signature.js: drawing on each pad fills its hidden input.
            data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
            for name in ("sender_signature", "receiver_signature"):
                for i, _f in form.named(name):
                    form.values[i] = data_url

    # ------------------------------------------------------------------ checks
    def _check_required(self, where, kind, form, spec):
        """Once the person has filled what they know: every control the model needs is there,
        and no required control is left empty, hidden, read-only or without a real option."""
        scripted = spec.get("scripted", [])
        for name in spec["model"]:
            fields = [
                (i, f) for i, f in form.named(name) if not _disabled(f.el) or f.type in SUBMIT_TYPES
            ]
            self.assertTrue(
                fields, f"{where}: the model needs {name!r}, the form has no such control"
            )
            types = {f.type for _i, f in fields}
            if types <= {"checkbox", "hidden", *SUBMIT_TYPES} or name in scripted:
                continue
            self.assertTrue(
                any(f.el.get("required") is not None for _i, f in fields),
                f"{where}: {name!r} is required by the model but not marked required on the page",
            )
        for i, field in enumerate(form.controls):
            el = field.el
            if el.get("required") is None or _disabled(el) or field.type in SUBMIT_TYPES:
                continue
            name = field.name
            self.assertFalse(
                _hidden_from_user(el) and field.type != "hidden",
                f"{where}: required {name!r} is hidden from the person",
            )
            if field.type == "select":
                real = [
                    o for o in _options(el) if o.get("disabled") is None and _option_value(o) != ""
                ]
                self.assertTrue(real, f"{where}: required select {name!r} offers no real option")
            if field.type == "file":
                empty = form.files.get(i) is None
            elif field.type == "radio":
                empty = not any(form.values[j] for j, _f in form.named(name))
            elif field.type == "checkbox":
                empty = not form.values[i]
            else:
                empty = form.values[i] in ("", [], [""])
            self.assertFalse(
                empty and name not in spec["fill"],
                f"{where}: required {name!r} is empty and this test cannot fill it",
            )
            self.assertFalse(
                empty, f"{where}: required {name!r} is still empty (hidden, read-only or disabled?)"
            )
        self.assertTrue(
            form.value_of("csrf_token") or form.method == "get", f"{where}: no csrf_token"
        )

    def _fill_form(self, kind, form, spec):
        fill = dict(spec["fill"])
        # The procedure comes first: its checklist's inputs appear with the choice.
        if "procedure_id" in fill and form.named("procedure_id"):
            form.set("procedure_id", fill.pop("procedure_id"))
        self._run_page_scripts(kind, form)
        for name, value in fill.items():
            # What the person types goes in a control of the page: a lost one (such as a text
            # box dropped by the template) fails here, required or not.
            self.assertTrue(
                [f for _i, f in form.named(name) if not _disabled(f.el)],
                f"{form.path}: the page has no enabled {name!r} control to fill",
            )
            form.set(name, value)

    def _send(self, form, submitter=None, overrides=None):
        data, files = form.entries(submitter, overrides)
        if form.method == "get":
            url = form.action.split("?")[0] + "?" + urlencode(data)
            return self.url_open(url)
        return self.url_open(form.action, data=data, files=files or None)

    def _parse(self, response):
        self.assertLess(response.status_code, 500, f"{response.url}: {response.status_code}")
        document = lxml_html.fromstring(response.content)
        return [FormState(form, response.url) for form in document.iter("form")]

    def _login(self, user):
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)

    # ------------------------------------------------------------------ record checks
    def _check_ticket(self, response, form):
        self.assertIn("o_psa_ticket_number", response.text)
        ticket = self.env["psa.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(ticket.description, form.value_of("description"))
        self.assertEqual(ticket.subject, form.value_of("subject"))
        self.assertEqual(ticket.channel, "web")

    def _check_tracking(self, response, form):
        self.assertIn("o_psa_tracking_result", response.text)
        self.assertIn(self.new_dossier.name, response.text)

    def _check_evaluation(self, response, form):
        self.assertIn("o_psa_evaluation_thanks", response.text)
        evaluation = self.returned.sudo().evaluation_ids
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.comment, form.value_of("comment"))

    def _check_alerts(self, response, form):
        self.assertIn("o_psa_alert_saved", response.text)
        citizen = self.citizen.sudo()
        self.assertEqual(citizen.psa_notify_channel, "email")
        self.assertTrue(citizen.psa_optout_zalo)

    def _check_new_dossier(self, response, form):
        self.assertRegex(urlsplit(response.url).path, r"^/my/dossiers/\d+$")
        self.assertIn("created=1", response.url)
        dossier = (
            self.env["psa.dossier"].sudo().search([("citizen_id.psa_cccd", "=", "001090054321")])
        )
        self.assertEqual(len(dossier), 1)
        self.assertEqual(dossier.agent_id, self.agent_a)
        self.assertEqual(dossier.staff_user_id, self.staff_a)
        self.assertTrue(all(dossier.document_ids.filtered("required").mapped("file_name")))

    def _check_upload(self, response, form):
        self.assertIn("uploaded=1", response.url)
        self.assertIn("o_psa_uploaded", response.text)
        docs = self._upload_dossier.sudo().document_ids.filtered(lambda d: d.state != "accepted")
        self.assertEqual(set(docs.mapped("file_name")), {"scan.pdf"})

    def _check_handover_new(self, response, form):
        self.assertRegex(urlsplit(response.url).path, r"^/my/handovers/\d+$")
        handover = (
            self.env["postal.handover"]
            .sudo()
            .browse(int(urlsplit(response.url).path.rsplit("/", 1)[1]))
        )
        self.assertEqual(handover.delivery_ids.dossier_id, self.new_dossier)

    def _check_handover_sign(self, response, form):
        handover = self.handover.sudo()
        self.assertEqual(handover.state, "signed")
        self.assertEqual(handover.receiver_signer, "Bưu tá Nguyễn Văn Hùng")
        self.assertEqual(handover.sender_signer, self.staff_a.name)
        self.assertTrue(handover.sender_signature and handover.receiver_signature)

    def _check_subsidy_answer(self, response, form):
        self.assertIn("message=saved", response.url)
        claim = self.env["subsidy.claim"].sudo().browse(int(form.value_of("claim_id")))
        self.assertEqual(claim.operator_status, self._answer_expected)
        if self._answer_expected == "disputed":
            self.assertEqual(claim.operator_comment, "Sai cước: bưu gửi nặng 0,5 kg.")

    def _check_search(self, response, form):
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.new_dossier.name, response.text)

    # ------------------------------------------------------------------ coverage
    def _our_routes(self):
        """{route: routing} of every http route declared by a controller class of our addons."""
        routes = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            method = getattr(rule.endpoint, "func", None)
            owner = getattr(method, "__self__", None)
            if owner is None:
                continue
            for cls in type(owner).mro():
                func = cls.__dict__.get(method.__name__)
                declared = getattr(func, "original_routing", {}).get("routes") or []
                module = cls.__module__.split(".")
                if (
                    rule.rule in declared
                    and module[:2] == ["odoo", "addons"]
                    and module[2] in OUR_ADDONS
                ):
                    routes[rule.rule] = rule.endpoint.routing
        return routes

    def _templates_with_forms(self):
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("model", "=", "ir.ui.view"), ("module", "in", OUR_ADDONS)])
        )
        views = (
            self.env["ir.ui.view"]
            .sudo()
            .browse(data.mapped("res_id"))
            .filtered(lambda v: v.type == "qweb" and "<form" in (v.arch_db or ""))
        )
        return {view.key.split(".", 1)[1] for view in views}

    # ------------------------------------------------------------------ the walk
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.http")
    def test_every_form_page_can_be_sent_from_its_page(self):
        pages = self._pages()
        kinds = self._kinds()
        # 1. Every route is classified, and every page route has a page in the walk.
        routes = self._our_routes()
        self.assertIn("/lien-he", routes, "route discovery found nothing")
        classified = set(PAGE_ROUTES) | set(FORM_TARGETS) | set(NOT_PAGES)
        unknown = set(routes) - classified
        self.assertFalse(unknown, f"routes not classified in this test: {sorted(unknown)}")
        # And discovery sees them all (the training addon's only where it is installed).
        expected = classified if self.certificate is not None else classified - TRAINING_ROUTES
        absent = expected - set(routes)
        self.assertFalse(absent, f"classified routes that discovery did not find: {absent}")
        for route, routing in routes.items():
            if route in PAGE_ROUTES:
                self.assertIn(PAGE_ROUTES[route], pages, f"no page of the walk loads {route}")
                self.assertEqual(routing.get("type"), "http", route)
        # 2. Every template of ours with a <form> is rendered by a page of the walk.
        covered = {template for page in pages.values() for template in page[2]}
        missing = self._templates_with_forms() - covered
        self.assertFalse(
            missing, f"templates with a form that no page of the walk renders: {missing}"
        )

        reached = Counter()
        order = [
            "contact",
            "contact_alias",
            "tracking",
            "evaluation",
            "alerts",
            "my_dossier_new",
            "my_dossier_new_stage",
            "my_dossier_supplement",
            "my_handovers",
            "my_handover",
            "my_statement",
        ]
        order += [key for key in pages if key not in order]
        for key in order:
            user, url, templates, expected = pages[key]
            with self.subTest(page=key, url=url):
                self._login(user)
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, f"{url} as {user and user.login}")
                forms = self._parse(response)
                found = [form.kind() for form in forms]
                self.assertEqual(sorted(found, key=str), sorted(expected), f"forms on {url}")
                for index in range(len(forms)):
                    reached[self._walk_form(key, url, index, kinds)] += 1
        # 3. Every form target was reached from a page.
        for route, kind in FORM_TARGETS.items():
            self.assertTrue(reached[kind], f"no page of the walk sends a form to {route}")
        _logger.info(
            "Form pages: %s routes classified, %s pages loaded, %s forms sent (%s)",
            len(routes),
            len(pages),
            sum(reached.values()),
            ", ".join(f"{kind} x{count}" for kind, count in sorted(reached.items())),
        )

    def _walk_form(self, key, url, index, kinds):
        """Empty page, failed submission, its re-rendered page, then a good submission."""
        form = self._parse(self.url_open(url))[index]
        kind = form.kind()
        self.assertTrue(kind, f"{key}: a form to {form.path} that this test does not know")
        if kind == "upload":
            self._upload_dossier = self.env["psa.dossier"].browse(int(form.path.split("/")[3]))
            kinds = self._kinds()
        spec = kinds[kind]
        where = f"{key} form {index} ({kind})"
        answer = None
        if kind == "subsidy_answer":
            answer = "confirm" if index == 0 else "dispute"
            self._answer_expected = "confirmed" if index == 0 else "disputed"
        self._fill_form(kind, form, spec)
        self._check_required(f"{where}, empty page", kind, form, spec)
        if spec["break"] is not None:
            count = spec["count"]() if spec["count"] else None
            submitter = self._submitter(form, "dispute" if kind == "subsidy_answer" else None)
            sent = {name: form.value_of(name) for name in spec.get("keep", [])}
            failed = self._send(form, submitter, spec["break"])
            self.assertLess(failed.status_code, 500, f"{where}: failed submission")
            if spec["error"]:
                self.assertIn(spec["error"], failed.text, f"{where}: no error shown")
            if spec.get("citizen"):
                # Citizens read the Center's language, errors included.
                error = lxml_html.fromstring(failed.content).find_class(spec["error"])[0]
                self.assertRegex(
                    error.text_content(), VIETNAMESE, f"{where}: error not in Vietnamese"
                )
            if count is not None:
                self.assertEqual(spec["count"](), count, f"{where}: the refused submission wrote")
            forms = [f for f in self._parse(failed) if f.kind() == kind]
            self.assertTrue(forms, f"{where}: the page after the failed submission has no form")
            form = forms[index] if kind == "subsidy_answer" else forms[0]
            for name, value in sent.items():
                self.assertEqual(
                    form.value_of(name),
                    value,
                    f"{where}: {name!r} lost after the failed submission",
                )
            self._fill_form(kind, form, spec)
            self._check_required(f"{where}, after a failed submission", kind, form, spec)
        if answer == "dispute":
            form.set("comment", "Sai cước: bưu gửi nặng 0,5 kg.")
        done = self._send(form, self._submitter(form, answer))
        self.assertEqual(done.status_code, 200, f"{where}: {done.url}")
        self.assertNotIn(spec["error"] or "o_no_error_marker", done.text, f"{where}: error shown")
        spec["check"](done, form)
        return kind

    def _submitter(self, form, value=None):
        buttons = form.submitters()
        self.assertTrue(buttons, "a form without a submit button cannot be sent")
        if value is None:
            return buttons[0][0]
        for i, field in buttons:
            if field.el.get("value") == value:
                return i
        raise AssertionError(f"no submit button with value {value!r}")
