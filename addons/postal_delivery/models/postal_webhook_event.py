import hashlib
import hmac
import logging
import time
from datetime import datetime

import pytz
from markupsafe import Markup, escape
from psycopg2 import errors

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError

from odoo.addons.public_service_agent.models.ir_config_parameter import CENTER_TZ
from odoo.addons.public_service_agent.public_input import ascii_int, parse_json, storable
from odoo.addons.public_service_agent.tools import center_language

_logger = logging.getLogger(__name__)

# Seconds a signed request may be old (or early) when the sender gives a timestamp.
SIGNATURE_TOLERANCE = 300
VIETTEL_DATE_FORMAT = "%d/%m/%Y %H:%M:%S"
# The carriers' APIs write Vietnam time (domain.md §5), whatever the Center's calendar says.
CARRIER_TZ = pytz.timezone(CENTER_TZ)
# Status dates outside these years are a sender's error (year 1 overflowed the UTC conversion).
DATE_YEARS = (2000, 2100)
# Longest order number and event id kept: both are indexed (a btree row has a size limit).
MAX_REF = 64
MAX_EVENT_ID = 128
# Stored events applied per transaction by the processing cron.
PROCESS_BATCH = 500
# Seconds one cron run keeps taking batches before it hands over.
PROCESS_BUDGET = 120


class WebhookRejected(Exception):
    """A request the carrier must fix: answered with a 4xx status."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class PostalWebhookEvent(models.Model):
    """A carrier's status event, stored raw before it is processed.

    The unique key per carrier event makes a duplicate a no-op; a late event (older than the
    delivery's last move, or behind it in the state order) is kept and changes nothing; an
    unknown status code is kept and flagged for an administrator to map.
    """

    _name = "postal.webhook.event"
    _description = "Carrier Webhook Event"
    _order = "id desc"
    _rec_name = "event_key"

    carrier_id = fields.Many2one("postal.carrier", required=True, index=True, readonly=True)
    event_key = fields.Char(readonly=True, help="Unique per carrier event.")
    order_number = fields.Char(readonly=True, index=True)
    carrier_status = fields.Char(string="Carrier Status Code", readonly=True)
    carrier_status_name = fields.Char(string="Carrier Status", readonly=True)
    event_date = fields.Datetime(readonly=True)
    source = fields.Selection(
        [("webhook", "Webhook"), ("poll", "Polled Tracking")], default="webhook", readonly=True
    )
    raw_body = fields.Text(readonly=True)
    delivery_id = fields.Many2one("postal.delivery", index=True, readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Processed"),
            ("ignored", "Late or Repeated: No Change"),
            ("unknown_status", "Unknown Status Code"),
            ("unknown_order", "Unknown Order"),
            ("error", "Error"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    note = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "event_key_uniq",
            "unique(carrier_id, event_key)",
            "This carrier event is already stored.",
        ),
    ]

    # ------------------------------------------------------------------ entry points
    @api.model
    def _ingest_http(self, carrier_type, raw_body, headers):
        """Authenticate, parse and store one webhook request: ``(status, payload)``.

        Called by the controller as superuser: authentication happens here, first. The
        events are applied afterwards, set-wise, by ``_process_pending`` (cron).
        """
        try:
            carrier = self._authenticate(carrier_type, raw_body, headers)
            items = self._parse(carrier_type, raw_body)
        except WebhookRejected as rejected:
            return rejected.status, {"status": "rejected", "message": rejected.message}
        results = [self._ingest_item(carrier, item, raw_body) for item in items]
        status = max(code for code, _msg in results)
        return status, {"status": "ok" if status < 400 else "rejected", "results": results}

    def _ingest_item(self, carrier, item, raw_body):
        """Store one event for later processing: ``(http status, short result)``.

        An unknown order is detected here by an indexed look-up and answered 404; its event is
        kept without a key, so the carrier may send it again once the order exists.
        """
        delivery_id = self._match_delivery_id(carrier, item)
        if not delivery_id:
            self._store(carrier, item, raw_body, state="unknown_order")
            return 404, "unknown order"
        event = self._store(carrier, item, raw_body, delivery_id=delivery_id)
        if not event:
            return 200, "duplicate"
        self._schedule_processing()
        return 200, "queued"

    @api.model
    def _match_delivery_id(self, carrier, item):
        """The delivery an event speaks of: tracking number first, then our order reference."""
        refs = [ref for ref in (item["order_reference"], item["order_number"]) if ref]
        self.env.cr.execute(
            """
            SELECT id FROM postal_delivery
             WHERE carrier_id = %s AND (tracking_ref = %s OR order_ref = ANY(%s))
             ORDER BY tracking_ref = %s DESC NULLS LAST, id
             LIMIT 1
            """,
            (carrier.id, item["order_number"], refs, item["order_number"]),
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    @api.model
    def _schedule_processing(self):
        """Wake the processing cron, unless a wake-up is already waiting.

        One trigger serves every event stored before the cron runs: it applies pending events
        until none is left. An event stored in the instant between the cron's last look and
        the removal of its trigger waits for the next scheduled run (every minute).
        """
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "postal_delivery.ir_cron_postal_webhook_process", raise_if_not_found=False
        )
        if not cron_id:
            return
        self.env.cr.execute("SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s LIMIT 1", (cron_id,))
        if not self.env.cr.fetchone():
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()

    # ------------------------------------------------------------------ authentication
    @api.model
    def _authenticate(self, carrier_type, raw_body, headers):
        Carrier = self.env["postal.carrier"].sudo()
        if carrier_type not in dict(Carrier._fields["carrier_type"].selection):
            raise WebhookRejected(404, "unknown carrier")
        secrets = Carrier._webhook_secrets(carrier_type)
        if not secrets:
            raise WebhookRejected(404, "unknown carrier")
        signature = headers.get("X-Signature")
        if signature:
            # ASCII digits only: '²'.isdigit() is True and int('²') raises.
            stamp = headers.get("X-Timestamp") or ""
            timestamp = ascii_int(stamp, 12)
            if timestamp is None:
                raise WebhookRejected(401, "missing timestamp")
            if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE:
                raise WebhookRejected(401, "stale signature")
            signature = signature.removeprefix("sha256=")
            # compare_digest refuses non-ASCII text: such a signature is simply wrong.
            if not signature.isascii():
                raise WebhookRejected(401, "bad signature")
            signed = stamp.encode() + b"." + raw_body
            for carrier_id, secret in secrets:
                expected = hmac.new(secret.encode(), signed, hashlib.sha256)
                if hmac.compare_digest(expected.hexdigest(), signature):
                    return Carrier.browse(carrier_id)
            raise WebhookRejected(401, "bad signature")
        # Viettel Post puts the shared token in the body (domain.md §5).
        body = self._load(raw_body)
        if not isinstance(body, dict):
            raise WebhookRejected(400, "malformed body")
        token = body.get("TOKEN")
        if not isinstance(token, str) or not token.isascii():
            raise WebhookRejected(401, "bad token")
        for carrier_id, secret in secrets:
            if token and hmac.compare_digest(token.encode(), secret.encode()):
                return Carrier.browse(carrier_id)
        raise WebhookRejected(401, "bad token")

    # ------------------------------------------------------------------ parsing
    @api.model
    def _load(self, raw_body):
        try:
            return parse_json(raw_body)
        except ValueError:
            raise WebhookRejected(400, "malformed body") from None

    @api.model
    def _text(self, value, label, size, required=False):
        """A string or number of the carrier as storable text of at most ``size``."""
        if value is None or value == "":
            value = ""
        elif isinstance(value, int | str) and not isinstance(value, bool):
            value = str(value).strip()
        else:
            raise WebhookRejected(400, f"{label} invalid")
        if (required and not value) or len(value) > size or not storable(value):
            raise WebhookRejected(400, f"{label} invalid")
        return value

    @api.model
    def _status(self, value, label):
        status = ascii_int(value.strip() if isinstance(value, str) else value, 6)
        if status is None:
            raise WebhookRejected(400, f"{label} invalid")
        return str(status)

    @api.model
    def _parse(self, carrier_type, raw_body):
        body = self._load(raw_body)
        if not isinstance(body, dict):
            raise WebhookRejected(400, "malformed body")
        parser = getattr(self, f"_parse_{carrier_type}", None)
        if not parser:
            raise WebhookRejected(404, "carrier without webhook")
        return parser(body)

    @api.model
    def _parse_viettelpost(self, body):
        data = body.get("DATA")
        if not isinstance(data, dict):
            raise WebhookRejected(400, "DATA missing")
        number = self._text(data.get("ORDER_NUMBER"), "ORDER_NUMBER", MAX_REF, True)
        status = self._status(data.get("ORDER_STATUS"), "ORDER_STATUS")
        date = data.get("ORDER_STATUSDATE")
        return [
            {
                "order_number": number,
                "order_reference": self._text(
                    data.get("ORDER_REFERENCE"), "ORDER_REFERENCE", MAX_REF
                ),
                "status": status,
                "status_name": self._text(data.get("STATUS_NAME"), "STATUS_NAME", 1000)[:200],
                "date": self._parse_local_date(date),
                "note": self._text(data.get("NOTE"), "NOTE", 5000)[:200],
                "key": f"{number}:{status}:{date}",
            }
        ]

    @api.model
    def _parse_vnpost(self, body):
        items = body.get("data")
        if not isinstance(items, list):
            raise WebhookRejected(400, "data missing")
        parsed = []
        for item in items:
            if not isinstance(item, dict):
                raise WebhookRejected(400, "itemCode missing")
            number = self._text(item.get("itemCode"), "itemCode", MAX_REF, True)
            status = self._status(item.get("statusCode"), "statusCode")
            parsed.append(
                {
                    "order_number": number,
                    "order_reference": self._text(item.get("orderNumber"), "orderNumber", MAX_REF),
                    "status": status,
                    "status_name": self._text(item.get("statusMessage"), "statusMessage", 1000)[
                        :200
                    ],
                    "date": self._parse_local_date(item.get("statusDate")),
                    "note": "",
                    "key": self._text(item.get("id"), "id", MAX_EVENT_ID) or f"{number}:{status}",
                }
            )
        return parsed

    @api.model
    def _parse_local_date(self, value):
        """Carriers write Hanoi time, ``dd/MM/yyyy HH:mm:ss``; we store naive UTC."""
        if not value:
            raise WebhookRejected(400, "status date missing")
        if not isinstance(value, str) or len(value) > 40:
            raise WebhookRejected(400, "status date invalid")
        try:
            moment = datetime.strptime(value, VIETTEL_DATE_FORMAT)
        except ValueError:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                raise WebhookRejected(400, "status date invalid") from None
        # Checked before the time-zone shift, which overflows at the ends of the calendar.
        if not DATE_YEARS[0] <= moment.year <= DATE_YEARS[1]:
            raise WebhookRejected(400, "status date out of range")
        if moment.tzinfo is None:
            moment = CARRIER_TZ.localize(moment)
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------ storage
    @api.model
    def _store(self, carrier, item, raw_body, delivery_id=None, state="pending"):
        """Insert the raw event unless its key is known: one statement, safe under concurrency.

        The ORM's create would raise on the unique key and abort the whole transaction; two
        workers receiving the same event at once must both answer 200.
        """
        self.env.cr.execute(
            """
            INSERT INTO postal_webhook_event
                (carrier_id, event_key, order_number, carrier_status, carrier_status_name,
                 event_date, source, raw_body, delivery_id, state, note, create_uid,
                 write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (carrier_id, event_key) DO NOTHING
            RETURNING id
            """,
            (
                carrier.id,
                # An unknown order keeps no key: the carrier may send it again.
                item["key"] if state == "pending" else None,
                item["order_number"],
                item["status"],
                item["status_name"],
                item["date"],
                self.env.context.get("postal_event_source", "webhook"),
                raw_body.decode("utf-8", "replace") if isinstance(raw_body, bytes) else raw_body,
                delivery_id,
                state,
                item.get("note") or None,
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    # ------------------------------------------------------------------ processing
    @api.model
    def _process_pending(self, limit=PROCESS_BATCH):
        """Apply up to ``limit`` pending events in this transaction; the number applied.

        Safe with concurrent processors: the events and then their deliveries are locked with
        ``SKIP LOCKED``; events of a delivery another processor holds stay pending for the
        next batch, so each event is applied exactly once. Per delivery, events go in the
        carrier's time order; a late one still never moves a delivery backwards.
        """
        # Carrier moves are the system's own (see _postal_apply_carrier_status).
        return self.sudo()._process_pending_batch(limit)

    @api.model
    def _process_pending_batch(self, limit):
        cr = self.env.cr
        cr.execute(
            """
            SELECT id, delivery_id FROM postal_webhook_event
             WHERE state = 'pending'
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (limit,),
            # A concurrent processor's commit may fail this under REPEATABLE READ: the caller
            # retries, no need for an error in the log.
            log_exceptions=False,
        )
        rows = cr.fetchall()
        if not rows:
            return 0
        delivery_ids = sorted({delivery_id for _id, delivery_id in rows if delivery_id})
        locked = set()
        if delivery_ids:
            cr.execute(
                "SELECT id FROM postal_delivery WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED",
                (delivery_ids,),
                log_exceptions=False,
            )
            locked = {row[0] for row in cr.fetchall()}
        applicable = set()
        if locked:
            cr.execute(
                """
                SELECT delivery_id, array_agg(id ORDER BY id) FROM postal_webhook_event
                 WHERE state = 'pending' AND delivery_id = ANY(%s)
                 GROUP BY delivery_id
                """,
                (sorted(locked),),
            )
            applicable = self._in_order_prefix(
                {event_id for event_id, _delivery_id in rows}, dict(cr.fetchall())
            )
        events = self.browse(
            [
                event_id
                for event_id, delivery_id in rows
                if not delivery_id or event_id in applicable
            ]
        )
        if not events:
            return 0
        events = events.sorted(lambda e: (e.delivery_id.id, e.event_date or e.create_date, e.id))
        # One chatter note per delivery for the whole batch instead of one tracking message
        # per move (that was a third of the cost of an event).
        moves = {}
        for event in events.with_context(mail_notrack=True):
            delivery = event.delivery_id
            before = delivery.state if delivery else None
            event._process()
            if delivery and event.state == "done" and delivery.state != before:
                moves.setdefault(delivery, []).append((before, delivery.state, event))
        self._post_moves(moves)
        self.env.flush_all()
        return len(events)

    @api.model
    def _in_order_prefix(self, ours, pending_by_delivery):
        """The events of ``ours`` that may be applied now, so that no delivery's events are
        applied out of their arrival order: per delivery, its pending events (by id) up to the
        first one that another processor holds (skipped by ``SKIP LOCKED``), which stays
        pending with all the later ones until a next batch.
        """
        applicable = set()
        for event_ids in pending_by_delivery.values():
            for event_id in event_ids:
                if event_id not in ours:
                    break
                applicable.add(event_id)
        return applicable

    @api.model
    def _post_moves(self, moves):
        if not moves:
            return
        Delivery = self.env["postal.delivery"].sudo()
        labels = Delivery._state_labels()
        bodies = {}
        for delivery, steps in moves.items():
            lines = Markup("").join(
                Markup("<li>%s → %s (%s %s)</li>")
                % (
                    labels.get(old, old),
                    labels.get(new, new),
                    event.carrier_status,
                    escape(event.carrier_status_name or ""),
                )
                for old, new, event in steps
            )
            bodies[delivery.id] = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Carrier events applied:"),
                lines,
            )
        Delivery.browse(list(bodies))._message_log_batch(bodies=bodies)

    @api.model
    @center_language
    def _cron_process_pending(self):
        """Apply stored events by batches, one transaction each, until none is left."""
        deadline = time.monotonic() + PROCESS_BUDGET
        total = 0
        # One transaction under tests, whoever runs them (Odoo's runner, or pytest over HTTP).
        testing = modules.module.current_test or self.env.registry.in_test_mode()
        while time.monotonic() < deadline:
            try:
                count = self._process_pending()
            except (errors.SerializationFailure, errors.LockNotAvailable):
                if testing:
                    raise
                # Another processor moved one of these deliveries since our snapshot: retry.
                self.env.cr.rollback()
                self.env.invalidate_all()
                continue
            if not count:
                break
            total += count
            if not testing:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if total:
            _logger.info("Applied %s carrier events", total)
        return total

    def _find_delivery(self):
        self.ensure_one()
        if self.delivery_id:
            return self.delivery_id
        delivery_id = self._match_delivery_id(
            self.carrier_id, {"order_number": self.order_number, "order_reference": ""}
        )
        return self.env["postal.delivery"].sudo().browse(delivery_id)

    def _process(self):
        """Apply one stored event: ``(http status, short result)``."""
        self.ensure_one()
        delivery = self._find_delivery()
        if not delivery:
            # Free the key: the carrier may send it again once the order exists.
            self.write({"state": "unknown_order", "event_key": False})
            return 404, "unknown order"
        if not delivery.tracking_ref:
            delivery.tracking_ref = self.order_number
        vals = {"delivery_id": delivery.id}
        mapping = self.env["postal.carrier.status"]._lookup(
            self.carrier_id.carrier_type, self.carrier_status
        )
        if not mapping:
            self.write({**vals, "state": "unknown_status"})
            return 200, "unknown status kept"
        target = mapping.state
        if not target or not delivery._postal_event_moves(target, self.event_date):
            self.write({**vals, "state": "ignored"})
            return 200, "no change"
        try:
            with self.env.cr.savepoint():
                delivery._postal_apply_carrier_status(
                    target,
                    self.event_date,
                    self.carrier_status,
                    self.note or self.carrier_status_name,
                )
        except (ValidationError, UserError) as error:
            self.write({**vals, "state": "error", "note": str(error)[:200]})
            return 200, "not applied"
        self.write({**vals, "state": "done"})
        return 200, "processed"

    def action_reprocess(self):
        """Officers retry events flagged unknown (after mapping the code) or in error."""
        for event in self.filtered(lambda e: e.state in ("unknown_status", "error")):
            event._process()
        return True
