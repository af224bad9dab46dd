from odoo import api, fields, models


class PsaProcedure(models.Model):
    """An administrative procedure (thủ tục hành chính) from the national catalogue."""

    _name = "psa.procedure"
    _description = "Administrative Procedure"
    _inherit = ["mail.thread"]
    _order = "sector, name"
    _rec_names_search = ["code", "name"]

    code = fields.Char(string="National Code", required=True, index=True, tracking=True)
    name = fields.Char(required=True, index="trigram", tracking=True)
    sector = fields.Char(index=True, help="Lĩnh vực, e.g. Tư pháp, Hộ tịch, Cư trú.")
    agency_name = fields.Char(
        string="Handling Agency",
        required=True,
        help="Write “phường/xã” for ward-level agencies: printed forms name the citizen's ward.",
    )
    agency_parent = fields.Char(
        string="Governing Body",
        help="First line of the agency's letterhead, e.g. UBND thành phố Hà Nội.",
    )
    agency_address = fields.Char(
        string="Agency Address",
        help="Where dossiers are sent. Empty for ward-level agencies: the citizen's ward is used.",
    )
    agency_code = fields.Char(
        required=True,
        default=lambda self: self._default_agency_code(),
        help="QCVN code of the receiving agency; the first part of every dossier code.",
    )
    online_level = fields.Selection(
        [("full", "Full Online"), ("partial", "Partly Online")],
        required=True,
        default="partial",
        help="Decree 42/2022: full when the whole procedure is done online.",
    )
    processing_days = fields.Integer(
        string="Processing Time (working days)", required=True, default=5, tracking=True
    )
    fee = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.ref("base.VND", raise_if_not_found=False),
        required=True,
    )
    allow_postal_return = fields.Boolean(string="Result May Be Posted", default=True)
    document_ids = fields.One2many(
        "psa.procedure.document", "procedure_id", string="Required Documents", copy=True
    )
    document_count = fields.Integer(compute="_compute_document_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A procedure with this national code already exists."),
        (
            "processing_days_positive",
            "CHECK(processing_days > 0)",
            "The processing time must be at least one working day.",
        ),
    ]

    @api.model
    def _default_agency_code(self):
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("public_service_agent.center_agency_code", "000.00.01.H26")
        )

    @api.depends("document_ids")
    def _compute_document_count(self):
        for procedure in self:
            procedure.document_count = len(procedure.document_ids)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for procedure in self:
            procedure.display_name = f"{procedure.code} - {procedure.name}"
