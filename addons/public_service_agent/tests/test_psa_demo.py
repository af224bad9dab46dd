from datetime import datetime, time, timedelta

import pytz

from odoo import SUPERUSER_ID, fields
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import freeze_time

HANOI = pytz.timezone("Asia/Ho_Chi_Minh")


@tagged("post_install", "-at_install")
class TestDemoDossiers(TransactionCase):
    """The demo follows the rules the suite enforces, relative to the install day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.env.ref("public_service_agent.user_officer")
        cls.dossiers = cls.env["psa.dossier"].search(
            [("id", "in", [cls.env.ref(f"public_service_agent.dossier_{x}").id for x in (
                "new", "received", "processing", "overdue", "supplement", "done", "returned",
                "contact", "refused")])]
        )  # fmt: skip

    def test_dates_follow_the_deadline_rules(self):
        for dossier in self.dossiers.filtered("date_received"):
            with self.subTest(dossier=dossier.name):
                self.assertLess(dossier.create_date, dossier.date_received)
                self.assertLessEqual(dossier.date_received, fields.Datetime.now())
                # The due date is the one the suite computes from the receipt date.
                self.assertEqual(
                    dossier.date_due, dossier._deadline_vals(dossier.date_received)["date_due"]
                )
                self.assertGreater(dossier.date_due, dossier.date_received)
                if dossier.date_done:
                    self.assertGreater(dossier.date_done, dossier.date_received)
                # The code carries the filing day.
                self.assertIn(f"-{dossier.date_received:%y%m%d}-", dossier.name)

    def test_only_the_late_dossier_is_overdue(self):
        # The demo is dated from the Center's day it was installed on (its new dossier was
        # filed that morning); the checks run on a clock frozen on that day, not on today's.
        Dossier = self.env["psa.dossier"]
        install_day = Dossier._center_today(
            self.env.ref("public_service_agent.dossier_new").create_date
        )
        due_today = self.env.ref("public_service_agent.dossier_processing")
        # Due at the close of the install day, or of the next working day when it was a day off.
        self.assertEqual(
            Dossier._center_today(due_today.date_due), self._working_day_from(install_day)
        )
        for hour, late in ((10, False), (23, True)):
            moment = HANOI.localize(
                datetime.combine(Dossier._center_today(due_today.date_due), time(hour))
            )
            with (
                self.subTest(hour=hour),
                freeze_time(moment.astimezone(pytz.utc).replace(tzinfo=None)),
            ):
                # As the nightly refresh would see them then (the flags were stored at install).
                self.env.add_to_compute(self.dossiers._fields["is_overdue"], self.dossiers)
                self.dossiers.flush_recordset(["is_overdue"])
                expected = self.env.ref("public_service_agent.dossier_overdue")
                if late:
                    expected |= due_today  # due at the day's close: late once it is over
                self.assertEqual(self.dossiers.filtered("is_overdue"), expected)

    def _working_day_from(self, day):
        calendar = self.env["psa.dossier"]._center_calendar()
        while True:
            start = HANOI.localize(datetime.combine(day, time.min))
            if calendar._work_intervals_batch(start, start + timedelta(days=1))[False]:
                return day
            day += timedelta(days=1)

    def test_people_and_history(self):
        for dossier in self.dossiers:
            with self.subTest(dossier=dossier.name):
                self.assertNotEqual(dossier.create_uid.id, SUPERUSER_ID)
                self.assertEqual(dossier.create_uid, dossier.staff_user_id or self.officer)
                moves = dossier.message_ids.tracking_value_ids.filtered(
                    lambda t: t.field_id.name == "stage_id"
                )
                # One tracked move per status after "new", each by a named person.
                walked = {
                    1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 9: 3, 10: 4,
                }[dossier.status_code]  # fmt: skip
                self.assertEqual(len(moves), walked)
                for move in moves:
                    self.assertEqual(move.mail_message_id.author_id, self.officer.partner_id)
        processing = self.env.ref("public_service_agent.dossier_processing")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "public_service_agent.action_report_psa_form05", processing.ids
        )
        html = html.decode()
        self.assertIn("Đang xử lý", html)
        self.assertIn(self.officer.name, html)
        self.assertNotIn("OdooBot", html)

    def test_chatter_names_models_in_the_language_of_the_message(self):
        """No "Administrative Dossier được tạo": the model name follows the sentence.

        Demo data is loaded before Odoo loads a module's translations; the demo loads them
        first (demo/res_lang_demo.xml), so that a Vietnamese database reads Vietnamese.
        """
        for record in (
            self.env.ref("public_service_agent.dossier_new"),
            self.env.ref("public_service_agent.agent_vnp_01"),
            self.env.ref("public_service_agent.procedure_lltp"),
        ):
            model = self.env["ir.model"]._get(record._name)
            english = model.with_context(lang="en_US").name
            vietnamese = model.with_context(lang="vi_VN").name
            self.assertNotEqual(english, vietnamese)
            bodies = [m.body or "" for m in record.message_ids]
            created = [b for b in bodies if "được tạo" in b or f"{english} created" in b]
            self.assertTrue(created, record)
            for body in created:
                if "được tạo" in body:
                    self.assertIn(vietnamese, body)
                    self.assertNotIn(english, body)

    def test_printed_forms_name_the_people_and_the_agency(self):
        dossier = self.env.ref("public_service_agent.dossier_received")
        Report = self.env["ir.actions.report"]
        form01 = Report._render_qweb_html(
            "public_service_agent.action_report_psa_form01", dossier.ids
        )[0].decode()
        self.assertIn(self.officer.name, form01)
        self.assertIn("Bản chính", form01)
        slip = Report._render_qweb_html(
            "public_service_agent.action_report_psa_phieu_gui", dossier.ids
        )[0].decode()
        # Thường trú goes to the police of the citizen's ward, with its address.
        self.assertIn("Công an Phường Giảng Võ", slip)
        self.assertIn("Công an thành phố Hà Nội", slip)
        self.assertNotIn("Công an phường/xã", slip)
        form04 = Report._render_qweb_html(
            "public_service_agent.action_report_psa_form04", dossier.ids
        )[0].decode()
        self.assertIn("CÔNG AN THÀNH PHỐ HÀ NỘI", form04)
        self.assertNotIn("UBND THÀNH PHỐ HÀ NỘI", form04)
        due = fields.Datetime.context_timestamp(
            dossier.with_context(tz="Asia/Ho_Chi_Minh"), dossier.date_due
        )
        self.assertIn(due.strftime("%d/%m/%Y"), form04)

    def test_refused_dossier_prints_form_03(self):
        refused = self.env["psa.dossier"].search([("stage_id.is_refused", "=", True)])
        self.assertIn(self.env.ref("public_service_agent.dossier_refused"), refused)
        dossier = self.env.ref("public_service_agent.dossier_refused")
        self.assertTrue(dossier.is_closed)
        self.assertFalse(dossier.is_overdue)
        self.assertIn("Điều 23 Luật Cư trú", dossier.refusal_reason)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("public_service_agent.action_report_psa_form03", dossier.ids)[0]
            .decode()
        )
        self.assertIn("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", html)
        self.assertIn("khoản 4 Điều 23 Luật Cư trú năm 2020", html)
        self.assertIn(dossier.name, html)
        # Signed by the officer who refused it, dated the day of the refusal.
        self.assertIn(self.officer.name, html)
        refused_at = dossier.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "stage_id"
        ).mail_message_id.date
        local = fields.Datetime.context_timestamp(
            dossier.with_context(tz="Asia/Ho_Chi_Minh"), refused_at
        )
        self.assertIn(local.strftime("ngày %d tháng %m năm %Y"), html)
        self.assertLess(refused_at, fields.Datetime.now())

    def test_agents_open_on_their_own_hours(self):
        center = self.env.company.resource_calendar_id
        agents = self.env["psa.agent"].search([])
        self.assertFalse(agents.filtered(lambda a: a.resource_calendar_id == center))
        saturday = agents.resource_calendar_id.filtered(
            lambda c: "5" in c.attendance_ids.mapped("dayofweek")
        )
        self.assertTrue(saturday)
        for calendar in saturday:
            hours = calendar.attendance_ids.filtered(lambda a: a.dayofweek == "5")
            self.assertTrue(all(a.hour_to <= 12 for a in hours), "Saturday mornings only")
