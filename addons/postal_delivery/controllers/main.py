from odoo.http import request

from odoo.addons.public_service_agent.controllers.main import PsaPublic


class PostalTracking(PsaPublic):
    def _psa_tracking_result(self, dossier, digits=""):
        """Adds the deliveries: status and the carrier's tracking number, nothing personal."""
        result = super()._psa_tracking_result(dossier, digits)
        deliveries = (
            request.env["postal.delivery"]
            .sudo()
            .search([("dossier_id", "=", dossier.id), ("state", "!=", "cancelled")], order="id")
        )
        labels = (
            dict(deliveries._fields["state"]._description_selection(request.env))
            if deliveries
            else {}
        )
        services = (
            dict(deliveries._fields["service_type"]._description_selection(request.env))
            if deliveries
            else {}
        )
        result["deliveries"] = [
            {
                "service": services.get(d.service_type),
                "carrier": d.carrier_id.name,
                "tracking_ref": d.tracking_ref or "",
                "state": d.state,
                "state_label": labels.get(d.state),
                "date_delivered": d.date_delivered,
                "date_due": d.date_due,
                "attempts": d.attempt_count,
            }
            for d in deliveries
        ]
        return result
