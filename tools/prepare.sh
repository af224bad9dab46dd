#!/usr/bin/env bash
# Prepare everything both commands need; idempotent, and a no-op in seconds when nothing changed.
#   tools/prepare.sh [--tests]    --tests also brings Chromium for browser tours, pdftoppm
#                                 (poppler-utils) which tools/screenshots.py needs with Chromium,
#                                 and faketime for the clock matrix of tools/test.sh
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
        # Another prepare (another clone) may hold the dpkg lock: wait for it rather than fail.
        local apt=(apt-get -o DPkg::Lock::Timeout=300)
        if [ ! -f /var/lib/apt/periodic/psa-updated ] || ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
            "${apt[@]}" update -qq >/dev/null && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/psa-updated
            DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null \
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
    # libfaketime: tools/test.sh reruns the psa_clock tests at shifted Hanoi hours.
    command -v faketime >/dev/null || apt_install faketime
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
ensure_pg
