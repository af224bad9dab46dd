#!/usr/bin/env python3
"""Screenshots of each role's main screens and one page of each PDF, into docs/screenshots/.

    .venv/bin/python tools/screenshots.py [--url http://127.0.0.1:8069] [--db psa_demo]

Uses a running demo (``make run``) at --url, or starts ``tools/run.sh`` when nothing answers
there. Pages are shot with headless Chromium over the DevTools protocol (the session cookie of
each demo login is set first); PDFs are downloaded from /report/pdf and their first page is
turned into a PNG with ``pdftoppm`` (Debian's poppler-utils). Only the standard library,
``requests``, ``websocket-client`` and Pillow (all in the .venv) are needed.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
LAPTOP = (1280, 800)
PHONE = (390, 844)

# (file name, login, path, (width, height), CSS selector to wait for)
SCREENS = [
    (
        "officer_dossiers_kanban",
        "officer",
        "/odoo/action-public_service_agent.psa_dossier_action",
        LAPTOP,
        ".o_kanban_record",
    ),
    (
        "officer_dossier_form",
        "officer",
        "/odoo/action-public_service_agent.psa_dossier_action/{dossier_processing}",
        LAPTOP,
        ".o_form_view .o-mail-Message",
    ),
    (
        "officer_agents_kanban",
        "officer",
        "/odoo/action-public_service_agent.psa_agent_action",
        LAPTOP,
        ".o_kanban_record",
    ),
    (
        "officer_pilot_phase",
        "officer",
        "/odoo/action-public_service_agent.psa_pilot_phase_action/{pilot_phase_1}",
        LAPTOP,
        ".o_form_view",
    ),
    ("trainer_home", "trainer", "/odoo", LAPTOP, ".o_list_view, .o_calendar_view"),
    (
        "trainer_sessions_calendar",
        "trainer",
        "/odoo/action-agent_training.training_session_action?view_type=calendar",
        LAPTOP,
        ".fc-event",
    ),
    (
        "trainer_readiness_report",
        "trainer",
        "/odoo/action-agent_training.training_readiness_report_action",
        LAPTOP,
        ".o_list_view",
    ),
    (
        "trainer_readiness_pivot",
        "trainer",
        "/odoo/action-agent_training.training_readiness_report_action?view_type=pivot",
        LAPTOP,
        ".o_pivot",
    ),
    ("finance_home", "finance", "/odoo", LAPTOP, ".o_action_manager .o_view_controller"),
    ("staff_home_phone", "staff.mydinh", "/my", PHONE, ".o_psa_today"),
    ("staff_home_laptop", "staff.mydinh", "/my", LAPTOP, ".o_psa_today"),
    (
        "staff_dossiers_phone",
        "staff.hoankiem",
        "/my/dossiers",
        PHONE,
        "table, .o_portal_my_doc_table",
    ),
    ("staff_dossier_phone", "staff.hoankiem", "/my/dossiers/{dossier_received}", PHONE, "body"),
    ("staff_certificates_phone", "staff.hoankiem", "/my/certificates", PHONE, "body"),
    ("tracking_phone", None, "/tracking", PHONE, "form"),
]

# Reports and the demo record each is printed for (xmlid, or a domain for the first match),
# else the first record of its model.
REPORT_RECORDS = {
    "public_service_agent.action_report_psa_form01": "public_service_agent.dossier_received",
    "public_service_agent.action_report_psa_form02": "public_service_agent.dossier_supplement",
    "public_service_agent.action_report_psa_form03": "public_service_agent.dossier_refused",
    "public_service_agent.action_report_psa_form04": "public_service_agent.dossier_processing",
    "public_service_agent.action_report_psa_form05": "public_service_agent.dossier_returned",
    # A dossier returned by post: its slip prints the postage and the item number.
    "public_service_agent.action_report_psa_phieu_gui": [
        ("postal_delivery_ids.postage", ">", 0),
        ("agent_id", "!=", False),
    ],
    "agent_training.action_report_training_certificate": "agent_training.certificate_demo_01",
}
RECORDS = {
    "dossier_processing": "public_service_agent.dossier_processing",
    "dossier_received": "public_service_agent.dossier_received",
    "pilot_phase_1": "public_service_agent.pilot_phase_1",
}
SUITE = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")


def shrink(path):
    """256-colour PNG: screens and forms stay sharp at a third of the size."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def answers(url):
    try:
        return requests.get(f"{url}/web/webclient/version_info", json={}, timeout=3).ok
    except requests.RequestException:
        return False


def login(url, db, user):
    """A requests session logged in as ``user`` (demo password = login)."""
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": user}},
        timeout=30,
    )
    result = response.json()
    if result.get("error") or not result.get("result", {}).get("uid"):
        sys.exit(f"cannot log in as {user}: {result.get('error')}")
    return session


def call(session, url, model, method, *args, **kwargs):
    response = session.post(
        f"{url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        },
        timeout=60,
    )
    data = response.json()
    if data.get("error"):
        raise RuntimeError(data["error"]["data"]["message"])
    return data["result"]


def xmlid_to_id(session, url, xmlid):
    module, name = xmlid.split(".")
    rows = call(
        session, url, "ir.model.data", "search_read",
        [("module", "=", module), ("name", "=", name)], ["res_id"],
    )  # fmt: skip
    return rows[0]["res_id"] if rows else None


class Chromium:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self):
        exe = shutil.which("chromium") or shutil.which("google-chrome")
        if not exe:
            sys.exit("Chromium is missing: run `make prepare` (or apt-get install chromium)")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="psa-shots-")
        self.proc = subprocess.Popen(
            [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", "--disable-dev-shm-usage", f"--remote-debugging-port={port}",
             "--remote-debugging-address=127.0.0.1", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=1).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        else:
            self.close()
            sys.exit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.seq = 0
        self.send("Page.enable")
        self.send("Network.enable")
        # The web client shows times in the browser's zone: Hanoi's, as at the Center.
        self.send("Emulation.setTimezoneOverride", timezoneId="Asia/Ho_Chi_Minh")

    def send(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.seq:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def shoot(self, url, cookies, size, selector, path):
        width, height = size
        self.send("Network.clearBrowserCookies")
        for name, value in cookies.items():
            self.send("Network.setCookie", name=name, value=value, url=url)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width, height=height, deviceScaleFactor=1, mobile=width < 600,
        )  # fmt: skip
        self.send("Page.navigate", url=url)
        deadline = time.time() + 30
        found = False
        while time.time() < deadline:
            time.sleep(0.5)
            found = self.evaluate(
                f"document.readyState === 'complete' && !!document.querySelector({selector!r})"
            )
            if found:
                break
        time.sleep(1.5)  # let lazy counters and fonts settle
        if not found:
            print(f"  warning: {selector} not found on {url}", file=sys.stderr)
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        path.write_bytes(base64.b64decode(shot["data"]))
        shrink(path)

    def close(self):
        try:
            self.ws.close()
        except Exception:  # closing is best effort
            pass
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def start_demo(url):
    print(f"Nothing answers at {url}: starting the demo (make run)")
    server = subprocess.Popen(
        ["bash", str(ROOT / "tools" / "run.sh")],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(900):
        if answers(url):
            return server
        if server.poll() is not None:
            sys.exit("the demo server stopped: see .logs/demo-install.log")
        time.sleep(2)
    sys.exit("the demo server did not answer in 30 minutes")


def print_reports(admin, url):
    """First page of each PDF report of the suite, as PNG."""
    reports = call(
        admin, url, "ir.actions.report", "search_read",
        [("report_type", "=", "qweb-pdf"), ("model", "!=", False)],
        ["report_name", "model", "name"],
    )  # fmt: skip
    xmlids = {
        row["res_id"]: f"{row['module']}.{row['name']}"
        for row in call(
            admin,
            url,
            "ir.model.data",
            "search_read",
            [("model", "=", "ir.actions.report"), ("module", "in", SUITE)],
            ["res_id", "module", "name"],
        )  # fmt: skip
    }
    with tempfile.TemporaryDirectory() as tmp:
        for report in reports:
            xmlid = xmlids.get(report["id"])
            if not xmlid:
                continue
            target = REPORT_RECORDS.get(xmlid)
            if isinstance(target, list):
                found = call(admin, url, report["model"], "search", target, limit=1)
                record_id = found and found[0]
            else:
                record_id = target and xmlid_to_id(admin, url, target)
            if not record_id:
                found = call(admin, url, report["model"], "search", [], limit=1)
                record_id = found and found[0]
            if not record_id:
                print(f"  skipped {xmlid}: no {report['model']} record", file=sys.stderr)
                continue
            response = admin.get(
                f"{url}/report/pdf/{report['report_name']}/{record_id}", timeout=120
            )
            if response.headers.get("Content-Type", "").split(";")[0] != "application/pdf":
                print(f"  skipped {xmlid}: no PDF ({response.status_code})", file=sys.stderr)
                continue
            pdf = Path(tmp) / "report.pdf"
            pdf.write_bytes(response.content)
            stem = OUT / f"pdf_{xmlid.split('.', 1)[1].removeprefix('action_report_')}"
            # 100 dpi: A5 at 583 x 827 pixels, readable and small.
            subprocess.run(
                ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                 str(pdf), str(stem)],
                check=True,
            )  # fmt: skip
            shrink(Path(f"{stem}.png"))
            print(f"{stem.relative_to(ROOT)}.png <- {report['name']}")


def main():
    env_port = os.environ.get("PSA_HTTP_PORT")
    local_env = ROOT / ".local.env"
    if not env_port and local_env.exists():
        for line in local_env.read_text().splitlines():
            if line.startswith("PSA_HTTP_PORT="):
                env_port = line.split("=", 1)[1].strip()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=f"http://127.0.0.1:{env_port or 8069}")
    parser.add_argument("--db", default=os.environ.get("PSA_DEMO_DB", "psa_demo"))
    args = parser.parse_args()
    url = args.url.rstrip("/")
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm is missing: apt-get install poppler-utils")

    server = None if answers(url) else start_demo(url)
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Chromium()
    try:
        admin = login(url, args.db, "admin")
        ids = {key: xmlid_to_id(admin, url, xmlid) for key, xmlid in RECORDS.items()}
        sessions = {}
        for name, user, path, size, selector in SCREENS:
            if user and user not in sessions:
                sessions[user] = login(url, args.db, user)
            cookies = sessions[user].cookies.get_dict() if user else {}
            target = OUT / f"{name}.png"
            print(f"{target.relative_to(ROOT)} <- {user or 'public'} {path.format(**ids)}")
            browser.shoot(url + path.format(**ids), cookies, size, selector, target)
        print_reports(admin, url)
    finally:
        browser.close()
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)


if __name__ == "__main__":
    main()
