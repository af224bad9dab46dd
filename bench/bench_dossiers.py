#!/usr/bin/env python3
"""Dossier benchmarks of issue 3 ("Performance"), measured in one run on one machine.

Run from the repository root (the first run builds a cached template database):

    .venv/bin/python bench/bench_dossiers.py --rows 1000000

Parts (``--parts create,kanban,portal``, all by default):

1. ``create``: batch ``create()`` of psa.dossier versus OCA helpdesk.ticket with comparable
   fields, same database, same run, same user; records/s, median of 3, ratio dossiers/tickets.
2. ``kanban``: opening the dossier kanban as the web client does (``web_read_group`` by stage
   with the default "In Progress" filter, then ``web_search_read`` of the first 80 cards of each
   unfolded column) and the "Overdue" list (count + first 80), as a Center officer (record
   rules apply), at 10,000 and at 1,000,000 dossiers bulk-loaded with COPY. Also the raw
   PostgreSQL floor (the same counts and first-80 SELECTs in plain SQL), the query plans, and
   the same figures with the index predicates the ORM's SQL can use ("what-if" indexes created
   in the bench database only).
3. ``portal``: 1,000 dossiers created through the portal form (POST /my/dossiers/new) over
   HTTP by 4 parallel clients against ``odoo-bin --workers=2`` on 127.0.0.1. Skipped with
   "portal route not available" while the controller does not exist.

Database: ``psa_bench`` (dropped and re-created from the template ``psa_bench_tmpl_<key>`` at
each run; the key changes with the addon's code, so a new template is built when it changes).
Output: a Markdown summary on stdout, progress on stderr, and JSON + Markdown + logs under
``bench/out/``. Every network connection goes to 127.0.0.1 only; the Odoo server started for
part 3 is stopped on exit.
"""

import argparse
import contextlib
import cProfile
import functools
import hashlib
import html.parser
import io
import json
import os
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / ".cache/odoo-src/18.0"))
CONF = ROOT / ".data" / "odoo.local.conf"
PY = ROOT / ".venv" / "bin" / "python"
MODULES = "public_service_agent,helpdesk_mgmt"
ADDON_DIR = ROOT / "addons" / "public_service_agent"
TEMPLATE_VERSION = "1"  # bump when the template's build changes
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

PROCEDURES = [
    # code, name, agency name, agency code, working days, documents (name, required)
    (
        "1.001233",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Sở Tư pháp",
        "000.00.05.H26",
        10,
        [("Tờ khai", True), ("Bản chụp CCCD", True), ("Giấy ủy quyền", False)],
    ),
    (
        "1.001193",
        "Đăng ký khai sinh",
        "UBND phường",
        "000.00.21.H26",
        3,
        [
            ("Tờ khai đăng ký khai sinh", True),
            ("Giấy chứng sinh", True),
            ("Văn bản ủy quyền", False),
        ],
    ),
    (
        "2.000908",
        "Chứng thực bản sao từ bản chính",
        "UBND phường",
        "000.00.21.H26",
        5,
        [("Bản chính giấy tờ", True), ("Bản sao cần chứng thực", True), ("Giấy tờ khác", False)],
    ),
    (
        "1.004194",
        "Đăng ký thường trú",
        "Công an phường",
        "000.00.31.H26",
        7,
        [("Tờ khai thay đổi thông tin cư trú", True), ("Giấy tờ chỗ ở hợp pháp", True)],
    ),
]


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ms(seconds):
    return round(seconds * 1000, 2)


def median_time(fn, repeat):
    """(median, fastest, last result) of `repeat` calls."""
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


# ----------------------------------------------------------------------------- environment
def ensure_environment():
    """PostgreSQL up and odoo.local.conf written, as `make run` leaves them."""
    pg_env = ROOT / ".pg-env"

    def load_pg_env():
        if pg_env.exists():
            for key, val in re.findall(r"(PG\w+)='([^']*)'", pg_env.read_text()):
                os.environ[key] = val

    def pg_ready():
        load_pg_env()
        if not os.environ.get("PGHOST"):
            return False
        cmd = ["pg_isready", "-q", "-h", os.environ["PGHOST"], "-p", os.environ["PGPORT"]]
        return subprocess.run(cmd, check=False).returncode == 0

    if not pg_ready() or not CONF.exists():
        log("Preparing the environment with tools/prepare.sh (PostgreSQL, venv)")
        subprocess.run(["bash", str(ROOT / "tools/prepare.sh")], check=True)
        if not pg_ready():
            sys.exit("PostgreSQL is not running; see .pg/server.log")
    cmd = f'source "{ROOT}/tools/common.sh" && render_conf'
    subprocess.run(["bash", "-c", cmd], check=True)
    OUT.mkdir(parents=True, exist_ok=True)


def pg_connect(dbname, autocommit=True):
    conn = psycopg2.connect(
        dbname=dbname,
        host=os.environ["PGHOST"],
        port=os.environ["PGPORT"],
        user=os.environ.get("PGUSER", "odoo"),
    )
    conn.autocommit = autocommit
    return conn


def template_key():
    digest = hashlib.sha1(f"{MODULES}|{TEMPLATE_VERSION}".encode())
    files = [ODOO_SRC / "odoo/release.py"]
    files += sorted(p for p in ADDON_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    helpdesk = PY.parent.parent / "lib/python3.11/site-packages/odoo/addons/helpdesk_mgmt"
    files.append(helpdesk / "__manifest__.py")
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(path.anchor)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def odoo_cmd(db, *args):
    return [str(PY), str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), "-d", db, *args]


def prepare_database(db):
    """Re-create `db` from a cached template holding the two modules without demo data."""
    template = f"psa_bench_tmpl_{template_key()}"
    conn = pg_connect("postgres")
    cur = conn.cursor()
    cur.execute("SELECT datname FROM pg_database WHERE datname LIKE 'psa_bench_tmpl_%'")
    existing = {row[0] for row in cur.fetchall()}
    filestore = ROOT / ".data" / "filestore"
    if template not in existing:
        for old in existing:
            cur.execute(f'DROP DATABASE IF EXISTS "{old}"')
            shutil.rmtree(filestore / old, ignore_errors=True)
        logfile = OUT / "install.log"
        log(f"Building the template {template}: -i {MODULES} --without-demo=all (log {logfile})")
        args = ["-i", MODULES, "--without-demo=all", "--stop-after-init", "--no-http"]
        args += ["--log-level=warn", "--load=base,web", "--max-cron-threads=0"]
        with open(logfile, "w") as out:
            rc = subprocess.run(odoo_cmd(template, *args), stdout=out, stderr=out, check=False)
        text = logfile.read_text()
        bad = re.search(r"Some modules are not loaded|invalid module names|ERROR|CRITICAL", text)
        if rc.returncode or bad:
            cur.execute(f'DROP DATABASE IF EXISTS "{template}"')
            sys.exit(f"installing {MODULES} failed; see {logfile}\n{text[-3000:]}")
    log(f"Fresh database {db} from {template}")
    cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    for attempt in range(5):
        try:
            cur.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
            break
        except Exception:  # the template may be briefly in use
            if attempt == 4:
                raise
            time.sleep(3)
    conn.close()
    shutil.rmtree(filestore / db, ignore_errors=True)
    if (filestore / template).exists():
        shutil.copytree(filestore / template, filestore / db)


def load_odoo(db):
    import odoo

    args = ["-c", str(CONF), "--log-level=warn", "--load=base,web", "--max-cron-threads=0"]
    odoo.tools.config.parse_config(args, setup_logging=True)
    return odoo.modules.registry.Registry(db)


# ----------------------------------------------------------------------------- fixtures
def create_fixtures(registry):
    """Procedures, operators, active agents, portal staff, citizens, an officer, a team."""
    from odoo import SUPERUSER_ID, api

    ctx = {"tracking_disable": True, "mail_create_nolog": True, "no_reset_password": True}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, ctx)
        ref = env.ref
        officer = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench Officer",
                    "login": "bench.officer",
                    "password": "bench.officer",
                    "tz": "Asia/Ho_Chi_Minh",
                    "groups_id": [
                        (4, ref("public_service_agent.group_psa_officer").id),
                        (4, ref("helpdesk_mgmt.group_helpdesk_manager").id),
                    ],
                }
            )
        )
        operators = env["res.partner"].create(
            [
                {"name": name, "is_company": True, "is_psa_operator": True}
                for name in ("Bưu điện Việt Nam", "Viettel Post", "FPT Retail")
            ]
        )
        agents = env["psa.agent"].create(
            [
                {
                    "name": f"Đại lý {i + 1:02d}",
                    "operator_id": operators[i % 3].id,
                    "street": f"{i + 1} Đinh Tiên Hoàng",
                    "state": "active",
                }
                for i in range(6)
            ]
        )
        staff = env["res.users"]
        for i, agent in enumerate(agents):
            user = staff.with_context(no_reset_password=True).create(
                {
                    "name": f"Nhân viên {i + 1:02d}",
                    "login": f"bench.staff{i + 1}",
                    "password": f"bench.staff{i + 1}",
                    "groups_id": [(6, 0, [ref("base.group_portal").id])],
                }
            )
            user.partner_id.parent_id = agent.partner_id
            staff |= user
        procedures = env["psa.procedure"].create(
            [
                {
                    "code": code,
                    "name": name,
                    "agency_name": agency,
                    "agency_code": agency_code,
                    "processing_days": days,
                    "document_ids": [
                        (0, 0, {"name": doc, "required": req, "sequence": seq})
                        for seq, (doc, req) in enumerate(docs, 1)
                    ],
                }
                for code, name, agency, agency_code, days, docs in PROCEDURES
            ]
        )
        citizens = env["res.partner"].create(
            [
                {
                    "name": f"Nguyễn Văn Công Dân {i:03d}",
                    "psa_cccd": f"001{i % 2}{80 + i % 20:02d}{i:06d}",
                    "phone": f"091{i:07d}",
                    "street": f"{i % 90 + 1} Hàng Bạc",
                }
                for i in range(200)
            ]
        )
        team = env["helpdesk.ticket.team"].create(
            {"name": "Bench Team", "user_ids": [(6, 0, officer.ids)]}
        )
        stages = {s.status_code: s.id for s in env["psa.dossier.stage"].search([])}
        fx = {
            "company_id": env.company.id,
            "officer": officer.id,
            "agents": agents.ids,
            "operator_of_agent": {a.id: a.operator_id.id for a in agents},
            "staff": staff.ids,
            "procedures": procedures.ids,
            "procedure_days": procedures.mapped("processing_days"),
            "agency_codes": procedures.mapped("agency_code"),
            "citizens": citizens.ids,
            "team": team.id,
            "ticket_stage": team._get_applicable_stages()[:1].id,
            "stages": stages,
        }
        cr.commit()
    return fx


# ----------------------------------------------------------------------------- part 1
def dossier_vals(fx, n, offset=0):
    agents, staff, procs, cits = fx["agents"], fx["staff"], fx["procedures"], fx["citizens"]
    return [
        {
            "procedure_id": procs[(offset + i) % len(procs)],
            "citizen_id": cits[(offset + i) % len(cits)],
            "agent_id": agents[(offset + i) % len(agents)],
            "staff_user_id": staff[(offset + i) % len(staff)],
            "channel": "counter",
            "return_method": "post",
            "street": f"{i % 90 + 1} Hàng Bạc",
            "note": f"Hồ sơ nộp tại quầy, lượt {offset + i}",
        }
        for i in range(n)
    ]


def ticket_vals(fx, n, offset=0):
    cits = fx["citizens"]
    return [
        {
            "name": f"Yêu cầu hỗ trợ {offset + i}",
            "description": f"<p>Công dân cần hỗ trợ nộp hồ sơ, lượt {offset + i}</p>",
            "partner_id": cits[(offset + i) % len(cits)],
            "team_id": fx["team"],
            "stage_id": fx["ticket_stage"],
            "user_id": fx["officer"],
        }
        for i in range(n)
    ]


def timed_create(env, model, vals_list, profile=None):
    """Create in one batch and flush, as the officer; rolled back afterwards."""
    ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
    records = env[model].with_context(**ctx)
    cr = env.cr
    q0 = cr.sql_log_count
    t0 = time.perf_counter()
    if profile:
        profile.enable()
    records.create(vals_list)
    env.flush_all()
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

    makers = {
        "psa.dossier": ("psa.dossier", dossier_vals),
        "helpdesk.ticket": ("helpdesk.ticket", ticket_vals),
        "psa.dossier, stage given": ("psa.dossier", staged),
    }
    result = {"n": n, "repeats": repeats}
    with registry.cursor() as cr:
        env = api.Environment(cr, fx["officer"], {"lang": "en_US", "tz": "Asia/Ho_Chi_Minh"})
        for model, make in makers.values():  # warm-up: caches, prepared plans
            timed_create(env, model, make(fx, min(200, n)))
        times = {m: [] for m in makers}
        queries = {}
        order = list(makers)
        for rep in range(repeats):
            for label in order if rep % 2 == 0 else order[::-1]:
                model, make = makers[label]
                elapsed, nq = timed_create(env, model, make(fx, n, offset=rep * n))
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
        if result["ratio"] < 1.0 or profile_always:
            prof = cProfile.Profile()
            timed_create(env, "psa.dossier", dossier_vals(fx, n), profile=prof)
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
            (OUT / "create_profile.txt").write_text(buf.getvalue())
            result["profile"] = str(OUT / "create_profile.txt")
    log(f"  ratio dossiers/tickets = {result['ratio']}")
    return result


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


def copy_database(src, dst):
    """CREATE DATABASE dst TEMPLATE src (nobody may be connected to src meanwhile)."""
    import odoo

    odoo.sql_db.close_db(src)
    conn = pg_connect("postgres")
    cur = conn.cursor()
    cur.execute(f'DROP DATABASE IF EXISTS "{dst}" WITH (FORCE)')
    cur.execute(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
    conn.close()


def drop_database(db):
    import odoo

    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    conn = pg_connect("postgres")
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.close()


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


# ----------------------------------------------------------------------------- part 3: portal
PORTAL_ROUTE = "/my/dossiers/new"


def portal_route_in_code():
    ctrl = ADDON_DIR / "controllers"
    return any(PORTAL_ROUTE in p.read_text(errors="ignore") for p in ctrl.glob("*.py"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OdooServer:
    """odoo-bin --workers=2 on 127.0.0.1, in its own process group, always stopped on exit."""

    def __init__(self, db, workers, log_level="warn"):
        self.db, self.workers, self.log_level = db, workers, log_level
        self.port, self.proc = free_port(), None

    def __enter__(self):
        args = ["--db-filter", f"^{self.db}$", f"--workers={self.workers}"]
        args += ["--max-cron-threads=0", "--http-interface=127.0.0.1", f"--http-port={self.port}"]
        args += [f"--gevent-port={free_port()}", "--load=base,web", f"--log-level={self.log_level}"]
        args += [f"--logfile={OUT / 'portal-server.log'}", "--limit-time-real=300"]
        with open(OUT / "portal-server.out", "w") as out:  # odoo-bin's own stderr
            self.proc = subprocess.Popen(
                odoo_cmd(self.db, *args), stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"odoo-bin exited; see {OUT / 'portal-server.log'}")
            try:
                if requests.get(self.url("/web/login"), timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError("odoo-bin did not answer within 120 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class FormParser(html.parser.HTMLParser):
    """The fields of the form posting to the portal route (inputs, selects, textareas).

    File inputs remember the procedure checklist they sit in (``data-procedure-id``) and
    whether the document is required (``data-required``).
    """

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.procedure = None
        self.fields = []  # (kind, name, attrs, options)
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or PORTAL_ROUTE
            self.in_form = PORTAL_ROUTE in action and (a.get("method") or "").lower() == "post"
            return
        if not self.in_form:
            return
        if a.get("data-procedure-id"):
            self.procedure = a["data-procedure-id"]
        if tag == "option" and self.select:
            self.select[3].append((a.get("value", ""), "selected" in a))
        elif tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else "textarea"
            if kind == "file":
                a["procedure"] = self.procedure
            self.fields.append((kind, a["name"], a, []))
        elif tag == "select" and a.get("name"):
            self.select = ("select", a["name"], a, [])
            self.fields.append(self.select)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def fill_form(fields, i, overrides):
    """Values for one submission, guessed from the field names; --portal-field overrides.

    The procedure rotates; each required document of the chosen procedure gets a small PDF.
    """
    data, files = {}, {}
    guesses = [
        ("cccd", f"001{i % 2}9{i % 10}{500000 + i % 400:06d}"),  # 400 citizens: 60% return
        ("phone", f"098{i:07d}"),
        ("email", ""),
        ("street", f"{i % 90 + 1} Hàng Bạc"),
        ("address", f"{i % 90 + 1} Hàng Bạc"),
        ("name", f"Trần Thị Bench {i}"),
        ("note", "Nộp qua cổng đại lý"),
    ]
    for kind, name, attrs, options in fields:
        if kind in ("hidden", "submit"):
            data.setdefault(name, attrs.get("value", ""))
        elif kind == "radio":
            if "checked" in attrs or name not in data:
                data[name] = attrs.get("value", "")
        elif kind == "checkbox":
            if "checked" in attrs:
                data[name] = attrs.get("value", "on")
        elif kind == "select":
            values = [v for v, _sel in options if v]
            chosen = [v for v, sel in options if sel and v]
            if values:
                rotate = "procedure" in name.lower()
                data[name] = values[i % len(values)] if rotate else (chosen or values)[0]
        elif kind != "file":
            low = name.lower()
            data[name] = next((v for key, v in guesses if key in low), attrs.get("value") or "x")
    data.update(overrides)
    procedure = data.get("procedure_id")
    for kind, name, attrs, _options in fields:
        mine = attrs.get("procedure") in (None, procedure)
        if kind == "file" and mine and attrs.get("data-required", "1") == "1":
            files[name] = (f"scan_{i}_{name}.pdf", PDF, "application/pdf")
    return data, files


def portal_login(server, login):
    session = requests.Session()
    page = session.get(server.url("/web/login"), timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = session.post(
        server.url("/web/login"),
        data={"login": login, "password": login, "csrf_token": token, "redirect": "/my"},
        timeout=30,
    )
    if "/web/login" in resp.url:
        raise RuntimeError(f"portal login failed for {login}")
    return session


def portal_probe(server, login):
    """Why the form cannot be used, or None: the route answers 200 with a CSRF token."""
    resp = portal_login(server, login).get(server.url(PORTAL_ROUTE), timeout=60)
    if resp.status_code != 200:
        return f"GET {PORTAL_ROUTE} answered HTTP {resp.status_code}"
    parser = FormParser()
    parser.feed(resp.text)
    names = {name for _kind, name, _a, _o in parser.fields}
    if "csrf_token" not in names:
        return f"no form posting to {PORTAL_ROUTE} on the page"
    return None


def form_error(page):
    """The messages of a form shown again (alert and invalid-feedback blocks), as text."""
    found = re.findall(
        r'class="(?:alert alert-danger[^"]*|invalid-feedback)"[^>]*>(.*?)</div>', page, re.S
    )
    return " | ".join(" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found)[:300] or "?"


def portal_client(server, login, jobs, overrides, latencies, errors, lock):
    session = portal_login(server, login)
    for i in jobs:
        form = session.get(server.url(PORTAL_ROUTE), timeout=60)
        parser = FormParser()
        parser.feed(form.text)
        data, files = fill_form(parser.fields, i, overrides)
        t0 = time.perf_counter()
        resp = session.post(
            server.url(PORTAL_ROUTE), data=data, files=files, timeout=120, allow_redirects=False
        )
        elapsed = time.perf_counter() - t0
        # Success is the redirect to the new dossier; a 200 is the form shown again with errors.
        ok = re.search(r"/my/dossiers/\d+", resp.headers.get("Location", ""))
        with lock:
            latencies.append(elapsed)
            if not ok:
                errors.append(f"HTTP {resp.status_code}: {form_error(resp.text)}")


def bench_portal(fx, db, args):
    log(f"Part 3: {args.portal_n} dossiers through {PORTAL_ROUTE}, {args.clients} clients")
    if not portal_route_in_code():
        msg = "portal route not available"
        print(msg, file=sys.stderr)
        return {"skipped": msg}
    overrides = dict(kv.split("=", 1) for kv in args.portal_field)
    conn = pg_connect(db)
    cur = conn.cursor()
    cur.execute("SELECT coalesce(max(id), 0) FROM psa_dossier")
    before = cur.fetchone()[0]
    latencies, errors, lock = [], [], threading.Lock()
    with OdooServer(db, args.workers, args.server_log_level) as server:
        probe = requests.Session()
        if (
            probe.get(server.url(PORTAL_ROUTE), timeout=30, allow_redirects=False).status_code
            == 404
        ):
            msg = "portal route not available"
            print(msg, file=sys.stderr)
            return {"skipped": msg + " (404)"}
        logins = [f"bench.staff{k + 1}" for k in range(len(fx["staff"]))]
        jobs = [list(range(c, args.portal_n, args.clients)) for c in range(args.clients)]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            futures = [
                pool.submit(
                    portal_client,
                    server,
                    logins[c % len(logins)],
                    jobs[c],
                    overrides,
                    latencies,
                    errors,
                    lock,
                )
                for c in range(args.clients)
            ]
            for fut in futures:
                fut.result()
        wall = time.perf_counter() - t0
    cur.execute("SELECT count(*) FROM psa_dossier WHERE id > %s", (before,))
    created = cur.fetchone()[0]
    conn.close()
    lat = sorted(latencies)
    result = {
        "posts": len(lat),
        "created": created,
        "errors": len(errors),
        "first_errors": errors[:5],
        "median_ms": ms(statistics.median(lat)),
        "p95_ms": ms(lat[max(0, int(len(lat) * 0.95) - 1)]),
        "wall_s": round(wall, 2),
        "dossiers_per_s": round(created / wall, 1),
    }
    log(f"  {result}")
    return result


# ----------------------------------------------------------------------------- report
def ratio(a, b):
    return round(a / b, 2) if b else None


def markdown(res, args):
    lines = ["## Dossiers (issue 3): creation, kanban at 10k vs 1M, portal", ""]
    m = res["machine"]
    lines += [
        f"Measured {m['date']} by `bench/bench_dossiers.py --rows {args.rows}` on one machine: "
        f"{m['cpus']} cores, {m['mem_gib']} GiB, {m['pg']}, Odoo 18.0 Community, "
        f"Python {m['python']}; shared with other developers' work at the time "
        f"(load average at start {m['load']}).",
        "",
    ]
    c = res.get("create")
    if c:
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
        lines.append("")
        if res.get("reads", {}).get("copy"):
            cp = res["reads"]["copy"]
            lines += [
                f"Floor: PostgreSQL `COPY` loaded {cp['rows']:,} dossier rows at "
                f"{cp['per_s']:,} rows/s, i.e. {ratio(cp['per_s'], d['per_s'])}× the ORM "
                "(which also creates the document slots, checks access and numbers the codes).",
                "",
            ]
    r = res.get("reads")
    if r:
        lines += reads_markdown(r, args)
    p = res.get("portal")
    if p:
        lines += ["### 3. Portal creation over HTTP", ""]
        if "skipped" in p:
            lines += [f"Not measured: {p['skipped']} (the controller was not written yet).", ""]
        else:
            lines += [
                f"{p['posts']} POSTs of the form with a scan, {args.clients} parallel clients, "
                f"`odoo-bin --workers={args.workers}` on the same 2 cores as the clients: "
                f"median {p['median_ms']} ms, p95 {p['p95_ms']} ms, "
                f"{p['dossiers_per_s']} dossiers/s; {p['created']} created, {p['errors']} errors.",
                "",
            ]
    return "\n".join(lines)


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


def machine_info(db):
    conn = pg_connect(db)
    cur = conn.cursor()
    cur.execute("SHOW server_version")
    pg = "PostgreSQL " + cur.fetchone()[0].split()[0]
    cur.execute("SHOW shared_buffers")
    pg += f" (shared_buffers {cur.fetchone()[0]})"
    conn.close()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "mem_gib": round(mem),
        "pg": pg,
        "python": sys.version.split()[0],
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", default="psa_bench")
    ap.add_argument("--parts", default="create,kanban,portal")
    ap.add_argument("--create-n", type=int, default=3000, help="records per batch (part 1)")
    ap.add_argument("--repeats", type=int, default=3, help="timed batches per model (part 1)")
    ap.add_argument("--profile", action="store_true", help="profile dossier creation anyway")
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
    ap.add_argument("--portal-n", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--server-log-level", default="warn", help="odoo-bin's, part 3")
    ap.add_argument(
        "--portal-field",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="force a portal form field (when the guesses from field names are wrong)",
    )
    args = ap.parse_args()
    # A plain `kill` unwinds like Ctrl-C, so the odoo-bin of part 3 is stopped too.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    parts = set(args.parts.split(","))
    assert args.small > args.open and args.rows > args.small, "need rows > small > open"
    ensure_environment()
    prepare_database(args.db)
    registry = load_odoo(args.db)
    fx = create_fixtures(registry)
    res = {"machine": machine_info(args.db), "args": vars(args)}
    if "create" in parts:
        res["create"] = bench_create(registry, fx, args.create_n, args.repeats, args.profile)
    if "kanban" in parts:
        res["reads"] = bench_reads(registry, fx, args.db, args)
    if "portal" in parts:
        res["portal"] = bench_portal(fx, args.db, args)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"bench_dossiers-{stamp}.json").write_text(json.dumps(res, indent=1, default=str))
    report = markdown(res, args)
    (OUT / f"bench_dossiers-{stamp}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
