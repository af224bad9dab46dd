from odoo import api, models
from odoo.tools import SQL


class PsaCenterDashboard(models.Model):
    _inherit = "psa.center.dashboard"

    @api.model
    def _delivery_rows(self):
        """Delivered deliveries of agents' dossiers: on time when within the postal-leg limit."""
        return SQL(
            """
            SELECT pd.date_delivered::date AS date, d.agent_id,
                   CASE WHEN pd.date_due IS NULL OR pd.date_delivered <= pd.date_due
                        THEN 100.0 ELSE 0.0 END AS on_time
              FROM postal_delivery pd
              JOIN psa_dossier d ON d.id = pd.dossier_id
             WHERE pd.state = 'delivered' AND d.agent_id IS NOT NULL
            """
        )
