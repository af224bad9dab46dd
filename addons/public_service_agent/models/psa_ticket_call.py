import uuid

from odoo import api, fields, models


class PsaTicketCall(models.Model):
    """One call or chat of the switchboard (Viettel contact centre, Zalo OA) on a ticket.

    The platform's own id (``external_id``) is unique: the API replays it without duplicates.
    """

    _name = "psa.ticket.call"
    _description = "Contact Centre Call Log"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one("psa.ticket", required=True, ondelete="cascade", index=True)
    external_id = fields.Char(
        string="Platform Call ID",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: f"manual-{uuid.uuid4().hex[:16]}",
        help="Calls logged by hand during a call get a local id.",
    )
    channel = fields.Selection(related="ticket_id.channel", store=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], default="inbound", required=True
    )
    date_start = fields.Datetime(string="Start", required=True, default=fields.Datetime.now)
    duration = fields.Integer(string="Duration (seconds)")
    operator_extension = fields.Char(string="Operator Extension")
    summary = fields.Text()

    _sql_constraints = [
        ("external_id_uniq", "unique(external_id)", "This call is already logged."),
        ("duration_positive", "CHECK(duration >= 0)", "A call cannot last a negative time."),
    ]

    @api.depends("external_id", "ticket_id")
    def _compute_display_name(self):
        for call in self:
            call.display_name = f"{call.ticket_id.name or ''} / {call.external_id or ''}"
