#!/usr/bin/env python3
"""Webhook ingestion through the real HTTP route (issue 9), measured in one run.

Run from the repository root, with a database where postal_delivery is installed (it is
copied, never changed):

    .venv/bin/python bench/bench_postal_webhooks.py --source-db psa_demo --events 10000

A copy of the source database gets ``events / 5`` deliveries waiting for Viettel Post. Then
``odoo-bin --workers=2`` serves it on 127.0.0.1 and 4 client threads POST each delivery's five
Viettel Post events (105, 200, 300, 500, 501) in order to ``/postal/webhook/viettelpost``,
deliveries spread over the clients. The route only authenticates, parses and stores each event;
two processors apply the stored events concurrently, in batches, as a deployment with a
separate cron process would: a cron-only ``odoo-bin --no-http --max-cron-threads=1`` woken by
the trigger the route leaves, and an ``odoo-bin shell`` process running the same
``_process_pending`` loop.

Reported: ingestion events per minute with p50 and p95 latency per request; the time until
every event is processed (from the first request) and the share each processor took; the check
that every event is stored and processed exactly once. Then the same events are replayed: every
answer must be "duplicate" and nothing may change (history rows, write dates).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import (
    CONF,
    ODOO_SRC,
    OUT,
    PY,
    copy_database,
    drop_database,
    ensure_environment,
    free_port,
    log,
    pg_connect,
)

JOURNEY = (105, 200, 300, 500, 501)
TOKEN = "bench-webhook-token"
CLIENTS = 4


def seed(db, deliveries):
    """Deliveries in "requested" with a Viettel Post tracking number, in SQL for speed."""
    conn = pg_connect(db, autocommit=False)
    cur = conn.cursor()
    cur.execute("SELECT id FROM postal_carrier WHERE carrier_type = 'viettelpost' LIMIT 1")
    row = cur.fetchone()
    if row:
        carrier = row[0]
        cur.execute("UPDATE postal_carrier SET webhook_secret = %s WHERE id = %s", (TOKEN, carrier))
    else:
        cur.execute(
            "INSERT INTO postal_carrier (name, carrier_type, webhook_secret, active, sequence)"
            " VALUES ('{\"en_US\": \"VTP\"}', 'viettelpost', %s, true, 1) RETURNING id",
            (TOKEN,),
        )
        carrier = cur.fetchone()[0]
    cur.execute("SELECT id, agent_id FROM psa_dossier ORDER BY id LIMIT 1")
    dossier, agent = cur.fetchone()
    cur.execute(
        """
        INSERT INTO postal_delivery (name, service_type, dossier_id, agent_id, carrier_id,
            company_id, state, currency_id, weight, tracking_ref, order_ref, route,
            create_date, write_date, create_uid, write_uid)
        SELECT 'BENCH-' || g, 'return_result', %s, %s, %s, 1, 'requested',
               (SELECT id FROM res_currency WHERE name = 'VND'), 200, 'VTPB' || g,
               'BENCH-REF-' || g, 'hanoi', now(), now(), 1, 1
        FROM generate_series(1, %s) g
        """,
        (dossier, agent, carrier, deliveries),
    )
    conn.commit()
    conn.close()


def start_server(db, port, logfile):
    # One database named and no dbfilter, as docs/deployment.md configures production: with a
    # dbfilter, Odoo lists PostgreSQL's databases on every request without a session cookie,
    # which is every carrier webhook.
    cmd = [
        str(PY), str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), "-d", db,
        "--workers=2", "--max-cron-threads=0", f"--http-port={port}",
        "--http-interface=127.0.0.1", "--load=base,web", "--log-level=warn",
        "--limit-time-real=600", "--limit-memory-soft=2147483648",
        "--limit-memory-hard=2684354560",
    ]  # fmt: skip
    process = subprocess.Popen(cmd, stdout=logfile, stderr=logfile, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return process, url
        except requests.ConnectionError:
            pass
        time.sleep(1)
    os.killpg(process.pid, signal.SIGTERM)
    sys.exit("odoo-bin did not start; see the log")


SHELL_PROCESSOR = """
import os, time
import psycopg2.errors
Event = env["postal.webhook.event"]
done = 0
while True:
    try:
        count = Event._process_pending()
        env.cr.commit()
    except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
        env.cr.rollback()
        env.invalidate_all()
        continue
    done += count
    if count:
        continue
    env.cr.execute("SELECT count(*) FROM postal_webhook_event WHERE state = 'pending'")
    if not env.cr.fetchone()[0] and os.path.exists(os.environ["BENCH_STOP_FILE"]):
        break
    time.sleep(0.2)
print("SHELL_PROCESSED", done, flush=True)
"""


def start_cron_server(db, logfile):
    """The processing side as deployed apart from the web workers: a cron-only Odoo process,
    woken by the trigger the route leaves (PostgreSQL NOTIFY)."""
    cmd = [
        str(PY), str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), "-d", db,
        "--no-http", "--workers=0", "--max-cron-threads=1",
        "--load=base,web", "--log-level=warn",
    ]  # fmt: skip
    return subprocess.Popen(cmd, stdout=logfile, stderr=logfile, start_new_session=True)


def start_shell_processor(db, stop_file, logfile):
    cmd = [
        str(PY), str(ODOO_SRC / "odoo-bin"), "shell", "-c", str(CONF),
        "-d", db, "--no-http", "--log-level=warn",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_STOP_FILE": str(stop_file)}
    process = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=logfile,
        env=env,
        text=True,
        start_new_session=True,
    )
    process.stdin.write(SHELL_PROCESSOR)
    process.stdin.close()
    return process


def wait_processed(db, timeout=1800):
    """Seconds (perf_counter) when no event is left pending."""
    conn = pg_connect(db)
    conn.autocommit = True
    cur = conn.cursor()
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        cur.execute("SELECT count(*) FROM postal_webhook_event WHERE state = 'pending'")
        if not cur.fetchone()[0]:
            break
        time.sleep(0.2)
    conn.close()
    return time.perf_counter()


def bodies(deliveries):
    start = datetime(2026, 3, 9, 8, 0)
    out = {}
    for number in range(1, deliveries + 1):
        out[number] = [
            json.dumps(
                {
                    "DATA": {
                        "ORDER_NUMBER": f"VTPB{number}",
                        "ORDER_REFERENCE": f"BENCH-REF-{number}",
                        "ORDER_STATUSDATE": (start + timedelta(minutes=step)).strftime(
                            "%d/%m/%Y %H:%M:%S"
                        ),
                        "ORDER_STATUS": status,
                        "STATUS_NAME": f"status {status}",
                        "LOCALION_CURRENTLY": "Bưu cục Hà Nội",
                        "NOTE": "",
                        "MONEY_COLLECTION": 0,
                        "MONEY_TOTAL": 26000,
                    },
                    "TOKEN": TOKEN,
                }
            ).encode()
            for step, status in enumerate(JOURNEY)
        ]
    return out


def run_clients(url, events_by_delivery):
    """4 threads; each sends its deliveries' events in order. Returns latencies and answers."""
    latencies, answers, errors = [], {}, []
    lock = threading.Lock()
    numbers = sorted(events_by_delivery)

    def client(index):
        session = requests.Session()
        local_lat, local_ans = [], {}
        for number in numbers[index::CLIENTS]:
            for body in events_by_delivery[number]:
                t0 = time.perf_counter()
                response = session.post(
                    f"{url}/postal/webhook/viettelpost",
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=60,
                )
                local_lat.append(time.perf_counter() - t0)
                try:
                    result = response.json()["results"][0][1]
                except (ValueError, KeyError, IndexError):
                    result = f"HTTP {response.status_code}"
                local_ans[result] = local_ans.get(result, 0) + 1
                if response.status_code >= 500:
                    with lock:
                        errors.append(response.status_code)
        with lock:
            latencies.extend(local_lat)
            for key, count in local_ans.items():
                answers[key] = answers.get(key, 0) + count

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return start, time.perf_counter() - start, latencies, answers, errors


def snapshot(db):
    conn = pg_connect(db, autocommit=False)
    cur = conn.cursor()
    cur.execute(
        "SELECT count(*), count(DISTINCT event_key), "
        "count(*) FILTER (WHERE state = 'pending') FROM postal_webhook_event"
    )
    stored, distinct, pending = cur.fetchone()
    cur.execute("SELECT state, count(*) FROM postal_webhook_event GROUP BY state")
    by_state = dict(cur.fetchall())
    cur.execute(
        "SELECT count(*), max(e.write_date)::text FROM postal_delivery_event e "
        "JOIN postal_delivery d ON d.id = e.delivery_id WHERE d.name LIKE 'BENCH-%%'"
    )
    history, last_event = cur.fetchone()
    cur.execute(
        "SELECT count(*) FROM mail_message m JOIN postal_delivery d ON d.id = m.res_id "
        "WHERE m.model = 'postal.delivery' AND d.name LIKE 'BENCH-%%'"
    )
    messages = cur.fetchone()[0]
    cur.execute(
        "SELECT state, count(*), max(write_date)::text FROM postal_delivery "
        "WHERE name LIKE 'BENCH-%%' GROUP BY state"
    )
    deliveries = {state: (count, last) for state, count, last in cur.fetchall()}
    conn.close()
    return {
        "stored": stored,
        "distinct_keys": distinct,
        "pending": pending,
        "by_state": by_state,
        "history_rows": history,
        "history_last_write": last_event,
        "chatter_messages": messages,
        "deliveries": deliveries,
    }


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-db", default="psa_demo")
    parser.add_argument("--events", type=int, default=10000)
    args = parser.parse_args()
    deliveries = args.events // len(JOURNEY)
    db = "psa_bench_postal_hooks"
    ensure_environment()
    log(f"copy {args.source_db} -> {db}; {deliveries:,} deliveries, {args.events:,} events")
    copy_database(args.source_db, db)
    seed(db, deliveries)
    events = bodies(deliveries)
    stop_file = OUT / "bench_postal_webhooks.stop"
    stop_file.unlink(missing_ok=True)
    with open(OUT / "bench_postal_webhooks.log", "w") as logfile:
        process, url = start_server(db, free_port(), logfile)
        shell = None
        cron = start_cron_server(db, logfile)
        try:
            # Warm-up of both workers on unknown orders (404): their keys are not kept.
            for i in range(20):
                body = events[1][0].replace(b"VTPB1", f"WARM{i}".encode())
                body = body.replace(b"BENCH-REF-1", f"WARM-REF-{i}".encode())
                requests.post(f"{url}/postal/webhook/viettelpost", data=body, timeout=30)
            shell = start_shell_processor(db, stop_file, logfile)
            time.sleep(5)  # the shell loads the registry before the clock starts
            log("ingestion")
            start, seconds, latencies, answers, errors = run_clients(url, events)
            stop_file.touch()
            log("waiting until every event is processed")
            processed_at = wait_processed(db) - start
            shell_out = shell.stdout.read()
            shell.wait(timeout=600)
            shell_done = int(shell_out.split("SHELL_PROCESSED")[-1].split()[0])
            first = snapshot(db)
            log("replay")
            _start, r_seconds, r_latencies, r_answers, r_errors = run_clients(url, events)
            time.sleep(2)
            second = snapshot(db)
        finally:
            if shell and shell.poll() is None:
                os.killpg(shell.pid, signal.SIGTERM)
            os.killpg(cron.pid, signal.SIGTERM)
            cron.wait(timeout=60)
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
            stop_file.unlink(missing_ok=True)
    total = len(latencies)
    result = {
        "events": total,
        "seconds": seconds,
        "events_per_minute": 60 * total / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * pct(latencies, 0.95),
        "answers": answers,
        "http_5xx": len(errors),
        "all_processed_after_s": processed_at,
        "processed_per_minute": 60 * total / processed_at,
        "processed_by_shell": shell_done,
        "after_ingestion": first,
        "replay": {
            "seconds": r_seconds,
            "events_per_minute": 60 * len(r_latencies) / r_seconds,
            "p50_ms": 1000 * statistics.median(r_latencies),
            "p95_ms": 1000 * pct(r_latencies, 0.95),
            "answers": r_answers,
            "http_5xx": len(r_errors),
        },
        "after_replay": second,
    }
    # Unknown-order warm-up events are kept without a key (the carrier may send them again).
    keyed = first["stored"] - first["by_state"].get("unknown_order", 0)
    done = first["by_state"].get("done", 0)
    exactly_once = (
        keyed == first["distinct_keys"] == total
        and first["pending"] == 0
        and first["history_rows"] == done  # one history row per applied event, no more
        and first["deliveries"].get("delivered", (0,))[0] == deliveries
    )
    unchanged = {k: v for k, v in first.items()} == second
    if exactly_once and unchanged:
        drop_database(db)
    else:
        log(f"check failed: database {db} kept for inspection")
    (OUT / "bench_postal_webhooks.json").write_text(json.dumps(result, indent=2, default=str))
    print("| Run | Events | Seconds | Events/min | p50 ms | p95 ms | HTTP 5xx | Answers |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    rp = result["replay"]
    print(
        f"| ingestion | {total:,} | {seconds:.1f} | {result['events_per_minute']:,.0f} "
        f"| {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {len(errors)} | {answers} |"
    )
    print(
        f"| replay | {len(r_latencies):,} | {r_seconds:.1f} | {rp['events_per_minute']:,.0f} "
        f"| {rp['p50_ms']:.1f} | {rp['p95_ms']:.1f} | {len(r_errors)} | {r_answers} |"
    )
    print(
        f"\nAll {total:,} events processed {processed_at:.1f} s after the first request "
        f"({result['processed_per_minute']:,.0f} events/min end to end; backlog after the last "
        f"answer {processed_at - seconds:.1f} s); applied by the shell processor "
        f"{shell_done:,}, by the cron process the rest. Chatter messages on the deliveries: "
        f"{first['chatter_messages']:,}."
    )
    print(
        f"\nStored events: {first['stored']:,} for {total:,} sent, {first['distinct_keys']:,} "
        f"distinct keys, {first['pending']} left pending; by state {first['by_state']}; "
        f"deliveries {{state: count}} "
        f"{ {k: v[0] for k, v in first['deliveries'].items()} }; history rows "
        f"{first['history_rows']:,}.\nExactly once: **{exactly_once}**. "
        f"Replay changed nothing: **{unchanged}**."
    )


if __name__ == "__main__":
    main()
