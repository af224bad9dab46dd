from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _psa_home_actions(self):
        # Finance staff land on the subsidy claims, the first menu of their application.
        return super()._psa_home_actions() + [
            (30, "subsidy.group_subsidy_finance", "subsidy.subsidy_claim_action")
        ]
