"""A fake Zalo ZNS / SMS gateway on 127.0.0.1 for the notification tests.

It speaks the two documented shapes and misbehaves on purpose, by phone number:
- ending in 0000: answers after ``slow_seconds`` (longer than the provider's timeout);
- ending in 5555: answers HTTP 503 to the first ``fail_times`` requests, then succeeds;
- ending in 9999: refuses the number (ZNS error -108, SMS HTTP 400);
- anything else: accepted with a new message id.
ZNS with the access token "expired" answers -124; ``/v4/oa/access_token`` exchanges the current
refresh token (single-use, like Zalo's) for "fresh-token" and a new refresh token.
Every request is recorded (path, headers, JSON body) in ``requests``.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeProvider:
    def __init__(self, fail_times=2, slow_seconds=1.5):
        self.fail_times = fail_times
        self.slow_seconds = slow_seconds
        self.requests = []
        self.refresh_token = "refresh-1"
        self._failures = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or b"{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                with fake._lock:
                    fake.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                status, answer = fake._answer(self.path, body, self.headers)
                if status is None:
                    return
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up (its timeout): nothing to answer to.
                    return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def _answer(self, path, body, headers):
        if path.startswith("/v4/oa/access_token"):
            if body.get("refresh_token") == self.refresh_token and headers.get("secret_key"):
                self.refresh_token = f"{self.refresh_token}+"
                return 200, {
                    "access_token": "fresh-token",
                    "refresh_token": self.refresh_token,
                    "expires_in": "90000",
                }
            return 200, {"error": -14014, "error_name": "Invalid refresh_token"}
        zns = path.startswith("/message/template")
        if zns and headers.get("access_token") == "expired":
            return 200, {"error": -124, "message": "Access token is invalid"}
        phone = str(body.get("phone") if zns else body.get("to") or "")
        if phone.endswith("0000"):
            time.sleep(self.slow_seconds)
        elif phone.endswith("5555"):
            with self._lock:
                seen = self._failures.get(phone, 0)
                self._failures[phone] = seen + 1
            if seen < self.fail_times:
                return 503, {"error": "unavailable"}
        elif phone.endswith("9999"):
            if zns:
                return 200, {"error": -108, "message": "Phone number is invalid"}
            return 400, {"error": "invalid destination number"}
        with self._lock:
            number = len(self.requests)
        if zns:
            return 200, {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{number}"}}
        return 202, {"id": f"sms-{number}"}

    def sent(self, path_prefix=""):
        return [r for r in self.requests if r["path"].startswith(path_prefix)]
