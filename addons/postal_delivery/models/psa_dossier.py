from odoo import api, fields, models

DELIVERY_GROUPS = "postal_delivery.group_postal_dispatcher,base.group_portal"


class PsaDossier(models.Model):
    """Links between dossiers and their postal deliveries (Decision 45/2016)."""

    _inherit = "psa.dossier"

    postal_delivery_ids = fields.One2many(
        "postal.delivery", "dossier_id", string="Postal Deliveries", groups=DELIVERY_GROUPS
    )
    postal_delivery_count = fields.Integer(
        compute="_compute_postal_delivery", groups=DELIVERY_GROUPS
    )
    postal_state = fields.Selection(
        selection="_selection_delivery_state",
        string="Postal Status",
        compute="_compute_postal_delivery",
        groups=DELIVERY_GROUPS,
        help="Status of the latest delivery of this dossier.",
    )

    @api.depends("postal_delivery_ids.state")
    def _compute_postal_delivery(self):
        for dossier in self:
            deliveries = dossier.postal_delivery_ids
            dossier.postal_delivery_count = len(deliveries)
            dossier.postal_state = deliveries.sorted("id")[-1:].state or False

    def action_view_postal_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "postal_delivery.postal_delivery_action"
        )
        action.update(
            domain=[("dossier_id", "=", self.id)],
            context={"default_dossier_id": self.id},
        )
        if len(self.postal_delivery_ids) == 1:
            action.update(
                view_mode="form", res_id=self.postal_delivery_ids.id, views=[(False, "form")]
            )
        return action

    def write(self, vals):
        done_before = {}
        if "stage_id" in vals:
            done_before = {d.id for d in self if d.stage_id.is_done}
        result = super().write(vals)
        if "stage_id" in vals:
            stage = self.env["psa.dossier.stage"].browse(vals["stage_id"])
            if stage.is_done:
                self.filtered(lambda d: d.id not in done_before)._postal_create_return_deliveries()
        return result

    def _postal_create_return_deliveries(self):
        """One return delivery per dossier returned by post, created in one batch."""
        return self.env["postal.delivery"].sudo()._create_returns_for(self)

    def _postal_result_delivered(self, deliveries):
        """The result reached the citizen: "result returned" at the delivery time."""
        delivered_at = {d.dossier_id.id: d.date_delivered for d in deliveries}
        to_close = self.filtered(lambda d: d.stage_id.is_done and not d.is_closed)
        if not to_close:
            return
        to_close.action_return_result()
        for dossier in to_close:
            if delivered_at.get(dossier.id):
                dossier.with_context(psa_skip_checks=True).write(
                    {"date_returned": delivered_at[dossier.id]}
                )

    def _postal_receive_at(self, moment):
        """Decision 45/2016 Art. 7: the legal receipt time is the signing of the handover."""
        for dossier in self:
            if dossier.is_closed:
                continue
            if not dossier.date_received:
                dossier.action_receive()
            vals = {"date_received": moment, **dossier._deadline_vals(moment)}
            dossier.with_context(psa_skip_checks=True).write(vals)

    def _psa_slip_postage(self):
        """The Phiếu gửi prints each live delivery's postage and item number.

        Read as superuser: the form is printed by whoever may read the dossier (checked by
        the report), and a postage or an item number is no personal data.
        """
        legs = super()._psa_slip_postage()
        services = {
            "send_dossier": "chiều gửi hồ sơ",
            "return_result": "chiều trả kết quả",
            "both": "chiều gửi hồ sơ và trả kết quả",
        }
        deliveries = self.sudo().postal_delivery_ids.filtered(
            lambda d: d.state not in ("cancelled", "lost")
        )
        for delivery in deliveries.sorted("id"):
            legs.append(
                {
                    "service": services.get(delivery.service_type, ""),
                    "postage": delivery.postage and self._psa_format_vnd(delivery.postage),
                    "cod": delivery.cod_amount and self._psa_format_vnd(delivery.cod_amount),
                    "tracking": delivery.label_code,
                }
            )
        return legs

    @api.model
    def _selection_delivery_state(self):
        # The delivery's states with their labels in the reader's language.
        return self.env["postal.delivery"]._fields["state"]._description_selection(self.env)
