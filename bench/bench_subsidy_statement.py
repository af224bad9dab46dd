#!/usr/bin/env python3
"""Building and billing a subsidy statement of 20,000 claims versus 200,000 (issue 10).

    .venv/bin/python bench/bench_subsidy_statement.py [--sizes 20000,200000] [--repeat 3]

For each size, alternately and ``--repeat`` times: bulk-insert the month's confirmed claims of
one operator (not measured), then measure, as the superuser, what finance does:
``subsidy.statement._generate`` (collect the claims), ``action_confirm``, the e-invoice
fields, ``action_bill`` (the posted vendor bill, one line per policy and category, and every
claim marked billed), and a final flush. Prints time per claim, queries, and the ratios
large/small. Everything is rolled back: the database keeps only its demo data.
"""

import argparse
import statistics
import time

from bench_subsidy_common import (
    MONTH,
    bench_fixture,
    insert_claims,
    load_odoo,
    log,
    prepare_database,
)


def measure(odoo, registry, size):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        operator, policies, category = bench_fixture(env)
        insert_claims(env, size, operator, policies, category)
        env.flush_all()
        env.invalidate_all()
        queries0, t0 = cr.sql_log_count, time.perf_counter()
        statement = env["subsidy.statement"]._generate(MONTH, operator)
        statement.action_confirm()
        statement.write(
            {
                "einvoice_number": "C30TBE/0001",
                "einvoice_date": "2030-04-05",
                "einvoice_amount": statement.amount_total,
            }
        )
        # The operator's accountant answered every line (billing waits for it): one UPDATE.
        cr.execute(
            "UPDATE subsidy_claim SET operator_status = 'confirmed' WHERE statement_id = %s",
            [statement.id],
        )
        env["subsidy.claim"].invalidate_model(["operator_status"])
        statement.invalidate_recordset(["pending_count"])
        statement.action_bill()
        env.flush_all()
        elapsed, queries = time.perf_counter() - t0, cr.sql_log_count - queries0
        billed = statement.claim_count
        assert billed == size and statement.state == "billed", (billed, statement.state)
        lines = len(statement.bill_id.invoice_line_ids)
        cr.rollback()
    return {"seconds": elapsed, "queries": queries, "lines": lines}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small, large = (int(s) for s in args.sizes.split(","))
    prepare_database()
    odoo, registry = load_odoo()
    measure(odoo, registry, 1000)  # warm-up: caches, code paths
    runs = {small: [], large: []}
    for i in range(args.repeat):
        for size in (small, large) if i % 2 == 0 else (large, small):
            result = measure(odoo, registry, size)
            log(f"{size}: {result}")
            runs[size].append(result)
    med = {s: statistics.median(r["seconds"] for r in runs[s]) for s in runs}
    per_claim = {s: med[s] / s * 1e6 for s in runs}
    queries = {s: statistics.median(r["queries"] for r in runs[s]) for s in runs}
    print(f"| | {small:,} claims | {large:,} claims | ratio large/small |")
    print("|---|---:|---:|---:|")
    print(
        f"| build + confirm + bill, s (median of {args.repeat}) | {med[small]:.2f} | "
        f"{med[large]:.2f} | {med[large] / med[small]:.2f} |"
    )
    print(
        f"| time per claim, µs | {per_claim[small]:.1f} | {per_claim[large]:.1f} | "
        f"**{per_claim[large] / per_claim[small]:.2f}** (target ≤ 1.2) |"
    )
    print(
        f"| SQL queries | {queries[small]:.0f} | {queries[large]:.0f} | "
        f"**{queries[large] / queries[small]:.2f}** |"
    )
    print(f"| bill lines | {runs[small][0]['lines']} | {runs[large][0]['lines']} | |")
    print(
        f"\nRuns (s): {small:,}: {[round(r['seconds'], 2) for r in runs[small]]}; "
        f"{large:,}: {[round(r['seconds'], 2) for r in runs[large]]}"
    )


if __name__ == "__main__":
    main()
