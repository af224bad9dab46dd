from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal chatter of dossiers runs mail's components ("The conversation is
        # empty."), whose terms the portal pages do not load by default.
        return [*super()._get_translation_frontend_modules_name(), "mail"]
