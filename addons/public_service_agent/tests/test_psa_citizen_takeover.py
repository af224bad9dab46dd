"""Issue 16, class 2: a filing at one agent never takes over a citizen of another.

Agent B's staff file, through the real form page, with agent A's citizen's CCCD, another
name and their own phone and e-mail. Each test failed before the fix: the citizen's empty
e-mail was filled with the attacker's, and alerts and evaluation links followed it.
"""

from odoo.tests import tagged

from .common import run_post_migrate
from .test_psa_portal import PDF, PsaHttpCommon

ATTACKER = {
    "citizen_name": "Nguyễn Văn Giả",
    "phone": "0977 000 111",
    "email": "gia@example.vn",
    "street": "99 Phố Giả",
}
ATTACKER_CONTACT = ("gia@example.vn", "+84977000111")


def file_at_counter(case, staff, **form):
    """File a dossier as ``staff`` as the browser does: load the form, post it with scans."""
    case.authenticate(staff.login, staff.login)
    data = {
        "cccd": "",
        "citizen_name": "",
        "phone": "",
        "email": "",
        "street": "",
        "procedure_id": str(case.procedure.id),
        "return_method": "agent",
        **form,
        "csrf_token": case._csrf("/my/dossiers/new"),
    }
    files = {
        f"doc_{doc.id}": (f"scan-{doc.id}.pdf", PDF, "application/pdf")
        for doc in case.procedure.document_ids.filtered("required")
    }
    response = case.url_open("/my/dossiers/new", data=data, files=files)
    case.assertIn("created=1", response.url)
    return case.env["psa.dossier"].search(
        [("staff_user_id", "=", staff.id)], order="id desc", limit=1
    )


@tagged("post_install", "-at_install")
class TestPsaCitizenTakeover(PsaHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Agent A's citizen: no e-mail on file, alerts by e-mail.
        cls.citizen.write({"street": "12 Hàng Bài", "psa_notify_channel": "email"})
        cls.dossier_a = cls._fill(cls._new_dossier(cls.agent_a))

    def _snapshot(self):
        citizen = self.citizen.sudo()
        citizen.invalidate_recordset()
        return {f: citizen[f] for f in ("name", "phone", "email", "street", "ward_id")}

    def test_filing_at_another_agent_writes_nothing_to_the_citizen(self):
        before = self._snapshot()
        self.assertFalse(before["email"])
        dossier = file_at_counter(self, self.staff_b, cccd=self.citizen.sudo().psa_cccd, **ATTACKER)
        self.assertEqual(self._snapshot(), before)
        # The counter's contact data stays on the dossier, linked for an officer to confirm.
        self.assertEqual(dossier.agent_id, self.agent_b)
        self.assertEqual(dossier.citizen_id, self.citizen)
        self.assertTrue(dossier.contact_review)
        self.assertEqual(dossier.filed_name, "Nguyễn Văn Giả")
        self.assertEqual(dossier.filed_phone, "+84977000111")
        self.assertEqual(dossier.filed_email, "gia@example.vn")
        self.assertEqual(dossier.street, "99 Phố Giả")

    def test_alerts_of_the_citizens_other_dossiers_never_reach_the_attacker(self):
        mine = file_at_counter(self, self.staff_b, cccd=self.citizen.sudo().psa_cccd, **ATTACKER)
        Mail = self.env["mail.mail"].sudo()
        mails_before = Mail.search([])
        # Agent A's dossier of the citizen is received, processed and returned.
        self._return_result(self.dossier_a)
        self.assertTrue(self.dossier_a.evaluation_sent)
        alerts = (
            self.env["psa.notification"].sudo().search([("dossier_id", "=", self.dossier_a.id)])
        )
        self.assertTrue(alerts)
        for alert in alerts:
            self.assertNotIn(alert.recipient, ATTACKER_CONTACT)
        for mail in Mail.search([]) - mails_before:
            addresses = f"{mail.email_to} {mail.recipient_ids.mapped('email')}"
            self.assertNotIn("gia@example.vn", addresses, mail.subject)
        # The attacker's own dossier is alerted at the contact given at the counter.
        self._return_result(mine.with_user(self.officer))
        own = self.env["psa.notification"].sudo().search([("dossier_id", "=", mine.id)])
        self.assertTrue(own)
        self.assertEqual(set(own.mapped("recipient")), {"gia@example.vn"})
        evaluation = (Mail.search([]) - mails_before).filtered(
            lambda m: mine.name in (m.subject or "")
        )
        self.assertEqual(set(evaluation.mapped("email_to")), {"gia@example.vn"})
        token = mine.sudo().evaluation_token
        self.assertTrue(evaluation.filtered(lambda m: token in (m.body_html or "")))

    def test_exact_match_links_without_writing(self):
        before = self._snapshot()
        # Same CCCD, same name (case and spaces aside), same phone (any notation).
        dossier = file_at_counter(
            self,
            self.staff_b,
            cccd=self.citizen.sudo().psa_cccd,
            citizen_name="  nguyễn   VĂN an ",
            phone="091 234 5678",
            street="5 Lý Thái Tổ",
        )
        self.assertEqual(dossier.citizen_id, self.citizen)
        self.assertFalse(dossier.contact_review)
        self.assertEqual(dossier.street, "5 Lý Thái Tổ")
        self.assertEqual(self._snapshot(), before)

    def test_migration_gives_existing_dossiers_their_citizens_contact(self):
        self.citizen.email = "an.nguyen@example.vn"
        dossier = self._new_dossier(self.agent_a)
        filed = self.dossier_a
        # Before the upgrade, backend dossiers held no contact of their own.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE psa_dossier SET filed_name = NULL, filed_phone = NULL, filed_email = NULL,"
            " street = NULL, ward_id = NULL WHERE id = %s",
            (dossier.id,),
        )
        self.env.cr.execute(
            "UPDATE psa_dossier SET filed_name = 'Typed', filed_phone = '+84977000111',"
            " filed_email = NULL, street = 'Typed street' WHERE id = %s",
            (filed.id,),
        )
        run_post_migrate(self.env.cr, "public_service_agent", "18.0.1.3.0", "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(
            (dossier.filed_name, dossier.filed_phone, dossier.filed_email, dossier.street),
            ("Nguyễn Văn An", "+84912345678", "an.nguyen@example.vn", "12 Hàng Bài"),
        )
        # What was typed at a counter is kept.
        self.assertEqual(
            (filed.filed_name, filed.filed_phone, filed.filed_email, filed.street),
            ("Typed", "+84977000111", False, "Typed street"),
        )
