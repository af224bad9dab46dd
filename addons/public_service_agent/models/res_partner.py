import re
import secrets

import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.phone_validation.tools.phone_validation import phone_format, phone_parse

from .psa_personal_data_log import mask_digits, mask_name

# Birth-registration province codes of the 63 former provinces (Circular 07/2016/TT-BCA);
# numbers keep them after the 2025 merger.
CCCD_PROVINCES = frozenset(
    (
        "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
        "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
        "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096"
    ).split()
)
# Exporting any of these for citizens is logged.
CITIZEN_FIELDS = {
    "name",
    "display_name",
    "psa_cccd",
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "contact_address",
}
PHONE_REGION = "VN"
PHONE_COUNTRY_CODE = 84
# A citizen's or caller's number: mobile or landline (not 1800/1900 service numbers).
PHONE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def vn_phone_number(phone):
    """``phonenumbers.PhoneNumber`` of a Vietnamese number (region VN), or None."""
    try:
        number = phone_parse((phone or "").strip(), PHONE_REGION)
    except UserError:
        return None
    return number if number.country_code == PHONE_COUNTRY_CODE else None


def is_vn_mobile(phone):
    """Whether ``phone`` is a Vietnamese mobile number (SMS and Zalo reach only those)."""
    number = vn_phone_number(phone)
    return bool(number) and phonenumbers.number_type(number) in MOBILE_TYPES


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_psa_operator = fields.Boolean(
        string="Agent Operator",
        help="A company that runs public-service agents (Vietnam Post, Viettel Post, FPT Retail).",
    )
    ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Ward / Commune",
        domain=[("level", "=", "ward"), ("is_legacy", "=", False)],
        index="btree_not_null",
        # Follows the former ward when one is entered, and stays editable: a former ward split
        # between several new ones converts to its main successor, which staff may correct.
        compute="_compute_ward_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    legacy_ward_id = fields.Many2one(
        "psa.admin.unit",
        string="Former Ward / Commune",
        domain=[("level", "=", "ward"), ("is_legacy", "=", True)],
        index="btree_not_null",
        help="The ward or commune of an address written before 1 July 2025. "
        "Entering it sets the new ward or commune.",
    )
    psa_agent_ids = fields.One2many("psa.agent", "partner_id", string="Agent Records")

    @api.depends("legacy_ward_id")
    def _compute_ward_id(self):
        for partner in self:
            # Without a former ward, keep the ward entered directly.
            if partner.legacy_ward_id.successor_id:
                partner.ward_id = partner.legacy_ward_id.successor_id

    psa_cccd = fields.Char(
        string="Citizen ID (CCCD)",
        copy=False,
        # Officers only; every other path (portal, matching, claims) reads it as superuser
        # after its own check, and record rules hide citizens from other internal users.
        groups="public_service_agent.group_psa_officer",
        help="12-digit citizen identity number; a returning citizen is matched by it.",
    )
    psa_is_citizen = fields.Boolean(
        string="Citizen",
        compute="_compute_psa_is_citizen",
        store=True,
        index=True,
        help="A contact with a citizen ID: only Center officers read it (Decree 13/2023).",
    )
    psa_cccd_masked = fields.Char(
        string="CCCD (masked)", compute="_compute_psa_masked_contact", compute_sudo=True
    )
    psa_phone_masked = fields.Char(
        string="Phone (masked)", compute="_compute_psa_masked_contact", compute_sudo=True
    )
    psa_masked_name = fields.Char(
        string="Masked Name",
        compute="_compute_psa_masked_name",
        compute_sudo=True,
        help="Family name and initials: what finance and trainers may see of a citizen.",
    )

    @api.depends("psa_cccd")
    def _compute_psa_is_citizen(self):
        for partner in self:
            partner.psa_is_citizen = bool(partner.psa_cccd)

    @api.depends("psa_cccd", "phone", "mobile")
    def _compute_psa_masked_contact(self):
        for partner in self:
            partner.psa_cccd_masked = mask_digits(partner.psa_cccd)
            partner.psa_phone_masked = mask_digits(partner.phone or partner.mobile)

    def action_psa_reveal(self):
        """The citizen's CCCD and phones for an officer, logged (the form shows them masked)."""
        self.ensure_one()
        if not self.env.user.has_group("public_service_agent.group_psa_officer"):
            raise AccessError(self.env._("Only Center officers may do this."))
        self.check_access("read")
        citizen = self.sudo()
        self.env["psa.personal.data.log"]._psa_log(
            "reveal", citizen, ["psa_cccd", "phone", "mobile"], self._name
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": citizen.name,
                "message": "\n".join(
                    [
                        self.env._("CCCD: %(value)s", value=citizen.psa_cccd or "-"),
                        self.env._(
                            "Phone: %(value)s", value=citizen.phone or citizen.mobile or "-"
                        ),
                    ]
                ),
                "sticky": True,
                "type": "warning",
            },
        }

    @api.depends("name")
    def _compute_psa_masked_name(self):
        for partner in self:
            partner.psa_masked_name = mask_name(partner.name)

    @api.depends_context(
        "show_address",
        "partner_show_db_id",
        "address_inline",
        "show_email",
        "show_vat",
        "lang",
        "uid",
    )
    def _compute_display_name(self):  # pylint: disable=missing-return
        # Many2one values are named as superuser (``convert_to_read``), but ``uid`` stays the
        # caller's: only officers (and the system itself) get a citizen's full name there.
        super()._compute_display_name()
        citizens = self.filtered("psa_is_citizen")
        if citizens and not self.env.user._psa_reads_citizens():
            for partner in citizens:
                partner.display_name = mask_name(partner.name)

    _sql_constraints = [
        ("psa_cccd_uniq", "unique(psa_cccd)", "Another contact already has this citizen ID."),
    ]

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        roots = {path.split("/")[0].split(".")[0] for path in fields_to_export}
        personal = roots & CITIZEN_FIELDS
        citizens = self.sudo().filtered("psa_is_citizen") if personal else self.browse()
        if citizens:
            self.env["psa.personal.data.log"]._psa_log("export", citizens, personal, self._name)
        return result

    @api.model
    def _psa_check_cccd(self, cccd):
        """Return the CCCD if well-formed, else raise: 3 digits province, 1 century/sex, 2 year."""
        value = (cccd or "").strip()
        error = None
        if not re.fullmatch(r"\d{12}", value):
            error = self.env._("A citizen ID (CCCD) has exactly 12 digits.")
        elif value[:3] not in CCCD_PROVINCES:
            error = self.env._("%(code)s is not a province code of a citizen ID.", code=value[:3])
        else:
            year = 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])
            if year > self.env["psa.dossier"]._center_today().year:
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
        """A Vietnamese mobile or landline number in E.164 (+84...), else raise.

        Parsed by ``phone_validation`` with ``phonenumbers``' numbering plan (region VN).
        """
        number = vn_phone_number(phone)
        if not number or phonenumbers.number_type(number) not in PHONE_TYPES:
            raise ValidationError(
                self.env._(
                    "“%(phone)s” is not a Vietnamese phone number (mobile 0xx xxx xxxx or "
                    "landline 02x xxxx xxxx).",
                    phone=phone or "",
                )
            )
        return phone_format(phone.strip(), PHONE_REGION, PHONE_COUNTRY_CODE, force_format="E164")

    @api.model
    def _psa_find_or_create_citizen(self, vals):
        """Match a returning citizen by CCCD, never duplicate.

        Contact details typed for a known citizen only fill fields still empty on file:
        a different value never overwrites the record (the dossier keeps what was typed
        and an officer accepts the change). Returns the citizen, as superuser.
        """
        cccd = self._psa_check_cccd(vals.get("psa_cccd"))
        citizen = (
            self.sudo().with_context(active_test=False).search([("psa_cccd", "=", cccd)], limit=1)
        )
        details = {
            k: v for k, v in vals.items() if k in ("phone", "street", "ward_id", "email") and v
        }
        if citizen:
            empty = {k: v for k, v in details.items() if not citizen[k]}
            if empty:
                citizen.write(empty)
            return citizen
        return self.sudo().create({**vals, "psa_cccd": cccd, "is_company": False})

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._psa_clean_citizen_vals(vals, is_citizen=bool(vals.get("psa_cccd")))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("psa_cccd") or vals.get("phone"):
            is_citizen = bool(vals.get("psa_cccd")) or any(self.sudo().mapped("psa_is_citizen"))
            self._psa_clean_citizen_vals(vals, is_citizen)
        return super().write(vals)

    @api.model
    def _psa_clean_citizen_vals(self, vals, is_citizen):
        # Only citizens (contacts with a CCCD) get the strict Vietnamese formats.
        if vals.get("psa_cccd"):
            vals["psa_cccd"] = self._psa_check_cccd(vals["psa_cccd"])
        if is_citizen and vals.get("phone"):
            vals["phone"] = self._psa_normalize_phone(vals["phone"])

    # ---------------------------------------------------------- status alerts: channel, opt-outs
    psa_notify_channel = fields.Selection(
        [("zalo", "Zalo"), ("sms", "SMS"), ("email", "E-mail")],
        string="Status Alerts By",
        help="Where the citizen hears about their dossiers. Empty: Zalo when a mobile "
        "number is known, else e-mail.",
    )
    psa_optout_zalo = fields.Boolean(string="No Zalo Alerts")
    psa_optout_sms = fields.Boolean(string="No SMS Alerts")
    psa_optout_email = fields.Boolean(string="No E-mail Alerts")
    psa_alert_token = fields.Char(
        copy=False,
        groups="base.group_system",
        index="btree_not_null",
        help="Opens the citizen's alert settings page (/thong-bao/<token>) without a login.",
    )

    def _psa_notify_channel(self):
        self.ensure_one()
        if self.psa_notify_channel:
            return self.psa_notify_channel
        return "zalo" if self.phone else "email"

    def _psa_opted_out(self, channel):
        self.ensure_one()
        return bool(self[f"psa_optout_{channel}"])

    def _psa_alert_settings_url(self):
        """The citizen's own page to choose channels and opt out, by an unguessable token."""
        self.ensure_one()
        partner = self.sudo()
        if not partner.psa_alert_token:
            partner.psa_alert_token = secrets.token_urlsafe(24)
        return f"{partner.get_base_url()}/thong-bao/{partner.psa_alert_token}"

    def _psa_set_alert_settings(self, channel, optouts):
        """What the settings page may change: the channel and the three opt-outs, nothing else."""
        self.ensure_one()
        allowed = dict(self._fields["psa_notify_channel"].selection)
        self.sudo().write(
            {
                "psa_notify_channel": channel if channel in allowed else False,
                **{f"psa_optout_{name}": name in optouts for name in ("zalo", "sms", "email")},
            }
        )
