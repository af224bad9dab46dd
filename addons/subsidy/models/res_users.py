from odoo import Command, api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _psa_home_actions(self):
        # Finance staff land on the subsidy claims, the first menu of their application.
        return super()._psa_home_actions() + [
            (30, "subsidy.group_subsidy_finance", "subsidy.subsidy_claim_action")
        ]

    @api.model
    def _demo_set_role(self, roles):
        """Give demo users exactly their role: ``{user xmlid: [group xmlids]}``.

        Installing ``account`` adds *Invoicing / Administrator* to every internal user that
        already exists (base.default_user's groups are applied to them), so the demo officer
        and trainer, made before it, would hold rights a user given their role never gets.
        """
        for user_xmlid, group_xmlids in roles.items():
            user = self.env.ref(user_xmlid, raise_if_not_found=False)
            if user:
                groups = [self.env.ref(xmlid).id for xmlid in group_xmlids]
                user.write({"groups_id": [Command.set(groups)]})
