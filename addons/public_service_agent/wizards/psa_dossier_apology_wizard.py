from odoo import fields, models


class PsaDossierApologyWizard(models.TransientModel):
    _name = "psa.dossier.apology.wizard"
    _description = "Apology and New Date (Form 04)"

    dossier_id = fields.Many2one("psa.dossier", required=True)
    current_due = fields.Datetime(related="dossier_id.date_due")
    reason = fields.Text(required=True)
    new_due = fields.Datetime(string="New Date", required=True)

    def action_confirm(self):
        self.dossier_id.action_issue_apology(self.reason, self.new_due)
        return {"type": "ir.actions.act_window_close"}
