from odoo import api, models


class ReportTrainingCertificate(models.AbstractModel):
    _name = "report.agent_training.report_training_certificate"
    _description = "Training Certificate PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        # An official document: Vietnamese whenever the language is installed.
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return {
            "doc_ids": docids,
            "doc_model": "training.certificate",
            "docs": self.env["training.certificate"].browse(docids),
            "certificate_lang": "vi_VN" if "vi_VN" in installed else self.env.lang,
        }
