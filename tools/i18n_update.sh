#!/usr/bin/env bash
# Refresh each addon's i18n/<addon>.pot from the code and merge new terms into i18n/vi.po.
# Needs a database where the addons are installed (default: the test database of `make test`).
# Usage: tools/i18n_update.sh [DB] [addon ...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/tools/prepare.sh"
render_conf
DB="${1:-$TEST_DB}"
shift || true
MODULES="${*:-${ADDONS//,/ }}"
for m in $MODULES; do
    state=$(sql "$DB" "SELECT state FROM ir_module_module WHERE name = :'m'" m="$m")
    [ "$state" = installed ] || { echo "$m is not installed in $DB: skipped" >&2; continue; }
    pot="$ROOT/addons/$m/i18n/$m.pot"
    odoo_bin -d "$DB" --i18n-export="$pot" --modules="$m" --no-http --log-level=warn --stop-after-init
    ODOO_SRC="$ODOO_SRC" "$PY" - "$pot" "$ROOT/addons/$m/i18n/vi.po" <<'PYEOF'
import os, sys, polib
pot = polib.pofile(sys.argv[1])
po = polib.pofile(sys.argv[2]) if os.path.exists(sys.argv[2]) else polib.POFile()
po.metadata = {**pot.metadata, "Language": "vi", "Plural-Forms": "nplurals=1; plural=0;",
               "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": ""}
po.merge(pot)
# Terms Odoo itself translates (fields delegated from res.partner, mail mixins...) reuse Odoo's wording.
odoo_vi = {}
addons_dir = os.path.join(os.environ["ODOO_SRC"], "odoo", "addons")
for mod in ("base", "mail", "portal", "account", "survey", "resource", "phone_validation", "web",
            "sms", "account_edi_ubl_cii", "payment", "base_vat", "snailmail", "partner_autocomplete",
            "auth_signup", "contacts", "product", "analytic", "queue_job"):
    f = os.path.join(addons_dir, mod, "i18n", "vi.po")
    if os.path.exists(f):
        for e in polib.pofile(f):
            if e.msgstr and e.msgid not in odoo_vi:
                odoo_vi[e.msgid] = e.msgstr
for e in po:
    if not e.msgstr and e.msgid in odoo_vi:
        e.msgstr = odoo_vi[e.msgid]
po.save(sys.argv[2])
untranslated = [e for e in po if not e.msgstr and not e.obsolete]
print(f"{sys.argv[2]}: {len(po)} terms, {len(untranslated)} untranslated")
PYEOF
done
