"""Shared set-up of the subsidy benchmarks: a database with `subsidy` and its demo data,
Odoo loaded in this process, and claims bulk-inserted for one operator and one month."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / ".cache/odoo-src/18.0"))
CONF = ROOT / ".data" / "odoo.local.conf"
DB = os.environ.get("PSA_BENCH_SUBSIDY_DB", "psa_bench_subsidy")
MONTH = "2030-03-01"  # far from the demo's months: the bench's statements stand alone


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def prepare_database():
    """render_conf, then install `subsidy` with demo data once into DB (kept between runs)."""
    sys.path.insert(0, str(ODOO_SRC))
    script = (
        f"source {ROOT}/tools/common.sh; render_conf; set +e; "
        f'db_exists {DB} && psql -d {DB} -Atqc "SELECT 1 FROM ir_module_module '
        f"WHERE name='subsidy' AND state='installed'\" | grep -q 1 && exit 0; "
        f"dropdb --if-exists {DB}; "
        f"odoo_bin -d {DB} -i subsidy --stop-after-init --no-http --log-level=warn"
    )
    log(f"preparing database {DB} (first run installs subsidy with demo data)")
    subprocess.run(["bash", "-c", script], check=True)
    env_file = ROOT / ".pg-env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            line = line.replace("export ", "")
            if "=" in line:
                key, value = line.split("=", 1)
                os.environ[key.strip()] = value.strip().strip('"')


def load_odoo():
    import odoo  # importable only once prepare_database() set sys.path

    odoo.tools.config.parse_config(["-c", str(CONF), "-d", DB, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(DB)
    return odoo, registry


def bench_fixture(env):
    """An operator of its own and the two demo resolutions (one line per policy and category)."""
    operator = env["res.partner"].create(
        {"name": "Bench Operator", "is_company": True, "is_psa_operator": True}
    )
    policies = env["subsidy.policy"].search([("kind", "=", "postage")], limit=2)
    category = env["subsidy.beneficiary.category"].search([], limit=1)
    return operator, policies, category


def insert_claims(env, count, operator, policies, category, statement=None):
    """``count`` confirmed claims of MONTH in one INSERT ... SELECT (the data, not the code
    measured). With ``statement``, they are already collected in it."""
    cr = env.cr
    cr.execute(
        """
        INSERT INTO subsidy_claim (
            name, source_type, is_adjustment, operator_id, policy_id, category_id, date,
            company_id, amount, postage, state, operator_status, citizen_masked, ward_name,
            dossier_code, delivery_ref, statement_id, create_uid, write_uid, create_date,
            write_date)
        SELECT 'BENCH-' || g, 'delivery', false, %(op)s,
               CASE WHEN g %% 2 = 0 THEN %(p1)s ELSE %(p2)s END,
               CASE WHEN g %% 3 = 0 THEN %(cat)s END,
               %(month)s::date + (g %% 28), %(company)s, 26000 + (g %% 7) * 1000,
               26000 + (g %% 7) * 1000,
               CASE WHEN %(st)s::int IS NULL THEN 'confirmed' ELSE 'in_statement' END,
               'pending', 'Nguyễn V. A.', 'Phường Hoàn Kiếm',
               '000.00.01.H26-300301-' || lpad(g::text, 6, '0'), 'BC-30-' || g, %(st)s,
               1, 1, now(), now()
          FROM generate_series(1, %(count)s) g
        """,
        {
            "op": operator.id,
            "p1": policies[0].id,
            "p2": policies[-1].id,
            "cat": category.id or None,
            "month": MONTH,
            "company": env.company.id,
            "count": count,
            "st": statement.id if statement else None,
        },
    )
    cr.execute("ANALYZE subsidy_claim")
