"""The dossier benchmarks' database and fixtures: a template with public_service_agent and
OCA helpdesk_mgmt (no demo data), re-created as ``psa_bench`` at each run, and the records
every part uses (procedures, operators, active agents, portal staff, citizens, an officer).
"""

import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time

from .common import (
    ODOO_SRC,
    OUT,
    PY,
    ROOT,
    ensure_environment,
    load_odoo,
    log,
    machine_info,
    odoo_cmd,
    pg_connect,
)

MODULES = "public_service_agent,helpdesk_mgmt"
ADDON_DIR = ROOT / "addons" / "public_service_agent"
TEMPLATE_VERSION = "1"  # bump when the template's build changes

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


# ----------------------------------------------------------------------------- batch values
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


# ----------------------------------------------------------------------------- run
def add_common_args(ap):
    ap.add_argument("--db", default="psa_bench")


def setup(args):
    """PostgreSQL up, a fresh ``args.db`` from the template, fixtures: (registry, fx, result)."""
    # A plain `kill` unwinds like Ctrl-C, so an odoo-bin started by a benchmark is stopped too.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    ensure_environment()
    prepare_database(args.db)
    registry = load_odoo(args.db)
    fx = create_fixtures(registry)
    return registry, fx, {"machine": machine_info(args.db), "args": vars(args)}


def header_markdown(res, command, title):
    m = res["machine"]
    return [
        title,
        "",
        f"Measured {m['date']} by `{command}` on one machine: "
        f"{m['cpus']} cores, {m['mem_gib']} GiB, {m['pg']}, Odoo 18.0 Community, "
        f"Python {m['python']}; shared with other developers' work at the time "
        f"(load average at start {m['load']}).",
        "",
    ]


def save_report(name, res, report):
    """JSON and Markdown in bench/out/, the Markdown on stdout."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"{name}-{stamp}.json").write_text(json.dumps(res, indent=1, default=str))
    (OUT / f"{name}-{stamp}.md").write_text(report)
    print(report)
