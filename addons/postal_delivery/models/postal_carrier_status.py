from odoo import api, fields, models

from .selection import borrowed_selection


class PostalCarrierStatus(models.Model):
    """A carrier's status code and the delivery state it means; administrators extend it."""

    _name = "postal.carrier.status"
    _description = "Carrier Status Code"
    _order = "carrier_type, code"

    carrier_type = fields.Selection(
        selection=borrowed_selection("postal.carrier", "carrier_type"),
        required=True,
        index=True,
    )
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Carrier's Label", translate=True)
    state = fields.Selection(
        selection=borrowed_selection("postal.delivery", "state"),
        string="Delivery Status",
        help="Empty: the code is known but moves nothing (for instance a held item).",
    )
    is_failed_attempt = fields.Boolean(
        help="The carrier reports that nobody could receive the item."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(carrier_type, code)", "Each carrier code is mapped once."),
    ]

    @api.model
    def _lookup(self, carrier_type, code):
        return self.sudo().search(
            [("carrier_type", "=", carrier_type), ("code", "=", str(code))], limit=1
        )
