from odoo import fields, models


class PostalCarrier(models.Model):
    """A postal operator that carries dossiers and results.

    Connectors are found by naming convention: ``<carrier_type>_send_shipping``,
    ``<carrier_type>_get_tracking``, ``<carrier_type>_cancel_shipment`` and
    ``<carrier_type>_rate``, as in Odoo's ``delivery.carrier``.
    """

    _name = "postal.carrier"
    _description = "Postal Carrier"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    carrier_type = fields.Selection(
        [("manual", "Manual"), ("vnpost", "Vietnam Post"), ("viettelpost", "Viettel Post")],
        required=True,
        default="manual",
    )
    operator_id = fields.Many2one("res.partner", domain=[("is_psa_operator", "=", True)])
    prod_environment = fields.Boolean(
        string="Production", groups="public_service_agent.group_psa_admin"
    )
    api_url_test = fields.Char(string="Test URL", groups="public_service_agent.group_psa_admin")
    api_url_prod = fields.Char(
        string="Production URL", groups="public_service_agent.group_psa_admin"
    )
    api_username = fields.Char(groups="public_service_agent.group_psa_admin")
    api_password = fields.Char(groups="public_service_agent.group_psa_admin")
    webhook_secret = fields.Char(groups="public_service_agent.group_psa_admin", copy=False)
    tracking_url = fields.Char(help="Public tracking page; <tracking> is replaced by the number.")
    active = fields.Boolean(default=True)
