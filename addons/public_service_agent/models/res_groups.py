from odoo import api, models


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model_create_multi
    def create(self, vals_list):
        groups = super().create(vals_list)
        groups.users._psa_set_home_action()
        return groups

    def write(self, vals):
        # Users given (or stripped of) a role from the group's form land in the right app too.
        before = self.users if "users" in vals or "implied_ids" in vals else None
        result = super().write(vals)
        if before is not None:
            (before | self.users)._psa_set_home_action()
        return result
