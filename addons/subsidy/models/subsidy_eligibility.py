from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.public_service_agent.models.psa_personal_data_log import (
    mask_name as mask_citizen_name,
)


class SubsidyEligibility(models.Model):
    """A citizen's verified membership of a beneficiary category, with its proof.

    States::

        draft -> verified, rejected
        verified -> revoked
        rejected -> draft
        revoked -> (final)
    """

    _name = "subsidy.eligibility"
    _description = "Subsidy Eligibility"
    _inherit = ["psa.state.machine.mixin", "mail.thread"]
    _order = "date_start desc, id desc"

    _state_transitions = {
        "draft": ("verified", "rejected"),
        "verified": ("revoked",),
        "rejected": ("draft",),
        "revoked": (),
    }
    _state_needs_reason = ("rejected", "revoked")
    _state_reason_field = "state_reason"

    name = fields.Char(compute="_compute_name", store=True)
    citizen_id = fields.Many2one(
        "res.partner",
        string="Citizen",
        required=True,
        index=True,
        ondelete="restrict",
        groups="public_service_agent.group_psa_officer",
    )
    citizen_masked = fields.Char(string="Citizen (masked)", readonly=True)
    category_id = fields.Many2one(
        "subsidy.beneficiary.category", required=True, index=True, ondelete="restrict"
    )
    proof_attachment_ids = fields.Many2many(
        "ir.attachment",
        "subsidy_eligibility_attachment_rel",
        "eligibility_id",
        "attachment_id",
        string="Proof",
        groups="public_service_agent.group_psa_officer",
    )
    verifier_id = fields.Many2one("res.users", string="Verified By", readonly=True, copy=False)
    date_verified = fields.Datetime(readonly=True, copy=False)
    date_start = fields.Date(
        string="Valid From",
        required=True,
        default=lambda self: self.env["psa.dossier"]._center_today(),
    )
    date_end = fields.Date(string="Valid Until")
    state = fields.Selection(
        [
            ("draft", "To Verify"),
            ("verified", "Verified"),
            ("rejected", "Rejected"),
            ("revoked", "Revoked"),
        ],
        required=True,
        default="draft",
        tracking=True,
        index=True,
    )
    state_reason = fields.Char(string="Reason", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.depends("category_id", "citizen_masked")
    def _compute_name(self):
        for rec in self:
            rec.name = f"{rec.category_id.name or ''} - {rec.citizen_masked or ''}"

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].sudo()
        for vals in vals_list:
            if vals.get("citizen_id"):
                vals["citizen_masked"] = mask_citizen_name(partners.browse(vals["citizen_id"]).name)
        records = super().create(vals_list)
        records._link_proofs()
        return records

    def write(self, vals):
        res = super().write(vals)
        if "proof_attachment_ids" in vals:
            self._link_proofs()
        return res

    def _link_proofs(self):
        """Proofs belong to their eligibility, so reading them follows its access rules."""
        for rec in self.sudo():
            rec.proof_attachment_ids.filtered(lambda a: not a.res_model).write(
                {"res_model": self._name, "res_id": rec.id}
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for rec in self:
            if rec.date_end and rec.date_end < rec.date_start:
                raise ValidationError(self.env._("An eligibility cannot end before it starts."))

    def _state_check(self, old_state, new_state, vals):
        res = super()._state_check(old_state, new_state, vals)
        if new_state == "verified" and self.sudo().filtered(lambda e: not e.proof_attachment_ids):
            raise ValidationError(self.env._("Attach the proof before verifying an eligibility."))
        return res

    def _on_state_change(self, old_state, new_state):  # pylint: disable=missing-return
        super()._on_state_change(old_state, new_state)
        if new_state == "verified":
            self.write({"verifier_id": self.env.uid, "date_verified": fields.Datetime.now()})

    def action_verify(self):
        self.write({"state": "verified"})

    @api.model
    def _index_for(self, citizen_ids):
        """{citizen id: [(category id, start, end)]} of verified eligibilities; one query."""
        result = {}
        if not citizen_ids:
            return result
        rows = self.sudo().search_read(
            [("citizen_id", "in", list(citizen_ids)), ("state", "=", "verified")],
            ["citizen_id", "category_id", "date_start", "date_end"],
            load=None,
        )
        for row in rows:
            result.setdefault(row["citizen_id"], []).append(
                (row["category_id"], row["date_start"], row["date_end"])
            )
        return result

    @api.model
    def _categories_on(self, index, citizen_id, on_date):
        return {
            category
            for category, start, end in index.get(citizen_id, ())
            if start <= on_date and (not end or end >= on_date)
        }
