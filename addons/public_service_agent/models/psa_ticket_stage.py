from odoo import fields, models


class PsaTicketStage(models.Model):
    """Kanban column of the contact centre's tickets."""

    _name = "psa.ticket.stage"
    _description = "Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(help="Folded in the kanban view.")
    is_closed = fields.Boolean(
        string="Closed", help="Tickets in this stage are settled: their deadline no longer runs."
    )
