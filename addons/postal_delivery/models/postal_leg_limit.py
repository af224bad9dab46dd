from odoo import api, fields, models


class PostalLegLimit(models.Model):
    """Time limit of the postal leg in working days (Circular 17/2017 Art. 7).

    The four routes are adapted to the two-tier administration in force since 1 July 2025;
    administrators may change the days.
    """

    _name = "postal.leg.limit"
    _description = "Postal-leg Time Limit"
    _order = "days, id"

    route = fields.Selection(
        selection="_selection_route",
        required=True,
    )
    days = fields.Integer(string="Working Days (J+n)", required=True)
    days_with_appointment = fields.Integer(
        string="Working Days with Appointment Slip", required=True
    )

    _sql_constraints = [
        ("route_uniq", "unique(route)", "Each route has one time limit."),
        ("days_positive", "CHECK(days > 0 AND days_with_appointment > 0)", "Days must be > 0."),
    ]

    @api.model
    def _limits(self):
        return {
            limit.route: (limit.days, limit.days_with_appointment)
            for limit in self.sudo().search([])
        }

    @api.model
    def _selection_route(self):
        # The delivery's routes with their labels in the reader's language.
        return self.env["postal.delivery"]._fields["route"]._description_selection(self.env)
