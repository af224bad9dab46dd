"""Public inputs never crash (issue #15, item 6).

Every route of our four addons declared ``auth="public"`` or ``auth="none"`` is found in the
routing map (so a new public route is fuzzed without writing a test) and receives generated
bodies, headers, path and query values over real HTTP: malformed, 100,000-deep and huge JSON,
non-ASCII and huge header values, out-of-range numbers and dates, wrong content types.

Each answer must be below 500; a refusal writes nothing (rows of the models these routes write
are counted before and after) and nothing may be logged at ERROR. The carrier webhooks and the
contact-centre API, which no generated request can pass, must answer 4xx; bodies over
``PUBLIC_BODY_LIMIT`` are refused with 413 before they are parsed.
"""

import hashlib
import hmac
import json
import logging
import re
import time
from urllib.parse import quote

from hypothesis import (
    HealthCheck,
    given,
    settings,
    strategies as st,
)

from odoo.tests import HttpCase, tagged

from odoo.addons.public_service_agent.public_input import PUBLIC_BODY_LIMIT

OUR_ADDONS = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
# The public routes each addon declares today; a new one is fuzzed by the generic strategy.
KNOWN_ROUTES = {
    "public_service_agent": {
        "/tracking",
        "/dossier/evaluate/<string:token>",
        "/lien-he",
        "/contact-centre",
        "/contact-centre/api/v1/tickets",
        "/contact-centre/api/v1/calls",
        "/thong-bao/<string:token>",
    },
    "agent_training": {
        "/certificate/verify/<string:token>",
        "/my/certificates/<int:certificate_id>",
    },
    "postal_delivery": {"/postal/webhook/<string:carrier_type>"},
    "subsidy": set(),
}
WEBHOOK = "/postal/webhook/<string:carrier_type>"
API = ("/contact-centre/api/v1/tickets", "/contact-centre/api/v1/calls")
# Forms whose generated submission always carries a value the page must refuse.
REFUSING_FORMS = ("/lien-he", "/contact-centre", "/dossier/evaluate/<string:token>")
# What the public routes may write. The rate-limit counters (psa.tracking.attempt) are not
# watched: counting a caller's tries is what they are for.
WATCHED_MODELS = (
    "psa.ticket",
    "psa.ticket.call",
    "psa.dossier",
    "psa.dossier.evaluation",
    "psa.notification",
    "res.partner",
    "mail.message",
    "mail.mail",
    "ir.attachment",
    "postal.webhook.event",
    "postal.delivery",
    "postal.delivery.event",
    "training.certificate",
    "subsidy.claim",
)
API_SECRET = "fuzz-api-secret-0123456789"
HOOK_SECRET = "fuzz-hook-secret-0123456789"
ARG_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
EXAMPLES = 25

# ------------------------------------------------------------------ hostile values
DEEP_LIST = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
HUGE_JSON = json.dumps({"DATA": "x" * (PUBLIC_BODY_LIMIT + 10)}).encode()
numbers = st.sampled_from(
    ["²", "٣٤٥", "9" * 5000, "-1", "1e309", "NaN", "", " 1", "0x10", str(2**63), "1.5"]
) | st.integers(min_value=-(10**30), max_value=10**30)
dates = st.sampled_from(
    [
        "01/01/0001 00:00:00",
        "31/12/9999 23:59:59",
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59",
        "31/02/2026 25:61:61",
        "²²/²²/²²²² ²²:²²:²²",
        "2026-13-01",
        "",
    ]
) | st.text(max_size=30)
nasty_text = st.sampled_from(
    ["\x00", "a\x00b", "\ud800", "²", "٣٤٥٦", "1234\n", "x" * 6000, "Nguyễn", "'; --", "{}"]
) | st.text(max_size=40)
json_scalars = st.none() | st.booleans() | numbers | nasty_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
content_types = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=latin-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "a/b/c;;=",
    ]
)
header_values = st.sampled_from(
    [
        "²",
        "9" * 5000,
        "sha256=" + "é" * 64,
        "sha256=" + "0" * 64,
        "x" * 60_000,
        "",
        "-1",
        "١٧٠٠٠٠٠٠٠٠",
    ]
) | st.text(max_size=20)


def _dumps(value):
    # allow_nan: NaN and Infinity are what a careless sender emits, too.
    return json.dumps(value, ensure_ascii=True).encode()


def _on_the_wire(value):
    """What a client can send in a URL or a form: UTF-8, so no lone surrogate."""
    return value.encode("utf-8", "replace").decode()


def _header(value):
    # Header values travel as latin-1 ('²' arrives as '²'); other characters as UTF-8 bytes,
    # which the server reads as latin-1 mojibake. A line break would end the header.
    value = "".join(c for c in value if c.isprintable()).strip()
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


raw_bodies = (
    st.sampled_from([DEEP_LIST, DEEP_OBJECT, HUGE_JSON, b"", b"{", b"\xff\xfe", b"null"])
    | (json_values.map(_dumps))
    | st.binary(max_size=64)
)


class _ErrorTrap(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@tagged("post_install", "-at_install", "psa_fuzz")
class TestPublicRoutesFuzz(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        params = env["ir.config_parameter"].sudo()
        params.set_param("public_service_agent.contact_centre_api_secret", API_SECRET)
        # Generous rate limits: the fuzz must reach the checks behind them.
        for key in (
            "public_service_agent.contact_form_rate_limit",
            "agent_training.verify_rate_limit",
            "public_service_agent.tracking_rate_limit",
            "public_service_agent.tracking_rate_limit_code",
            "public_service_agent.tracking_rate_limit_address",
        ):
            params.set_param(key, "100000")
        cls.carrier_types = []
        if "postal.carrier" in env:
            Carrier = env["postal.carrier"].sudo()
            for carrier_type in ("viettelpost", "vnpost"):
                carrier = Carrier.search([("carrier_type", "=", carrier_type)], limit=1)
                if not carrier:
                    carrier = Carrier.create({"name": carrier_type, "carrier_type": carrier_type})
                carrier.webhook_secret = HOOK_SECRET
                cls.carrier_types.append(carrier_type)
        cls.ticket = (
            env["psa.ticket"]
            .sudo()
            .create(
                {
                    "subject": "Fuzz",
                    "channel": "hotline_1022",
                    "external_id": "FUZZ-TICKET-1",
                    "contact_phone": "0912345678",
                }
            )
        )
        # A dossier open to evaluation, so that the fuzz reaches the form behind the token
        # (returning the result sets one; the demo has none left).
        dossier = env["psa.dossier"].sudo().search([("evaluation_ids", "=", False)], limit=1)
        cls.evaluation_tokens = []
        if dossier:
            cls.evaluation_tokens = ["FuzzEvaluationToken-0123456789"]
            env.cr.execute(
                "UPDATE psa_dossier SET evaluation_token = %s WHERE id = %s",
                (cls.evaluation_tokens[0], dossier.id),
            )
        cls.record_ids = []
        if "training.certificate" in env:
            certificate = env["training.certificate"].sudo().search([], limit=1)
            # With an access token, a wrong one is compared with it (consteq).
            certificate._portal_ensure_token()
            cls.record_ids = certificate.ids

    # ------------------------------------------------------------------ discovery
    @classmethod
    def _public_routes(cls):
        """{url: (addon, routing)} of our addons' routes that need no login."""
        routes = {}
        for rule in cls.env["ir.http"].routing_map().iter_rules():
            endpoint = rule.endpoint
            routing = endpoint.routing
            if routing.get("auth") not in ("public", "none"):
                continue
            method_name = endpoint.func.__name__
            for klass in type(endpoint.func.__self__).mro():
                module = klass.__module__.split(".")
                if (
                    method_name in vars(klass)
                    and module[:2] == ["odoo", "addons"]
                    and module[2] in OUR_ADDONS
                ):
                    routes[rule.rule] = (module[2], routing)
                    break
        return routes

    def test_routes_are_discovered(self):
        routes = self._public_routes()
        installed = set(
            self.env["ir.module.module"]
            .search([("name", "in", OUR_ADDONS), ("state", "=", "installed")])
            .mapped("name")
        )
        expected = set().union(*(KNOWN_ROUTES[addon] for addon in installed))
        self.assertLessEqual(expected, set(routes), "a known public route is not discovered")
        self.assertGreaterEqual(len(routes), len(expected))
        logging.getLogger(__name__).info(
            "fuzzing %s public routes: %s", len(routes), ", ".join(sorted(routes))
        )

    # ------------------------------------------------------------------ checking
    def _counts(self):
        counts = {}
        for model in WATCHED_MODELS:
            if model in self.env:
                table = self.env[model]._table
                self.env.cr.execute(f'SELECT count(*), max(id) FROM "{table}"')
                counts[model] = self.env.cr.fetchone()
        counts["unknown_order"] = 0
        if "postal.webhook.event" in self.env:
            self.env.cr.execute(
                "SELECT count(*) FROM postal_webhook_event WHERE state = 'unknown_order'"
            )
            counts["unknown_order"] = self.env.cr.fetchone()[0]
        return counts

    def _send(self, url, method="POST", body=None, data=None, files=None, headers=None):
        """One request; fails on a 5xx, on an ERROR log line, and on a write by a refusal."""
        self.env.flush_all()
        before = self._counts()
        trap = _ErrorTrap()
        root = logging.getLogger()
        root.addHandler(trap)
        try:
            response = self.opener.request(
                method,
                self.base_url() + url,
                data=body if body is not None else data,
                files=files,
                headers=headers or {},
                timeout=30,
                allow_redirects=False,
            )
        finally:
            root.removeHandler(trap)
        self.env.invalidate_all()
        after = self._counts()
        what = f"{method} {url[:200]} {headers and {k: str(v)[:60] for k, v in headers.items()}}"
        self.assertLess(response.status_code, 500, f"{what}: {response.text[:300]}")
        self.assertFalse(
            trap.records,
            f"{what} logged at ERROR: {[r.getMessage()[:300] for r in trap.records]}",
        )
        if after != before:
            # The one write a refusal may make: an event for an order we do not know, kept
            # (404) for an administrator, which the carrier may send again.
            unknown = after["unknown_order"] - before["unknown_order"]
            changed = {k for k in after if after[k] != before[k]} - {"unknown_order"}
            self.assertTrue(
                url.startswith("/postal/webhook/")
                and response.status_code == 404
                and unknown
                and changed <= {"postal.webhook.event"}
                and after["postal.webhook.event"][0] - before["postal.webhook.event"][0] == unknown,
                f"{what} -> {response.status_code} wrote {changed}",
            )
        return response

    def _fill(self, rule, draw):
        """The rule's URL with each path argument drawn from hostile values."""

        def value(match):
            converter, name = match.groups()
            if converter == "int":
                choices = st.sampled_from(["0", "-1", "9" * 5000, "99999999999999999999"])
                if self.record_ids:
                    choices |= st.sampled_from([str(i) for i in self.record_ids])
            elif name == "carrier_type":
                choices = st.sampled_from([*self.carrier_types, "manual", "²", "x" * 300])
            elif name == "token" and self.evaluation_tokens and "evaluate" in rule:
                choices = st.sampled_from(self.evaluation_tokens) | nasty_text
            else:
                choices = nasty_text | st.text(max_size=80)
            return quote(_on_the_wire(draw(choices.filter(bool))), safe="")

        return ARG_RE.sub(value, rule)

    # ------------------------------------------------------------------ generators
    def _signed_api(self, draw, url):
        if url.endswith("/calls"):
            base = {
                "id": "FUZZ-CALL",
                "ticket_external_id": "FUZZ-TICKET-1",
                "start": "2026-11-30T02:00:00Z",
                "duration": 30,
                "direction": "inbound",
            }
            bad = {
                "id": ["\x00", "\ud800", "", None, 7, [], "x" * 200],
                "ticket": ["\x00", "\ud800", "x" * 5000, "NOPE"],
                "ticket_external_id": ["\x00", "\ud800", {"a": 1}, "NOPE"],
                "start": ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "²", 5, [], "x"],
                "duration": [-1, 2**31, 10**30, 1.5, "60", True, "²"],
                "direction": ["sideways", [], "²"],
                "extension": ["\x00", "x" * 40, 12],
                "summary": ["\x00", "x" * 6000, {}],
            }
        else:
            base = {"external_id": "FUZZ-NEW", "subject": "Hỏi đáp"}
            bad = {
                "external_id": ["\x00", "\ud800", "", None, 7, [], "x" * 200],
                "subject": ["\x00", "\ud800", "", None, [], "x" * 300],
                "channel": ["²", [], {}, 1, "nope"],
                "category": ["²", [], {"a": 1}, 1.5, "nope"],
                "description": ["\x00", "x" * 10_001, 3],
                "contact": [[], "x", {"phone": "\x00"}, {"email": ["a"]}, {"name": "\ud800"}],
                "dossier_code": ["\x00", "x" * 100, []],
                "tracking_number": ["\x00", "x" * 41],
                "call": [
                    "x",
                    [],
                    {"id": "\x00"},
                    {"id": "C", "start": "0001-01-01T00:00:00Z"},
                    {"id": "C", "start": "9999-12-31T23:59:59Z"},
                    {"id": "C", "duration": 10**30},
                    {"id": "C", "duration": 2**31},
                ],
            }
        keys = draw(st.lists(st.sampled_from(sorted(bad)), min_size=1, max_size=3, unique=True))
        payload = dict(base)
        for key in keys:
            payload[key] = draw(st.sampled_from(bad[key]))
        body = _dumps(payload)
        stamp = draw(st.sampled_from([str(int(time.time())), "²", "9" * 5000, "١٧٠٠٠٠٠٠٠٠"]))
        signature = hmac.new(
            API_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return body, {
            "Content-Type": "application/json",
            "X-PSA-Timestamp": _header(stamp),
            "X-PSA-Signature": "sha256=" + signature,
        }

    def _near_valid_webhook(self, draw, url):
        """A body that authenticates (right token or HMAC) with hostile fields."""
        if url.endswith("/vnpost"):
            item = {
                "id": draw(nasty_text | json_values),
                "itemCode": draw(nasty_text | numbers | json_values),
                "statusCode": draw(numbers | json_values),
                "statusDate": draw(dates | json_values),
                "statusMessage": draw(nasty_text),
            }
            body = _dumps({"data": draw(st.sampled_from([[item], item, [item, "x"], None]))})
        else:
            data = {
                "ORDER_NUMBER": draw(nasty_text | numbers | json_values),
                "ORDER_STATUS": draw(numbers | json_values),
                "ORDER_STATUSDATE": draw(dates | json_values),
                "ORDER_REFERENCE": draw(nasty_text),
                "STATUS_NAME": draw(nasty_text),
                "NOTE": draw(nasty_text),
            }
            body = _dumps({"DATA": data, "TOKEN": HOOK_SECRET})
        stamp = draw(st.sampled_from([str(int(time.time())), "²", "9" * 5000, "-5"]))
        signature = hmac.new(
            HOOK_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        headers = {"Content-Type": "application/json"}
        if draw(st.booleans()):
            headers.update({"X-Timestamp": _header(stamp), "X-Signature": "sha256=" + signature})
        return body, headers

    def _raw(self, draw):
        headers = {}
        content_type = draw(content_types)
        if content_type:
            headers["Content-Type"] = content_type
        for name in draw(
            st.sets(
                st.sampled_from(
                    ["X-Signature", "X-Timestamp", "X-PSA-Signature", "X-PSA-Timestamp"]
                ),
                max_size=4,
            )
        ):
            headers[name] = _header(draw(header_values))
        return draw(raw_bodies), headers

    def _form(self, draw, rule, url):
        """Form fields as a browser would send them, one of them hostile where it must be."""
        fields = {
            name: draw(nasty_text)
            for name in draw(
                st.sets(
                    st.sampled_from(
                        [
                            "subject",
                            "description",
                            "contact_name",
                            "contact_phone",
                            "contact_email",
                            "dossier_code",
                            "agent_id",
                            "category",
                            "code",
                            "phone_digits",
                            "comment",
                            "channel",
                            "lang",
                            "access_token",
                            "report_type",
                        ]
                        + [f"q{i}" for i in range(1, 10)]
                    ),
                    max_size=8,
                )
            )
        }
        if rule in REFUSING_FORMS:
            if "evaluate" in rule:
                fields["comment"] = draw(st.sampled_from(["\x00", "a\x00b", "x" * 2001]))
                for i in range(1, 10):
                    fields[f"q{i}"] = draw(st.sampled_from(["0", "1", "2", "²", "٢"]))
            else:
                fields.update(
                    {
                        "subject": "Hỏi",
                        "description": "Chi tiết",
                        "contact_name": "An",
                        "contact_phone": "0912345678",
                    }
                )
                key, hostile = draw(
                    st.sampled_from(
                        [
                            ("subject", "a\x00b"),
                            ("description", "\x00"),
                            ("description", "x" * 5001),
                            ("contact_name", "x" * 121),
                            ("agent_id", "²"),
                            ("agent_id", "9" * 5000),
                            ("agent_id", "99999999999999999999"),
                            ("agent_id", "٣"),
                            ("category", "²"),
                            ("dossier_code", "\x00"),
                        ]
                    )
                )
                fields[key] = hostile
        # Surrogates cannot travel in a form (the browser sends UTF-8).
        fields = {k: _on_the_wire(v) for k, v in fields.items()}
        if draw(st.booleans()):
            fields["csrf_token"] = self._csrf_token(url)
        return fields

    def _csrf_token(self, url):
        page = self.opener.get(self.base_url() + "/lien-he", timeout=30)
        match = re.search(r'csrf_token(?:" value=|: )"([^"]+)"', page.text)
        return match.group(1) if match else ""

    # ------------------------------------------------------------------ the fuzz
    @settings(
        max_examples=EXAMPLES * 8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def test_public_routes_never_crash(self, data):
        routes = self._public_routes()
        rule = data.draw(st.sampled_from(sorted(routes)))
        _addon, routing = routes[rule]
        methods = [m for m in (routing.get("methods") or ["GET", "POST"]) if m != "OPTIONS"]
        method = data.draw(st.sampled_from(methods))
        url = self._fill(rule, data.draw)
        strict = rule == WEBHOOK or rule in API
        if method == "GET":
            query = {
                k: _on_the_wire(data.draw(nasty_text))
                for k in data.draw(
                    st.sets(
                        st.sampled_from(
                            ["lang", "access_token", "report_type", "download", "code"]
                        ),
                        max_size=3,
                    )
                )
            }
            self._send(url + "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items()), "GET")
            return
        if rule in API and data.draw(st.booleans()):
            body, headers = self._signed_api(data.draw, url)
        elif rule == WEBHOOK and data.draw(st.booleans()):
            body, headers = self._near_valid_webhook(data.draw, url)
        elif not strict and data.draw(st.booleans()):
            fields = self._form(data.draw, rule, url)
            if data.draw(st.booleans()):
                response = self._send(url, data=fields)
            else:
                files = {k: (None, v) for k, v in fields.items()}
                response = self._send(url, files=files)
            if rule in REFUSING_FORMS:
                self.assertGreaterEqual(response.status_code, 400, fields)
            return
        else:
            body, headers = self._raw(data.draw)
        response = self._send(url, body=body, headers=headers)
        if strict:
            self.assertGreaterEqual(response.status_code, 400, f"{url} {body[:200]}")
        if len(body) > PUBLIC_BODY_LIMIT and rule in (WEBHOOK, *API):
            self.assertEqual(response.status_code, 413, url)

    # ------------------------------------------------------------------ size limit
    def test_oversized_bodies_are_refused_before_parsing(self):
        """20 MB, unauthenticated: 413 at once, for every POST route that reads a body."""
        routes = self._public_routes()
        # 20 MB of '[': parsed, it would be a RecursionError; refused, it is never read.
        body = b"[" * (20 * 1024 * 1024)
        for rule in (WEBHOOK, *API):
            if rule not in routes:
                continue
            url = rule.replace("<string:carrier_type>", "viettelpost")
            response = self._send(url, body=body, headers={"Content-Type": "application/json"})
            self.assertEqual(response.status_code, 413, url)
            self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
            # Without a Content-Length (chunked) the size is unknown until read: refused.
            chunks = (b"[" * 65536 for _ in range(40))
            response = self._send(url, body=chunks, headers={"Content-Type": "application/json"})
            self.assertEqual(response.status_code, 411, url)
        for rule in ("/lien-he", "/tracking"):
            if rule in routes:
                response = self._send(rule, data={"subject": "x" * (2 * PUBLIC_BODY_LIMIT)})
                self.assertEqual(response.status_code, 413, rule)

    # ------------------------------------------------------------------ every route, every case
    def _default_args(self, rule):
        """The rule's URL with plausible path arguments (a real carrier, token or id)."""

        def value(match):
            converter, name = match.groups()
            if converter == "int":
                return str(self.record_ids[0]) if self.record_ids else "1"
            if name == "carrier_type":
                return self.carrier_types[0] if self.carrier_types else "viettelpost"
            if "evaluate" in rule and self.evaluation_tokens:
                return self.evaluation_tokens[0]
            return "a" * 32

        return ARG_RE.sub(value, rule)

    def test_every_route_takes_every_hostile_case(self):
        """Beside the random draws: each known hostile case, on each discovered route."""
        path_values = ["9" * 5000, "99999999999999999999", "-1", "%00", "%C2%B2", "x" * 3000]
        queries = [
            "access_token=%D9%A3%D9%A4",
            "access_token=" + "%C3%A9" * 40,
            "lang=%00&code=a%00b",
            "report_type=pdf&download=%C2%B2",
        ]
        bodies = [DEEP_LIST, DEEP_OBJECT, b"\xff\xfe", b"", b"{", b'"\\ud800"']
        headers = [
            {"X-Signature": "sha256=" + "é" * 64, "X-Timestamp": "²"},
            {"X-Signature": "sha256=" + "0" * 64, "X-Timestamp": "9" * 5000},
            {"X-PSA-Signature": "sha256=" + "é" * 64, "X-PSA-Timestamp": "²"},
            {"X-PSA-Signature": "sha256=" + "0" * 64, "X-PSA-Timestamp": "9" * 5000},
        ]
        routes = self._public_routes()
        count = 0
        for rule, (_addon, routing) in sorted(routes.items()):
            methods = [m for m in (routing.get("methods") or ["GET", "POST"]) if m != "OPTIONS"]
            base = self._default_args(rule)
            for method in methods:
                for value in path_values if ARG_RE.search(rule) else []:
                    self._send(ARG_RE.sub(value, rule), method)
                    count += 1
                if method == "GET":
                    for query in queries:
                        self._send(f"{base}?{query}", "GET")
                        count += 1
                    continue
                for body in bodies:
                    for header in headers:
                        wire = {k: _header(v) for k, v in header.items()}
                        wire["Content-Type"] = "application/json"
                        response = self._send(base, body=body, headers=wire)
                        count += 1
                        if rule == WEBHOOK or rule in API:
                            self.assertGreaterEqual(response.status_code, 400, base)
        logging.getLogger(__name__).info("%s hostile requests on %s routes", count, len(routes))
        self.assertGreaterEqual(count, len(routes))
