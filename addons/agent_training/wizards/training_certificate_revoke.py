from odoo import fields, models
from odoo.exceptions import ValidationError


class TrainingCertificateRevoke(models.TransientModel):
    _name = "training.certificate.revoke"
    _description = "Revoke Certificates"

    certificate_ids = fields.Many2many("training.certificate", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("Give a reason for the revocation."))
        certificates = self.certificate_ids
        final = certificates.filtered(lambda c: c.state not in c.VALID_STATES)
        if final:
            raise ValidationError(
                self.env._(
                    "Certificate %(number)s is already %(state)s.",
                    number=final[0].name,
                    state=dict(final._fields["state"]._description_selection(self.env))[
                        final[0].state
                    ],
                )
            )
        certificates._revoke(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
