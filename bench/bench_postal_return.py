#!/usr/bin/env python3
"""Return deliveries created in one batch for N done dossiers: 10,000 versus 100,000 (issue 9).

Run from the repository root, with a database where postal_delivery is installed (for example
the demo database of ``make run``; it is copied, never changed):

    .venv/bin/python bench/bench_postal_return.py --source-db psa_demo --sizes 10000,100000

For each size, a fresh copy of the source database gets N dossiers in status 9 ("processed",
return by post) bulk-inserted in SQL, then ``psa.dossier._postal_create_return_deliveries()``
creates their deliveries in one call, as the hook does when a batch of dossiers is marked
done. Reported: seconds, time per delivery, SQL queries of the batch (the cursor's counter),
and the ratio of time per delivery between the largest and the smallest size.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import (
    CONF,
    ODOO_SRC,
    OUT,
    copy_database,
    drop_database,
    ensure_environment,
    log,
    pg_connect,
)

sys.path.insert(0, str(ODOO_SRC))


def seed_dossiers(db, n):
    """N processed dossiers returned by post, over 1,000 citizens with an address."""
    conn = pg_connect(db, autocommit=False)
    cur = conn.cursor()
    cur.execute("SELECT id FROM psa_dossier_stage WHERE status_code = 9")
    stage = cur.fetchone()[0]
    cur.execute("SELECT id, operator_id FROM psa_agent WHERE state = 'active' ORDER BY id LIMIT 1")
    agent, operator = cur.fetchone()
    cur.execute("SELECT id FROM psa_procedure ORDER BY id LIMIT 1")
    procedure = cur.fetchone()[0]
    cur.execute("SELECT id FROM psa_admin_unit WHERE level = 'ward' AND NOT is_legacy LIMIT 1")
    ward = cur.fetchone()[0]
    cur.execute(
        """
        INSERT INTO res_partner (name, street, phone, ward_id, active, type, is_company,
                                 create_date, write_date, autopost_bills)
        SELECT 'Bench Citizen ' || g, g || ' Hàng Bài', '09' || lpad(g::text, 8, '0'), %s,
               true, 'contact', false, now(), now(), 'ask'
        FROM generate_series(1, 1000) g RETURNING id
        """,
        (ward,),
    )
    citizens = [row[0] for row in cur.fetchall()]
    cur.execute(
        """
        INSERT INTO psa_dossier (name, procedure_id, agent_id, operator_id, company_id,
            citizen_id, channel, return_method, stage_id, status_code, is_closed, is_overdue,
            date_received, date_done, create_date, write_date, create_uid, write_uid)
        SELECT 'BENCH-' || lpad(g::text, 7, '0'), %s, %s, %s, 1, (%s::int[])[1 + g %% 1000],
               'counter', 'post', %s, 9, false, false, now(), now(), now(), now(), 1, 1
        FROM generate_series(1, %s) g
        """,
        (procedure, agent, operator, citizens, stage, n),
    )
    conn.commit()
    conn.autocommit = True
    cur.execute("ANALYZE psa_dossier")
    cur.execute("ANALYZE res_partner")
    conn.close()


def measure(db, n):
    import odoo
    from odoo import SUPERUSER_ID, api

    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        dossiers = env["psa.dossier"].search([("name", "like", "BENCH-")])
        assert len(dossiers) == n, (len(dossiers), n)
        env.invalidate_all()
        start_queries = cr.sql_log_count
        start = time.perf_counter()
        deliveries = dossiers._postal_create_return_deliveries()
        env.flush_all()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
        created = len(deliveries)
        cr.execute(
            "SELECT count(*), count(DISTINCT name), count(DISTINCT dossier_id) FROM postal_delivery"
            " WHERE dossier_id IN (SELECT id FROM psa_dossier WHERE name LIKE 'BENCH-%%')"
        )
        rows, names, per_dossier = cr.fetchone()
        cr.rollback()
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    assert created == n == rows == names == per_dossier, (created, rows, names, per_dossier)
    return {"n": n, "seconds": seconds, "ms_per_delivery": 1000 * seconds / n, "queries": queries}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-db", default="psa_demo")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    ensure_environment()
    import odoo

    odoo.tools.config.parse_config(
        ["-c", str(CONF), "--log-level=warn", "--max-cron-threads=0"], setup_logging=True
    )
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        db = f"psa_bench_postal_{n}"
        log(f"copy {args.source_db} -> {db}, seed {n:,} processed dossiers")
        copy_database(args.source_db, db)
        try:
            seed_dossiers(db, n)
            log(f"create {n:,} return deliveries in one batch")
            result = measure(db, n)
        finally:
            drop_database(db)
        log(json.dumps(result))
        results.append(result)
    small, large = results[0], results[-1]
    ratio = large["ms_per_delivery"] / small["ms_per_delivery"]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_postal_return.json").write_text(json.dumps({"results": results, "ratio": ratio}))
    print("| Dossiers in the batch | Seconds | ms per delivery | SQL queries | queries per 1,000 |")
    print("|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['n']:,} | {r['seconds']:.1f} | {r['ms_per_delivery']:.3f} | {r['queries']:,} "
            f"| {1000 * r['queries'] / r['n']:.1f} |"
        )
    print(f"\nTime per delivery, {large['n']:,} / {small['n']:,}: **{ratio:.2f}** (goal ≤ 1.2)")


if __name__ == "__main__":
    main()
