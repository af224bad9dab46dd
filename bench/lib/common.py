"""Shared helpers of the benchmarks: paths, timing, PostgreSQL, odoo-bin and the Odoo server.

Every network connection goes to 127.0.0.1 only; a server started here is stopped on exit.
"""

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "bench" / "out"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", Path.home() / ".cache/odoo-src/18.0"))
CONF = ROOT / ".data" / "odoo.local.conf"
PY = ROOT / ".venv" / "bin" / "python"


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


def load_pg_env():
    """PG* variables of the private cluster (.pg-env), unless the environment sets them."""
    pg_env = ROOT / ".pg-env"
    if pg_env.exists():
        for key, val in re.findall(r"(PG\w+)='([^']*)'", pg_env.read_text()):
            os.environ.setdefault(key, val)


def pg_connect(dbname, autocommit=True):
    if not os.environ.get("PGHOST"):
        load_pg_env()
    conn = psycopg2.connect(
        dbname=dbname,
        host=os.environ["PGHOST"],
        port=os.environ["PGPORT"],
        user=os.environ.get("PGUSER", "odoo"),
    )
    conn.autocommit = autocommit
    return conn


def odoo_cmd(db, *args):
    return [str(PY), str(ODOO_SRC / "odoo-bin"), "-c", str(CONF), "-d", db, *args]


def load_odoo(db):
    import odoo

    args = ["-c", str(CONF), "--log-level=warn", "--load=base,web", "--max-cron-threads=0"]
    odoo.tools.config.parse_config(args, setup_logging=True)
    return odoo.modules.registry.Registry(db)


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


def ratio(a, b):
    return round(a / b, 2) if b else None


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


def shell_env():
    """os.environ plus the PG* variables of the private cluster, for child processes."""
    env = dict(os.environ)
    pg_env = ROOT / ".pg-env"
    if pg_env.exists():
        for line in pg_env.read_text().split():
            if "=" in line:
                key, value = line.split("=", 1)
                env[key] = value.strip("'\"")
    return env


def prepare_module_db(db, module, fresh=False, update=False):
    """A kept database with ``module`` (no demo data): installed once, or updated at each run
    when ``update`` (so that the tables follow the code); re-created when ``fresh``."""
    env = shell_env()
    if not CONF.exists():
        subprocess.run(
            ["bash", "-c", "source tools/common.sh && render_conf"], cwd=ROOT, check=True, env=env
        )
    exists = subprocess.run(
        ["psql", "-d", "postgres", "-Atq", "-v", f"db={db}"],
        input="SELECT 1 FROM pg_database WHERE datname = :'db';\n",
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    if exists and fresh:
        subprocess.run(["dropdb", db], check=True, env=env)
        exists = ""
    if not exists or update:
        print(f"Installing or updating {module} in {db}...", file=sys.stderr)
        args = ["-u" if exists else "-i", module, "--without-demo=all", "--stop-after-init"]
        args += ["--no-http", "--log-level=warn"]
        subprocess.run(odoo_cmd(db, *args), check=True, env=env)
    os.environ.update({k: v for k, v in env.items() if k.startswith("PG")})


# freezegun swaps every module attribute that is a clock function, but not one kept in a dict.
CLOCK = {"perf_counter": time.perf_counter}


def real_clock():
    return CLOCK["perf_counter"]()
