from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common_contact_centre import PsaContactCentreCommon

RAW_EMAIL = """Return-Path: <{email_from}>
From: {name} <{email_from}>
To: lienhe@{domain}
Subject: {subject}
Message-ID: {msg_id}
{extra}Date: Mon, 30 Nov 2026 09:00:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("psa_clock", "post_install", "-at_install")
class TestPsaTicket(PsaContactCentreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["psa.ticket"].with_user(cls.officer)
        cls.dossier = cls._fill(cls._new_dossier(agent=cls.agent_a, staff_user_id=cls.staff_a.id))

    def test_officer_creates_during_a_call_with_the_dossier_code(self):
        ticket = self.Ticket.create(
            {
                "subject": "Hỏi tiến độ",
                "channel": "hotline_1022",
                "category": "status",
                "dossier_code": self.dossier.name.lower(),
            }
        )
        self.assertRegex(ticket.name, r"^PA\d{2}-\d{6}$")
        self.assertEqual(ticket.dossier_id, self.dossier)
        self.assertEqual(ticket.agent_id, self.agent_a)
        self.assertEqual(ticket.staff_user_id, self.staff_a)
        self.assertEqual(ticket.citizen_id, self.citizen)  # no contact given: the officer's call
        self.assertEqual(ticket.ticket_type, "inquiry")
        self.assertEqual(ticket.stage_id, self.env.ref("public_service_agent.ticket_stage_new"))

    def test_a_stranger_giving_a_code_is_not_the_citizen(self):
        ticket = self.Ticket.create(
            {
                "subject": "Phản ánh",
                "category": "extra_fee",
                "contact_phone": "0988 000 111",
                "dossier_code": self.dossier.name,
            }
        )
        self.assertEqual(ticket.dossier_id, self.dossier)
        self.assertFalse(ticket.citizen_id)
        self.assertEqual(ticket.ticket_type, "complaint")
        self.assertEqual(ticket.contact_phone, "+84988000111")
        # The citizen calling from their own phone is matched.
        ticket = self.Ticket.create(
            {"subject": "Hỏi", "contact_phone": "0912345678", "dossier_code": self.dossier.name}
        )
        self.assertEqual(ticket.citizen_id, self.citizen)
        # By phone alone, only when exactly one citizen has it.
        ticket = self.Ticket.create({"subject": "Hỏi", "contact_phone": "0912345678"})
        self.assertEqual(ticket.citizen_id, self.citizen)
        self._citizen("001085077777", "0912345678", name="Người nhà")
        ticket = self.Ticket.create({"subject": "Hỏi", "contact_phone": "0912345678"})
        self.assertFalse(ticket.citizen_id)

    def test_system_fields_cannot_be_forged(self):
        with self.assertRaises(UserError):
            self.Ticket.create({"subject": "X", "name": "PA00-999999"})
        with self.assertRaises(UserError):
            self.Ticket.create({"subject": "X", "external_id": "VCS-forged"})
        ticket = self.Ticket.create({"subject": "X"})
        for vals in ({"date_open": "2020-01-01 00:00:00"}, {"date_closed": False}, {"name": "Y"}):
            with self.assertRaises(UserError):
                ticket.write(vals)
        # Closing and reopening stamp the dates for the officer.
        ticket.stage_id = self.env.ref("public_service_agent.ticket_stage_solved")
        self.assertTrue(ticket.date_closed)
        ticket.stage_id = self.env.ref("public_service_agent.ticket_stage_progress")
        self.assertFalse(ticket.date_closed)

    def test_bad_contact_is_refused(self):
        with self.assertRaises(ValidationError):
            self.Ticket.create({"subject": "X", "contact_phone": "12345"})
        with self.assertRaises(ValidationError):
            self.Ticket.create({"subject": "X", "contact_email": "not-an-email"})

    def test_delivery_complaints_follow_circular_17(self):
        # Monday 30/11/2026 10:00 in Hanoi: 5 working days -> Monday 7/12, 7 -> Wednesday 9/12.
        with freeze_time("2026-11-30 03:00:00"):
            local = self.Ticket.create({"subject": "Chưa nhận", "category": "delivery"})
            other = self.Ticket.create(
                {"subject": "Chưa nhận", "category": "delivery", "delivery_interprovince": True}
            )
            inquiry = self.Ticket.create({"subject": "Hỏi"})
        self.assertEqual((local.sla_days, other.sla_days), (5, 7))
        self.assertEqual(local.date_deadline.date(), datetime(2026, 12, 7).date())
        self.assertEqual(other.date_deadline.date(), datetime(2026, 12, 9).date())
        self.assertEqual(inquiry.sla_days, 5)
        self.env["ir.config_parameter"].sudo().set_param(
            "public_service_agent.ticket_sla_days", "2"
        )
        with freeze_time("2026-11-30 03:00:00"):
            short = self.Ticket.create({"subject": "Hỏi"})
        self.assertEqual(short.sla_days, 2)
        self.assertEqual(short.date_deadline.date(), datetime(2026, 12, 2).date())

    def test_overdue_is_a_stored_flag_refreshed_by_the_cron(self):
        # The whole body on a frozen clock: read on the real one, the 5-working-day deadline
        # (7/12/2026) had passed at once from that day on.
        with freeze_time("2026-11-30 03:00:00") as clock:
            ticket = self.Ticket.create({"subject": "Hỏi"})
            ticket.flush_recordset()
            self.assertFalse(ticket.is_overdue)
            clock.move_to("2026-12-04 09:59:00")  # 16:59 in Hanoi, still within the SLA
            self.env["psa.ticket"]._cron_refresh_overdue()
            self.assertFalse(ticket.is_overdue)
            clock.move_to("2026-12-15 03:00:00")
            self.assertGreaterEqual(self.env["psa.ticket"]._cron_refresh_overdue(), 1)
            self.assertTrue(ticket.is_overdue)
            self.assertIn(ticket, self.env["psa.ticket"].search([("is_overdue", "=", True)]))

    def test_answer_reaches_the_caller_and_closes_the_ticket(self):
        ticket = self.Ticket.create(
            {"subject": "Phí", "channel": "hotline_19001009", "contact_phone": "0912 345 678"}
        )
        with self.assertRaises(ValidationError):
            ticket.action_send_answer()
        ticket.answer = "Đại lý không được thu thêm phí. Trung tâm đã xử lý."
        ticket.action_send_answer()
        self.assertTrue(ticket.is_closed)
        self.assertTrue(ticket.date_answered)
        alert = ticket.notification_ids
        self.assertEqual((alert.channel, alert.event_code), ("sms", "ticket_answered"))
        self._run_jobs()
        self.assertEqual(alert.state, "sent")
        self.assertIn("khong duoc thu them phi", self.fake.sent("/sms")[-1]["body"]["text"])
        self.assertIn(ticket.name, self.fake.sent("/sms")[-1]["body"]["text"])
        without = self.Ticket.create({"subject": "Hỏi", "answer": "..."})
        with self.assertRaises(UserError):
            without.action_send_answer()

    def _mail(self, subject, body, msg_id, extra=""):
        alias = self.env.ref("public_service_agent.mail_alias_contact_centre")
        domain = alias.alias_domain or "example.com"
        return RAW_EMAIL.format(
            email_from="binh.le@example.vn",
            name="Lê Bình",
            domain=domain,
            subject=subject,
            msg_id=msg_id,
            extra=extra,
            body=body,
        )

    def test_email_to_the_alias_becomes_a_ticket_and_replies_thread(self):
        alias = self.env.ref("public_service_agent.mail_alias_contact_centre")
        if not alias.alias_domain:
            domain = self.env["mail.alias.domain"].create({"name": "ttpvhcc.test"})
            alias.alias_domain_id = domain
            self.env.company.alias_domain_id = domain
        raw = self._mail(
            "Hỏi về hồ sơ",
            f"Tôi muốn hỏi hồ sơ {self.dossier.name} bao giờ có kết quả?",
            "<first-123@example.vn>",
        )
        ticket_id = self.env["mail.thread"].message_process(None, raw)
        ticket = self.env["psa.ticket"].browse(ticket_id)
        self.assertEqual(ticket._name, "psa.ticket")
        self.assertEqual(ticket.channel, "email")
        self.assertRegex(ticket.name, r"^PA\d{2}-\d{6}$")
        self.assertEqual(ticket.subject, "Hỏi về hồ sơ")
        self.assertEqual(ticket.contact_email, "binh.le@example.vn")
        self.assertEqual(ticket.contact_name, "Lê Bình")
        self.assertEqual(ticket.dossier_id, self.dossier)
        self.assertFalse(ticket.citizen_id)  # a sender who is not the citizen stays unmatched
        reply = self._mail(
            "Re: Hỏi về hồ sơ",
            "Bổ sung: tôi nộp tại đại lý A.",
            "<second-456@example.vn>",
            extra="In-Reply-To: <first-123@example.vn>\nReferences: <first-123@example.vn>\n",
        )
        self.assertEqual(self.env["mail.thread"].message_process(None, reply), ticket.id)
        self.assertEqual(
            self.env["psa.ticket"].search_count([("contact_email", "=", "binh.le@example.vn")]), 1
        )
        self.assertIn("tôi nộp tại đại lý A", "".join(ticket.message_ids.mapped("body")))
        # The answer goes back by e-mail, threaded on the ticket.
        ticket.answer = "Hồ sơ đang được xử lý."
        ticket.with_user(self.officer).action_send_answer()
        mail = self.env["mail.mail"].search(
            [("message_id", "=", ticket.notification_ids.provider_message_id)]
        )
        self.assertEqual(mail.email_to, "binh.le@example.vn")
        self.assertEqual((mail.model, mail.res_id), ("psa.ticket", ticket.id))
