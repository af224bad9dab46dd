"""No English term of our addons in the Vietnamese interface.

Generic over the addons of this suite (the installed modules that live next to this one)
and over their terms (read from their .pot files), so that it keeps guarding new terms:
each addon's vi.po must translate every term, and the backend views and portal pages a
vi_VN user sees must show none of the English sources.
"""

import os
import re

import polib
from lxml import etree, html

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, tagged

TEXT_ATTRIBUTES = ("string", "help", "placeholder", "title", "aria-label", "confirm", "alt")
# Odoo's own portal contact card labels its icons with attributes Odoo leaves untranslated
# (alt="Contact", aria-label="Close", title="Address"); they are not terms of our addons.
CORE_ATTRIBUTE_TERMS = {"Address", "Close", "Contact"}
# Terms equal in both languages (codes, names) or too short to judge are not checked.
WORD_RE = re.compile(r"[A-Za-z]{3,}")


def our_modules(env):
    root = os.path.dirname(get_module_path("public_service_agent"))
    installed = env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
    return sorted(
        name for name in installed if os.path.dirname(get_module_path(name) or "") == root
    )


def read_terms(module):
    """(msgids of the .pot, {msgid: msgstr} of vi.po without fuzzy entries)."""
    i18n = os.path.join(get_module_path(module), "i18n")
    pot = polib.pofile(os.path.join(i18n, f"{module}.pot"))
    po_path = os.path.join(i18n, "vi.po")
    po = polib.pofile(po_path) if os.path.exists(po_path) else []
    translated = {
        entry.msgid: entry.msgstr
        for entry in po
        if not entry.obsolete and "fuzzy" not in entry.flags and entry.msgstr
    }
    return [entry.msgid for entry in pot if not entry.obsolete], translated


def _norm(text):
    return " ".join((text or "").split())


def visible_texts(tree):
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "template"):
            continue
        for attr in TEXT_ATTRIBUTES:
            value = _norm(element.get(attr))
            if value and not (
                attr in ("alt", "aria-label", "title") and value in CORE_ATTRIBUTE_TERMS
            ):
                yield value
        for text in (element.text, element.tail):
            if text and text.strip():
                yield _norm(text)


@tagged("post_install", "-at_install")
class TestNoUntranslatedTerms(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo loads Odoo's own vi_VN terms as `make run` (--load-language=vi_VN) does:
        # demo/res_lang_demo.xml; test_odoo_terms_are_loaded checks it.
        cls.env.invalidate_all()
        # Earlier tests (tracked changes, e-mails to vi_VN contacts) may have cached selection
        # labels for vi_VN before the terms were loaded; a real installation loads them first.
        cls.env.registry.clear_cache()
        cls.modules = our_modules(cls.env)
        cls.english = {}
        cls.missing = {}
        for module in cls.modules:
            msgids, translated = read_terms(module)
            cls.missing[module] = [m for m in msgids if m not in translated]
            for msgid in msgids:
                value = translated.get(msgid)
                if value and _norm(value) != _norm(msgid) and WORD_RE.search(msgid):
                    cls.english[_norm(msgid)] = module
        groups = [
            "base.group_user",
            "base.group_system",
            "public_service_agent.group_psa_admin",
            "agent_training.group_training_manager",
            "subsidy.group_subsidy_finance",
        ]
        groups = [g for g in groups if cls.env.ref(g, raise_if_not_found=False)]
        cls.vi_user = new_test_user(
            cls.env, login="i18n_vi", groups=",".join(groups), lang="vi_VN", tz="Asia/Ho_Chi_Minh"
        )

    def _ours(self, model_name, fname):
        """Fields an addon of the suite defines (not those it only inherits).

        The mail mixins' fields (activity_*, message_*) take their labels from mail, and
        the fields psa.agent inherits from res.partner theirs from the partner's module.
        """
        if fname.startswith(("activity_", "message_", "website_message")):
            return False
        if self.env[model_name]._fields[fname].inherited:
            return False  # res.partner's fields on psa.agent (_inherits): partner's labels
        field = self.env["ir.model.fields"]._get(model_name, fname)
        return bool(set((field.modules or "").split(", ")) & set(self.modules))

    def _english_in(self, texts):
        return sorted({text for text in texts if text in self.english})

    def test_every_term_has_a_vietnamese_translation(self):
        self.assertIn("public_service_agent", self.modules)
        self.assertIn("agent_training", self.modules)
        for module in self.modules:
            with self.subTest(module=module):
                self.assertEqual(self.missing[module], [], f"{module}/i18n/vi.po lacks these")

    def test_odoo_terms_are_loaded(self):
        """The database has Odoo's own Vietnamese terms, not only those of our addons."""
        env = self.env(context={"lang": "vi_VN"})
        self.assertEqual(env.ref("base.lang_vi_VN").active, True)
        mixin = dict(
            env["mail.activity.mixin"]._fields["activity_state"]._description_selection(env)
        )
        self.assertEqual(mixin["overdue"], "Quá hạn")
        self.assertEqual(env.ref("base.vn").name, "Việt Nam")

    def test_activity_labels_on_our_models_are_vietnamese(self):
        """Activity states ("Overdue", "Today", "Planned") of every model of our addons.

        The selections of the mail mixins belong to mail, whose vi.po lists Odoo's models
        only: each addon translates them for its own models (i18n_extra/vi.po).
        """
        env = self.env(context={"lang": "vi_VN"})
        en_env = self.env(context={"lang": "en_US"})
        models = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "in", self.modules), ("model", "=", "ir.model")])
        )
        checked = []
        for model in self.env["ir.model"].browse(models.mapped("res_id")):
            Model = env.get(model.model)
            if (
                Model is None
                or Model._abstract
                or Model._original_module not in self.modules  # account.move: account's
                or "activity_state" not in Model._fields
            ):
                continue
            for fname in ("activity_state", "activity_exception_decoration"):
                with self.subTest(model=model.model, field=fname):
                    field = Model._fields[fname]
                    vietnamese = dict(field._description_selection(env))
                    english = dict(field._description_selection(en_env))
                    mail = dict(
                        env["mail.activity.mixin"]._fields[fname]._description_selection(env)
                    )
                    self.assertEqual(vietnamese, mail)
                    for key, label in vietnamese.items():
                        self.assertNotEqual(label, english[key])
            checked.append(model.model)
        self.assertIn("psa.dossier", checked)
        self.assertGreaterEqual(len(checked), 4)

    def _backend_views(self, env):
        """(model, view id, type) of every backend view our addons define or extend."""
        data = (
            env["ir.model.data"]
            .sudo()
            .search([("module", "in", self.modules), ("model", "=", "ir.ui.view")])
        )
        views = set()
        for view in env["ir.ui.view"].sudo().browse(data.mapped("res_id")):
            if view.type == "qweb":
                continue
            while view.mode == "extension" and view.inherit_id:
                view = view.inherit_id
            views.add((view.model, view.id, view.type))
        return sorted(views)

    def test_backend_views_render_in_vietnamese(self):
        self.maxDiff = None
        env = self.env(user=self.vi_user, context={"lang": "vi_VN"})
        found = {}
        views = self._backend_views(env)
        self.assertGreater(len(views), 30)
        for model, view_id, view_type in views:
            if model not in env or not env[model].has_access("read"):
                continue
            result = env[model].get_views([(view_id, view_type)])
            texts = []
            for view in result["views"].values():
                arch = etree.fromstring(view["arch"])
                if arch.tag in ("search", "activity"):
                    arch.attrib.pop("string", None)  # never displayed
                texts += visible_texts(arch)
            for model_name, model_info in result["models"].items():
                for fname, field in model_info["fields"].items():
                    if not self._ours(model_name, fname):
                        continue
                    texts += [_norm(field.get("string")), _norm(field.get("help"))]
                    texts += [_norm(label) for _key, label in field.get("selection") or []]
            english = self._english_in(texts)
            if english:
                found[f"{model} {view_type} #{view_id}"] = english
        self.assertEqual(found, {}, "English terms in backend views of a vi_VN user")

    def _page_texts(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return list(visible_texts(html.fromstring(response.content)))

    def test_portal_and_public_pages_render_in_vietnamese(self):
        dossier = self.env.ref("public_service_agent.dossier_received")
        found = {}
        self.authenticate("staff.hoankiem", "staff.hoankiem")
        for url in (
            "/my",
            "/my/dossiers",
            f"/my/dossiers/{dossier.id}",
            "/my/dossiers/new",
            "/my/certificates",
        ):
            english = self._english_in(self._page_texts(url))
            if english:
                found[url] = english
        self.authenticate(None, None)
        for url in ("/tracking", f"/tracking?code={dossier.name}"):
            english = self._english_in(self._page_texts(url))
            if english:
                found[url] = english
        self.assertEqual(found, {}, "English terms on pages seen by a vi_VN user")

    def test_portal_chatter_terms_are_loaded(self):
        """The dossier page's chatter comes from mail: its terms reach the portal too."""
        self.authenticate("staff.hoankiem", "staff.hoankiem")
        response = self.url_open("/website/translations/psa?lang=vi_VN")
        self.assertEqual(response.status_code, 200)
        messages = response.json()["modules"].get("mail", {}).get("messages", [])
        terms = {message["id"]: message["string"] for message in messages}
        self.assertIn("The conversation is empty.", terms)
        self.assertNotEqual(terms["The conversation is empty."], "The conversation is empty.")
