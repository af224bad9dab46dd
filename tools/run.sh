#!/usr/bin/env bash
# `make run`: the demo database (created once, kept across restarts), served on 127.0.0.1.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/tools/prepare.sh"
render_conf
if ! db_exists "$DEMO_DB"; then
    say "Creating the demo database '$DEMO_DB' (all four addons, demo data, Vietnamese); this takes a few minutes"
    mkdir -p "$ROOT/.logs"
    if ! odoo_bin -d "$DEMO_DB" -i "$ADDONS" --load-language=vi_VN --stop-after-init \
        --no-http --log-level=warn > "$ROOT/.logs/demo-install.log" 2>&1 \
        || grep -q "demo data failed to install" "$ROOT/.logs/demo-install.log"; then
        tail -n 30 "$ROOT/.logs/demo-install.log" >&2
        drop_db "$DEMO_DB" || true
        die "creating the demo database failed; full log in .logs/demo-install.log"
    fi
fi
say "Serving Odoo on http://127.0.0.1:$HTTP_PORT (logins in README.md); Ctrl-C stops it"
# `make stop` finds this server by its pid file (exec keeps the pid).
echo $$ > "$DATA_DIR/run.$HTTP_PORT.pid"
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" "$@"
