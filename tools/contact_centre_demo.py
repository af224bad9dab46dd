"""Try the contact centre on the `make run` demo, with fakes on 127.0.0.1 only.

    .venv/bin/python tools/contact_centre_demo.py serve    # fake Zalo ZNS / SMS gateway
    .venv/bin/python tools/contact_centre_demo.py call     # a switchboard call through the API
    .venv/bin/python tools/contact_centre_demo.py email    # a citizen's e-mail to the alias

`serve` points the demo's (inactive) Zalo and SMS providers at a fake gateway on
127.0.0.1:8098, activates them, and prints every message the Center sends: move a dossier to
another status as `officer` and the citizen's alert arrives here once. `call` sets the demo's
API secret if none is set and posts a signed complaint with its call log, as the Viettel
Customer Service switchboard would (docs/contact-centre-api.md); it prints the ticket number.
`email` hands a citizen's complaint addressed to the contact-centre alias to Odoo's mail
gateway (``mail.thread.message_process``, as Odoo's odoo-mailgate.py script and the incoming
mail server do) and prints the ticket number. All log in as the demo administrator
(admin/admin) over JSON-RPC.
"""

import argparse
import hashlib
import hmac
import importlib.util
import json
import secrets
import time
from email.message import EmailMessage
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
FAKE = ROOT / "addons/public_service_agent/tests/fake_provider.py"
SECRET_KEY = "public_service_agent.contact_centre_api_secret"


class Odoo:
    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url.rstrip("/"), db, password
        self.uid = self._call("common", "login", db, login, password)
        if not self.uid:
            raise SystemExit(f"cannot log in to {db} as {login}")

    def _call(self, service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1}
        payload["params"] = {"service": service, "method": method, "args": args}
        answer = requests.post(f"{self.url}/jsonrpc", json=payload, timeout=30).json()
        if answer.get("error"):
            raise SystemExit(answer["error"]["data"]["message"])
        return answer["result"]

    def run(self, model, method, *args, **kwargs):
        return self._call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )


def serve(args, odoo):
    spec = importlib.util.spec_from_file_location("fake_provider", FAKE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fake = module.FakeProvider(fail_times=0)
    fake.server.server_close()
    fake.server = module.ThreadingHTTPServer(
        ("127.0.0.1", args.port), fake.server.RequestHandlerClass
    )
    fake.thread = module.threading.Thread(target=fake.server.serve_forever, daemon=True)
    fake.start()
    base = f"http://127.0.0.1:{args.port}"
    providers = odoo.run(
        "psa.notification.provider",
        "search_read",
        [("active", "in", [True, False])],
        fields=["provider_type"],
    )
    for provider in providers:
        zalo = provider["provider_type"] == "zalo_zns"
        odoo.run(
            "psa.notification.provider",
            "write",
            [provider["id"]],
            {
                "endpoint_url": f"{base}/message/template" if zalo else f"{base}/sms",
                "access_token": "demo-token" if zalo else False,
                "active": True,
            },
        )
    print(f"Fake Zalo ZNS / SMS gateway on {base}; {len(providers)} providers point here.")
    print("Change a dossier's status as `officer`; each alert is printed once. Ctrl-C stops.")
    seen = 0
    try:
        while True:
            time.sleep(1)
            for request in fake.requests[seen:]:
                print(request["path"], json.dumps(request.get("body"), ensure_ascii=False))
            seen = len(fake.requests)
    except KeyboardInterrupt:
        fake.stop()


def call(args, odoo):
    params = odoo.run("ir.config_parameter", "get_param", SECRET_KEY)
    secret = params or secrets.token_hex(16)
    if not params:
        odoo.run("ir.config_parameter", "set_param", SECRET_KEY, secret)
    stamp = str(int(time.time()))
    call_id = f"DEMO-{stamp}"
    payload = {
        "external_id": f"VCS-{stamp}",
        "channel": "hotline_1022",
        "category": "extra_fee",
        "subject": "Công dân phản ánh đại lý thu thêm phí",
        "description": "Nhân viên đại lý đề nghị nộp thêm 50.000 đồng để hồ sơ được nhanh.",
        "contact": {"name": "Nguyễn Thị Hoa", "phone": "0987 654 321"},
        "dossier_code": args.dossier_code,
        "call": {
            "id": call_id,
            "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "duration": 140,
            "direction": "inbound",
            "extension": "7",
            "summary": "Phản ánh thu thêm phí tại quầy đại lý.",
        },
    }
    body = json.dumps(payload, ensure_ascii=False).encode()
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    response = requests.post(
        f"{odoo.url}/contact-centre/api/v1/tickets",
        data=body,
        timeout=30,
        headers={
            "Content-Type": "application/json",
            "X-PSA-Timestamp": stamp,
            "X-PSA-Signature": "sha256=" + signature.hexdigest(),
        },
    )
    print(response.status_code, response.text)


def email(args, odoo):
    aliases = odoo.run(
        "mail.alias",
        "search_read",
        [("alias_name", "=", "lienhe"), ("alias_model_id.model", "=", "psa.ticket")],
        fields=["alias_full_name"],
    )
    if not aliases or "@" not in (aliases[0]["alias_full_name"] or ""):
        raise SystemExit("the contact-centre alias has no mail domain: set the company's")
    address = aliases[0]["alias_full_name"]
    message = EmailMessage()
    message["From"] = "Nguyễn Thị Hoa <hoa.nguyen@example.com>"
    message["To"] = address
    message["Subject"] = "Đại lý thu thêm phí " + (args.dossier_code or "")
    message["Message-Id"] = f"<psa-demo-{time.time_ns()}@example.com>"
    message.set_content("Nhân viên đại lý đề nghị nộp thêm 50.000 đồng để hồ sơ được nhanh.")
    ticket_id = odoo.run("mail.thread", "message_process", False, message.as_string())
    ticket = odoo.run("psa.ticket", "read", [ticket_id], fields=["name"])[0]
    print(f"{address}: ticket {ticket['name']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["serve", "call", "email"])
    parser.add_argument("--odoo", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="psa_demo")
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--dossier-code", default="", help="a dossier code the call is about")
    args = parser.parse_args()
    odoo = Odoo(args.odoo, args.db, "admin", "admin")
    {"serve": serve, "call": call, "email": email}[args.command](args, odoo)


if __name__ == "__main__":
    main()
