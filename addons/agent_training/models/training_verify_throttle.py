from odoo import api, fields, models
from odoo.tools import SQL

DEFAULT_LIMIT = 30  # lookups per client and minute
LIMIT_PARAM = "agent_training.verify_rate_limit"


class TrainingVerifyThrottle(models.Model):
    """Per-client counter for the public verification page (fixed one-minute windows)."""

    _name = "training.verify.throttle"
    _description = "Certificate Verification Rate Limit"
    _log_access = False

    key = fields.Char(required=True)
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(required=True, default=0)

    _sql_constraints = [("key_uniq", "unique(key)", "One counter per client.")]

    @api.model
    def _hit(self, key):
        """Count one lookup for ``key``; return False when the client is over the limit."""
        limit = self.env["ir.config_parameter"].sudo().get_param(LIMIT_PARAM, "")
        limit = int(limit) if str(limit).isdigit() else DEFAULT_LIMIT
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO training_verify_throttle (key, window_start, hits)
                     VALUES (%(key)s, date_trunc('minute', now() AT TIME ZONE 'UTC'), 1)
                ON CONFLICT (key) DO UPDATE
                        SET hits = CASE WHEN training_verify_throttle.window_start
                                             = date_trunc('minute', now() AT TIME ZONE 'UTC')
                                        THEN training_verify_throttle.hits + 1 ELSE 1 END,
                            window_start = date_trunc('minute', now() AT TIME ZONE 'UTC')
                  RETURNING hits
                """,
                key=key,
            )
        )
        return self.env.cr.fetchone()[0] <= limit

    @api.autovacuum
    def _gc_old_windows(self):
        self.env.cr.execute(
            "DELETE FROM training_verify_throttle "
            "WHERE window_start < (now() AT TIME ZONE 'UTC') - interval '1 hour'"
        )
