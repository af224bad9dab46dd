from odoo import api, models

from ..tools.center_language import CENTER_LANG


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _psa_demo_load_terms(self, modules):
        """Demo: the modules' Vietnamese terms before their demo records.

        Odoo loads a module's translations only after its demo data, and caches model names
        and selection labels per language: without this, the demo's chatter, tracked stages
        and states would be written in English ("Received → Processing").
        """
        self.env["ir.module.module"]._load_module_terms(modules, [CENTER_LANG])
        self.env.invalidate_all()
        self.env.registry.clear_cache()
