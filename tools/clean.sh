#!/usr/bin/env bash
# `make clean`: `make stop`, then remove what this clone keeps outside git: its private
# PostgreSQL cluster (in .pg, or in postgres's home folder /var/lib/postgresql/psa-<hash> that
# .pg links to), .data (filestore, rendered configurations) and .logs. It keeps .venv, .local.env
# and the Odoo source cache ($ODOO_SRC, shared by every clone), and drops no database from a
# server it did not create (PGHOST of the caller or of .local.env).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/tools/stop.sh" || die "could not stop this clone's servers; nothing removed"

home="$(pg_home_dir)"
real="$(cd "$PGDIR" 2>/dev/null && pwd -P || true)"
for dir in "$real" "$home"; do
    # Only the clone's own .pg, or the home folder named after this clone's path.
    if [ -n "$dir" ] && [ -d "$dir" ] && { [ "$dir" = "$home" ] || [ "$dir" = "$ROOT/.pg" ]; }; then
        say "Removing the PostgreSQL cluster in $dir"
        rm -rf "$dir"
    fi
done
rm -rf "$PGDIR" "$ROOT/.pg-env"
[ -e "$DATA_DIR" ] && say "Removing .data (filestore, configurations) and .logs"
rm -rf "$DATA_DIR" "$ROOT/.logs"
exit 0
