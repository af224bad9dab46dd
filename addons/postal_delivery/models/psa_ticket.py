from odoo import api, fields, models


class PsaTicket(models.Model):
    _inherit = "psa.ticket"

    delivery_id = fields.Many2one(
        "postal.delivery",
        string="Delivery",
        compute="_compute_delivery_id",
        store=True,
        index="btree_not_null",
        help="The delivery the caller's tracking number names, else the dossier's latest one.",
    )

    @api.depends("delivery_ref", "dossier_id")
    def _compute_delivery_id(self):
        Delivery = self.env["postal.delivery"].sudo()
        refs = [ref for ref in self.mapped("delivery_ref") if ref]
        by_ref = {}
        if refs:
            for delivery in Delivery.search([("tracking_ref", "in", refs)], order="id"):
                by_ref[delivery.tracking_ref] = delivery
        latest = {}
        if self.dossier_id:
            for delivery in Delivery.search(
                [("dossier_id", "in", self.dossier_id.ids), ("state", "!=", "cancelled")],
                order="id",
            ):
                latest[delivery.dossier_id.id] = delivery
        for ticket in self:
            ticket.delivery_id = by_ref.get(ticket.delivery_ref) or latest.get(
                ticket.dossier_id.id, Delivery.browse()
            )
