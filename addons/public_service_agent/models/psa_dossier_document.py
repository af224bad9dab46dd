from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Only the dossier creates slots and only officer actions change their state.
SLOT_FIELDS = {"dossier_id", "procedure_document_id", "name", "required", "state"}


class PsaDossierDocument(models.Model):
    """One slot per document of the procedure's list, with its scan.

    Slots are created by the dossier from its procedure's list, never over RPC; their
    state changes only by the officers' accept and reject actions; agent staff add scans
    through the dossier (``psa.dossier._psa_portal_upload``).
    """

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
        # Data files (demo) load their slots as superuser; nobody else creates them.
        context = self.env.context
        if not (
            self.env.su and (context.get("psa_document_slots") or context.get("install_filename"))
        ):
            raise AccessError(
                self.env._("Document slots are created by the dossier from its procedure's list.")
            )
        for vals in vals_list:
            if vals.get("file") and vals.get("state", "missing") == "missing":
                vals["state"] = "submitted"
        return super().create(vals_list)

    def write(self, vals):
        if self.dossier_id.filtered("is_closed"):
            raise UserError(self.env._("The dossier is closed; its documents cannot change."))
        if self.env.user.share and not self.env.su:
            self._check_portal_write(vals)
        if set(vals) & SLOT_FIELDS and not (
            self.env.su and self.env.context.get("psa_slot_action")
        ):
            raise AccessError(
                self.env._("A document's state changes only by the Center's accept or reject.")
            )
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
        if self.dossier_id.filtered(lambda d: not d.stage_id.allow_upload):
            raise UserError(
                self.env._(
                    "Scans can only be added while the dossier is newly registered or when more "
                    "documents are requested."
                )
            )

    def _psa_check_officer_action(self):
        if not (self.env.su or self.env.user.has_group("public_service_agent.group_psa_officer")):
            raise AccessError(self.env._("Only Center officers accept or reject documents."))
        self.check_access("write")

    def action_accept(self):
        self._psa_check_officer_action()
        self.sudo().with_context(psa_slot_action=True).write(
            {"state": "accepted", "reject_reason": False}
        )

    def action_reject(self, reason=None):
        """Reject the scans, with the reason given or the one typed on the line."""
        self._psa_check_officer_action()
        for slot in self:
            why = (reason or slot.reject_reason or "").strip()
            if not why:
                raise ValidationError(self.env._("Say why the document is rejected."))
            slot.sudo().with_context(psa_slot_action=True).write(
                {"state": "rejected", "reject_reason": why}
            )
