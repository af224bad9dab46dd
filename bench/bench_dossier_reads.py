#!/usr/bin/env python3
"""Dossier benchmark 2 (issue 3, "Performance"): the kanban and the overdue filter at two sizes.

    .venv/bin/python bench/bench_dossier_reads.py --rows 1000000 [--small 10000] [--whatif]

Opening the dossier kanban as the web client does (``web_read_group`` by stage with the default
"In Progress" filter, then ``web_search_read`` of the first 80 cards of each unfolded column) and
the "Overdue" list (count + first 80), as a Center officer (record rules apply), at 10,000 and at
1,000,000 dossiers bulk-loaded with COPY; the PostgreSQL floor, the query plans, and optional
"what-if" indexes (bench database only). ``bench/bench_dossiers.py --parts kanban`` runs the
same code.
"""

import argparse
import contextlib
import functools
import io
import re
import statistics
import sys
import time
from datetime import datetime, timedelta

from lib.common import (
    copy_database,
    drop_database,
    log,
    ms,
    pg_connect,
    ratio,
)
from lib.dossiers import (
    add_common_args,
    header_markdown,
    save_report,
    setup,
)

KANBAN_CARDS = 80  # the brief's figure; Odoo 18's kanban asks for 40 per column
COUNT_LIMIT = 10001  # the web client's count_limit (DEFAULT_COUNT_LIMIT + 1)
GROUPS_LIMIT = 9007199254740991  # kanban: groupsLimit = Number.MAX_SAFE_INTEGER

# What the kanban view and the list view of psa_dossier_views.xml ask for (web client spec).
M2O = {"fields": {"display_name": {}}}
KANBAN_SPEC = {
    "kanban_state": {},
    "stage_id": M2O,
    "name": {},
    "date_due": {},
    "citizen_id": M2O,
    "procedure_id": M2O,
    "agent_id": M2O,
    "activity_ids": {},
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": M2O,
}
LIST_SPEC = {
    "name": {},
    "citizen_id": M2O,
    "procedure_id": M2O,
    "agent_id": M2O,
    "operator_id": M2O,
    "ward_id": M2O,
    "date_received": {},
    "date_due": {},
    "stage_id": M2O,
    "is_overdue": {},
    "is_closed": {},
}
OPEN_DOMAIN = [("is_closed", "=", False)]
OVERDUE_DOMAIN = [("is_overdue", "=", True)]
# The predicates Odoo 18 writes for these domains (BaseModel._condition_to_sql), and indexes
# PostgreSQL can match them with: used for the "what-if" figures only, in psa_bench only.
WHATIF_INDEXES = {
    "bench_whatif_open_stage_idx": "(stage_id, id) WHERE (is_closed IS NULL OR is_closed = false)",
    "bench_whatif_overdue_idx": "(date_due) WHERE is_overdue",
}


# ----------------------------------------------------------------------------- part 2: data
def mix(x):
    """A cheap deterministic 32-bit hash (per-row pseudo-randomness without state)."""
    x = ((x ^ (x >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    x = ((x ^ (x >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    return x ^ (x >> 16)


COPY_COLUMNS = (
    "id name procedure_id agency_code agent_id operator_id staff_user_id company_id citizen_id "
    "street channel return_method stage_id status_code is_closed date_received date_due "
    "date_warning date_paused date_done date_returned is_overdue is_on_time on_time_percent "
    "processing_days apology_issued evaluation_sent evaluation_token refusal_reason "
    "create_uid create_date write_uid write_date"
).split()
OPEN_MIX = [(1, 8), (2, 17), (4, 45), (5, 10), (6, 5), (9, 15)]  # status code, percent
CHANNELS = ["counter"] * 7 + ["pickup", "contact_centre", "online"]
RETURNS = ["post", "post", "agent", "center"]


class Plan:
    """Which id gets which fate in a history of `rows` dossiers, 8,000 a day, ids chronological.

    The open set (``n_open`` dossiers, ``n_overdue_open`` of them past due) is the same at every
    size: the small database is that open set plus the most recent closed dossiers, and the
    large one adds the older history below them.
    """

    def __init__(self, rows, per_day, n_open, n_overdue_open, late_rate, seed, now):
        self.rows, self.per_day, self.seed, self.now = rows, per_day, seed, now
        self.late_per_million = int(late_rate * 1_000_000)
        days = -(-rows // per_day)
        self.first_day = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0)
        # Open and on time: filed in the last 3 days; open and past due: filed 8-30 days ago.
        recent_lo = max(1, rows - max(3 * per_day, 2 * n_open))
        old_hi, old_lo = max(1, rows - 8 * per_day), max(1, rows - 30 * per_day)
        if old_hi - old_lo < 2 * n_overdue_open or recent_lo <= old_hi:
            raise SystemExit("--rows is too small for --per-day, --open and --overdue-open")
        self.open = {}
        k = 0
        while len(self.open) < n_open - n_overdue_open:
            self.open.setdefault(recent_lo + mix(seed * 31 + k) % (rows - recent_lo + 1), False)
            k += 1
        while len(self.open) < n_open:
            self.open.setdefault(old_lo + mix(seed * 37 + k) % (old_hi - old_lo + 1), True)
            k += 1

    def small_ids(self, n_small):
        ids = set(self.open)
        oid = self.rows
        while len(ids) < n_small and oid > 0:
            ids.add(oid)
            oid -= 1
        return sorted(ids)

    def received(self, oid, r):
        day = self.first_day + timedelta(days=(oid - 1) // self.per_day)
        return day + timedelta(hours=1, seconds=r % 32400)  # 08:00-17:00 in Hanoi, UTC+7

    def row(self, oid, fx):
        r = mix(oid * 2654435761 + self.seed)
        p = r % len(fx["procedures"])
        agent = fx["agents"][(r >> 4) % len(fx["agents"])]
        days = fx["procedure_days"][p]
        received = self.received(oid, r)
        span = timedelta(days=days * 1.4)
        v = {
            "id": oid,
            "name": f"{fx['agency_codes'][p]}-{received:%y%m%d}-{(oid - 1) % self.per_day + 1:04d}",
            "procedure_id": fx["procedures"][p],
            "agency_code": fx["agency_codes"][p],
            "agent_id": agent,
            "operator_id": fx["operator_of_agent"][agent],
            "staff_user_id": fx["staff"][(r >> 4) % len(fx["staff"])],
            "company_id": fx["company_id"],
            "citizen_id": fx["citizens"][(r >> 8) % len(fx["citizens"])],
            "street": f"Số {r % 200 + 1} phố Hàng Bạc",
            "channel": CHANNELS[(r >> 12) % len(CHANNELS)],
            "return_method": RETURNS[(r >> 16) % len(RETURNS)],
            "date_received": received,
            "create_date": received,
            "apology_issued": False,
            "evaluation_sent": False,
            "on_time_percent": None,
        }
        if oid in self.open:
            self._open(v, r, span, overdue=self.open[oid])
        else:
            self._closed(v, r, span, oid)
        return v

    def _open(self, v, r, span, overdue):
        pick, code = (r >> 20) % 100, 4
        for status, percent in OPEN_MIX:
            if pick < percent:
                code = status
                break
            pick -= percent
        if overdue:
            code = (2, 4, 6)[r % 3]
        v.update(status_code=code, is_closed=False, is_overdue=overdue)
        if code == 1:
            v.update(date_received=None)
            return
        if overdue:
            due = min(v["date_received"] + span, self.now - timedelta(hours=1 + r % 200))
        else:
            due = max(v["date_received"] + span, self.now + timedelta(hours=2 + r % 150))
        v.update(date_due=due, date_warning=due - timedelta(days=1))
        if code == 5:
            v["date_paused"] = self.now - timedelta(hours=1 + r % 40)
        if code == 9:
            v.update(date_done=self.now - timedelta(minutes=5 + r % 600), is_on_time=True)
            v.update(on_time_percent=100.0, processing_days=round(days_between(v), 2))

    def _closed(self, v, r, span, oid):
        code = 10
        if (r >> 24) % 1000 == 0:
            code = 3  # not received (refused at the counter)
        elif (r >> 24) % 1000 == 1:
            code = 7  # withdrawn
        v.update(status_code=code, is_closed=True, is_overdue=False)
        if code == 3:
            v.update(date_received=None, refusal_reason="Hồ sơ không đúng thủ tục")
            return
        due = v["date_received"] + span
        v.update(date_due=due, date_warning=due - timedelta(days=1))
        if code == 7:
            return
        room = min(span, self.now - v["date_received"])
        done = v["date_received"] + room * (0.2 + (r >> 8) % 70 / 100)
        late = mix(oid + self.seed * 101) % 1_000_000 < self.late_per_million
        if late:
            v.update(date_due=done - timedelta(hours=20), date_warning=done - timedelta(days=2))
        returned = done + (self.now - done) * 0.3
        # Closed dossiers are never overdue (the model keeps lateness in is_on_time).
        v.update(date_done=done, date_returned=returned, is_overdue=False, is_on_time=not late)
        v.update(on_time_percent=0.0 if late else 100.0, processing_days=round(days_between(v), 2))
        v["evaluation_token"] = f"{mix(oid):08x}{mix(oid + 1):08x}{mix(oid + 2):08x}"


def days_between(v):
    return (v["date_done"] - v["date_received"]).total_seconds() / 86400


def copy_text(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def copy_rows(conn, plan, fx, ids, chunk=50_000):
    """COPY the given ids into psa_dossier; returns (rows, copy seconds, generation seconds)."""
    stage = fx["stages"]
    uid = fx["officer"]
    cols = ", ".join(COPY_COLUMNS)
    cur = conn.cursor()
    t_copy = t_gen = 0.0
    for start in range(0, len(ids), chunk):
        t0 = time.perf_counter()
        buf = io.StringIO()
        for oid in ids[start : start + chunk]:
            v = plan.row(oid, fx)
            v.update(stage_id=stage[v["status_code"]], create_uid=uid, write_uid=uid)
            v["write_date"] = v.get("date_returned") or v.get("date_done") or v["create_date"]
            buf.write("\t".join(copy_text(v.get(c)) for c in COPY_COLUMNS))
            buf.write("\n")
        buf.seek(0)
        t1 = time.perf_counter()
        cur.execute("BEGIN")
        cur.copy_expert(f"COPY psa_dossier ({cols}) FROM STDIN", buf)
        cur.execute("COMMIT")
        t_copy += time.perf_counter() - t1
        t_gen += t1 - t0
    cur.execute("SELECT setval('psa_dossier_id_seq', (SELECT max(id) FROM psa_dossier))")
    return len(ids), t_copy, t_gen


def vacuum_analyze(conn):
    t0 = time.perf_counter()
    conn.cursor().execute("VACUUM (ANALYZE) psa_dossier")
    return time.perf_counter() - t0


# ----------------------------------------------------------------------------- part 2: reads
class QueryLog:
    """Records the SQL a cursor runs (to EXPLAIN the ORM's own queries)."""

    def __init__(self, cr):
        self.cr, self.queries = cr, []

    def __enter__(self):
        orig = type(self.cr).execute

        def execute(cr_self, query, params=None, log_exceptions=True):
            code = getattr(query, "code", None)
            self.queries.append((code, query.params) if code is not None else (query, params))
            return orig(cr_self, query, params, log_exceptions)

        self.cr.execute = execute.__get__(self.cr)
        return self

    def __exit__(self, *exc):
        del self.cr.execute


def kanban_open(env, cards):
    """What the web client runs to open the dossier kanban with the "In Progress" filter."""
    dossiers = env["psa.dossier"]
    res = dossiers.web_read_group(OPEN_DOMAIN, [], ["stage_id"], limit=GROUPS_LIMIT, orderby="")
    shown = 0
    for group in res["groups"]:
        if group.get("__fold") or not group.get("stage_id_count"):
            continue
        ctx = {"bin_size": True, "default_stage_id": group["stage_id"][0]}
        page = dossiers.with_context(**ctx).web_search_read(
            group["__domain"], KANBAN_SPEC, offset=0, limit=cards, order="", count_limit=COUNT_LIMIT
        )
        shown += len(page["records"])
    return {"columns": len(res["groups"]), "cards": shown}


def overdue_list(env, cards):
    """The list with the "Overdue" filter: first page and its count (web_search_read)."""
    page = (
        env["psa.dossier"]
        .with_context(bin_size=True)
        .web_search_read(
            OVERDUE_DOMAIN, LIST_SPEC, offset=0, limit=cards, order="", count_limit=COUNT_LIMIT
        )
    )
    return {"count": page["length"], "rows": len(page["records"])}


# The page first (top 80 by id), then the names of its citizens, procedures and agents.
FLOOR_CARDS_SQL = """
    SELECT d.id, d.name, d.date_due, d.date_warning, d.is_closed, d.stage_id,
           c.name, p.code || ' - ' || p.name, ap.name
      FROM (SELECT id, name, date_due, date_warning, is_closed, stage_id,
                   citizen_id, procedure_id, agent_id
              FROM psa_dossier
             WHERE {where}
          ORDER BY id DESC LIMIT %s) d
      JOIN res_partner c ON c.id = d.citizen_id
      JOIN psa_procedure p ON p.id = d.procedure_id
      LEFT JOIN psa_agent a ON a.id = d.agent_id
      LEFT JOIN res_partner ap ON ap.id = a.partner_id
  ORDER BY d.id DESC
"""


def floor_kanban(conn, cards, open_stage_ids):
    cur = conn.cursor()
    cur.execute(
        "SELECT stage_id, count(*) FROM psa_dossier"
        " WHERE (is_closed IS NULL OR is_closed = false) GROUP BY stage_id"
    )
    counts = dict(cur.fetchall())
    shown = 0
    sql = FLOOR_CARDS_SQL.format(where="stage_id = %s AND (is_closed IS NULL OR is_closed = false)")
    for stage_id in open_stage_ids:
        if counts.get(stage_id):
            cur.execute(sql, (stage_id, cards))
            shown += len(cur.fetchall())
    return {"cards": shown}


def floor_overdue(conn, cards):
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM psa_dossier WHERE is_overdue")
    count = cur.fetchone()[0]
    cur.execute(FLOOR_CARDS_SQL.format(where="is_overdue"), (cards,))
    return {"count": count, "rows": len(cur.fetchall())}


def explain_orm(env, conn, fn):
    """EXPLAIN ANALYZE the ORM's queries on psa_dossier during one call of `fn`."""
    env.invalidate_all()
    with QueryLog(env.cr) as qlog:
        fn()
    cur = conn.cursor()
    plans = []
    for code, params in qlog.queries:
        if 'FROM "psa_dossier"' not in code or code.lstrip().upper().startswith(
            ("INSERT", "UPDATE")
        ):
            continue
        sql = cur.mogrify(code, params).decode()
        cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " + sql)
        lines = [row[0] for row in cur.fetchall()]
        exec_ms = next((ln.split(":")[1].strip() for ln in lines if "Execution Time" in ln), "?")
        scans = sorted({re.sub(r"\s+\(.*", "", ln.strip(" ->")) for ln in lines if "Scan" in ln})
        scans += [ln.strip() for ln in lines if "Heap Fetches" in ln and not ln.endswith(": 0")]
        flat = " ".join(sql.split())
        plans.append({"kind": plan_kind(flat), "sql": flat[:300], "exec": exec_ms, "scans": scans})
    return plans


def orm_task(env, fn, cards):
    """One timed call as the web client would make it: ORM cache cleared, queries counted."""

    def run():
        env.invalidate_all()
        q0 = env.cr.sql_log_count
        res = fn(env, cards)
        res["queries"] = env.cr.sql_log_count - q0
        return res

    return run


def measure_reads(dbs, fx, args, label):
    """Time the kanban, the overdue list and their floors on every database in turn.

    ``dbs`` maps a size to (registry, connection). The sizes are measured in alternation,
    round after round, so that load from elsewhere on a shared machine hits them alike.
    """
    from odoo import api

    ctx = {
        "lang": "en_US",
        "tz": "Asia/Ho_Chi_Minh",
        "uid": fx["officer"],
        "allowed_company_ids": [fx["company_id"]],
    }
    cards = args.cards
    open_stages = [fx["stages"][code] for code, _percent in OPEN_MIX]  # the unfolded columns
    tasks, envs = {}, {}
    with contextlib.ExitStack() as stack:
        for size, (registry, conn) in dbs.items():
            env = api.Environment(stack.enter_context(registry.cursor()), fx["officer"], ctx)
            assert not env.su and not env.user._is_superuser()
            envs[size] = env
            tasks[size, "kanban"] = orm_task(env, kanban_open, cards)
            tasks[size, "overdue"] = orm_task(env, overdue_list, cards)
            tasks[size, "kanban_floor"] = functools.partial(floor_kanban, conn, cards, open_stages)
            tasks[size, "overdue_floor"] = functools.partial(floor_overdue, conn, cards)
        for task in tasks.values():  # warm-up
            task()
        keys = list(tasks)
        times = {key: [] for key in keys}
        results = {}
        for rnd in range(args.read_repeat):
            for key in keys if rnd % 2 == 0 else keys[::-1]:
                t0 = time.perf_counter()
                results[key] = tasks[key]()
                times[key].append(time.perf_counter() - t0)
        out = {size: {} for size in dbs}
        for (size, name), spent in times.items():
            out[size][name] = {
                "ms": ms(statistics.median(spent)),
                "min_ms": ms(min(spent)),
                **results[size, name],
            }
        for size, env in envs.items():
            conn = dbs[size][1]
            out[size]["plans"] = {
                "kanban": explain_orm(env, conn, lambda env=env: kanban_open(env, cards)),
                "overdue": explain_orm(env, conn, lambda env=env: overdue_list(env, cards)),
            }
            env.cr.rollback()
    for size, o in out.items():
        log(
            f"  {label}, {size}: kanban {o['kanban']['ms']} ms (floor {o['kanban_floor']['ms']}),"
            f" overdue {o['overdue']['ms']} ms (floor {o['overdue_floor']['ms']}),"
            f" {o['overdue']['count']} overdue"
        )
    return out


def set_whatif_indexes(conn, present):
    cur = conn.cursor()
    for name, definition in WHATIF_INDEXES.items():
        if present:
            cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON psa_dossier {definition}")
        else:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
    if present:
        cur.execute("ANALYZE psa_dossier")


def table_stats(conn):
    cur = conn.cursor()
    cur.execute(
        "SELECT count(*), count(*) FILTER (WHERE is_closed IS NOT TRUE),"
        " count(*) FILTER (WHERE is_overdue), pg_total_relation_size('psa_dossier')"
        " FROM psa_dossier"
    )
    total, n_open, n_overdue, size = cur.fetchone()
    return {"rows": total, "open": n_open, "overdue": n_overdue, "bytes": size}


def measure_sizes(dbs, fx, args, label):
    """As the model is, then with the what-if indexes; {size: {as_is, whatif, data}}."""
    conns = [conn for _registry, conn in dbs.values()]
    for conn in conns:
        set_whatif_indexes(conn, False)
    as_is = measure_reads(dbs, fx, args, label)
    whatif = {}
    if args.whatif:
        for conn in conns:
            set_whatif_indexes(conn, True)
        whatif = measure_reads(dbs, fx, args, label + " + what-if indexes")
        for conn in conns:
            set_whatif_indexes(conn, False)
    result = {}
    for size, (_registry, conn) in dbs.items():
        result[size] = {"as_is": as_is[size], "data": table_stats(conn)}
        if whatif:
            result[size]["whatif"] = whatif[size]
    return result


def bench_reads(registry, fx, db, args):
    """The small size is a copy of the database taken before the rest of the history is loaded."""
    import odoo

    log(f"Part 2: kanban and overdue filter at {args.small:,} and {args.rows:,} dossiers")
    now = datetime.utcnow().replace(microsecond=0)
    plan = Plan(args.rows, args.per_day, args.open, args.overdue_open, args.late_rate, 7, now)
    small_ids = plan.small_ids(args.small)
    small_set = set(small_ids)
    small_db = f"{db}_small"
    conn = pg_connect(db)
    conn.cursor().execute("TRUNCATE psa_dossier CASCADE")
    result = {"plan": vars(args) | {"now": str(now)}}
    n, t_copy, t_gen = copy_rows(conn, plan, fx, small_ids)
    vac = vacuum_analyze(conn)
    log(f"  COPY {n:,} rows in {t_copy:.1f}s (+{t_gen:.1f}s generating), VACUUM ANALYZE {vac:.1f}s")
    conn.close()
    copy_database(db, small_db)
    conn = pg_connect(db)
    big_ids = [i for i in range(1, args.rows + 1) if i not in small_set]
    n, t_copy, t_gen = copy_rows(conn, plan, fx, big_ids)
    vac = vacuum_analyze(conn)
    log(f"  COPY {n:,} rows in {t_copy:.1f}s (+{t_gen:.1f}s generating), VACUUM ANALYZE {vac:.1f}s")
    result["copy"] = {"rows": n, "seconds": round(t_copy, 2), "per_s": round(n / t_copy)}
    small_conn = pg_connect(small_db)
    try:
        dbs = {
            "small": (odoo.modules.registry.Registry(small_db), small_conn),
            "large": (registry, conn),
        }
        result.update(measure_sizes(dbs, fx, args, "as loaded"))
        if args.late_history:
            # Sensitivity: 1% of closed dossiers were processed late; is_overdue stays True.
            for c in (small_conn, conn):
                c.cursor().execute(
                    "UPDATE psa_dossier SET is_overdue = true, is_on_time = false,"
                    " on_time_percent = 0"
                    " WHERE status_code = 10 AND id % 100 = 0 AND NOT is_overdue"
                )
                vacuum_analyze(c)
            late = measure_sizes(dbs, fx, args, "1% closed late")
            result["late_history"], result["late_history_small"] = late["large"], late["small"]
    finally:
        small_conn.close()
        conn.close()
        drop_database(small_db)
    return result


def plan_kind(sql):
    if "GROUP BY" in sql:
        return "grouped count"
    if sql.startswith("SELECT COUNT(*)"):
        return "count"
    if "ORDER BY" in sql and "LIMIT" in sql:
        return "first page"
    return None


def size_label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def reads_markdown(r, args):
    s, g = r["small"], r["large"]
    la, lb = size_label(s["data"]["rows"]), size_label(g["data"]["rows"])
    lines = [
        f"### 2. Kanban and overdue filter, {s['data']['rows']:,} vs {g['data']['rows']:,} "
        "dossiers (as a Center officer)",
        "",
        f"Open dossiers: {s['data']['open']:,} at both sizes; overdue: {s['data']['overdue']:,} / "
        f"{g['data']['overdue']:,}. Table size {s['data']['bytes'] / 2**20:.0f} MiB / "
        f"{g['data']['bytes'] / 2**20:.0f} MiB. Median of {args.read_repeat} warm runs (ORM cache "
        "cleared before each); the floor is the same counts and pages in plain SQL.",
        "",
        f"| | {la} (ms) | {lb} (ms) | **{lb} / {la}** | {lb} / {la}, fastest runs | floor {la} | "
        f"floor {lb} | suite/floor {la} | suite/floor {lb} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    variants = [("as_is", "as the model is")]
    if "whatif" in g:
        variants.append(("whatif", "with the corrected index predicates"))
    for key, label in variants:
        for what, title in (("kanban", "open kanban"), ("overdue", "overdue list")):
            a, b = s[key][what]["ms"], g[key][what]["ms"]
            fa, fb = s[key][f"{what}_floor"]["ms"], g[key][f"{what}_floor"]["ms"]
            fast = ratio(g[key][what]["min_ms"], s[key][what]["min_ms"])
            lines.append(
                f"| {title}, {label} | {a} | {b} | **{ratio(b, a)}** | {fast} | {fa} | {fb} | "
                f"{ratio(a, fa)} | {ratio(b, fb)} |"
            )
    lines += ["", "Query plans of the ORM's SQL at the large size (EXPLAIN ANALYZE):", ""]
    for key in ("as_is", "whatif"):
        for what in ("kanban", "overdue") if key in g else ():
            seen = set()
            for plan in g[key]["plans"][what]:
                kind = plan["kind"]
                if kind and kind not in seen:
                    seen.add(kind)
                    lines.append(
                        f"- {key.replace('_', '-')}, {what}, {kind}: {plan['exec']}; "
                        f"{'; '.join(plan['scans'])}"
                    )
    if "late_history" in r:
        lh = r["late_history"]
        keys = [k for k in ("as_is", "whatif") if k in lh]
        vals = ", ".join(f"{k}: {lh[k]['overdue']['ms']} ms" for k in keys)
        lines += [
            "",
            f"Sensitivity: with 1% of closed dossiers processed late (they keep is_overdue = "
            f"True), the overdue list holds {lh['data']['overdue']:,} rows and takes {vals}.",
        ]
    lines.append("")
    return lines


def add_args(ap):
    ap.add_argument("--rows", type=int, default=1_000_000, help="large size (part 2)")
    ap.add_argument("--small", type=int, default=10_000, help="small size (part 2)")
    ap.add_argument("--per-day", type=int, default=8000, help="dossiers filed per day")
    ap.add_argument("--open", type=int, default=5000, help="open dossiers at both sizes")
    ap.add_argument("--overdue-open", type=int, default=250, help="open and past due")
    ap.add_argument("--late-rate", type=float, default=0.00005, help="closed late, stay overdue")
    ap.add_argument(
        "--late-history", action="store_true", help="also time with 1%% of history flagged late"
    )
    ap.add_argument("--whatif", action="store_true", help="also time with the what-if indexes")
    ap.add_argument("--read-repeat", type=int, default=11)
    ap.add_argument("--cards", type=int, default=KANBAN_CARDS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_common_args(ap)
    add_args(ap)
    args = ap.parse_args()
    assert args.small > args.open and args.rows > args.small, "need rows > small > open"
    registry, fx, res = setup(args)
    res["reads"] = bench_reads(registry, fx, args.db, args)
    lines = header_markdown(
        res,
        " ".join(["bench/bench_dossier_reads.py", *sys.argv[1:]]),
        "## Dossiers (issue 3): kanban and overdue filter",
    )
    save_report("bench_dossier_reads", res, "\n".join(lines + reads_markdown(res["reads"], args)))


if __name__ == "__main__":
    main()
