"""Every button works for everyone who sees it (issue #15, item 2).

One generic walk over the demo database that `make test` builds (all four addons with their
demo data, which is why it lives here and not in one addon: no addon alone holds every view,
every role and the demo records in each state). It discovers what to press from the views
each role receives (``get_view`` as that user, so ``groups=`` on buttons and fields is
applied by Odoo itself), evaluates ``invisible`` over the record's values read as that user
the way the web client does, and presses every visible ``type="object"``/``type="action"``
button on demo records in each state, each press inside a savepoint that is rolled back.
Wizards a button opens are opened and, when their required text fields can be filled,
confirmed. Every bound or module server action runs with several ``active_ids``; every
report of our modules is fetched over HTTP as each role that sees it, for one record and
for several at once.

A press fails the test unless it succeeds or refuses with a UserError/ValidationError/
AccessError whose message reached the Vietnamese user in Vietnamese.
"""

import logging
import re
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import api, fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import (
    datetime as safe_eval_datetime,
    safe_eval,
)

_logger = logging.getLogger(__name__)

ADDONS = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
# The backend roles of public_service_agent/tests/common.py GROUPS.
ROLES = {
    "officer": "public_service_agent.group_psa_officer",
    "admin": "public_service_agent.group_psa_admin",
    "trainer": "agent_training.group_training_trainer",
    "training_manager": "agent_training.group_training_manager",
    "finance": "subsidy.group_subsidy_finance",
}
RECORDS_PER_STATE = 2
SEVERAL = 3
FILLER = "Kiểm thử tự động: lý do"
# A message the Vietnamese user can read carries Vietnamese letters.
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
IDENT = re.compile(r"\b[a-z_][a-z0-9_]*\b")


class _Rollback(Exception):
    pass


class _Empty:
    """``parent`` of a line evaluated outside its form: every field is empty."""

    def __getattr__(self, name):
        return False


def _stop_job_runner():
    """The demo's queued jobs must not run inside the test transaction while we press.

    tests/conftest.py keeps queue_job's runner off in pytest sessions; should one have
    started anyway (another conftest, ODOO_QUEUE_JOB_CHANNELS set), stop it: it would post
    the demo's pending jobs to /queue_job/runjob on the test server, to run on the test
    cursor in the middle of a press.
    """
    from odoo.addons.queue_job import jobrunner

    if jobrunner.runner_thread:
        jobrunner.runner_thread.stop()
        jobrunner.runner_thread.join()
        jobrunner.runner_thread = None


@tagged("post_install", "-at_install")
class TestButtonWalker(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _stop_job_runner()
        lang = cls.env["res.lang"].with_context(active_test=False).search([("code", "=", "vi_VN")])
        if not lang.active:
            cls.env["base.language.install"].create({"lang_ids": lang.ids}).lang_install()
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"walker_{role}",
                groups=f"base.group_user,{group}",
                lang="vi_VN",
                tz="Asia/Ho_Chi_Minh",
            )
            for role, group in ROLES.items()
        }
        cls.failures = []
        cls.counts = defaultdict(int)
        cls.pressed = defaultdict(set)  # role -> {(model, button)}
        cls.confirmed = set()  # (role, wizard model, wizard button)

    # ------------------------------------------------------------------ helpers
    def _fail(self, what, role, exc):
        self.failures.append(f"{what} as {role}: {type(exc).__name__}: {exc}")

    def _guarded(self, what, role, call, access_is_defect=False):
        """Run ``call`` in a savepoint rolled back afterwards; record a failure unless it
        succeeds or refuses in Vietnamese. Returns the call's result (None on refusal)."""
        result = None
        try:
            with self.env.cr.savepoint():
                result = call()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            pass
        except UserError as exc:  # ValidationError, AccessError, MissingError included
            if access_is_defect and isinstance(exc, AccessError):
                # An action the client offers this role (menu, Action/Print menu) that
                # always refuses it is a dead button.
                self._fail(f"{what} (offered, then refused)", role, exc)
            message = str(exc.args[0] if exc.args else exc)
            if not VIETNAMESE.search(message):
                self._fail(f"{what} (untranslated message)", role, exc)
            result = None
        except Exception as exc:  # anything else is the defect we look for
            _logger.info("walker: %s as %s", what, role, exc_info=True)
            self._fail(what, role, exc)
            result = None
        finally:
            self.env.clear()
        status = self.env.cr._cnx.get_transaction_status()
        assert status != 3, f"transaction aborted after {what} as {role}: {self.failures[-3:]}"
        return result

    def _our_models(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.ui.view")]
        )
        views = self.env["ir.ui.view"].browse(data.mapped("res_id")).exists()
        return views.filtered(lambda v: v.type in ("form", "list", "kanban"))

    def _own_models(self):
        """The models our addons define (not the ones they only extend)."""
        return self.env["ir.model"].search(
            [("model", "in", [m for m in self.env if self.env[m]._original_module in ADDONS])]
        )

    @staticmethod
    def _root(view):
        while view.mode == "extension" and view.inherit_id:
            view = view.inherit_id
        return view

    def _values(self, record, expr, extra=None):
        """What the client's evaluation context holds for the names ``expr`` uses."""
        values = {
            "context": {},
            "uid": record.env.uid,
            "parent": _Empty(),
            "context_today": lambda: fields.Date.context_today(record),
            "current_company_id": record.env.company.id,
            "allowed_company_ids": record.env.companies.ids,
            "id": record.id,
            "active_id": record.id,
            "active_ids": record.ids,
            "active_model": record._name,
            "True": True,
            "False": False,
            "None": None,
        }
        for name in set(IDENT.findall(expr or "")):
            if name in values or name not in record._fields:
                continue
            field = record._fields[name]
            try:
                value = record[name]
            except AccessError:
                value = False
            if field.type == "many2one":
                value = value.id or False
            elif field.type in ("one2many", "many2many"):
                value = value.ids
            elif field.type in ("date", "datetime"):
                value = field.to_string(value) if value else False
            values[name] = value
        if extra:
            values.update(extra)
        return values

    def _eval(self, expr, record, default):
        if not expr:
            return default
        expr = expr.strip()
        if expr in ("1", "True"):
            return True
        if expr in ("0", "False"):
            return False
        return safe_eval(expr, self._values(record, expr))

    def _records(self, model, user, cap=RECORDS_PER_STATE):
        """Demo records the role can read, a few in each state (or stage)."""
        Model = self.env[model].with_user(user)
        if Model._abstract or Model._transient or not Model.has_access("read"):
            return Model.browse()
        key = "state" if "state" in Model._fields else None
        key = key or ("stage_id" if "stage_id" in Model._fields else None)
        found = Model.search([], order="id desc", limit=400)
        if not key:
            return found[:cap]
        picked, seen = Model.browse(), defaultdict(int)
        for record in found:
            state = record[key]
            state = state.id if hasattr(state, "id") else state
            if seen[state] < cap:
                picked |= record
                seen[state] += 1
        return picked

    # ------------------------------------------------------------------ following actions
    def _action_dict(self, user, action_ref):
        if isinstance(action_ref, str) and not action_ref.isdigit():
            action = self.env.ref(action_ref)
        else:
            action = self.env["ir.actions.actions"].browse(int(action_ref))
        real = self.env[action.sudo().type].browse(action.id)
        if real.groups_id and not (real.groups_id & user.groups_id):
            # The button is drawn for this role, the action it loads refuses it: dead button.
            raise RuntimeError(f"action {real.sudo().name} is shown to a role it refuses")
        return real.with_user(user).sudo(False)._get_action_dict()

    def _follow(self, user, role, action, ctx, what, depth=0):
        """Do what the web client does with the action a button returned."""
        if not isinstance(action, dict):
            return
        kind = action.get("type")
        action_ctx = action.get("context") or {}
        if isinstance(action_ctx, str):
            action_ctx = safe_eval(
                action_ctx,
                {
                    "active_id": ctx.get("active_id"),
                    "active_ids": ctx.get("active_ids", []),
                    "active_model": ctx.get("active_model"),
                    "uid": user.id,
                    "context_today": lambda: fields.Date.today(),
                    "allowed_company_ids": user.company_ids.ids,
                    "current_company_id": user.company_id.id,
                },
            )
        full_ctx = {**ctx, **action_ctx}
        if kind == "ir.actions.act_window":
            Model = self.env[action["res_model"]].with_user(user).with_context(**full_ctx)
            if Model._transient:
                self._open_wizard(user, role, Model, action, what, depth)
                return
            Model.get_views([(False, v) for v in ("list", "form")])
            if action.get("res_id"):
                Model.browse(action["res_id"]).read(["display_name"])
            else:
                domain = action.get("domain") or []
                if isinstance(domain, str):
                    domain = safe_eval(
                        domain,
                        {
                            **full_ctx,
                            "uid": user.id,
                            "context": full_ctx,
                            "context_today": lambda: fields.Date.context_today(Model),
                            "relativedelta": relativedelta,
                            "datetime": safe_eval_datetime,
                        },
                    )
                Model.search(domain, limit=20).read(["display_name"])
        elif kind == "ir.actions.server":
            result = (
                self.env["ir.actions.server"]
                .with_user(user)
                .browse(action["id"])
                .with_context(**full_ctx)
                .run()
            )
            self._follow(user, role, result, ctx, what, depth + 1)
        elif kind == "ir.actions.report":
            ids = full_ctx.get("active_ids") or []
            report = self.env["ir.actions.report"].with_user(user)
            if action["report_type"] == "xlsx":
                report._render_xlsx(action["report_name"], ids, action.get("data") or {})
            else:
                report.with_context(**full_ctx)._render_qweb_html(
                    action["report_name"], ids, action.get("data")
                )

    def _open_wizard(self, user, role, Wizard, action, what, depth):
        view_id = action.get("view_id")
        view_id = view_id[0] if isinstance(view_id, list | tuple) else view_id
        views = Wizard.get_views([(view_id or False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        names = list(views["models"][Wizard._name]["fields"])
        vals = Wizard.default_get(names)
        for node in arch.iter("field"):
            name = node.get("name")
            field = Wizard._fields.get(name)
            if not field or vals.get(name):
                continue
            if not (field.required or node.get("required") in ("1", "True")):
                continue
            # What a user types in a required box: a reason, a date some weeks ahead.
            if field.type in ("char", "text", "html"):
                vals[name] = FILLER
            elif field.type == "date":
                vals[name] = fields.Date.to_string(fields.Date.today() + timedelta(days=60))
            elif field.type == "datetime":
                vals[name] = fields.Datetime.to_string(fields.Datetime.now() + timedelta(days=60))
        self.counts["wizards opened"] += 1
        if depth > 1:
            return
        missing = [
            name
            for name, field in Wizard._fields.items()
            if field.required and not vals.get(name) and field.type != "boolean"
        ]
        if missing:
            return
        wizard = Wizard.create(vals)
        for button in arch.iter("button"):
            if button.get("type") != "object" or button.get("special"):
                continue
            if next(button.iterancestors("field"), None) is not None:
                continue  # a line's button (e.g. portal.wizard's users), not the wizard's
            if self._eval(button.get("invisible"), wizard, False):
                continue
            method = get_public_method(wizard, button.get("name"))
            result = method(wizard)
            self.counts["wizard buttons confirmed"] += 1
            self.confirmed.add((role, Wizard._name, button.get("name")))
            self.pressed[role].add((Wizard._name, button.get("name")))
            self._follow(user, role, result, wizard.env.context, what, depth + 1)

    # ------------------------------------------------------------------ pressing
    def _press(self, user, role, model, button, record):
        name, kind = button.get("name"), button.get("type")
        ctx = {"lang": user.lang, "tz": user.tz, "uid": user.id}
        button_ctx = button.get("context")
        if button_ctx:
            ctx.update(safe_eval(button_ctx, self._values(record, button_ctx)))
        what = f"{model}.{name} ({kind}) on {record.display_name!r} [{record.id}]"

        def call():
            rec = record.with_user(user).with_context(**ctx)
            if kind == "object":
                get_public_method(rec, name)  # what RPC refuses (private names) we refuse
                # What /web/dataset/call_button does: the client's context travels in kwargs.
                result = api.call_kw(rec.browse(), name, [rec.ids], {"context": ctx})
                follow_ctx = {
                    **ctx,
                    "active_id": rec.id,
                    "active_ids": rec.ids,
                    "active_model": model,
                }
            else:
                follow_ctx = {
                    "active_id": rec.id,
                    "active_ids": rec.ids,
                    "active_model": model,
                    **ctx,
                }
                result = self._action_dict(user, name)
            self._follow(user, role, result, follow_ctx, what)

        self.counts["presses"] += 1
        self.pressed[role].add((model, name))
        self._guarded(what, role, call)

    def _walk_view(self, view, restrict):
        """Press the buttons of ``view`` (a primary view) as each role that reads its model."""
        for role, user in self.users.items():
            Model = self.env[view.model].with_user(user)
            if not Model.has_access("read"):
                continue
            try:
                arch = Model.get_view(view.id, view.type)["arch"]
            except AccessError:
                continue
            tree = etree.fromstring(arch)
            self.counts["views walked"] += 1
            for button in tree.xpath("//*[@type='object' or @type='action'][@name]"):
                if restrict is not None and button.get("name") not in restrict:
                    continue
                # A button in a one2many's inline list acts on the line's model.
                model = view.model
                for ancestor in reversed(list(button.iterancestors("field"))):
                    field = self.env[model]._fields.get(ancestor.get("name"))
                    if field is not None and field.relational:
                        model = field.comodel_name
                self.buttons.add((view.model, model, button.get("name")))
                for record in self._records(model, user):
                    if self._eval(button.get("column_invisible"), record, False):
                        continue
                    if self._eval(button.get("invisible"), record, False):
                        continue
                    if button.get("readonly") and self._eval(button.get("readonly"), record, False):
                        continue
                    self._press(user, role, model, button, record)

    def _walk_server_actions(self):
        models = self._own_models()
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.actions.server")]
        )
        actions = self.env["ir.actions.server"].search(
            ["|", ("binding_model_id", "in", models.ids), ("id", "in", data.mapped("res_id"))]
        )
        crons = self.env["ir.cron"].with_context(active_test=False).search([])
        actions -= crons.mapped("ir_actions_server_id")
        for action in actions:
            self.counts["server actions"] += 1
            for role, user in self.users.items():
                if action.groups_id and not (action.groups_id & user.groups_id):
                    continue
                Model = self.env[action.model_id.model].with_user(user)
                if not Model.has_access("read"):
                    continue
                records = Model.search([], limit=SEVERAL)
                if not records and action.binding_model_id:
                    continue  # the Action menu needs a selection
                ctx = {
                    "active_model": Model._name,
                    "active_ids": records.ids,
                    "active_id": records[:1].id,
                    "lang": user.lang,
                }
                what = f"server action {action.name} on {len(records)} {Model._name}"

                def call(action=action, user=user, role=role, ctx=ctx, what=what):
                    result = action.with_user(user).with_context(**ctx).run()
                    self._follow(user, role, result, ctx, what)

                self.counts["server action runs"] += 1
                self._guarded(what, role, call, access_is_defect=True)

    def _walk_menus(self):
        """Every menu of ours each role sees opens: its action loads and does its job."""
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.ui.menu")]
        )
        menus = self.env["ir.ui.menu"].browse(data.mapped("res_id")).exists()
        menus = menus.filtered("action")
        self.counts["menus"] = len(menus)
        for role, user in self.users.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for menu in menus.filtered(lambda m, visible=visible: m.id in visible):
                ctx = {"lang": user.lang, "tz": user.tz, "uid": user.id}
                what = f"menu {menu.complete_name}"

                def call(menu=menu, user=user, role=role, ctx=ctx, what=what):
                    action = self._action_dict(user, menu.action.id)
                    self._follow(user, role, action, ctx, what)

                self.counts["menu opens"] += 1
                self._guarded(what, role, call, access_is_defect=True)

    def _walk_reports(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.actions.report")]
        )
        reports = self.env["ir.actions.report"].browse(data.mapped("res_id")).exists()
        for report in reports:
            self.counts["reports"] += 1
            for role, user in self.users.items():
                if report.groups_id and not (report.groups_id & user.groups_id):
                    continue
                Model = self.env[report.model].with_user(user)
                if not Model.has_access("read"):
                    continue
                self.authenticate(user.login, user.login)
                records = Model.search([], order="id desc", limit=SEVERAL)
                kind = "xlsx" if report.report_type == "xlsx" else "pdf"
                for batch in (records[:1], records):
                    if not batch:
                        continue
                    ids = ",".join(str(i) for i in batch.ids)
                    url = f"/report/{kind}/{report.report_name}" + (f"/{ids}" if ids else "")
                    start = time.time()
                    response = self.url_open(url, timeout=120)
                    self.counts["report downloads"] += 1
                    # Under test, Odoo answers a PDF report's HTML (no wkhtmltopdf).
                    magic = (b"PK",) if kind == "xlsx" else (b"%PDF", b"<!DOCTYPE")
                    if response.status_code != 200 or not response.content.lstrip().startswith(
                        magic
                    ):
                        self.failures.append(
                            f"report {report.report_name} for {len(batch)} record(s) as {role}:"
                            f" HTTP {response.status_code} {response.text[:300]!r}"
                        )
                    _logger.info("walker: %s in %.1fs", url, time.time() - start)

    # ------------------------------------------------------------------ the test
    def test_every_button_works_for_everyone_who_sees_it(self):
        start = time.time()
        self.buttons = set()
        views = self._our_models()
        self._models = sorted(set(views.mapped("model")))
        walked = set()
        ours = set(
            self.env["ir.model.data"]
            .search([("module", "in", ADDONS), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        for view in views:
            root = self._root(view)
            if root.id in ours:
                if root.id in walked:
                    continue
                walked.add(root.id)
                self._walk_view(root, None)
            else:
                # Our extension of another addon's view: only the buttons we added.
                own = etree.fromstring(view.arch_db)
                restrict = {
                    b.get("name") for b in own.xpath("//*[@type='object' or @type='action'][@name]")
                }
                if restrict:
                    self._walk_view(root, restrict)
        self._walk_server_actions()
        self._walk_menus()
        self._walk_reports()
        roles = {role for role, pressed in self.pressed.items() if pressed}
        summary = (
            f"button walker: {len(self.buttons)} buttons in {len(walked)} views "
            f"({self.counts['views walked']} view loads), {self.counts['presses']} presses, "
            f"{self.counts['wizards opened']} wizards opened, "
            f"{self.counts['wizard buttons confirmed']} wizard buttons confirmed, "
            f"{self.counts['server actions']} server actions "
            f"({self.counts['server action runs']} runs), {self.counts['menus']} menus "
            f"({self.counts['menu opens']} opened), {self.counts['reports']} reports "
            f"({self.counts['report downloads']} downloads), roles {sorted(roles)}, "
            f"{time.time() - start:.0f}s"
        )
        pressed = set().union(*self.pressed.values())
        never = sorted(
            f"{model}.{name}" for _view, model, name in self.buttons if (model, name) not in pressed
        )
        summary += f"; never visible on a demo record: {len(never)} {never}"
        _logger.info(summary)
        logs = Path(__file__).resolve().parent.parent / ".logs"
        if logs.is_dir():
            (logs / "button-walker.txt").write_text(summary + "\n" + "\n".join(self.failures))
        print(summary)  # the counts the closing note quotes
        self.assertGreater(len(self.buttons), 50)
        self.assertGreater(self.counts["reports"], 10)
        self.assertEqual(roles, set(ROLES), "a role pressed nothing")
        # The administrator's Suspend/Close (issue #15) opens its wizard, which confirms.
        self.assertIn(("psa.agent", "action_open_reason_wizard"), self.pressed["admin"])
        self.assertIn(("admin", "psa.agent.state.wizard", "action_confirm"), self.confirmed)
        self.assertFalse(self.failures, "\n".join(self.failures))
