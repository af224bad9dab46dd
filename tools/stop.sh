#!/usr/bin/env bash
# `make stop`: stop what this clone left running: its `make run` servers (found by the pid
# files tools/run.sh writes, and checked to be this clone's Odoo) and its private PostgreSQL
# cluster (.pg, or postgres's home folder .pg links to). A server this clone did not start
# (PGHOST of the caller or of .local.env) is never stopped. Data stays: see `make clean`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# 1. `make run` of this clone, on whatever port.
for pidfile in "$DATA_DIR"/run.*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile" 2>/dev/null)"
    # Only a live process running odoo-bin with one of this clone's configurations.
    if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DATA_DIR/odoo.local."; then
        say "Stopping the Odoo server of this clone (pid $pid)"
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$pidfile"
done

# 2. This clone's private cluster, wherever it lives.
pg_data_dirs() {
    local real
    real="$(cd "$PGDIR" 2>/dev/null && pwd -P)" && echo "$real/data"
    [ -d "$(pg_home_dir)/data" ] && echo "$(pg_home_dir)/data"
}
for data in $(pg_data_dirs | sort -u); do
    [ -f "$data/postmaster.pid" ] || continue
    PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
    say "Stopping this clone's PostgreSQL cluster in $data"
    ctl=("$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop)
    if [ "$(id -u)" = 0 ] && [ "$(stat -c %U "$data")" != root ]; then
        (cd / && runuser -u "$(stat -c %U "$data")" -- "${ctl[@]}") >/dev/null
    else
        "${ctl[@]}" >/dev/null
    fi || die "PostgreSQL in $data did not stop"
done
exit 0
