from odoo import api, fields, models


class PostalDeliveryEvent(models.Model):
    """One step of a delivery's history: who or what moved it, when, from where to where."""

    _name = "postal.delivery.event"
    _description = "Postal Delivery Event"
    _order = "date desc, id desc"

    delivery_id = fields.Many2one(
        "postal.delivery", required=True, index=True, ondelete="cascade", readonly=True
    )
    state_from = fields.Selection(
        selection="_selection_delivery_state",
        string="From",
        readonly=True,
    )
    state_to = fields.Selection(
        selection="_selection_delivery_state",
        string="To",
        required=True,
        readonly=True,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    source = fields.Selection(
        [
            ("manual", "Manual"),
            ("webhook", "Carrier Webhook"),
            ("poll", "Carrier Tracking"),
            ("handover", "Handover Record"),
            ("system", "System"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    carrier_status = fields.Char(string="Carrier Status Code", readonly=True)
    note = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user, string="By"
    )
    company_id = fields.Many2one(related="delivery_id.company_id", store=True, precompute=True)

    @api.model
    def _selection_delivery_state(self):
        # The delivery's states with their labels in the reader's language.
        return self.env["postal.delivery"]._fields["state"]._description_selection(self.env)
