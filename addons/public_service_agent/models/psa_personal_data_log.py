import re
import unicodedata

from odoo import api, fields, models


def mask_name(name):
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name, then initials only."""
    words = unicodedata.normalize("NFC", name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return f"{words[0][0]}."
    return " ".join([words[0], *(f"{word[0]}." for word in words[1:])])


def mask_holder_name(name):
    """'Trần Minh Quân' -> 'T*** M*** Quân': a certificate holder, enough to match an ID
    card, not to identify."""
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:1] + "***"
    return " ".join([*(w[:1] + "***" for w in words[:-1]), words[-1]])


def mask_digits(value, keep=3):
    """'001085012345' -> '*********345'; phones keep their last digits the same way."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return ""
    keep = min(keep, len(digits) // 3)
    return "*" * (len(digits) - keep) + digits[len(digits) - keep :]


def mask_email(value):
    """'an.nguyen@example.com' -> 'a***@example.com'."""
    local, _sep, domain = (value or "").partition("@")
    if not local:
        return ""
    return f"{local[0]}***@{domain}" if domain else f"{local[0]}***"


class PsaPersonalDataLog(models.Model):
    """Who revealed or exported which citizen's personal data, and when.

    Rows are written as superuser by the reveal action and by exports; nobody edits or
    deletes them over RPC (no write/unlink rights), administrators read them.
    """

    _name = "psa.personal.data.log"
    _description = "Personal Data Access Log"
    _order = "id desc"

    user_id = fields.Many2one("res.users", string="User", required=True, index=True, readonly=True)
    kind = fields.Selection(
        [("reveal", "Reveal"), ("export", "Export")], required=True, readonly=True, index=True
    )
    citizen_id = fields.Many2one(
        "res.partner", string="Citizen", index=True, readonly=True, ondelete="set null"
    )
    dossier_id = fields.Many2one("psa.dossier", readonly=True, index=True, ondelete="set null")
    model = fields.Char(readonly=True)
    field_names = fields.Char(string="Fields", readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )

    @api.model
    def _psa_log(self, kind, citizens, field_names, model, dossiers=None):
        """One row per citizen (and dossier when given), in one insert."""
        dossiers = dossiers or self.env["psa.dossier"]
        rows = []
        if dossiers:
            for dossier in dossiers.sudo():
                rows.append({"citizen_id": dossier.citizen_id.id, "dossier_id": dossier.id})
        else:
            rows = [{"citizen_id": citizen.id} for citizen in citizens]
        names = " ".join(sorted(field_names))
        return self.sudo().create(
            [
                {
                    **row,
                    "user_id": self.env.uid,
                    "kind": kind,
                    "model": model,
                    "field_names": names,
                }
                for row in rows
            ]
        )
