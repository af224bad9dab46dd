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
# One file per HTTP port: two `make run` of one clone on different ports (PSA_HTTP_PORT) each
# keep their own, where one shared file served the second the first one's port.
# .data/odoo.local.conf links to the last one rendered, for bench/ and the docs.
render_conf() {
    [ -f "$ROOT/.pg-env" ] && source "$ROOT/.pg-env"
    mkdir -p "$DATA_DIR"
    CONF="$DATA_DIR/odoo.local.$HTTP_PORT.conf"
    sed -e "s|^addons_path = .*|addons_path = $(addons_path)|" \
        -e "s|^data_dir = .*|data_dir = $DATA_DIR|" \
        -e "s|^db_host = .*|db_host = $PGHOST|" \
        -e "s|^db_port = .*|db_port = $PGPORT|" \
        -e "s|^db_user = .*|db_user = $PGUSER|" \
        -e "s|^http_port = .*|http_port = $HTTP_PORT|" \
        "$ROOT/odoo.conf" > "$CONF.$$.tmp" && mv "$CONF.$$.tmp" "$CONF"
    ln -sfn "$(basename "$CONF")" "$DATA_DIR/odoo.local.conf.$$" && mv -T "$DATA_DIR/odoo.local.conf.$$" "$DATA_DIR/odoo.local.conf"
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

# Where this clone's private cluster lives when the postgres user cannot reach the clone (a
# folder under /root, a private temporary folder): postgres's home, named by the clone's path.
pg_home_dir() { echo "/var/lib/postgresql/psa-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"; }

# The caller's server if PGHOST/PGPORT answer, else this clone's private cluster in .pg/ (started
# when down); writes .pg-env for render_conf. Used by prepare.sh.
ensure_pg() {
    PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
    if [ -n "${PGHOST:-}${PGPORT:-}" ] && pg_isready -q -h "${PGHOST:-localhost}" -p "${PGPORT:-5432}" 2>/dev/null; then
        echo "export PGHOST='${PGHOST:-localhost}' PGPORT='${PGPORT:-5432}' PGUSER='${PGUSER:-odoo}'" > "$ROOT/.pg-env"
    else
        if [ "$(id -u)" = 0 ] && [ ! -e "$PGDIR" ]; then
            # initdb refuses root: the cluster belongs to the postgres OS user, who must reach .pg.
            # Where a parent folder of the clone is closed to it, the cluster lives in postgres's
            # home instead (.pg links there): no permission outside the clone is changed.
            id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
            mkdir -p "$PGDIR" && chown postgres: "$PGDIR"
            if ! (cd / && runuser -u postgres -- test -w "$PGDIR"); then
                rmdir "$PGDIR"
                home="$(pg_home_dir)"
                mkdir -p "$home" && chown postgres: "$home" && ln -s "$home" "$PGDIR"
                say "The postgres user cannot reach $ROOT: the private cluster lives in $home"
            fi
        fi
        PGREAL="$(mkdir -p "$PGDIR" && cd "$PGDIR" && pwd -P)"
        mkdir -p "$PGREAL/run"
        if [ ! -f "$PGREAL/data/PG_VERSION" ]; then
            say "Creating the private PostgreSQL cluster in .pg/"
            rm -rf "$PGREAL/data"; mkdir -p "$PGREAL/data"
            initdb_cmd=("$PG_BIN/initdb" -D "$PGREAL/data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8)
            if [ "$(id -u)" = 0 ]; then
                chown -R postgres: "$PGREAL"
                (cd / && runuser -u postgres -- "${initdb_cmd[@]}") >/dev/null
            else
                "${initdb_cmd[@]}" >/dev/null
            fi
        fi
        if ! pg_isready -q -h "$PGREAL/run" -p "$PG_PRIVATE_PORT" 2>/dev/null; then
            ctl=("$PG_BIN/pg_ctl" -D "$PGREAL/data" -l "$PGREAL/server.log" -w -t 60
                 -o "-k $PGREAL/run -c listen_addresses= -p $PG_PRIVATE_PORT -c max_connections=200 -c shared_buffers=512MB -c fsync=${PSA_PG_FSYNC:-on}" start)
            if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "${ctl[@]}") >/dev/null; else "${ctl[@]}" >/dev/null; fi \
                || die "PostgreSQL did not start; see .pg/server.log"
        fi
        echo "export PGHOST='$PGREAL/run' PGPORT='$PG_PRIVATE_PORT' PGUSER='odoo'" > "$ROOT/.pg-env"
    fi
}
