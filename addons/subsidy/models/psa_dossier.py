from odoo import fields, models


class PsaDossier(models.Model):
    _inherit = "psa.dossier"

    # Resolution 77/2025 pays nothing for dossiers filed in person at a Center branch;
    # every other channel (agent counter, pickup, contact centre, self online) is an online filing.
    channel = fields.Selection(
        selection_add=[("branch", "In Person at a Center Branch")],
        ondelete={"branch": "set default"},
    )
