import secrets

from odoo import fields, models


# Apart from the model's main file: another feature, worked on in parallel.
class ResPartner(models.Model):
    """A citizen's channel for status alerts, and per-channel opt-outs (free amenity since
    1/8/2025). Kept apart from res_partner.py, which holds the citizen identity rules."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
