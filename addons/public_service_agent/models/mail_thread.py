from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import email_normalize

# The suite's addons: their records' chatter is the Center's record of who did what.
PSA_MODULES = {"public_service_agent", "agent_training", "postal_delivery", "subsidy"}


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        # Odoo refuses another author only for comments; any message type may carry
        # author_id or email_from through call_kw message_post. On the suite's records, a
        # user who is not an administrator posts under their own name only (the server's own
        # posts run as superuser: the mail gateway, portal answers, crons).
        if (
            not self.env.su
            and self._original_module in PSA_MODULES
            and not self.env.user._is_admin()
        ):
            user = self.env.user
            own = user.partner_id
            # Internal users may also send from the Center's own address (mail templates).
            emails = {own.email} | (set() if user.share else set(user.company_ids.mapped("email")))
            allowed = {email_normalize(e) for e in emails if e}
            other_author = author_id is not None and author_id != own.id
            other_email = email_from and email_normalize(email_from) not in allowed
            if other_author or other_email:
                raise AccessError(self.env._("You can post messages only under your own name."))
        return super()._message_compute_author(
            author_id=author_id, email_from=email_from, raise_on_email=raise_on_email
        )
