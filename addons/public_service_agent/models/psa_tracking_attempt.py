from odoo import fields, models


class PsaTrackingAttempt(models.Model):
    """Failed public look-ups per client address, to rate-limit the tracking page."""

    _name = "psa.tracking.attempt"
    _description = "Public Tracking Attempt"
    _log_access = False

    client_key = fields.Char(required=True, index=True)
    window_start = fields.Datetime(required=True)
    count = fields.Integer(default=0)
