from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class PsaDossierDocument(models.Model):
    """One slot per document of the procedure's list, with its scan."""

    _name = "psa.dossier.document"
    _description = "Dossier Document"
    _order = "dossier_id, sequence, id"

    dossier_id = fields.Many2one("psa.dossier", required=True, ondelete="cascade", index=True)
    procedure_document_id = fields.Many2one("psa.procedure.document", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    required = fields.Boolean(default=True)
    state = fields.Selection(
        [
            ("missing", "Missing"),
            ("submitted", "Submitted"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        default="missing",
        required=True,
    )
    file = fields.Binary(string="Scan", attachment=True)
    file_name = fields.Char()
    reject_reason = fields.Char()

    def _missing(self):
        return self.filtered(lambda d: d.required and d.state in ("missing", "rejected"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("file") and vals.get("state", "missing") == "missing":
                vals["state"] = "submitted"
        return super().create(vals_list)

    def write(self, vals):
        if self.dossier_id.filtered("is_closed"):
            raise UserError(self.env._("The dossier is closed; its documents cannot change."))
        if self.env.user.share and not self.env.su:
            self._check_portal_write(vals)
        if vals.get("file") and "state" not in vals:
            vals = dict(vals, state="submitted", reject_reason=False)
        if vals.get("state") == "rejected" and not (
            vals.get("reject_reason") or all(self.mapped("reject_reason"))
        ):
            raise ValidationError(self.env._("Say why the document is rejected."))
        return super().write(vals)

    def _check_portal_write(self, vals):
        # Agent staff upload scans; only the Center accepts or rejects them.
        if set(vals) - {"file", "file_name"}:
            raise AccessError(self.env._("Agent staff can only upload scans."))
        if self.dossier_id.filtered(lambda d: d.status_code not in (1, 5)):
            raise UserError(
                self.env._(
                    "Scans can only be added while the dossier is newly registered or when more "
                    "documents are requested."
                )
            )

    def action_accept(self):
        self.write({"state": "accepted", "reject_reason": False})
