import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Birth-registration province codes of the 63 former provinces (Circular 07/2016/TT-BCA);
# numbers keep them after the 2025 merger.
CCCD_PROVINCES = {
    1,
    2,
    4,
    6,
    8,
    10,
    11,
    12,
    14,
    15,
    17,
    19,
    20,
    22,
    24,
    25,
    26,
    27,
    30,
    31,
    33,
    34,
    35,
    36,
    37,
    38,
    40,
    42,
    44,
    45,
    46,
    48,
    49,
    51,
    52,
    54,
    56,
    58,
    60,
    62,
    64,
    66,
    67,
    68,
    70,
    72,
    74,
    75,
    77,
    79,
    80,
    82,
    83,
    84,
    86,
    87,
    89,
    91,
    92,
    93,
    94,
    95,
    96,
}
MOBILE_RE = re.compile(r"^(?:\+84|84|0)((?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])\d{7})$")
LANDLINE_RE = re.compile(r"^(?:\+84|84|0)(2\d{9})$")


class ResPartner(models.Model):
    _inherit = "res.partner"

    psa_cccd = fields.Char(
        string="Citizen ID (CCCD)",
        copy=False,
        help="12-digit citizen identity number; a returning citizen is matched by it.",
    )

    _sql_constraints = [
        ("psa_cccd_uniq", "unique(psa_cccd)", "Another contact already has this citizen ID."),
    ]

    @api.model
    def _psa_check_cccd(self, cccd):
        """Return the CCCD if well-formed, else raise: 3 digits province, 1 century/sex, 2 year."""
        value = (cccd or "").strip()
        error = None
        if not re.fullmatch(r"\d{12}", value):
            error = self.env._("A citizen ID (CCCD) has exactly 12 digits.")
        elif int(value[:3]) not in CCCD_PROVINCES:
            error = self.env._("%(code)s is not a province code of a citizen ID.", code=value[:3])
        else:
            year = 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])
            if year > fields.Date.context_today(self).year:
                error = self.env._(
                    "This citizen ID gives a birth year in the future (%(year)s).", year=year
                )
        if error:
            raise ValidationError(
                self.env._("Invalid citizen ID “%(value)s”: %(error)s", value=value, error=error)
            )
        return value

    @api.model
    def _psa_normalize_phone(self, phone):
        """A Vietnamese mobile or landline number in E.164 (+84...), else raise."""
        compact = re.sub(r"[\s.\-()]", "", phone or "")
        match = MOBILE_RE.match(compact) or LANDLINE_RE.match(compact)
        if not match:
            raise ValidationError(
                self.env._(
                    "“%(phone)s” is not a Vietnamese phone number (mobile 0xx xxx xxxx or "
                    "landline 02x xxxx xxxx).",
                    phone=phone or "",
                )
            )
        return f"+84{match.group(1)}"

    @api.model
    def _psa_find_or_create_citizen(self, vals):
        """Match a returning citizen by CCCD, never duplicate; update contact details."""
        cccd = self._psa_check_cccd(vals.get("psa_cccd"))
        citizen = (
            self.sudo().with_context(active_test=False).search([("psa_cccd", "=", cccd)], limit=1)
        )
        details = {
            k: v for k, v in vals.items() if k in ("phone", "street", "ward_id", "email") and v
        }
        if citizen:
            if details:
                citizen.write(details)
            return citizen
        return self.sudo().create({**vals, "psa_cccd": cccd, "is_company": False})

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._psa_clean_citizen_vals(vals, is_citizen=bool(vals.get("psa_cccd")))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("psa_cccd") or vals.get("phone"):
            is_citizen = bool(vals.get("psa_cccd")) or any(self.mapped("psa_cccd"))
            self._psa_clean_citizen_vals(vals, is_citizen)
        return super().write(vals)

    @api.model
    def _psa_clean_citizen_vals(self, vals, is_citizen):
        # Only citizens (contacts with a CCCD) get the strict Vietnamese formats.
        if vals.get("psa_cccd"):
            vals["psa_cccd"] = self._psa_check_cccd(vals["psa_cccd"])
        if is_citizen and vals.get("phone"):
            vals["phone"] = self._psa_normalize_phone(vals["phone"])
