from odoo import api, fields, models
from odoo.tools import SQL


class PsaCenterDashboard(models.Model):
    """The Center's dashboard: one row per dossier, evaluation, complaint, open signal or
    delivery, so that the pivot's averages are weighted right.

    ``on_time_percent`` is 100 or 0 on processed dossiers (NULL elsewhere): its average is
    the on-time rate. ``complaint_per_mille`` is 1000 on complaints and 0 on dossiers: its
    average is complaints per 1,000 contacts. postal_delivery adds its rows through
    ``_delivery_rows()``.
    """

    _name = "psa.center.dashboard"
    _description = "Center Dashboard"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    agent_id = fields.Many2one("psa.agent", readonly=True)
    operator_id = fields.Many2one("res.partner", string="Operator", readonly=True)
    ward_id = fields.Many2one("psa.admin.unit", string="Ward / Commune", readonly=True)
    dossier_count = fields.Integer(string="Dossiers Received", readonly=True)
    processed_count = fields.Integer(string="Dossiers Processed", readonly=True)
    on_time_percent = fields.Float(string="On-time Rate (%)", readonly=True, aggregator="avg")
    satisfaction = fields.Float(string="Satisfaction (%)", readonly=True, aggregator="avg")
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_per_mille = fields.Float(
        string="Complaints per 1,000", readonly=True, aggregator="avg"
    )
    open_signal_count = fields.Integer(string="Open Signals", readonly=True)
    delivery_count = fields.Integer(string="Deliveries", readonly=True)
    delivery_on_time_percent = fields.Float(
        string="Deliveries On Time (%)", readonly=True, aggregator="avg"
    )

    @api.model
    def _delivery_rows(self):
        """Rows of deliveries (date, agent_id, delivered on time as 100/0): none here."""
        return SQL(
            "SELECT NULL::date AS date, NULL::int AS agent_id, NULL::float AS on_time WHERE false"
        )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT row_number() OVER () AS id, r.date, r.agent_id, a.operator_id,
                   p.ward_id, r.dossier_count, r.processed_count, r.on_time_percent,
                   r.satisfaction, r.complaint_count, r.complaint_per_mille,
                   r.open_signal_count, r.delivery_count, r.delivery_on_time_percent
              FROM (
                SELECT d.date_received::date AS date, d.agent_id, 1 AS dossier_count,
                       (d.date_done IS NOT NULL)::int AS processed_count,
                       CASE WHEN d.date_done IS NULL THEN NULL
                            WHEN d.is_on_time THEN 100.0 ELSE 0.0 END AS on_time_percent,
                       NULL::float AS satisfaction, 0 AS complaint_count,
                       0.0 AS complaint_per_mille, 0 AS open_signal_count,
                       0 AS delivery_count, NULL::float AS delivery_on_time_percent
                  FROM psa_dossier d WHERE d.date_received IS NOT NULL
                UNION ALL
                SELECT e.create_date::date, e.agent_id, 0, 0, NULL, e.score_percent, 0, NULL,
                       0, 0, NULL
                  FROM psa_dossier_evaluation e
                UNION ALL
                SELECT t.date_open::date, t.agent_id, 0, 0, NULL, NULL, 1, 1000.0, 0, 0, NULL
                  FROM psa_ticket t WHERE t.ticket_type = 'complaint'
                UNION ALL
                SELECT s.date_detected::date, s.agent_id, 0, 0, NULL, NULL, 0, NULL, 1, 0, NULL
                  FROM psa_quality_signal s WHERE s.state = 'open'
                UNION ALL
                SELECT dl.date, dl.agent_id, 0, 0, NULL, NULL, 0, NULL, 0, 1, dl.on_time
                  FROM (%(deliveries)s) dl
              ) r
              LEFT JOIN psa_agent a ON a.id = r.agent_id
              LEFT JOIN res_partner p ON p.id = a.partner_id
            """,
            deliveries=self._delivery_rows(),
        )
