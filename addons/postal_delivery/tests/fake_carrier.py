"""A fake Vietnam Post / Viettel Post API on 127.0.0.1, for tests and the demo.

It speaks the JSON documented in shared/docs/domain.md §5 and injects faults on demand:
``timeout`` (the order is created but the answer comes too late), ``500``, ``expired_token``
and ``malformed``. Run ``python fake_carrier.py webhook --help`` for the demo's webhook sender.
"""

import argparse
import contextlib
import itertools
import json
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeCarrierState:
    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = set()
        self.orders = {}  # our order reference -> carrier order
        self.tracking = []  # Vietnam Post tracking events, ids ascending
        self.faults = []  # faults for the next requests, consumed in order
        self.calls = []  # (path, body) of every request
        self.counter = itertools.count(1)
        self.fault_delay = 1.5

    def add_tracking(self, item_code, status, status_date, order_number=""):
        with self.lock:
            event_id = len(self.tracking) + 1
            self.tracking.append(
                {
                    "id": event_id,
                    "itemCode": item_code,
                    "orderNumber": order_number,
                    "statusCode": status,
                    "statusMessage": f"status {status}",
                    "statusDate": status_date,
                }
            )
            return event_id


class Handler(BaseHTTPRequestHandler):
    server_version = "FakeCarrier/1.0"

    def log_message(self, *args):  # keep test output quiet
        pass

    @property
    def state(self):
        return self.server.state

    def _send(self, status, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        # The client may have given up (an injected timeout): nobody to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._send(400, {"status": 400, "error": True, "message": "bad json"})
        state = self.state
        with state.lock:
            state.calls.append((self.path, body))
            fault = state.faults.pop(0) if state.faults else None
        if fault == "500":
            return self._send(502, {"message": "upstream down"})
        if fault == "malformed":
            return self._send(200, b"<html>maintenance</html>")
        if fault == "expired_token":
            with state.lock:
                state.tokens.clear()
        routes = {
            "/v2/user/Login": self.vtp_login,
            "/v2/order/getPrice": self.vtp_price,
            "/v2/order/createOrder": self.vtp_create,
            "/v2/order/UpdateOrder": self.vtp_update,
            "/customer-partner/GetAccessToken": self.vnp_token,
            "/customer-partner/ServicesCharge": self.vnp_price,
            "/customer-partner/CreateOrder": self.vnp_create,
            "/customer-partner/orderCancel": self.vnp_cancel,
            "/customer-partner/GetTracking": self.vnp_tracking,
        }
        route = routes.get(self.path)
        if not route:
            return self._send(404, {"message": "not found"})
        status, answer = route(body)
        if fault == "timeout":
            time.sleep(state.fault_delay)
        return self._send(status, answer)

    def _new_token(self):
        token = f"tok-{next(self.state.counter)}"
        with self.state.lock:
            self.state.tokens.add(token)
        return token

    def _authorized(self, header):
        return self.headers.get(header) in self.state.tokens

    # Viettel Post
    def vtp_login(self, body):
        if body.get("USERNAME") != "demo" or body.get("PASSWORD") != "demo":
            return 200, {"status": 204, "error": True, "message": "Sai tài khoản", "data": None}
        return 200, {
            "status": 200,
            "error": False,
            "message": "OK",
            "data": {"userId": 1, "token": self._new_token(), "partner": 1},
        }

    def vtp_price(self, body):
        if not self._authorized("Token"):
            return 200, {"status": 401, "error": True, "message": "Token invalid"}
        return 200, {"status": 200, "error": False, "data": {"MONEY_TOTAL": 26000}}

    def vtp_create(self, body):
        if not self._authorized("Token"):
            return 200, {"status": 401, "error": True, "message": "Token invalid"}
        ref = body.get("ORDER_NUMBER")
        if not ref:
            return 200, {"status": 205, "error": True, "message": "ORDER_NUMBER missing"}
        with self.state.lock:
            order = self.state.orders.setdefault(
                ref,
                {
                    "ORDER_NUMBER": f"VTP{100000 + len(self.state.orders)}",
                    "ORDER_REFERENCE": ref,
                    "MONEY_TOTAL": 26000,
                    "body": body,
                },
            )
        data = {k: v for k, v in order.items() if k != "body"}
        return 200, {"status": 200, "error": False, "message": "OK", "data": data}

    def vtp_update(self, body):
        if not self._authorized("Token"):
            return 200, {"status": 401, "error": True, "message": "Token invalid"}
        for order in self.state.orders.values():
            if order["ORDER_NUMBER"] == body.get("ORDER_NUMBER"):
                order["cancelled"] = body.get("TYPE") == 4
                return 200, {"status": 200, "error": False, "message": "OK"}
        return 200, {"status": 204, "error": True, "message": "Order not found"}

    # Vietnam Post
    def vnp_token(self, body):
        if body.get("username") != "demo" or body.get("password") != "demo":
            return 401, {"message": "Unauthorized"}
        return 200, {"token": self._new_token()}

    def vnp_price(self, body):
        if not self._authorized("h-token"):
            return 401, {"message": "Unauthorized"}
        return 200, {"totalFee": 25000}

    def vnp_create(self, body):
        if not self._authorized("h-token"):
            return 401, {"message": "Unauthorized"}
        ref = body.get("orderNumber")
        with self.state.lock:
            order = self.state.orders.setdefault(
                ref,
                {
                    "itemCode": f"EB{100000 + len(self.state.orders)}VN",
                    "orderNumber": ref,
                    "totalFee": 25000,
                    "body": body,
                },
            )
        return 200, {k: v for k, v in order.items() if k != "body"}

    def vnp_cancel(self, body):
        if not self._authorized("h-token"):
            return 401, {"message": "Unauthorized"}
        return 200, {"success": True}

    def vnp_tracking(self, body):
        if not self._authorized("h-token"):
            return 401, {"message": "Unauthorized"}
        last = int(body.get("lastId") or 0)
        size = int(body.get("pageSize") or 100)
        return 200, {"data": [e for e in self.state.tracking if e["id"] > last][:size]}


class FakeCarrierServer:
    """Started and stopped by the tests: ``with FakeCarrierServer() as fake: fake.url``."""

    def __init__(self, port=0):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.httpd.state = FakeCarrierState()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def state(self):
        return self.httpd.state

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def send_viettelpost_webhooks(odoo_url, token, order_number, statuses, pause=1.0):
    """Post Viettel Post status events for one order, as the carrier would."""
    start = datetime.now()
    for step, status in enumerate(statuses):
        moment = start + timedelta(minutes=step)
        body = {
            "DATA": {
                "ORDER_NUMBER": order_number,
                "ORDER_REFERENCE": "",
                "ORDER_STATUSDATE": moment.strftime("%d/%m/%Y %H:%M:%S"),
                "ORDER_STATUS": status,
                "STATUS_NAME": f"status {status}",
                "LOCALION_CURRENTLY": "Bưu cục Hà Nội",
                "NOTE": "",
                "MONEY_COLLECTION": 0,
                "MONEY_TOTAL": 26000,
            },
            "TOKEN": token,
        }
        request = urllib.request.Request(
            f"{odoo_url.rstrip('/')}/postal/webhook/viettelpost",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                sys.stdout.write(f"{status} {response.status} {response.read().decode()[:120]}\n")
        except urllib.error.HTTPError as error:
            sys.stdout.write(f"{status} {error.code} {error.read().decode()[:120]}\n")
        time.sleep(pause)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fake carrier APIs")
    serve.add_argument("--port", type=int, default=8099)
    hook = sub.add_parser("webhook", help="send Viettel Post webhook events to Odoo")
    hook.add_argument("order_number", help="the delivery's tracking number (VTP...)")
    hook.add_argument("--odoo", default="http://127.0.0.1:8069")
    hook.add_argument("--token", default="demo-webhook-token")
    hook.add_argument(
        "--statuses", default="105,200,300,500,501", help="comma-separated ORDER_STATUS codes"
    )
    hook.add_argument("--pause", type=float, default=1.0)
    args = parser.parse_args()
    if args.command == "serve":
        server = FakeCarrierServer(args.port).start()
        sys.stdout.write(f"Fake carriers on {server.url} (login demo/demo); Ctrl-C stops\n")
        try:
            server.thread.join()
        except KeyboardInterrupt:
            server.stop()
    else:
        statuses = [int(s) for s in args.statuses.split(",") if s.strip()]
        send_viettelpost_webhooks(args.odoo, args.token, args.order_number, statuses, args.pause)


if __name__ == "__main__":
    main()
