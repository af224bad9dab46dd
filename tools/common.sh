# Sourced by the other tools: paths and helpers shared by `make run`, `make test` and `make lint`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Per-checkout settings (ports, database names) for several clones on one machine; not committed.
[ -f "$ROOT/.local.env" ] && source "$ROOT/.local.env"
ODOO_SRC="${ODOO_SRC:-$HOME/.cache/odoo-src/18.0}"
# The Odoo 18.0 release tools/fetch_odoo.sh installs when $ODOO_SRC is empty: the pin of Odoo S.A.'s
# own Docker image (repository odoo/docker, 18.0/Dockerfile: ODOO_RELEASE, ODOO_SHA). To move it,
# change the three together. PSA_ODOO_DEB_URL with PSA_ODOO_DEB_SHA1 (both, or neither) replace it.
ODOO_RELEASE=20250819
ODOO_DEB_URL="https://nightly.odoo.com/18.0/nightly/deb/odoo_18.0.${ODOO_RELEASE}_all.deb"
ODOO_DEB_SHA1=25daea677dc7b60cc25ec1eebd16d1c8e3f77a8a
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PGDIR="$ROOT/.pg"
PG_PRIVATE_PORT="${PSA_PG_PORT:-5499}"
DATA_DIR="$ROOT/.data"
ADDONS="${PSA_ADDONS:-public_service_agent,agent_training,postal_delivery,subsidy}"
DEMO_DB="${PSA_DEMO_DB:-psa_demo}"
TEST_DB="${PSA_TEST_DB:-psa_test}"
HTTP_PORT="${PSA_HTTP_PORT:-8069}"

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

addons_path() {
    # The official tarball and the Windows build keep every addon in odoo/addons; a git checkout adds addons/.
    local p="$ODOO_SRC/odoo/addons"
    [ -d "$ODOO_SRC/addons" ] && p="$ODOO_SRC/addons,$p"
    echo "$ROOT/addons,$p"
}

# odoo.conf with this clone's absolute paths and the database server chosen by prepare.sh.
render_conf() {
    [ -f "$ROOT/.pg-env" ] && source "$ROOT/.pg-env"
    mkdir -p "$DATA_DIR"
    CONF="$DATA_DIR/odoo.local.conf"
    sed -e "s|^addons_path = .*|addons_path = $(addons_path)|" \
        -e "s|^data_dir = .*|data_dir = $DATA_DIR|" \
        -e "s|^db_host = .*|db_host = $PGHOST|" \
        -e "s|^db_port = .*|db_port = $PGPORT|" \
        -e "s|^db_user = .*|db_user = $PGUSER|" \
        -e "s|^http_port = .*|http_port = $HTTP_PORT|" \
        "$ROOT/odoo.conf" > "$CONF.tmp" && mv "$CONF.tmp" "$CONF"
    export PGHOST PGPORT PGUSER
}

odoo_bin() { "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }

# SQL with values passed as psql variables (:'name' quotes a literal, :"name" an identifier),
# never spliced into the text. Usage: sql DB "SELECT ... WHERE name = :'v'" v=value
sql() {
    local db="$1" query="$2"; shift 2
    local args=()
    for kv in "$@"; do args+=(-v "$kv"); done
    printf '%s\n' "$query" | psql -d "$db" -Atq "${args[@]}"
}

db_exists() { sql postgres "SELECT 1 FROM pg_database WHERE datname = :'db'" db="$1" 2>/dev/null | grep -q 1; }
drop_db() { sql postgres 'DROP DATABASE IF EXISTS :"db"' db="$1" >/dev/null 2>&1; }

# A content hash of the Odoo source's addon manifests: it changes with any new 18.0 build that
# changes a module's version or data files, which release.py (the same in every 18.0 build) does not.
odoo_source_key() {
    local dirs=("$ODOO_SRC/odoo/addons")
    [ -d "$ODOO_SRC/addons" ] && dirs+=("$ODOO_SRC/addons")
    find "${dirs[@]}" -maxdepth 2 -name __manifest__.py -print0 | sort -z | xargs -0 cat | sha1sum | cut -c1-16
}
