"""Each role's main job, clicked in Chromium as the person does it (issue #15, item 4).

Every tour runs as a user holding that one role (or no login at all), on fixtures made
here, and ends on what the screen shows; the test then reads the database to check
that the click did what the screen says.
"""

from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from ..models.psa_dossier_evaluation import INDICATORS
from .common import PsaDossierCommon

# A Tuesday, 10:00 in Hanoi: a working hour of a working day, whatever day the suite runs.
NOW = "2026-03-03 03:00:00"


def ensure_vietnamese(env, modules):
    """The Center works in Vietnamese and the tours read its screens. The demo installs the
    language; without it, load it with the terms of the addons the tours show."""
    if not env["res.lang"]._lang_get("vi_VN"):
        env["res.lang"]._activate_lang("vi_VN")
        env["ir.module.module"].search([("name", "in", modules)])._update_translations(["vi_VN"])


class PsaTourCommon(PsaDossierCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env, ["public_service_agent"])

    @classmethod
    def _user(cls, login, group):
        return new_test_user(cls.env, login=login, groups=group, lang="vi_VN")


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPsaPhoneTours(PsaTourCommon):
    """Citizens and agent staff work on phones: a 390 x 844 touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_citizen_sends_the_contact_form_with_details(self):
        self.start_tour("/lien-he", "psa_citizen_contact_phone")
        ticket = self.env["psa.ticket"].search([("subject", "=", "Thu thêm phí khi nộp hồ sơ")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "web")
        self.assertEqual(ticket.category, "extra_fee")
        self.assertEqual(ticket.contact_name, "Phạm Thị Tour")
        self.assertEqual(ticket.contact_phone, "+84912000777")
        self.assertEqual(ticket.description, "Nhân viên đại lý thu thêm 50.000 đồng ngoài lệ phí.")
        self.assertNotEqual(ticket.name, "/")

    def test_citizen_tracks_a_returned_dossier_and_rates_it(self):
        dossier = self._return_result(self._fill(self._new_dossier()))
        self.assertFalse(dossier.evaluation_ids)
        # The QR code of the receipt (form 01) opens the tracking page with the code.
        self.start_tour(f"/tracking?code={dossier.name}", "psa_citizen_rates_dossier_phone")
        evaluation = dossier.sudo().evaluation_ids
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.comment, "Nhân viên nhiệt tình, nhưng phải chờ hơi lâu.")
        self.assertEqual(
            {name: evaluation[name] for name in INDICATORS},
            {name: "1" if name == "score_time" else "2" for name in INDICATORS},
        )
        self.assertEqual(evaluation.agent_id, self.agent_a)

    def test_agent_staff_file_a_dossier_with_scans(self):
        self.start_tour("/my/dossiers/new", "psa_staff_new_dossier_phone", login=self.staff_a.login)
        dossier = self.env["psa.dossier"].search([("citizen_id.psa_cccd", "=", "001190012345")])
        self.assertEqual(len(dossier), 1)
        self.assertEqual(dossier.agent_id, self.agent_a)
        self.assertEqual(dossier.staff_user_id, self.staff_a)
        self.assertEqual(dossier.status_code, 1)
        self.assertEqual(dossier.return_method, "agent")
        self.assertEqual(dossier.citizen_id.phone, "+84987654321")
        required = dossier.document_ids.filtered("required")
        self.assertEqual(len(required), 2)
        self.assertFalse(dossier.missing_document_count)
        self.assertEqual(set(required.mapped("state")), {"submitted"})
        self.assertTrue(all(required.mapped("file")))


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPsaBackendTours(PsaTourCommon):
    """Center officers and administrators, in the backend on a desktop screen."""

    def test_officer_takes_a_dossier_from_receipt_to_result_and_prints_form_01(self):
        officer = self._user("tour_officer", "public_service_agent.group_psa_officer")
        citizen = self.env["res.partner"]._psa_find_or_create_citizen(
            {"name": "Lê Thị Tour", "psa_cccd": "001190099999", "phone": "0987000111"}
        )
        dossier = self._fill(self._new_dossier(citizen_id=citizen.id))
        self.assertEqual(dossier.status_code, 1)
        # The tour fails unless the browser's download of form 01 answered HTTP 200.
        self.start_tour("/odoo", "psa_officer_receipt_to_result", login=officer.login)
        dossier.invalidate_recordset()
        self.assertEqual(dossier.status_code, 10)
        self.assertTrue(dossier.date_received)
        self.assertTrue(dossier.date_returned)
        self.assertTrue(dossier.sudo().evaluation_token)
        # Each status change is the officer's, in the chatter.
        self.assertIn(
            officer.partner_id,
            dossier.sudo().message_ids.filtered("tracking_value_ids").author_id,
        )
        # The form the officer printed, as the officer's session gets it.
        self.authenticate(officer.login, officer.login)
        response = self.url_open(
            f"/report/pdf/public_service_agent.report_psa_form01/{dossier.id}", timeout=60
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(dossier.name, response.text)

    def test_admin_suspends_an_agent_with_a_reason(self):
        admin = self._user("tour_admin", "public_service_agent.group_psa_admin")
        agent = self._open(
            self.env["psa.agent"].create(
                {"name": "Bưu điện Tour Suspend", "operator_id": self.operator_a.id}
            )
        )
        self.assertEqual(agent.state, "active")
        self.start_tour("/odoo", "psa_admin_suspend_agent", login=admin.login)
        agent.invalidate_recordset()
        self.assertEqual(agent.state, "suspended")
        self.assertEqual(agent.state_reason, "Thu phí ngoài quy định, chờ thanh tra.")
        self.assertEqual(self.agent_a.state, "active")
