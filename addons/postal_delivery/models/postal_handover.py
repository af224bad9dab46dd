from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.public_service_agent.models.psa_guard_mixin import as_system

# Where the deliveries of a handover go when it is signed.
KIND_TARGET = {
    "agent_to_post": "picked_up",
    "post_to_center": "delivered",
    "center_to_post": "picked_up",
}
# Which deliveries each kind of record may hand over.
KIND_SERVICES = {
    "agent_to_post": ("send_dossier", "both"),
    "post_to_center": ("send_dossier", "both"),
    "center_to_post": ("return_result", "both"),
}


class PostalHandover(models.Model):
    """A handover record (biên bản giao nhận) for a batch of deliveries.

    States::

        draft -> signed, cancelled
        signed -> (final)
        cancelled -> (final)

    Signing needs both parties' names and moves every delivery in one step. A record that
    hands dossiers to the Center is their legal receipt (Decision 45/2016 Art. 7).
    """

    _name = "postal.handover"
    _description = "Handover Record"
    _inherit = ["psa.state.machine.mixin", "mail.thread"]
    _order = "id desc"

    _state_transitions = {
        "draft": ("signed", "cancelled"),
        "signed": (),
        "cancelled": (),
    }

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    kind = fields.Selection(
        [
            ("agent_to_post", "Agent to Postal Staff (dossiers)"),
            ("post_to_center", "Postal Staff to the Center (dossiers)"),
            ("center_to_post", "Center to Postal Staff (results)"),
        ],
        required=True,
        default="agent_to_post",
    )
    agent_id = fields.Many2one("psa.agent", index=True, ondelete="restrict")
    carrier_id = fields.Many2one("postal.carrier", required=True, ondelete="restrict")
    carrier_name = fields.Char(related="carrier_id.name", string="Carrier Name")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    delivery_ids = fields.Many2many(
        "postal.delivery",
        "postal_handover_delivery_rel",
        "handover_id",
        "delivery_id",
        string="Deliveries",
    )
    delivery_count = fields.Integer(compute="_compute_delivery_count", string="Items")
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    sender_signer = fields.Char(string="Handed Over By", tracking=True)
    sender_signature = fields.Binary(attachment=True, copy=False)
    receiver_signer = fields.Char(string="Received By", tracking=True)
    receiver_signature = fields.Binary(attachment=True, copy=False)
    date_signed = fields.Datetime(readonly=True, copy=False, tracking=True)
    note = fields.Text()

    @api.depends("delivery_ids")
    def _compute_delivery_count(self):
        for handover in self:
            handover.delivery_count = len(handover.delivery_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("postal.handover")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (
            {"date_signed", "name"} & set(vals) or self.env.context.get("psa_state_unchecked")
        ):
            raise UserError(self.env._("The signing time and number are set by the workflow."))
        locked = {"delivery_ids", "kind", "agent_id", "carrier_id"} & set(vals)
        if locked and any(h.state != "draft" for h in self):
            raise UserError(self.env._("A signed or cancelled handover record cannot change."))
        return super().write(vals)

    def _state_check(self, old_state, new_state, vals):
        if new_state == "signed":
            for handover in self:
                names = {**handover.read(["sender_signer", "receiver_signer"])[0], **vals}
                if (
                    not (names.get("sender_signer") or "").strip()
                    or not (names.get("receiver_signer") or "").strip()
                ):
                    raise ValidationError(
                        self.env._("Both parties sign the handover record: type both names.")
                    )
                if not handover.delivery_ids:
                    raise ValidationError(self.env._("The handover record lists no delivery."))
                services = KIND_SERVICES[handover.kind]
                wrong = handover.delivery_ids.filtered(
                    lambda d, s=services: d.service_type not in s
                )
                if wrong:
                    raise ValidationError(
                        self.env._(
                            "Delivery %(name)s does not travel in this direction.",
                            name=wrong[0].name,
                        )
                    )
                target = KIND_TARGET[handover.kind]
                stuck = handover.delivery_ids.filtered(
                    lambda d, t=target: d.state != t and d._state_path(d.state, t) is None
                )
                if stuck:
                    raise ValidationError(
                        self.env._(
                            "Delivery %(name)s cannot be handed over in its status.",
                            name=stuck[0].name,
                        )
                    )
        return super()._state_check(old_state, new_state, vals)

    def _on_state_change(self, old_state, new_state):  # pylint: disable=missing-return
        super()._on_state_change(old_state, new_state)
        if new_state != "signed":
            return
        now = fields.Datetime.now()
        as_system(self.sudo()).write({"date_signed": now})
        for handover in self:
            handover._move_deliveries(now)

    def _move_deliveries(self, moment):
        """Every delivery to the record's target in one batch per current status."""
        target = KIND_TARGET[self.kind]
        deliveries = self.delivery_ids.sudo().with_context(
            postal_event_source="handover",
            postal_event_date=moment,
            postal_event_note=self.name,
        )
        by_state = {}
        for delivery in deliveries.filtered(lambda d: d.state != target):
            by_state.setdefault(delivery.state, deliveries.browse())
            by_state[delivery.state] |= delivery
        for state, group in by_state.items():
            for step in group._state_path(state, target):
                group.write({"state": step})
        if self.kind == "post_to_center":
            sent = deliveries.filtered(lambda d: d.service_type in ("send_dossier", "both"))
            sent.dossier_id._postal_receive_at(moment)

    def _get_report_base_filename(self):
        return self.name

    def action_sign(self):
        self.write({"state": "signed"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------ portal
    @api.model
    def _portal_agent(self):
        agent = self.env["psa.agent"].search(
            [("partner_id", "=", self.env.user.commercial_partner_id.id)], limit=1
        )
        if not agent or not self.env.user.share:
            raise AccessError(self.env._("Only staff of an agent can prepare handovers."))
        return agent

    @api.model
    def _portal_prepare(self, dossier_ids, carrier_id):
        """Agent staff batch their agent's new dossiers to send to the Center.

        The dossiers are searched with the user's own rights, so another agent's dossiers are
        simply not found. Creates the send-dossier deliveries and the draft record.
        """
        agent = self._portal_agent()
        dossiers = self.env["psa.dossier"].search(
            [
                ("id", "in", list(dossier_ids)),
                ("agent_id", "=", agent.id),
                ("stage_id.is_new", "=", True),
            ]
        )
        if not dossiers or len(dossiers) != len(set(dossier_ids)):
            raise ValidationError(self.env._("Choose new dossiers of your agent."))
        carrier = self.env["postal.carrier"].sudo().browse(int(carrier_id)).exists()
        if not carrier:
            raise ValidationError(self.env._("Choose a carrier."))
        Delivery = self.env["postal.delivery"].sudo()
        already = Delivery.search(
            [
                ("dossier_id", "in", dossiers.ids),
                ("service_type", "in", ("send_dossier", "both")),
                ("state", "!=", "cancelled"),
            ]
        )
        if already:
            raise ValidationError(
                self.env._(
                    "Dossier %(code)s is already being sent.", code=already[0].dossier_id.name
                )
            )
        center = self.env.company.partner_id.sudo()
        deliveries = Delivery.create(
            [
                {
                    "service_type": "send_dossier",
                    "dossier_id": dossier.id,
                    "carrier_id": carrier.id,
                    "sender_name": agent.name,
                    "sender_street": agent.street,
                    "sender_phone": agent.phone,
                    "sender_ward_id": agent.ward_id.id,
                    "recipient_name": center.name,
                    "recipient_street": center.street,
                    "recipient_phone": center.phone,
                    "ward_id": center.ward_id.id,
                    "state": "requested",
                }
                for dossier in dossiers.sudo()
            ]
        )
        return self.sudo().create(
            {
                "kind": "agent_to_post",
                "agent_id": agent.id,
                "carrier_id": carrier.id,
                "delivery_ids": [(6, 0, deliveries.ids)],
                "company_id": agent.company_id.id or self.env.company.id,
            }
        )

    def _portal_sign(self, sender_signer, sender_signature, receiver_signer, receiver_signature):
        """Agent staff and the postman sign on the agent's screen: names and drawings only."""
        self.ensure_one()
        agent = self._portal_agent()
        # Read with the user's rights first: a record of another agent raises here.
        self.check_access("read")
        if self.agent_id != agent or self.state != "draft":
            raise AccessError(self.env._("You cannot sign this handover record."))
        self.sudo().write(
            {
                "sender_signer": (sender_signer or "").strip()[:128],
                "sender_signature": sender_signature or False,
                "receiver_signer": (receiver_signer or "").strip()[:128],
                "receiver_signature": receiver_signature or False,
            }
        )
        self.sudo().action_sign()
        return True
