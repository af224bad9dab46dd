import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

DEFAULT_LIMIT = 10  # wrong look-ups allowed per client address and dossier code, per window
DEFAULT_WINDOW_MINUTES = 10
DEFAULT_CODE_LIMIT = 20  # per dossier code, whatever the address (spread guessing)
DEFAULT_ADDRESS_LIMIT = 30  # per address, whatever the code: the wider ceiling
LIMIT_PARAM = "public_service_agent.tracking_rate_limit"
WINDOW_PARAM = "public_service_agent.tracking_rate_window_minutes"
CODE_LIMIT_PARAM = "public_service_agent.tracking_rate_limit_code"
ADDRESS_LIMIT_PARAM = "public_service_agent.tracking_rate_limit_address"


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()[:40]


class PsaTrackingAttempt(models.Model):
    """Failed public look-ups per client address, to rate-limit public pages.

    One row per client (``client_key`` is unique): a fixed window opened by the
    first wrong try and the number of wrong tries in it. The counter is bumped with
    one atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, so concurrent
    requests of the same client can neither lose an increment nor create a
    second row. Old rows are purged by the autovacuum cron.
    """

    _name = "psa.tracking.attempt"
    _description = "Public Tracking Attempt"
    _log_access = False

    client_key = fields.Char(required=True)
    window_start = fields.Datetime(required=True)
    count = fields.Integer(default=0)

    _sql_constraints = [
        ("client_key_uniq", "unique(client_key)", "One counter per client."),
    ]

    @api.model
    def _psa_settings(self):
        """(limit, window) from system parameters, with safe defaults."""
        params = self.env["ir.config_parameter"]
        limit = params._psa_positive_int(LIMIT_PARAM, DEFAULT_LIMIT)
        window = params._psa_positive_int(WINDOW_PARAM, DEFAULT_WINDOW_MINUTES)
        return limit, timedelta(minutes=window)

    @api.model
    def _psa_param(self, key, default):
        return self.env["ir.config_parameter"]._psa_positive_int(key, default)

    @api.model
    def _psa_tracking_keys(self, address, code):
        """[(key, limit)] counted for a wrong /tracking try: the address and code together,
        the code from any address, and a wider ceiling for the address over all codes.
        Hashes, not the values: the table only needs to tell them apart."""
        limit, _window = self._psa_settings()
        code = (code or "").upper()
        return [
            ("tracking:" + _digest(f"{address}|{code}"), limit),
            (
                "tracking-code:" + _digest(code),
                self._psa_param(CODE_LIMIT_PARAM, DEFAULT_CODE_LIMIT),
            ),
            (
                "tracking-address:" + _digest(address),
                self._psa_param(ADDRESS_LIMIT_PARAM, DEFAULT_ADDRESS_LIMIT),
            ),
        ]

    @api.model
    def _psa_any_blocked(self, keys):
        return any(self._psa_is_blocked(key, limit) for key, limit in keys)

    @api.model
    def _psa_register_failures(self, keys):
        """Count one wrong try on every key; True while all are within their limits."""
        _limit, window = self._psa_settings()
        results = [self._psa_hit(key, limit, window) for key, limit in keys]
        return all(results)

    @api.model
    def _psa_is_blocked(self, client_key, limit=None):
        """True when the client already used up its wrong tries in the current window."""
        default_limit, window = self._psa_settings()
        limit = limit or default_limit
        now = fields.Datetime.now()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT count FROM psa_tracking_attempt "
                "WHERE client_key = %(key)s AND window_start > %(since)s",
                key=client_key,
                since=now - window,
            )
        )
        row = self.env.cr.fetchone()
        return bool(row) and row[0] >= limit

    @api.model
    def _psa_register_failure(self, client_key):
        """Count one wrong try; return True while the client is still within the limit."""
        return self._psa_hit(client_key, *self._psa_settings())

    @api.model
    def _psa_hit(self, client_key, limit, window):
        """Count one event for ``client_key`` in a fixed ``window`` (timedelta) and return
        True while at most ``limit`` events happened in it. Other public pages (certificate
        verification) use it with their own key prefix and limits."""
        now = fields.Datetime.now()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO psa_tracking_attempt (client_key, window_start, count)
                     VALUES (%(key)s, %(now)s, 1)
                ON CONFLICT (client_key) DO UPDATE
                        SET count = CASE WHEN psa_tracking_attempt.window_start > %(since)s
                                         THEN psa_tracking_attempt.count + 1 ELSE 1 END,
                            window_start = CASE WHEN psa_tracking_attempt.window_start > %(since)s
                                                THEN psa_tracking_attempt.window_start
                                                ELSE %(now)s END
                  RETURNING count
                """,
                key=client_key,
                now=now,
                since=now - window,
            )
        )
        count = self.env.cr.fetchone()[0]
        self.invalidate_model()
        return count <= limit

    @api.autovacuum
    def _gc_tracking_attempts(self):
        """Forget clients whose window closed (kept one day for the record)."""
        _limit, window = self._psa_settings()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM psa_tracking_attempt WHERE window_start < %(before)s",
                before=fields.Datetime.now() - max(window, timedelta(days=1)),
            )
        )
        self.invalidate_model()
