from odoo import api, models


class PostalCachedMixin(models.AbstractModel):
    """Configuration the webhook route reads through ``ormcache`` on every request.

    Any change of the fields in ``_cached_fields`` (all fields when empty) clears Odoo's cache,
    in every worker, so an administrator's change applies at once.
    """

    _name = "postal.cached.mixin"
    _description = "Configuration Cached by the Webhook Route"

    _cached_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if not self._cached_fields or self._cached_fields & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
