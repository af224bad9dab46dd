import base64
import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import create_index

from odoo.addons.public_service_agent.models.psa_personal_data_log import (
    mask_holder_name as mask_name,  # noqa: F401 (the public check page's rule, tested here)
)
from odoo.addons.public_service_agent.tools import center_language

EXPIRY_WARNING_DAYS = 30


class TrainingCertificate(models.Model):
    """A certificate earned by passing a course exam.

    States::

        valid -> expiring, expired, revoked
        expiring -> valid, expired, revoked
        expired -> (final)
        revoked -> (final)

    The table is ``_state_transitions``, enforced by ``psa.state.machine.mixin``. A new
    certificate starts in the state its expiry date gives (*expiring* 30 days before it); the
    daily cron moves certificates along the calendar; revocation needs a reason and goes
    through the revocation wizard.
    """

    _name = "training.certificate"
    _description = "Training Certificate"
    _inherit = ["psa.state.machine.mixin", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_issued desc, id desc"

    _state_initial = "valid"
    _state_transitions = {
        "valid": ("expiring", "expired", "revoked"),
        "expiring": ("valid", "expired", "revoked"),
        "expired": (),
        "revoked": (),
    }
    _state_needs_reason = ("revoked",)
    _state_reason_field = "revoke_reason"
    # A certificate is a legal document: what it certifies never changes after issue.
    IMMUTABLE_FIELDS = {
        "name",
        "user_id",
        "course_id",
        "date_issued",
        "date_expiry",
        "verify_token",
        "user_input_id",
        "session_id",
    }
    VALID_STATES = ("valid", "expiring")

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    user_id = fields.Many2one(
        "res.users", string="Trainee", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        related="user_id.partner_id", store=True, string="Trainee Contact", index=True
    )
    agent_id = fields.Many2one(
        "psa.agent",
        compute="_compute_agent_id",
        store=True,
        index=True,
        string="Agent",
        help="The agent the trainee currently works for.",
    )
    course_id = fields.Many2one(
        "training.course", required=True, index=True, ondelete="restrict", tracking=True
    )
    session_id = fields.Many2one("training.session", index="btree_not_null", readonly=True)
    trainer_id = fields.Many2one(
        "res.users", string="Trainer", index="btree_not_null", domain=[("share", "=", False)]
    )
    user_input_id = fields.Many2one("survey.user_input", string="Exam Attempt", readonly=True)
    score = fields.Float(string="Score (%)", readonly=True)
    date_issued = fields.Date(
        string="Issued On", required=True, default=lambda self: self._today(), tracking=True
    )
    date_expiry = fields.Date(string="Expires On", required=True, index=True, tracking=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring Soon"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        string="Status",
        default="valid",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    revoke_reason = fields.Text(string="Revocation Reason", readonly=True, tracking=True)
    date_revoked = fields.Date(string="Revoked On", readonly=True)
    revoked_by_id = fields.Many2one("res.users", string="Revoked By", readonly=True)
    verify_token = fields.Char(
        readonly=True, copy=False, required=True, default=lambda self: uuid.uuid4().hex
    )
    verify_url = fields.Char(string="Verification Link", compute="_compute_verify_url")
    verify_qr = fields.Binary(string="Verification QR Code", compute="_compute_verify_qr")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The certificate number must be unique."),
        ("verify_token_uniq", "unique(verify_token)", "The verification token must be unique."),
        ("user_input_uniq", "unique(user_input_id)", "An exam attempt gives one certificate."),
        ("dates_ordered", "CHECK(date_expiry > date_issued)", "A certificate expires after issue."),
    ]

    def init(self):
        # The cron and the gate filter on state and expiry together.
        create_index(
            self.env.cr,
            "training_certificate_state_expiry_idx",
            self._table,
            ["state", "date_expiry"],
        )
        create_index(
            self.env.cr,
            "training_certificate_agent_course_idx",
            self._table,
            ["agent_id", "course_id"],
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("user_id.partner_id.parent_id")
    def _compute_agent_id(self):
        for certificate in self:
            certificate.agent_id = certificate.user_id.partner_id.parent_id.psa_agent_ids[:1]

    @api.depends("verify_token")
    def _compute_verify_url(self):
        for certificate in self:
            certificate.verify_url = (
                f"{certificate.get_base_url()}/certificate/verify/{certificate.verify_token}"
                if certificate.verify_token
                else False
            )

    @api.depends("verify_url")
    def _compute_verify_qr(self):
        Report = self.env["ir.actions.report"]
        for certificate in self:
            if not certificate.verify_url:
                certificate.verify_qr = False
                continue
            png = Report.barcode("QR", certificate.verify_url, width=240, height=240, quiet=False)
            certificate.verify_qr = base64.b64encode(png)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for certificate in self:
            certificate.access_url = f"/my/certificates/{certificate.id}"
        return res

    @api.depends("name", "course_id")
    def _compute_display_name(self):
        for certificate in self:
            certificate.display_name = f"{certificate.name} · {certificate.course_id.name or ''}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Certificate %(number)s", number=self.name)

    # ------------------------------------------------------------------
    # Validity
    # ------------------------------------------------------------------

    @api.model
    def _today(self):
        return self.env["psa.dossier"]._center_today()

    def _public_state(self):
        """The state the public check page shows: expired from its expiry day on, even
        before the daily cron has moved it."""
        self.ensure_one()
        if self.state in self.VALID_STATES and self.date_expiry <= self._today():
            return "expired"
        return self.state

    @api.model
    def _valid_domain(self, today):
        return [("state", "in", self.VALID_STATES), ("date_expiry", ">", today)]

    @api.model
    def _state_on(self, date_expiry, today):
        if date_expiry <= today:
            return "expired"
        if date_expiry <= today + timedelta(days=EXPIRY_WARNING_DAYS):
            return "expiring"
        return "valid"

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        today = self._today()
        courses = self.env["training.course"].browse(
            [vals["course_id"] for vals in vals_list if vals.get("course_id")]
        )
        courses.fetch(["validity_months"])
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("training.certificate") or "/"
            issued = fields.Date.to_date(vals.get("date_issued")) or today
            vals["date_issued"] = issued
            if not vals.get("date_expiry") and vals.get("course_id"):
                course = self.env["training.course"].browse(vals["course_id"])
                vals["date_expiry"] = issued + relativedelta(months=course.validity_months)
            if vals.get("date_expiry"):
                # The state follows the calendar; revocation has its own path.
                vals["state"] = self._state_on(fields.Date.to_date(vals["date_expiry"]), today)
            else:
                vals.pop("state", None)
        return super().create(vals_list)

    def write(self, vals):
        frozen = self.IMMUTABLE_FIELDS.intersection(vals)
        if frozen:
            raise ValidationError(
                self.env._(
                    "A certificate cannot be altered after issue (%(fields)s): revoke it and "
                    "issue a new one.",
                    fields=", ".join(sorted(frozen)),
                )
            )
        return super().write(vals)

    def _on_state_change(self, old_state, new_state):
        result = super()._on_state_change(old_state, new_state)
        if new_state not in self.VALID_STATES:
            # However a certificate stops being valid, the agent's gate is checked again.
            cause = (
                self.env._("A staff certificate was revoked.")
                if new_state == "revoked"
                else self.env._("A staff certificate is no longer valid.")
            )
            self.sudo().agent_id._training_enforce_gate(cause)
        return result

    def unlink(self):
        if not self.env.su:
            raise ValidationError(
                self.env._("Certificates are never deleted: revoke them instead.")
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_revoke_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revoke Certificates"),
            "res_model": "training.certificate.revoke",
            "view_mode": "form",
            "target": "new",
            "context": {"default_certificate_ids": self.ids},
        }

    def _revoke(self, reason):
        live = self.filtered(lambda c: c.state in self.VALID_STATES)
        live.write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "date_revoked": self._today(),
                "revoked_by_id": self.env.user.id,
            }
        )
        # Losing a certificate may leave an open agent below the minimum.
        live.sudo().agent_id._training_enforce_gate(self.env._("A staff certificate was revoked."))
        return live

    @api.model
    def _issue_from_exams(self, answers):
        """Issue one certificate per passed exam attempt that belongs to a training session.

        Attempts are matched to an attendance by their invitation token: only trainees
        marked present in a closed session hold one. Failed attempts, test entries and
        attempts outside a session issue nothing.
        """
        answers = answers.filtered(
            lambda a: a.state == "done" and not a.test_entry and a.invite_token
        )
        if not answers:
            return self.browse()
        Attendance = self.env["training.attendance"].sudo()
        lines = Attendance.search(
            [
                ("exam_invite_token", "in", answers.mapped("invite_token")),
                ("session_id.state", "=", "done"),
                ("present", "=", True),
            ]
        )
        line_by_token = {line.exam_invite_token: line for line in lines}
        already = self.sudo().search([("user_input_id", "in", answers.ids)]).user_input_id
        vals_list, issued_lines = [], []
        for answer in answers:
            line = line_by_token.get(answer.invite_token)
            if not line or answer.partner_id != line.user_id.partner_id:
                continue
            if answer.survey_id != line.course_id.survey_id:
                continue
            line._record_exam_result(answer)
            if not answer.scoring_success or answer in already or line.certificate_id:
                continue
            vals_list.append(
                {
                    "user_id": line.user_id.id,
                    "course_id": line.course_id.id,
                    "session_id": line.session_id.id,
                    "trainer_id": line.session_id.trainer_id.id,
                    "user_input_id": answer.id,
                    "score": answer.scoring_percentage,
                    "company_id": line.session_id.company_id.id,
                }
            )
            issued_lines.append(line)
        certificates = self.sudo().create(vals_list)
        for line, certificate in zip(issued_lines, certificates, strict=True):
            line.certificate_id = certificate
        if certificates:
            template = self.env.ref("agent_training.mail_template_certificate_issued")
            template.sudo().send_mail_batch(certificates.ids)
        return certificates

    # ------------------------------------------------------------------
    # Daily cron
    # ------------------------------------------------------------------

    @api.model
    @center_language
    def _cron_daily(self):
        """Expire, warn, and apply the launch gate, in a fixed number of queries.

        Every step works on whole recordsets (batched writes, activities and mails), so
        the query count does not grow with the number of certificates or agents.
        """
        today = self._today()
        Certificate = self.sudo().with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True
        )
        expired = Certificate.search(
            [("state", "in", self.VALID_STATES), ("date_expiry", "<=", today)]
        )
        if expired:
            expired.write({"state": "expired"})
            body = self.env._("The certificate has expired.")
            expired._message_log_batch({cert_id: body for cert_id in expired.ids})
        expiring = Certificate.search(
            [
                ("state", "=", "valid"),
                ("date_expiry", ">", today),
                ("date_expiry", "<=", today + timedelta(days=EXPIRY_WARNING_DAYS)),
            ]
        )
        if expiring:
            expiring.write({"state": "expiring"})
            expiring._training_warn_expiry()
        if expired:
            expired.agent_id._training_enforce_gate(
                self.env._("Certificates of its staff expired.")
            )

    def _training_warn_expiry(self):
        """Activity for the trainer (or the course responsible), e-mail to trainee and trainer."""
        activity_type = self.env.ref("agent_training.mail_activity_type_certificate_expiry")
        model_id = self.env["ir.model"]._get_id(self._name)
        activity_vals = []
        for certificate in self:
            responsible = certificate.trainer_id or certificate.course_id.user_id
            if not responsible or responsible.share or not responsible.active:
                continue
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": certificate.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Certificate expires soon: plan a refresher"),
                    "date_deadline": certificate.date_expiry,
                    "user_id": responsible.id,
                }
            )
        if activity_vals:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activity_vals
            )
        template = self.env.ref("agent_training.mail_template_certificate_expiring")
        template.sudo().send_mail_batch(self.ids)

    @api.model
    def _training_count_certified(self, agent_ids, course_ids, today, leads_only=False):
        """{(agent_id, course_id): number of distinct staff holding a valid certificate}."""
        domain = [
            ("agent_id", "in", agent_ids),
            ("course_id", "in", course_ids),
            ("user_id.active", "=", True),
            ("user_id.share", "=", True),
            *self._valid_domain(today),
        ]
        if leads_only:
            domain.append(("partner_id.training_team_lead", "=", True))
        groups = self.sudo()._read_group(
            domain, ["agent_id", "course_id"], ["user_id:count_distinct"]
        )
        return {(agent.id, course.id): count for agent, course, count in groups}
