from lxml import html

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
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
        page, cards = self._cards("staff.mydinh")
        # Mỹ Đình (demo): one dossier due today, one late, one result at its counter. Once
        # the working day is over, the one due today is no longer "due today"; it counts as
        # late when its flag was stored after its due time (the demo installed that late).
        due_today = self.env.ref("public_service_agent.dossier_processing")
        passed = due_today.date_due < fields.Datetime.now()
        self.assertEqual(cards["due_today"], 0 if passed else 1)
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
