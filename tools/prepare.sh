#!/usr/bin/env bash
# Prepare everything both commands need; idempotent, and a no-op in seconds when nothing changed.
#   tools/prepare.sh [--tests]    --tests also brings Chromium for browser tours, and pdftoppm
#                                 (poppler-utils) which tools/screenshots.py needs with Chromium
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
WANT_TESTS=0; [ "${1:-}" = "--tests" ] && WANT_TESTS=1

pip_install() {
    # pip.conf here lists local indexes that may be absent; their warnings are noise.
    "$PY" -m pip install -q --disable-pip-version-check "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }
    return "${PIPESTATUS[0]}"
}

apt_install() {
    # Debian packages, only when missing; as root on a Debian-like machine, otherwise a one-line hint.
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Debian packages: ${missing[*]}"
        if [ ! -f /var/lib/apt/periodic/psa-updated ] || ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
            apt-get update -qq >/dev/null && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/psa-updated
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
                || die "could not install ${missing[*]} with apt-get"
        fi
    else
        die "missing system packages: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]}) and run again."
    fi
}

# 1. Odoo source: the pinned, checksum-checked release (tools/fetch_odoo.sh) when none is there.
if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo/addons/base" ]; then
    [ "${PSA_DOWNLOAD_ODOO:-1}" = 1 ] \
        || die "Odoo 18.0 source not found in $ODOO_SRC. Put the Odoo 18.0 Community source there (a folder holding odoo/ and odoo-bin), or set ODOO_SRC to where it is."
    bash "$ROOT/tools/fetch_odoo.sh" || exit 1
fi

# 2. System packages: PostgreSQL server, wkhtmltopdf for QWeb PDFs, Chromium for tours and screenshots.
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$PG_BIN/initdb" ] || { apt_install postgresql; PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"; }
command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf
command -v psql >/dev/null || apt_install postgresql-client
if [ "$WANT_TESTS" = 1 ]; then
    command -v chromium >/dev/null || command -v google-chrome >/dev/null || apt_install chromium
    # tools/screenshots.py needs Chromium too, and pdftoppm for the PDFs' first pages.
    command -v pdftoppm >/dev/null || apt_install poppler-utils
fi
# Fonts with Vietnamese glyphs for the PDFs and screenshots; Liberation Serif is metric-compatible with
# Times New Roman, the typeface of Vietnamese administrative documents (Decree 30/2020).
fc-list 2>/dev/null | grep -qi "dejavu" || apt_install fonts-dejavu-core
fc-list 2>/dev/null | grep -qi "Liberation Serif" || apt_install fonts-liberation

# 3. Python virtual environment with the pins
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
    || die "Python 3.11 is required (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11"
stamp="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-oca.txt" | sha1sum | cut -c1-16)-$ODOO_SRC"
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.psa-stamp" 2>/dev/null)" != "$stamp" ]; then
    say "Preparing the Python environment in .venv"
    [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
    pip_install 'setuptools<82' wheel || die "pip failed"
    pip_install -r "$ROOT/requirements.txt" || die "pip could not install requirements.txt"
    pip_install --no-deps -r "$ROOT/requirements-oca.txt" || die "pip could not install requirements-oca.txt"
    # Odoo is imported from its source folder; OCA addons extend the odoo.addons namespace.
    echo "$ODOO_SRC" > "$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo-src.pth"
    echo "$stamp" > "$VENV/.psa-stamp"
fi

# 4. PostgreSQL: the caller's server if PGHOST/PGPORT answer, else the private cluster in .pg/
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
            home="/var/lib/postgresql/psa-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
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
