from lxml import html

from odoo import fields
from odoo.tests import HttpCase, tagged

from .demo_clock import replay_demo_history


@tagged("psa_clock", "post_install", "-at_install")
class TestPortalHome(HttpCase):
    """/my opens on the agent's work of the day, read with the staff member's rights."""

    def _cards(self, login):
        self.authenticate(login, login)
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.content)
        cards = {
            card.get("data-key"): int(card.get("data-count"))
            for card in page.xpath("//a[contains(@class, 'o_psa_today_card')]")
        }
        return page, cards

    def test_staff_see_today_and_no_invoices(self):
        # The demo's dossiers dated from now, whatever the clock (make test shifts it).
        replay_demo_history(self.env)
        page, cards = self._cards("staff.mydinh")
        # Mỹ Đình (demo): one dossier due today, one late, one result at its counter. Once
        # the working day is over, the one due today is no longer "due today" but late; on a
        # day off (Sunday, Tết) it is due on the next working day, so not today either.
        Dossier = self.env["psa.dossier"]
        due_today = self.env.ref("public_service_agent.dossier_processing")
        now = fields.Datetime.now()
        due_now = Dossier._center_today(due_today.date_due) == Dossier._center_today()
        self.assertEqual(cards["due_today"], 1 if due_now and now < due_today.date_due else 0)
        self.assertEqual(due_today.is_overdue, due_today.date_due < now)
        self.assertEqual(cards["overdue"], 2 if due_today.is_overdue else 1)
        self.assertEqual(cards["at_counter"], 1)
        self.assertEqual(cards["supplement"], 0)
        self.assertIn("certificates_expiring", cards)
        # No "Your invoices" tile (account's alert for overdue invoices stays hidden at 0).
        self.assertFalse(page.xpath("//a[@href='/my/invoices?filterby=invoices']"))
        # Another agent's staff count their own agent's dossiers only.
        _page, cards = self._cards("staff.hoankiem")
        self.assertEqual(cards["supplement"], 1)
        self.assertEqual(cards["due_today"], 0)
        self.assertEqual(cards["certificates_expiring"], 1)

    def test_officers_have_no_agent_home(self):
        page, cards = self._cards("officer")
        self.assertEqual(cards, {})
        self.assertFalse(page.xpath("//section[contains(@class, 'o_psa_today')]"))
