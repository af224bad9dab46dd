"""Every term our addons show is translated in their i18n/vi.po (the users read Vietnamese)."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
ROOT = Path(__file__).resolve().parent.parent


@tagged("standard")
class TestTranslations(TransactionCase):
    def test_vi_po_complete(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                po = polib.pofile(str(ROOT / "addons" / addon / "i18n" / "vi.po"))
                translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
                terms = {
                    row[4]
                    for row in TranslationModuleReader(self.env.cr, modules=[addon])
                    if row[0] == addon and row[4] and row[4].strip()
                }
                self.assertGreater(len(terms), 20, f"{addon}: no terms read")
                missing = sorted(terms - translated)
                self.assertFalse(
                    missing,
                    f"{addon}: untranslated terms; run tools/i18n_update.sh: {missing[:20]}",
                )

    def test_pot_lists_every_term(self):
        """Odoo merges vi.po with the addon's .pot when it loads it and drops the entries the
        .pot lacks: a term missing there stays English however vi.po translates it."""
        for addon in ADDONS:
            with self.subTest(addon=addon):
                pot = polib.pofile(str(ROOT / "addons" / addon / "i18n" / f"{addon}.pot"))
                listed = {e.msgid for e in pot if not e.obsolete}
                terms = {
                    row[4]
                    for row in TranslationModuleReader(self.env.cr, modules=[addon])
                    if row[0] == addon and row[4] and row[4].strip()
                }
                missing = sorted(terms - listed)
                self.assertFalse(
                    missing,
                    f"{addon}: terms missing from the .pot; run tools/i18n_update.sh: "
                    f"{missing[:20]}",
                )

    def test_vietnamese_menus_for_vietnamese_users(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"].search([("name", "in", ADDONS)])._update_translations(
            ["vi_VN"]
        )
        menu = self.env.ref("public_service_agent.psa_menu_root").with_context(lang="vi_VN")
        self.assertEqual(menu.name, "Dịch vụ công")
