from odoo import models


class PostalDelivery(models.Model):
    _inherit = "postal.delivery"

    def _on_state_change(self, old_state, new_state):  # pylint: disable=missing-return
        super()._on_state_change(old_state, new_state)
        Claim = self.env["subsidy.claim"].sudo()
        if new_state == "delivered":
            Claim._create_for_deliveries(self)
        elif new_state == "lost":
            Claim._adjust_for_lost(self)
