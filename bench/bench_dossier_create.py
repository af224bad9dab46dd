#!/usr/bin/env python3
"""Dossier benchmark 1 (issue 3, "Performance"): batch creation, measured in one run.

    .venv/bin/python bench/bench_dossier_create.py [--create-n 3000] [--repeats 3]

Batch ``create()`` + flush of psa.dossier versus OCA helpdesk.ticket with comparable fields,
same database, same run, same user (a Center officer who is also a helpdesk manager); records/s,
median of the repeats, ratio dossiers/tickets, with mail tracking disabled and with it on (as
the portal and the backend create dossiers). ``bench/bench_dossiers.py --parts create`` runs the
same code.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time

from lib.common import (
    OUT,
    log,
    ratio,
)
from lib.dossiers import (
    add_common_args,
    dossier_vals,
    header_markdown,
    save_report,
    setup,
    ticket_vals,
)

NO_TRACKING = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def timed_create(env, model, vals_list, profile=None, tracking=False):
    """Create in one batch and flush, as the officer; rolled back afterwards.

    With ``tracking``, mail is on as when the portal and the backend create dossiers (creation
    message, followers, tracked initial values, including what mail writes at commit time);
    otherwise it is disabled.
    """
    records = env[model] if tracking else env[model].with_context(**NO_TRACKING)
    cr = env.cr
    q0 = cr.sql_log_count
    t0 = time.perf_counter()
    if profile:
        profile.enable()
    records.create(vals_list)
    env.flush_all()
    if tracking:
        # Tracking values and followers' notices are written at commit time: count them too.
        cr.precommit.run()
    if profile:
        profile.disable()
    elapsed = time.perf_counter() - t0
    queries = cr.sql_log_count - q0
    cr.rollback()
    env.invalidate_all()
    return elapsed, queries


def bench_create(registry, fx, n, repeats, profile_always=False):
    from odoo import api

    log(f"Part 1: batch creation, N={n}, {repeats} repeats (+ warm-up), as bench.officer")

    def staged(fx, n, offset=0):
        # What-if: the first stage given, so the stage_id default is not evaluated per record.
        return [dict(v, stage_id=fx["stages"][1]) for v in dossier_vals(fx, n, offset)]

    # label: (model, values, mail tracking on)
    makers = {
        "psa.dossier": ("psa.dossier", dossier_vals, False),
        "helpdesk.ticket": ("helpdesk.ticket", ticket_vals, False),
        "psa.dossier, stage given": ("psa.dossier", staged, False),
        "psa.dossier, tracking on": ("psa.dossier", dossier_vals, True),
        "helpdesk.ticket, tracking on": ("helpdesk.ticket", ticket_vals, True),
    }
    result = {"n": n, "repeats": repeats}
    with registry.cursor() as cr:
        env = api.Environment(cr, fx["officer"], {"lang": "en_US", "tz": "Asia/Ho_Chi_Minh"})
        for model, make, tracking in makers.values():  # warm-up: caches, prepared plans
            timed_create(env, model, make(fx, min(200, n)), tracking=tracking)
        times = {m: [] for m in makers}
        queries = {}
        order = list(makers)
        for rep in range(repeats):
            for label in order if rep % 2 == 0 else order[::-1]:
                model, make, tracking = makers[label]
                elapsed, nq = timed_create(
                    env, model, make(fx, n, offset=rep * n), tracking=tracking
                )
                times[label].append(elapsed)
                queries[label] = nq
                log(f"  {label}: {n / elapsed:8.0f} rec/s ({nq} queries)")
        for model in makers:
            med = statistics.median(times[model])
            result[model] = {
                "median_s": round(med, 3),
                "per_s": round(n / med, 1),
                "runs_per_s": [round(n / t, 1) for t in times[model]],
                "queries": queries[model],
                "queries_per_record": round(queries[model] / n, 3),
            }
        result["ratio"] = round(
            result["psa.dossier"]["per_s"] / result["helpdesk.ticket"]["per_s"], 2
        )
        result["ratio_tracking"] = round(
            result["psa.dossier, tracking on"]["per_s"]
            / result["helpdesk.ticket, tracking on"]["per_s"],
            2,
        )
        if result["ratio"] < 1.0 or profile_always:
            prof = cProfile.Profile()
            timed_create(env, "psa.dossier", dossier_vals(fx, n), profile=prof)
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
            (OUT / "create_profile.txt").write_text(buf.getvalue())
            result["profile"] = str(OUT / "create_profile.txt")
    log(
        f"  ratio dossiers/tickets = {result['ratio']} (tracking disabled), "
        f"{result['ratio_tracking']} (tracking on)"
    )
    return result


def create_markdown(c, copy=None):
    """Part 1 as Markdown; ``copy``: the COPY figures of part 2, when it ran."""
    lines = []
    d, t = c["psa.dossier"], c["helpdesk.ticket"]
    lines += [
        f"### 1. Batch creation (N = {c['n']:,} per batch, median of {c['repeats']})",
        "",
        "| | records/s | runs | queries per record |",
        "|---|---:|---|---:|",
        f"| psa.dossier (+ its document slots) | {d['per_s']:,.0f} | "
        f"{', '.join(f'{x:,.0f}' for x in d['runs_per_s'])} | {d['queries_per_record']} |",
        f"| OCA helpdesk.ticket 18.0 | {t['per_s']:,.0f} | "
        f"{', '.join(f'{x:,.0f}' for x in t['runs_per_s'])} | {t['queries_per_record']} |",
        f"| **ratio dossiers/tickets** | **{c['ratio']}** (target ≥ 1.0) | | |",
    ]
    w = c.get("psa.dossier, stage given")
    if w:
        lines.append(
            f"| what-if: psa.dossier with `stage_id` given (no per-record default query) | "
            f"{w['per_s']:,.0f} | {', '.join(f'{x:,.0f}' for x in w['runs_per_s'])} | "
            f"{w['queries_per_record']} |"
        )
    dt, tt = c.get("psa.dossier, tracking on"), c.get("helpdesk.ticket, tracking on")
    if dt and tt:
        for title, x in (
            ("psa.dossier, mail tracking on", dt),
            ("helpdesk.ticket, mail tracking on", tt),
        ):
            lines.append(
                f"| {title} | {x['per_s']:,.0f} | "
                f"{', '.join(f'{v:,.0f}' for v in x['runs_per_s'])} | {x['queries_per_record']} |"
            )
        lines.append(
            f"| **ratio dossiers/tickets, tracking on** (as the portal and backend create) | "
            f"**{c['ratio_tracking']}** | | |"
        )
    lines.append("")
    if copy:
        cp = copy
        lines += [
            f"Floor: PostgreSQL `COPY` loaded {cp['rows']:,} dossier rows at "
            f"{cp['per_s']:,} rows/s, i.e. {ratio(cp['per_s'], d['per_s'])}× the ORM "
            "(which also creates the document slots, checks access and numbers the codes).",
            "",
        ]
    return lines


def add_args(ap):
    ap.add_argument("--create-n", type=int, default=3000, help="records per batch (part 1)")
    ap.add_argument("--repeats", type=int, default=3, help="timed batches per model (part 1)")
    ap.add_argument("--profile", action="store_true", help="profile dossier creation anyway")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_common_args(ap)
    add_args(ap)
    args = ap.parse_args()
    registry, fx, res = setup(args)
    res["create"] = bench_create(registry, fx, args.create_n, args.repeats, args.profile)
    lines = header_markdown(
        res,
        " ".join(["bench/bench_dossier_create.py", *sys.argv[1:]]),
        "## Dossiers (issue 3): batch creation",
    )
    save_report("bench_dossier_create", res, "\n".join(lines + create_markdown(res["create"])))


if __name__ == "__main__":
    main()
