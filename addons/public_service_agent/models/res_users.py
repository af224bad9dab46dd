from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _psa_dossier_blockers(self):
        """Reasons this user may not create or receive dossiers; empty when allowed.

        Extended by agent_training (valid certificates for every mandatory course).
        """
        self.ensure_one()
        return []

    def _psa_check_can_handle_dossiers(self):
        for user in self:
            blockers = user._psa_dossier_blockers()
            if blockers:
                raise self.env["psa.agent"]._blocked_error(
                    self.env._("%(user)s may not handle dossiers:", user=user.name), blockers
                )
