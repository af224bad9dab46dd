from odoo import fields, models


class PsaProcedureDocument(models.Model):
    """A document of the published list; nothing beyond it may be asked (QĐ 45/2016 Art. 16.5)."""

    _name = "psa.procedure.document"
    _description = "Procedure Document"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one("psa.procedure", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    required = fields.Boolean(default=True)
    copy_type = fields.Selection(
        [("original", "Original"), ("certified", "Certified Copy"), ("copy", "Copy")],
        string="Form",
        default="original",
        required=True,
    )
    quantity = fields.Integer(default=1)
    note = fields.Char()
