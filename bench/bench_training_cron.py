#!/usr/bin/env python3
"""Daily training cron at two scales, measured in one run: 2,000 agents / 20,000 certificates
against 200 agents / 2,000 certificates. Prints queries and seconds of each run and their ratios.

Usage (from the repository root, after `make test` or `make run` prepared the environment):

    .venv/bin/python bench/bench_training_cron.py [--db psa_bench_training] [--fresh]

The scratch database gets `agent_training` without demo data (installed once, reused unless
--fresh). Each data set is built inside the transaction and rolled back afterwards, so the
database stays empty and both runs see the same warm registry caches.

Data per agent: 3 portal staff and 10 certificates (staff 1 and 2 hold the 3 mandatory
courses, staff 3 two of them, plus 2 expired ones). Expiry dates are spread evenly over two
years, so on the measured day about 1/730 of the certificates expire and as many enter the
30-day warning window, as in a steady state; in 1% of the agents (and wherever the draw falls
that way) an expiry leaves a course below the minimum of 2, and the agent is suspended.
"""

import argparse
import os
import random
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import ensure_environment, load_odoo, prepare_module_db, real_clock

DAY = date(2026, 6, 1)  # the measured day
SETS = (("small", 200), ("large", 2000))


def prepare(db, fresh):
    prepare_module_db(db, "agent_training", fresh=fresh, update=False)


def build(env, agent_count, tag):
    """Agents, staff and certificates as of the day before DAY (so states are steady)."""
    from freezegun import freeze_time

    quiet = {
        "tracking_disable": True,
        "mail_create_nolog": True,
        "mail_notrack": True,
        "no_reset_password": True,
    }
    env = env(context=dict(env.context, **quiet))
    courses = env["training.course"].search([("code", "like", "BENCH-")], order="code")
    operator = env["res.partner"].create(
        {"name": f"Bench Operator {tag}", "is_company": True, "is_psa_operator": True}
    )
    portal = env.ref("base.group_portal")
    with freeze_time(DAY - timedelta(days=1)):
        agents = env["psa.agent"].create(
            [
                {"name": f"Bench agent {tag} {i}", "operator_id": operator.id}
                for i in range(agent_count)
            ]
        )
        users = env["res.users"].create(
            [
                {
                    "name": f"Staff {tag} {i}-{s}",
                    "login": f"bench.{tag}.{i}.{s}",
                    "parent_id": agent.partner_id.id,
                    "groups_id": [(6, 0, portal.ids)],
                }
                for i, agent in enumerate(agents)
                for s in range(3)
            ]
        )
        env.cr.execute("UPDATE psa_agent SET state = 'active' WHERE id IN %s", [tuple(agents.ids)])
        vals_list, k, rng = [], 0, random.Random(2026)
        for index in range(agent_count):
            staff = users[index * 3 : index * 3 + 3]
            held = [(staff[0], c) for c in courses] + [(staff[1], c) for c in courses]
            held += [(staff[2], c) for c in courses[:2]]
            for user, course in held:
                offset = rng.randrange(730)  # days until expiry, spread over two years
                if index % 100 == 0 and user == staff[0] and course == courses[2]:
                    offset = 0  # 1% of the agents lose their only spare for this course today
                expiry = DAY + timedelta(days=offset)
                vals_list.append(
                    {
                        "user_id": user.id,
                        "course_id": course.id,
                        "name": f"B{tag}/{k:07d}",
                        "date_expiry": expiry,
                        "date_issued": expiry - timedelta(days=730),
                    }
                )
                k += 1
            for user in staff[:2]:  # history: expired long ago
                vals_list.append(
                    {
                        "user_id": user.id,
                        "course_id": courses[0].id,
                        "name": f"B{tag}/{k:07d}",
                        "date_issued": date(2022, 1, 1),
                        "date_expiry": date(2024, 1, 1),
                    }
                )
                k += 1
        certificates = env["training.certificate"].create(vals_list)
    env.flush_all()
    return agents, certificates


def measure(env, agents, repeats=5):
    """Run the cron `repeats` times on the same data (rolled back in between): median time."""
    from freezegun import freeze_time

    Certificate = env["training.certificate"]
    runs = []
    with freeze_time(DAY):
        env.invalidate_all()
        counted = (
            Certificate.search_count(
                [("state", "in", ("valid", "expiring")), ("date_expiry", "<=", DAY)]
            ),
            Certificate.search_count(
                [("state", "=", "valid"), ("date_expiry", "=", DAY + timedelta(days=30))]
            ),
        )
        for _i in range(repeats):
            env.cr.execute("SAVEPOINT bench_run")
            env.invalidate_all()
            queries0, t0 = env.cr.sql_log_count, real_clock()
            Certificate._cron_daily()
            env.flush_all()
            runs.append((real_clock() - t0, env.cr.sql_log_count - queries0))
            suspended = env["psa.agent"].search_count(
                [("id", "in", agents.ids), ("state", "=", "suspended")]
            )
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_run")
    env.invalidate_all()
    return {
        "queries": runs[-1][1],
        "seconds": statistics.median(seconds for seconds, _q in runs),
        "expired": counted[0],
        "warned": counted[1],
        "suspended": suspended,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="psa_bench_training")
    parser.add_argument("--fresh", action="store_true", help="drop and reinstall the scratch db")
    args = parser.parse_args()
    ensure_environment()
    prepare(args.db, args.fresh)

    registry = load_odoo(args.db)
    from odoo import SUPERUSER_ID, api

    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("agent_training.min_certified_staff", 2)
        env["training.course"].search([]).active = False
        env["training.course"].create(
            [
                {"code": f"BENCH-{i}", "name": f"Bench course {i}", "validity_months": 24}
                for i in range(3)
            ]
        )
        for name, count in (("warmup", 20), *SETS):
            cr.execute("SAVEPOINT bench_set")
            t0 = real_clock()
            agents, certificates = build(env, count, name)
            built = real_clock() - t0
            result = measure(env, agents)
            result.update(
                {"agents": len(agents), "certificates": len(certificates), "build": built}
            )
            results[name] = result
            cr.execute("ROLLBACK TO SAVEPOINT bench_set")
            env.invalidate_all()
        cr.rollback()

    print(
        f"Training cron on {DAY} ({os.cpu_count()} cores), one run; median of 5 cron runs per "
        "set, data rolled back:"
    )
    print(
        f"{'set':<7}{'agents':>8}{'certs':>8}{'expired':>9}{'warned':>8}{'suspended':>10}"
        f"{'queries':>9}{'seconds':>9}"
    )
    for name, _count in SETS:
        r = results[name]
        print(
            f"{name:<7}{r['agents']:>8}{r['certificates']:>8}{r['expired']:>9}{r['warned']:>8}"
            f"{r['suspended']:>10}{r['queries']:>9}{r['seconds']:>9.3f}"
        )
    small, large = results["small"], results["large"]
    print(
        f"ratio large/small (10x records): queries {large['queries'] / small['queries']:.2f}, "
        f"time {large['seconds'] / small['seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
