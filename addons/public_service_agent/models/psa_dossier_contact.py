from odoo import fields, models


class PsaDossier(models.Model):
    """What the contact centre and quality control add to dossiers.

    Kept apart from psa_dossier.py: the proxy who files for the citizen (a broker signal
    looks for one proxy filing for many citizens), the values of citizen notifications.
    """

    _inherit = "psa.dossier"

    proxy_id = fields.Many2one(
        "res.partner",
        string="Filed by Proxy",
        index="btree_not_null",
        ondelete="restrict",
        help="The authorised person who filed for the citizen, when not the citizen.",
        groups="public_service_agent.group_psa_officer",
    )
    # The Center's records: agent staff read the dossier, not these.
    notification_ids = fields.One2many(
        "psa.notification",
        "dossier_id",
        string="Alerts Sent",
        groups="public_service_agent.group_psa_officer",
    )
    ticket_ids = fields.One2many(
        "psa.ticket",
        "dossier_id",
        string="Tickets",
        groups="public_service_agent.group_psa_officer",
    )

    def _psa_notification_values(self):
        """Placeholder values of the dossier's alerts: nothing the citizen does not know."""
        self.ensure_one()
        Notification = self.env["psa.notification"]
        base = self.get_base_url()
        return {
            "citizen": self.citizen_id.name or "",
            "code": self.name,
            "procedure": self.procedure_id.name or "",
            "status": self.stage_id.name or "",
            "due_date": Notification._format_date(self.date_due),
            "agent": self.agent_id.name or "",
            "tracking_url": f"{base}/tracking",
            "settings_url": self.citizen_id._psa_alert_settings_url(),
        }
