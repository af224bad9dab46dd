import re

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPsaNoFreeSignup(HttpCase):
    """Portal users are invited by the Center (agent staff, operators' accountants): nobody
    opens an account alone at /web/signup."""

    def test_invitation_only(self):
        self.assertEqual(
            self.env["res.users"].sudo()._get_signup_invitation_scope(),
            "b2b",
        )

    @mute_logger("odoo.http", "werkzeug")
    def test_web_signup_creates_no_user(self):
        self.assertNotEqual(self.url_open("/web/signup").status_code, 200)
        # A real browser's post: the CSRF token of the public login page.
        token = CSRF_RE.search(self.url_open("/web/login").text).group(1)
        count = self.env["res.users"].with_context(active_test=False).search_count([])
        response = self.url_open(
            "/web/signup",
            data={
                "csrf_token": token,
                "login": "ke.gia.mao@example.com",
                "name": "Kẻ Giả Mạo",
                "password": "Matkhau!2026",
                "confirm_password": "Matkhau!2026",
            },
        )
        self.assertNotEqual(response.status_code, 500)
        self.assertEqual(
            self.env["res.users"].with_context(active_test=False).search_count([]), count
        )
        self.assertFalse(self.env["res.users"].search([("login", "=", "ke.gia.mao@example.com")]))
