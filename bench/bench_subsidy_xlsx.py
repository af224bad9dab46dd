#!/usr/bin/env python3
"""Peak memory of the XLSX reconciliation: 200,000 lines versus 20,000 (issue 10).

    .venv/bin/python bench/bench_subsidy_xlsx.py [--sizes 20000,200000] [--repeat 2]

Each measurement runs in a fresh child process (peak RSS is per process): load Odoo, insert
the claims of one confirmed statement (not measured), note the RSS, render the report
``subsidy.action_report_subsidy_statement_xlsx`` through ``ir.actions.report._render_xlsx``
(xlsxwriter in constant-memory mode, claims read in chunks of 5,000), then report the peak
RSS (``ru_maxrss``), the growth over the RSS before rendering, the time per line and the file
size. Sizes alternate; everything is rolled back.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

from bench_subsidy_common import (
    MONTH,
    bench_fixture,
    insert_claims,
    load_odoo,
    log,
    prepare_database,
)


def rss_now_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(size):
    odoo, registry = load_odoo()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        operator, policies, category = bench_fixture(env)
        statement = env["subsidy.statement"].create(
            {"operator_id": operator.id, "date_from": MONTH}
        )
        insert_claims(env, size, operator, policies, category, statement=statement)
        statement.write({"state": "confirmed"})
        env.flush_all()
        env.invalidate_all()
        # A small render first (another operator's statement of 100 lines), so that code
        # paths and imports are not counted as data.
        warm_operator, _p, _c = bench_fixture(env)
        warm = env["subsidy.statement"].create(
            {"operator_id": warm_operator.id, "date_from": MONTH}
        )
        insert_claims(env, 100, warm_operator, policies, category, statement=warm)
        env["ir.actions.report"]._render_xlsx(
            "subsidy.action_report_subsidy_statement_xlsx", warm.ids, None
        )
        before = rss_now_kib()
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        content, _fmt = env["ir.actions.report"]._render_xlsx(
            "subsidy.action_report_subsidy_statement_xlsx", statement.ids, None
        )
        elapsed = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cr.rollback()
    print(
        json.dumps(
            {
                "size": size,
                "seconds": elapsed,
                "rss_before_kib": before,
                "peak_before_kib": peak_before,
                "peak_kib": peak,
                "growth_kib": peak - before,
                "bytes": len(content),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        prepare_database()
        child(args.child)
        return
    small, large = (int(s) for s in args.sizes.split(","))
    prepare_database()
    runs = {small: [], large: []}
    for i in range(args.repeat):
        for size in (small, large) if i % 2 == 0 else (large, small):
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(size)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            log(result)
            runs[size].append(result)

    def med(size, key):
        return statistics.median(r[key] for r in runs[size])

    peak = {s: med(s, "peak_kib") / 1024 for s in runs}
    growth = {s: med(s, "growth_kib") / 1024 for s in runs}
    per_line = {s: med(s, "seconds") / s * 1e6 for s in runs}
    print(f"| | {small:,} lines | {large:,} lines | ratio large/small |")
    print("|---|---:|---:|---:|")
    print(
        f"| peak RSS of the process, MiB | {peak[small]:.0f} | {peak[large]:.0f} | "
        f"**{peak[large] / peak[small]:.2f}** (target ≤ 1.2) |"
    )
    print(
        f"| RSS growth while rendering, MiB | {growth[small]:.1f} | {growth[large]:.1f} | "
        f"{growth[large] / max(growth[small], 0.1):.2f} |"
    )
    print(
        f"| time per line, µs | {per_line[small]:.1f} | {per_line[large]:.1f} | "
        f"{per_line[large] / per_line[small]:.2f} |"
    )
    print(f"| render time, s | {med(small, 'seconds'):.2f} | {med(large, 'seconds'):.2f} | |")
    size_kib = {s: med(s, "bytes") / 1024 for s in runs}
    print(f"| file size, KiB | {size_kib[small]:.0f} | {size_kib[large]:.0f} | |")


if __name__ == "__main__":
    main()
