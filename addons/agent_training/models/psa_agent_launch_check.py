from odoo import api, fields, models
from odoo.exceptions import ValidationError

LAUNCH_CHECK_ITEMS = [
    ("premises", "Premises"),
    ("computer", "Equipment: Computer"),
    ("scanner", "Equipment: Scanner"),
    ("printer", "Equipment: Printer"),
    ("signature_pad", "Equipment: Signature Pad"),
    ("signage", "Signage"),
]


class PsaAgentLaunchCheck(models.Model):
    """One item of an agent's launch checklist, ticked by a Center officer on a given date."""

    _name = "psa.agent.launch.check"
    _description = "Agent Launch Checklist Item"
    _order = "agent_id, sequence, id"
    _rec_name = "item"

    agent_id = fields.Many2one("psa.agent", required=True, index=True, ondelete="cascade")
    item = fields.Selection(LAUNCH_CHECK_ITEMS, required=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    done = fields.Boolean(string="Ticked", readonly=True)
    date_checked = fields.Date(string="Checked On")
    checked_by_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "agent_item_uniq",
            "unique(agent_id, item)",
            "Each checklist item appears once per agent.",
        ),
    ]

    @api.depends("item")
    def _compute_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(LAUNCH_CHECK_ITEMS)}
        for check in self:
            check.sequence = order.get(check.item, 99)

    @api.constrains("date_checked")
    def _check_date_not_in_future(self):
        today = self.env["psa.dossier"]._center_today()
        for check in self:
            if check.date_checked and check.date_checked > today:
                raise ValidationError(
                    self.env._("A checklist item cannot be ticked in the future.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prepare_tick_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if "agent_id" in vals or "item" in vals:
            raise ValidationError(self.env._("A checklist item cannot move to another agent."))
        self._prepare_tick_vals(vals)
        if "date_checked" in vals and "done" not in vals and vals["date_checked"]:
            if any(not check.done for check in self):
                raise ValidationError(self.env._("Tick the item before dating it."))
        return super().write(vals)

    def _prepare_tick_vals(self, vals):
        """The officer who ticks is the current user: never taken from the client."""
        if "checked_by_id" in vals:
            raise ValidationError(
                self.env._("The officer who ticked an item is recorded automatically.")
            )
        if "done" not in vals:
            return
        if vals["done"]:
            if not (
                self.env.su or self.env.user.has_group("public_service_agent.group_psa_officer")
            ):
                raise ValidationError(self.env._("Only a Center officer can tick the checklist."))
            vals["checked_by_id"] = self.env.uid
            vals["date_checked"] = (
                vals.get("date_checked") or self.env["psa.dossier"]._center_today()
            )
        else:
            vals["checked_by_id"] = False
            vals["date_checked"] = False

    def action_tick(self):
        self.write({"done": True})

    def action_untick(self):
        self.write({"done": False})
