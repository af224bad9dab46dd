"""tools/common.sh, stop.sh and clean.sh on a temporary clone-like folder.

The folder holds the clone's tools, Makefile and odoo.conf, and its own private PostgreSQL
cluster on its own port (created by ``ensure_pg``, as prepare.sh does). Under pytest's
temporary folder (mode 0700, closed to the ``postgres`` user) that cluster lives in
/var/lib/postgresql/psa-<hash>, the case that outlived its clone. The shared cluster of the
machine (PGHOST of the caller) is never stopped: the tests check it still answers.
Needs no Odoo database.
"""

import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pg_bin():
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: float(p.parent.name))
    return bins[-1] if bins else None


@pytest.fixture
def clone(tmp_path):
    clone = tmp_path / "clone"
    (clone / "tools").mkdir(parents=True)
    for name in ("common.sh", "stop.sh", "clean.sh"):
        shutil.copy(ROOT / "tools" / name, clone / "tools" / name)
    shutil.copy(ROOT / "Makefile", clone / "Makefile")
    shutil.copy(ROOT / "odoo.conf", clone / "odoo.conf")
    odoo_src = tmp_path / "odoo-src-cache"
    (odoo_src / "odoo" / "addons").mkdir(parents=True)
    port = random.randint(21000, 29000)
    # Its own cluster: not the caller's server, whatever PGHOST says.
    (clone / ".local.env").write_text(f"unset PGHOST PGPORT PGUSER\nPSA_PG_PORT={port}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "PSA_"))}
    env["ODOO_SRC"] = str(odoo_src)
    yield clone, env, port, odoo_src
    # Never leave a cluster running, whatever failed.
    subprocess.run(["bash", "tools/clean.sh"], cwd=clone, env=env, capture_output=True)


def _bash(clone, env, script, **extra):
    return subprocess.run(
        ["bash", "-c", f"source tools/common.sh; {script}"],
        cwd=clone,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=180,
    )


def _make(clone, env, target):
    return subprocess.run(
        ["make", "-s", target], cwd=clone, env=env, capture_output=True, text=True, timeout=180
    )


def _pg_up(socket_dir, port):
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", str(socket_dir), "-p", str(port)], capture_output=True
        ).returncode
        == 0
    )


def _shared_cluster():
    host, port = os.environ.get("PGHOST"), os.environ.get("PGPORT")
    return (host, port) if host and host.startswith("/") and port else None


def test_render_conf_keeps_one_file_per_port_in_parallel(clone):
    clone, env, _port, _src = clone
    (clone / ".pg-env").write_text("export PGHOST=/tmp/nowhere PGPORT=5999 PGUSER=odoo\n")
    script = 'for i in $(seq 1 15); do render_conf; grep "^http_port = " "$CONF"; done'
    runs = [
        subprocess.Popen(
            ["bash", "-c", f"source tools/common.sh; {script}"],
            cwd=clone,
            env={**env, "PSA_HTTP_PORT": str(port)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in (8169, 8170)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err), port in zip(runs, outputs, (8169, 8170), strict=True):
        assert run.returncode == 0, err
        # Each server read its own port every time, while the other one rendered too.
        assert out.split("\n")[:-1] == [f"http_port = {port}"] * 15
        conf = (clone / ".data" / f"odoo.local.{port}.conf").read_text()
        assert f"http_port = {port}" in conf
        assert f"data_dir = {clone / '.data'}" in conf
    assert not list((clone / ".data").glob("*.tmp"))


@pytest.mark.skipif(not _pg_bin(), reason="PostgreSQL server binaries are missing")
def test_stop_then_clean_remove_this_clones_cluster_and_nothing_else(clone):
    clone, env, port, odoo_src = clone
    shared = _shared_cluster()
    result = _bash(clone, env, "ensure_pg", PG_BIN=str(_pg_bin()))
    assert result.returncode == 0, result.stderr
    pg = clone / ".pg"
    real = pg.resolve()
    if os.getuid() == 0:
        # The postgres user cannot enter pytest's 0700 folder: the cluster is in its home.
        assert pg.is_symlink()
        assert str(real).startswith("/var/lib/postgresql/psa-")
    assert _pg_up(real / "run", port)
    # A `make run` of this clone (as run.sh leaves its pid file) and a stranger's process
    # whose pid someone wrote in a pid file of ours.
    data = clone / ".data"
    data.mkdir()
    conf = data / "odoo.local.8199.conf"
    conf.write_text("[options]\n")
    server = subprocess.Popen(
        ["python3", "-c", "import time; time.sleep(300)", "-c", str(conf), "-d", "psa_demo"]
    )
    stranger = subprocess.Popen(["sleep", "300"])
    (data / "run.8199.pid").write_text(f"{server.pid}\n")
    (data / "run.8200.pid").write_text(f"{stranger.pid}\n")
    (clone / ".logs").mkdir()
    try:
        result = _make(clone, env, "stop")
        assert result.returncode == 0, result.stderr
        assert server.wait(timeout=30) is not None
        assert stranger.poll() is None, "a process that is not this clone's server was stopped"
        assert not _pg_up(real / "run", port)
        assert (real / "data" / "PG_VERSION").exists(), "stop keeps the data"
        # A second stop has nothing to do.
        assert _make(clone, env, "stop").returncode == 0

        # Started again, then cleaned while running.
        result = _bash(clone, env, "ensure_pg", PG_BIN=str(_pg_bin()))
        assert result.returncode == 0, result.stderr
        assert _pg_up(real / "run", port)
        result = _make(clone, env, "clean")
        assert result.returncode == 0, result.stderr
        time.sleep(0.5)
        assert not _pg_up(real / "run", port)
        assert not real.exists(), f"{real} outlived make clean"
        assert not pg.exists() and not pg.is_symlink()
        assert not (clone / ".pg-env").exists()
        assert not data.exists() and not (clone / ".logs").exists()
        # The clone itself, its settings and the Odoo source cache stay.
        assert (clone / ".local.env").exists() and (clone / "Makefile").exists()
        assert (odoo_src / "odoo" / "addons").is_dir()
        assert stranger.poll() is None
        if shared:
            assert _pg_up(*shared), "the machine's shared cluster must keep running"
    finally:
        stranger.kill()
        if server.poll() is None:
            server.kill()
