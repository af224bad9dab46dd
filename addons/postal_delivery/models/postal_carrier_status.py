from odoo import api, fields, models, tools


class PostalCarrierStatus(models.Model):
    """A carrier's status code and the delivery state it means; administrators extend it."""

    _name = "postal.carrier.status"
    _inherit = ["postal.cached.mixin"]
    _description = "Carrier Status Code"
    _order = "carrier_type, code"

    carrier_type = fields.Selection(
        selection="_selection_carrier_type",
        required=True,
        index=True,
    )
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Carrier's Label", translate=True)
    state = fields.Selection(
        selection="_selection_state",
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

    # The labels of the models they copy, in the reader's language (a plain copy of the list
    # would stay in English).
    @api.model
    def _selection_carrier_type(self):
        return self.env["postal.carrier"]._fields["carrier_type"]._description_selection(self.env)

    @api.model
    def _selection_state(self):
        return self.env["postal.delivery"]._fields["state"]._description_selection(self.env)

    @api.model
    def _lookup(self, carrier_type, code):
        return self.sudo().browse(self._lookup_id(carrier_type, str(code)))

    @api.model
    @tools.ormcache("carrier_type", "code")
    def _lookup_id(self, carrier_type, code):
        # Cached: every carrier event asks it; the table changes only by an administrator.
        return (
            self.sudo()
            .search([("carrier_type", "=", carrier_type), ("code", "=", code)], limit=1)
            .id
        )
