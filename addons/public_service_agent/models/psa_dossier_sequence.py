from odoo import api, fields, models


class PsaDossierSequence(models.Model):
    """Last dossier number used per agency and receipt day.

    ``ir.sequence`` cannot serve here: its ranges are yearly, and its gap-free mode
    locks with NOWAIT, so two counters creating at the same moment make one fail.
    An upsert on this row instead makes concurrent creators wait until the first
    commits, then Odoo's serialization retry replays them with the next number;
    a rollback gives the number back: no gaps, no duplicates.
    """

    _name = "psa.dossier.sequence"
    _description = "Daily Dossier Numbering"
    _log_access = False

    agency_code = fields.Char(required=True)
    day = fields.Date(required=True)
    last_number = fields.Integer(required=True, default=0)

    _sql_constraints = [
        ("agency_day_uniq", "unique(agency_code, day)", "One counter per agency and day."),
    ]

    @api.model
    def _reserve(self, agency_code, day, count=1):
        """Reserve ``count`` consecutive numbers; return the first one."""
        self.env.cr.execute(
            """
            INSERT INTO psa_dossier_sequence (agency_code, day, last_number)
                 VALUES (%s, %s, %s)
            ON CONFLICT (agency_code, day)
              DO UPDATE SET last_number = psa_dossier_sequence.last_number + EXCLUDED.last_number
              RETURNING last_number
            """,
            (agency_code, day, count),
        )
        return self.env.cr.fetchone()[0] - count + 1
