from odoo import fields, models


class PsaAdminUnit(models.Model):
    _name = "psa.admin.unit"
    _description = "Administrative Unit"
    _order = "level, name"
    _parent_store = True

    name = fields.Char(required=True, index="trigram")
    code = fields.Char(index=True)
    level = fields.Selection(
        [("province", "Province"), ("district", "District"), ("ward", "Ward / Commune")],
        required=True,
        index=True,
    )
    parent_id = fields.Many2one("psa.admin.unit", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)
