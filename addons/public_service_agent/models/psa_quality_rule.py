from odoo import fields, models

SIGNAL_TYPES = [
    ("shared_contact", "Same Phone or E-mail for Many Citizens"),
    ("proxy", "One Proxy Filing for Many Citizens"),
    ("out_of_hours", "Dossiers Filed Outside Opening Hours"),
    ("fee_complaint", "Complaints of Extra Fees or Documents"),
    ("supplement_rate", "Unusual Supplement Rate"),
    ("refusal_rate", "Unusual Refusal Rate"),
    ("zero_evaluation", "Evaluations Scoring 0 on Cost or Attitude"),
]


class PsaQualityRule(models.Model):
    """The settings of one broker signal: threshold, look-back window, weight in the risk score.

    One record per signal type (data file); administrators tune them.
    """

    _name = "psa.quality.rule"
    _description = "Broker Signal Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    signal_type = fields.Selection(SIGNAL_TYPES, required=True, readonly=True)
    active = fields.Boolean(default=True)
    threshold = fields.Integer(
        default=3,
        help="How many occurrences (citizens, dossiers, complaints, evaluations) raise a signal.",
    )
    window_days = fields.Integer(string="Look-back (days)", default=90)
    weight = fields.Float(default=20.0, help="Points added to the risk score at the threshold.")
    factor = fields.Float(
        default=2.0, help="Rate rules: how many times the procedure's norm is unusual."
    )
    min_dossiers = fields.Integer(
        default=10, help="Rate rules: fewer dossiers of a procedure at an agent prove nothing."
    )

    _sql_constraints = [
        ("type_uniq", "unique(signal_type)", "One rule per signal type."),
        ("threshold_positive", "CHECK(threshold > 0)", "The threshold must be positive."),
        ("window_positive", "CHECK(window_days > 0)", "The look-back window must be positive."),
        ("factor_positive", "CHECK(factor > 0)", "The factor must be positive."),
    ]
