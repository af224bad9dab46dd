#!/usr/bin/env python3
"""Broker-signal computation at 100,000 and at 1,000,000 dossiers, measured in one run.

Usage (from the repository root, after `make test` or `make run` prepared the environment):

    .venv/bin/python bench/bench_quality_signals.py [--rows 1000000] [--small 100000] [--fresh]

The scratch database `psa_bench_signals` gets `public_service_agent` without demo data
(installed once and updated at each run; --fresh reinstalls it). The data is loaded with
set-based INSERTs inside one transaction, measured, and rolled back at the end, so the
database stays empty.

Data: 200 active agents of one operator, one staff member each, 9 procedures; 8,000 dossiers a
day, newest first (the small set is the most recent 12.5 days, the large one adds the older
history), in blocks of 100 per agent, two per citizen. The suspicious patterns are the same in
both sets, so that both compute the same signals from 10x the rows: 50 groups of 5 recent
citizens sharing a phone, 20 proxies filing 1 recent dossier in 20 (the first 20,000), 10% of
the dossiers with a supplement request (30% at 10 agents), 2% refused (8% at 5 agents), one
complaint per 1,000 dossiers (a third about extra fees), one evaluation per 20 dossiers (one in
50 of them scoring 0 on cost); filing times are spread over the day, so every agent has
out-of-hours filings. The rules keep their default thresholds and their 90-day window, which
holds 720,000 of the 1,000,000 dossiers.

Each set is measured 3 times (median), each run rolled back to a savepoint so that every run
creates its signals from scratch; ANALYZE runs before measuring.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import ensure_environment, load_odoo, prepare_module_db, real_clock

PER_DAY = 8000
AGENTS = 200


def prepare(db, fresh):
    prepare_module_db(db, "public_service_agent", fresh=fresh, update=True)


def fixtures(env):
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "no_reset_password": True}
    env = env(context=dict(env.context, **quiet))
    operator = env["res.partner"].create(
        {"name": "Bench operator", "is_company": True, "is_psa_operator": True}
    )
    agents = env["psa.agent"].create(
        [{"name": f"Bench agent {i}", "operator_id": operator.id} for i in range(AGENTS)]
    )
    env.cr.execute("UPDATE psa_agent SET state = 'active' WHERE id IN %s", [tuple(agents.ids)])
    portal = env.ref("base.group_portal")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench staff {i}",
                "login": f"bench.signals.{i}",
                "parent_id": agent.partner_id.id,
                "groups_id": [(6, 0, portal.ids)],
            }
            for i, agent in enumerate(agents)
        ]
    )
    procedures = env["psa.procedure"].create(
        [
            {
                "code": f"BENCH.{i}",
                "name": f"Bench procedure {i}",
                "agency_name": "Sở Tư pháp",
                "agency_code": "000.00.05.H26",
                "processing_days": 5,
            }
            for i in range(9)
        ]
    )
    stages = {s.status_code: s.id for s in env["psa.dossier.stage"].search([])}
    env.flush_all()
    return {
        "agents": agents.ids,
        "users": users.ids,
        "procedures": procedures.ids,
        "operator": operator.id,
        "stages": stages,
        "company": env.company.id,
        "ticket_stage": env.ref("public_service_agent.ticket_stage_new").id,
    }


def load(cr, fx, first, last):
    """Dossiers first..last (1 = newest), their citizens, complaints and evaluations."""
    params = {
        "first": first,
        "last": last,
        "agents": fx["agents"],
        "users": fx["users"],
        "procedures": fx["procedures"],
        "operator": fx["operator"],
        "company": fx["company"],
        "per_day": PER_DAY,
        "returned": fx["stages"][10],
        "refused": fx["stages"][3],
        "ticket_stage": fx["ticket_stage"],
        "n_agents": AGENTS,
    }
    # Citizens: one per two dossiers; the 250 most recent share phones by groups of 5.
    cr.execute(
        """
        INSERT INTO res_partner (name, psa_cccd, phone, active, type, is_company,
                                 create_date, write_date)
        SELECT 'Công dân ' || c,
               '001' || lpad((c %% 1000000000)::text, 9, '0'),
               CASE WHEN c <= 250 THEN '+849000' || lpad((c / 5)::text, 5, '0')
                    ELSE '+849' || lpad(c::text, 8, '0') END,
               true, 'contact', false, now(), now()
          FROM generate_series((%(first)s + 1) / 2, %(last)s / 2) c
        """,
        params,
    )
    cr.execute("SELECT min(id), max(id) FROM res_partner WHERE name LIKE 'Công dân %%'")
    low, high = cr.fetchone()
    params.update(low=low, span=high - low + 1)
    cr.execute(
        """
        INSERT INTO psa_dossier (name, procedure_id, agency_code, agent_id, operator_id,
                                 staff_user_id, company_id, citizen_id, proxy_id, channel,
                                 return_method, stage_id, status_code, is_closed,
                                 date_received, supplement_request, create_date, write_date)
        SELECT 'B-' || g,
               (%(procedures)s::int[])[1 + g %% 9],
               '000.00.05.H26',
               (%(agents)s::int[])[1 + a],
               %(operator)s,
               (%(users)s::int[])[1 + a],
               %(company)s,
               %(low)s + (g / 2) %% %(span)s,
               CASE WHEN g %% 20 = 0 AND g <= 20000 THEN %(low)s + (g / 20) %% 20 END,
               'counter', 'post',
               CASE WHEN refused THEN %(refused)s ELSE %(returned)s END,
               CASE WHEN refused THEN 3 ELSE 10 END,
               true,
               ts,
               CASE WHEN g %% 10 = 0 OR (a < 10 AND g %% 10 < 3) THEN '- Bản sao CCCD' END,
               ts, ts
          FROM (
            SELECT g, (g / 100) %% %(n_agents)s AS a,
                   (g %% 50 = 0 OR ((g / 100) %% %(n_agents)s BETWEEN 10 AND 14 AND g %% 25 < 2))
                       AS refused,
                   now() AT TIME ZONE 'UTC' - (g::float / %(per_day)s) * interval '1 day' AS ts
              FROM generate_series(%(first)s, %(last)s) g
          ) s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO psa_ticket (name, subject, channel, ticket_type, category, stage_id,
                                company_id, agent_id, staff_user_id, dossier_id, date_open,
                                priority, create_date, write_date)
        SELECT 'B-PA-' || d.id, 'Phản ánh', 'hotline_1022', 'complaint',
               CASE WHEN d.id %% 3 = 0 THEN 'extra_fee' ELSE 'delay' END,
               %(ticket_stage)s, d.company_id, d.agent_id, d.staff_user_id, d.id,
               d.create_date, '0', d.create_date, d.create_date
          FROM psa_dossier d
         WHERE d.name LIKE 'B-%%' AND substr(d.name, 3)::int BETWEEN %(first)s AND %(last)s
           AND d.id %% 1000 = 0
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO psa_dossier_evaluation (dossier_id, agent_id, staff_user_id, score_publicity,
               score_time, score_contacts, score_agencies, score_attitude, score_result,
               score_cost, score_feedback, score_online, score_total, score_percent,
               create_date, write_date)
        SELECT d.id, d.agent_id, d.staff_user_id, '2', '2', '2', '2', '2', '2',
               CASE WHEN d.id %% 1000 = 20 THEN '0' ELSE '2' END, '2', '2', 18, 100,
               d.create_date, d.create_date
          FROM psa_dossier d
         WHERE d.name LIKE 'B-%%' AND substr(d.name, 3)::int BETWEEN %(first)s AND %(last)s
           AND d.id %% 20 = 0
        """,
        params,
    )
    cr.execute("ANALYZE res_partner, psa_dossier, psa_ticket, psa_dossier_evaluation")


def measure(env, repeats=3):
    Signal = env["psa.quality.signal"]
    runs = []
    for _i in range(repeats):
        env.cr.execute("SAVEPOINT bench_run")
        env.invalidate_all()
        queries0, t0 = env.cr.sql_log_count, real_clock()
        signals = Signal._cron_compute_signals()
        env.flush_all()
        runs.append((real_clock() - t0, env.cr.sql_log_count - queries0, len(signals)))
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_run")
    env.invalidate_all()
    env.cr.execute("SELECT count(*) FROM psa_dossier")
    return {
        "dossiers": env.cr.fetchone()[0],
        "seconds": statistics.median(r[0] for r in runs),
        "queries": runs[-1][1],
        "signals": runs[-1][2],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="psa_bench_signals")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="drop and reinstall the scratch db")
    args = parser.parse_args()
    ensure_environment()
    prepare(args.db, args.fresh)

    registry = load_odoo(args.db)
    from odoo import SUPERUSER_ID, api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        fx = fixtures(env)
        t0 = real_clock()
        load(cr, fx, 1, args.small)
        small_load = real_clock() - t0
        results["small"] = measure(env)
        t0 = real_clock()
        load(cr, fx, args.small + 1, args.rows)
        large_load = real_clock() - t0
        results["large"] = measure(env)
        cr.rollback()

    load_avg = os.getloadavg()[0]
    print(
        f"Broker signals ({os.cpu_count()} cores, load average {load_avg:.1f} at the end), "
        f"one run; median of 3 computations per set, each creating its signals:"
    )
    print(f"{'set':<7}{'dossiers':>10}{'signals':>9}{'queries':>9}{'seconds':>9}")
    for name in ("small", "large"):
        r = results[name]
        print(f"{name:<7}{r['dossiers']:>10}{r['signals']:>9}{r['queries']:>9}{r['seconds']:>9.2f}")
    small, large = results["small"], results["large"]
    print(
        f"ratio large/small ({large['dossiers'] / small['dossiers']:.0f}x dossiers): "
        f"queries {large['queries'] / small['queries']:.2f}, "
        f"time {large['seconds'] / small['seconds']:.2f}"
    )
    print(f"(loading: {small_load:.0f} s for the small set, {large_load:.0f} s more for the large)")


if __name__ == "__main__":
    main()
