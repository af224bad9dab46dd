#!/usr/bin/env python3
"""Dossier benchmark 3 (issue 3, "Performance"): dossiers filed through the portal over HTTP.

    .venv/bin/python bench/bench_dossier_portal.py [--portal-n 1000] [--clients 4] [--workers 2]

``odoo-bin --workers=2`` on 127.0.0.1 and a free port; parallel clients (one portal staff login
each) GET /my/dossiers/new, read the CSRF token and the fields, and POST the form with a small
PDF per required document. The server is stopped on exit. ``bench/bench_dossiers.py --parts
portal`` runs the same code.
"""

import argparse
import html.parser
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from lib.common import (
    OdooServer,
    log,
    ms,
    pg_connect,
)
from lib.dossiers import (
    ADDON_DIR,
    add_common_args,
    header_markdown,
    save_report,
    setup,
)

# ----------------------------------------------------------------------------- part 3: portal
PORTAL_ROUTE = "/my/dossiers/new"


def portal_route_in_code():
    ctrl = ADDON_DIR / "controllers"
    return any(PORTAL_ROUTE in p.read_text(errors="ignore") for p in ctrl.glob("*.py"))


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


def portal_markdown(p, args):
    lines = ["### 3. Portal creation over HTTP", ""]
    if "skipped" in p:
        return lines + [f"Not measured: {p['skipped']} (the controller was not written yet).", ""]
    return lines + [
        f"{p['posts']} POSTs of the form with a scan, {args.clients} parallel clients, "
        f"`odoo-bin --workers={args.workers}` on the same 2 cores as the clients: "
        f"median {p['median_ms']} ms, p95 {p['p95_ms']} ms, "
        f"{p['dossiers_per_s']} dossiers/s; {p['created']} created, {p['errors']} errors.",
        "",
    ]


def add_args(ap):
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_common_args(ap)
    add_args(ap)
    args = ap.parse_args()
    _registry, fx, res = setup(args)
    res["portal"] = bench_portal(fx, args.db, args)
    lines = header_markdown(
        res,
        " ".join(["bench/bench_dossier_portal.py", *sys.argv[1:]]),
        "## Dossiers (issue 3): portal",
    )
    save_report(
        "bench_dossier_portal", res, "\n".join(lines + portal_markdown(res["portal"], args))
    )


if __name__ == "__main__":
    main()
