from odoo import api, fields, models


class PsaDossierSupplementWizard(models.TransientModel):
    _name = "psa.dossier.supplement.wizard"
    _description = "Request Additional Documents (Form 02)"

    dossier_id = fields.Many2one("psa.dossier", required=True)
    missing_document_ids = fields.Many2many(
        "psa.dossier.document", compute="_compute_missing_document_ids"
    )
    note = fields.Text(help="Anything else the citizen must do, in one single request.")

    @api.depends("dossier_id")
    def _compute_missing_document_ids(self):
        for wizard in self:
            wizard.missing_document_ids = wizard.dossier_id.document_ids._missing()

    def action_confirm(self):
        self.dossier_id.action_request_supplement(self.note or "")
        return {"type": "ir.actions.act_window_close"}
