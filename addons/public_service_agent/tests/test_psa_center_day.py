import re
from datetime import datetime, timedelta

import pytz
from lxml import html

from odoo import fields
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import freeze_time

from .common import PsaDossierCommon
from .demo_clock import replay_demo_history

HANOI = pytz.timezone("Asia/Ho_Chi_Minh")


@tagged("psa_clock", "post_install", "-at_install")
class TestPsaCenterDayDossierCode(PsaDossierCommon):
    """A dossier's code carries the Center's day, whatever the creating user's time zone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "public_service_agent.group_psa_officer"
        cls.officer_utc = new_test_user(cls.env, login="t_officer_utc", groups=group, tz="UTC")
        cls.officer_hanoi = new_test_user(
            cls.env, login="t_officer_hanoi", groups=group, tz="Asia/Ho_Chi_Minh"
        )

    def _create_in_form(self, user):
        # The officer's path: the dossier form in the backend, saved.
        with Form(self.env["psa.dossier"].with_user(user)) as form:
            form.procedure_id = self.procedure
            form.citizen_id = self.citizen
            form.agent_id = self.agent_a
        return form.save()

    def test_code_carries_the_center_day_for_a_utc_and_a_hanoi_user(self):
        # 23:30 UTC on 7/12 is 06:30 on 8/12 in Hanoi; 17:30 UTC is 00:30 on 8/12 in Hanoi.
        for moment in ("2026-12-07 23:30:00", "2026-12-07 17:30:00"):
            with freeze_time(moment):
                for user in (self.officer_utc, self.officer_hanoi):
                    with self.subTest(moment=moment, tz=user.tz):
                        dossier = self._create_in_form(user)
                        self.assertRegex(dossier.name, r"-261208-\d{4}$")

    def test_center_today_is_hanoi_day_for_every_caller(self):
        with freeze_time("2026-12-07 17:30:00"):  # 00:30 on 8/12 in Hanoi
            for user in (self.officer_utc, self.officer_hanoi):
                Dossier = self.env["psa.dossier"].with_user(user)
                self.assertEqual(Dossier._center_today(), fields.Date.to_date("2026-12-08"))


@tagged("psa_clock", "post_install", "-at_install")
class TestPsaDemoAtThisHour(TransactionCase):
    """The demo install replayed now, on the real clock, as it runs at whatever hour.

    Not frozen on purpose: ``make test`` reruns this class under libfaketime at the hours
    where the Center's day and UTC's differ (tools/test.sh), which is what it checks.
    """

    def test_demo_due_today_is_due_on_the_center_day(self):
        dossiers = replay_demo_history(self.env)
        now = fields.Datetime.now()
        center_today = datetime.now(HANOI).date()
        self.assertEqual(self.env["psa.dossier"]._center_today(), center_today)
        due_today = self.env.ref("public_service_agent.dossier_processing")
        late = self.env.ref("public_service_agent.dossier_overdue")
        due_local = pytz.utc.localize(due_today.date_due).astimezone(HANOI)
        # Due today, or on the next working day when today is a day off (a Sunday, Tết).
        calendar = self.env["psa.dossier"]._center_calendar()
        day = center_today
        while day < due_local.date():
            start = HANOI.localize(datetime.combine(day, datetime.min.time()))
            work = calendar._work_intervals_batch(start, start + timedelta(days=1))[False]
            self.assertFalse(work, f"{day} is a working day before the 'due today' dossier's")
            day += timedelta(days=1)
        self.assertEqual(due_local.date(), day, "the demo's 'due today' dossier")
        expected = late | (due_today if due_today.date_due < now else due_today.browse())
        self.assertEqual(dossiers.filtered("is_overdue"), expected)
        for dossier in dossiers.filtered("date_received"):
            with self.subTest(dossier=dossier.name):
                received = pytz.utc.localize(dossier.date_received).astimezone(HANOI)
                self.assertLessEqual(received.date(), center_today)
                self.assertIn(f"-{received:%y%m%d}-", dossier.name)
                self.assertLessEqual(dossier.date_received, now)


@tagged("psa_clock", "post_install", "-at_install")
class TestPsaTrackingAtThisHour(HttpCase):
    """/tracking shows the demo's 'due today' dossier due at the close of the Center's day,
    in Hanoi time, on the real clock (shifted by ``make test``'s clock matrix)."""

    def test_tracking_shows_the_due_time_in_hanoi(self):
        replay_demo_history(self.env)
        dossier = self.env.ref("public_service_agent.dossier_processing")
        page = self.url_open("/tracking")
        token = re.search(r'csrf_token(?:" value=|: )"([^"]+)"', page.text).group(1)
        digits = re.sub(r"\D", "", dossier.citizen_id.phone)[-4:]
        response = self.url_open(
            "/tracking", data={"csrf_token": token, "code": dossier.name, "phone_digits": digits}
        )
        self.assertEqual(response.status_code, 200)
        due = html.fromstring(response.content).xpath("//dd[contains(@class, 'o_psa_date_due')]")
        self.assertTrue(due, "the due date is shown")
        text = due[0].text_content()
        local = pytz.utc.localize(dossier.date_due).astimezone(HANOI)
        self.assertIn(f"{local:%H:%M}", text)
        self.assertTrue(
            f"{local:%d/%m/%Y}" in text or f"{local:%m/%d/%Y}" in text,
            f"{text!r} is not the Center's day {local:%d/%m/%Y}",
        )
