from odoo import fields, models


class PsaDossierRefuseWizard(models.TransientModel):
    _name = "psa.dossier.refuse.wizard"
    _description = "Refuse a Dossier (Form 03)"

    dossier_id = fields.Many2one("psa.dossier", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.dossier_id.action_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
