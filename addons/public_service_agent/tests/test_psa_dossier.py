from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from odoo.addons.public_service_agent.models.psa_dossier_evaluation import INDICATORS

from .common import PsaDossierCommon


@tagged("post_install", "-at_install")
class TestPsaDossier(PsaDossierCommon):
    def test_code_national_format_numbered_per_day(self):
        with freeze_time("2026-03-02 03:00:00"):
            dossiers = self.env["psa.dossier"].create(
                [
                    {
                        "procedure_id": self.procedure.id,
                        "citizen_id": self.citizen.id,
                        "agent_id": self.agent_a.id,
                    }
                    for _ in range(3)
                ]
            )
        codes = dossiers.mapped("name")
        for code in codes:
            self.assertRegex(code, r"^000\.00\.05\.H26-260302-\d{4}$")
        numbers = [int(c[-4:]) for c in codes]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))
        with freeze_time("2026-03-03 03:00:00"):
            next_day = self._new_dossier()
        self.assertTrue(next_day.name.endswith("-260303-0001"), next_day.name)

    def test_document_slots_from_procedure(self):
        dossier = self._new_dossier()
        self.assertEqual(
            dossier.document_ids.mapped("name"), ["Tờ khai", "Bản chụp CCCD", "Giấy ủy quyền"]
        )
        self.assertEqual(dossier.missing_document_count, 2)
        self._fill(dossier)
        self.assertEqual(
            set(dossier.document_ids.filtered("required").mapped("state")), {"submitted"}
        )
        self.assertEqual(dossier.missing_document_count, 0)

    def test_cannot_receive_with_missing_documents(self):
        dossier = self._new_dossier()
        with self.assertRaisesRegex(ValidationError, "Tờ khai, Bản chụp CCCD"):
            dossier.action_receive()
        self.assertEqual(dossier.status_code, 1)
        self._fill(dossier).action_receive()
        self.assertEqual(dossier.status_code, 2)

    def test_forbidden_transition_refused_for_every_caller(self):
        dossier = self._fill(self._new_dossier())
        for env in (self.env, self.env(user=self.officer)):
            with self.assertRaisesRegex(ValidationError, "cannot go from"):
                dossier.with_env(env).write({"stage_id": self.stage[10].id})
        self.assertEqual(dossier.status_code, 1)

    def test_closed_dossier_is_read_only(self):
        dossier = self._return_result(self._fill(self._new_dossier()))
        self.assertTrue(dossier.is_closed)
        with self.assertRaises(UserError):
            dossier.write({"note": "late edit"})
        with self.assertRaises(UserError):
            dossier.write({"stage_id": self.stage[4].id})
        with self.assertRaises(UserError):
            dossier.document_ids[0].write({"state": "rejected", "reject_reason": "x"})
        dossier.message_post(body="Still possible to talk about it")

    def test_refusal_needs_reason(self):
        dossier = self._new_dossier()
        with self.assertRaises(ValidationError):
            dossier.action_refuse("  ")
        dossier.action_refuse("Hồ sơ không thuộc thẩm quyền")
        self.assertEqual(dossier.status_code, 3)
        self.assertEqual(dossier.refusal_reason, "Hồ sơ không thuộc thẩm quyền")

    def test_agent_must_be_open(self):
        self.agent_b.with_user(self.admin_user).write(
            {"state": "suspended", "state_reason": "Inspection"}
        )
        with self.assertRaisesRegex(ValidationError, "not open"):
            self._new_dossier(agent=self.agent_b)

    def test_supplement_request_lists_everything_once(self):
        dossier = self._fill(self._new_dossier())
        dossier.action_receive()
        dossier.document_ids[0].action_reject("Thiếu chữ ký")
        dossier.document_ids[1].action_reject("Ảnh mờ")
        dossier.action_request_supplement("Bổ sung giấy ủy quyền")
        self.assertEqual(dossier.status_code, 5)
        self.assertIn("Tờ khai: Thiếu chữ ký", dossier.supplement_request)
        self.assertIn("Bản chụp CCCD: Ảnh mờ", dossier.supplement_request)
        self.assertIn("Bổ sung giấy ủy quyền", dossier.supplement_request)
        requests = dossier.message_ids.filtered(lambda m: "Ảnh mờ" in (m.body or ""))
        self.assertEqual(len(requests), 1)
        self.assertIn(self.citizen, requests.partner_ids)
        with self.assertRaisesRegex(ValidationError, "lacks required documents"):
            dossier.action_start_processing()
        self._fill(dossier).action_start_processing()
        self.assertEqual(dossier.status_code, 4)

    def test_rejecting_needs_a_reason(self):
        dossier = self._new_dossier()
        with self.assertRaisesRegex(ValidationError, "why"):
            dossier.document_ids[0].action_reject()

    def test_evaluation_scores_roll_up(self):
        dossier = self._return_result(self._fill(self._new_dossier()))
        self.assertTrue(dossier.evaluation_token)
        self.assertTrue(dossier.evaluation_sent)
        # The link is for the citizen alone: never in the dossier's messages.
        link = dossier.message_ids.filtered(lambda m: dossier.evaluation_token in (m.body or ""))
        self.assertFalse(link)
        scores = dict.fromkeys(INDICATORS, "2")
        scores["score_attitude"] = "0"
        evaluation = self.env["psa.dossier.evaluation"].create({"dossier_id": dossier.id, **scores})
        self.assertEqual(evaluation.score_total, 16)
        self.assertAlmostEqual(evaluation.score_percent, 88.9)
        self.assertEqual(evaluation.agent_id, self.agent_a)
        self.assertAlmostEqual(dossier.satisfaction, 88.9)


@tagged("post_install", "-at_install")
class TestPsaCitizen(PsaDossierCommon):
    def test_bad_cccd_refused_with_clear_message(self):
        Partner = self.env["res.partner"]
        for bad, reason in (
            ("12345", "12 digits"),
            ("00108501234x", "12 digits"),
            ("003085012345", "province code"),
            ("001385012345", "future"),
        ):
            with self.assertRaisesRegex(ValidationError, reason):
                Partner._psa_find_or_create_citizen({"name": "X", "psa_cccd": bad})

    def test_phone_stored_as_e164_and_bad_phone_refused(self):
        Partner = self.env["res.partner"]
        self.assertEqual(self.citizen.phone, "+84912345678")
        for raw, expected in (
            ("024 3825 6789", "+842438256789"),
            ("+84 86 811 1222", "+84868111222"),
            ("84-779-246-810", "+84779246810"),
        ):
            self.assertEqual(Partner._psa_normalize_phone(raw), expected)
        for bad in ("0123456789", "091234567", "+1 202 555 0100", "hotline"):
            with self.assertRaisesRegex(ValidationError, "not a Vietnamese phone number"):
                Partner._psa_normalize_phone(bad)
        with self.assertRaises(ValidationError):
            self.citizen.write({"phone": "12345"})

    def test_returning_citizen_is_matched_not_duplicated(self):
        again = self.env["res.partner"]._psa_find_or_create_citizen(
            {"name": "Nguyen Van An", "psa_cccd": " 001085012345 ", "phone": "0987654321"}
        )
        self.assertEqual(again, self.citizen)
        # What is typed for a known citizen never overwrites the record.
        self.assertEqual(self.citizen.phone, "+84912345678")
        self.assertEqual(self.citizen.name, "Nguyễn Văn An")
        self.assertEqual(
            self.env["res.partner"].search_count([("psa_cccd", "=", "001085012345")]), 1
        )


@tagged("post_install", "-at_install")
class TestPsaDeadlines(PsaDossierCommon):
    """Center calendar: Mon-Fri 8-12, 13-17 Hanoi time (UTC+7), public holidays as leaves."""

    def _receive_at(self, utc, days):
        self.procedure.processing_days = days
        with freeze_time(utc):
            dossier = self._fill(self._new_dossier())
            dossier.action_receive()
        return dossier

    def test_due_date_skips_weekend(self):
        # Thursday 5/3/2026 09:00 -> Fri (1), Mon 9/3 (2) at 17:00 Hanoi.
        dossier = self._receive_at("2026-03-05 02:00:00", 2)
        self.assertEqual(fields.Datetime.to_string(dossier.date_due), "2026-03-09 10:00:00")
        self.assertEqual(fields.Datetime.to_string(dossier.date_warning), "2026-03-06 10:00:00")

    def test_due_date_skips_tet(self):
        # Friday 13/2/2026, Tết holiday 14-22/2: 3 working days end on Wed 25/2.
        dossier = self._receive_at("2026-02-13 03:00:00", 3)
        self.assertEqual(fields.Datetime.to_string(dossier.date_due), "2026-02-25 10:00:00")

    def test_supplement_pause_restarts_the_clock(self):
        dossier = self._receive_at("2026-03-02 02:00:00", 5)  # Mon -> due Mon 9/3
        self.assertEqual(fields.Datetime.to_string(dossier.date_due), "2026-03-09 10:00:00")
        with freeze_time("2026-03-04 03:00:00"):
            dossier.document_ids[0].action_reject("Sai mẫu")
            dossier.action_request_supplement()
        self.assertTrue(dossier.date_paused)
        with freeze_time("2026-03-10 07:00:00"):  # Tue 14:00: complete again
            self._fill(dossier).action_start_processing()
        self.assertFalse(dossier.date_paused)
        self.assertEqual(fields.Datetime.to_string(dossier.date_due), "2026-03-17 10:00:00")

    def test_overdue_flag_by_cron_and_search(self):
        dossier = self._receive_at("2026-03-05 02:00:00", 2)
        with freeze_time("2026-03-09 09:00:00"):  # Mon 16:00: due soon
            self.env["psa.dossier"]._cron_refresh_overdue()
            self.assertFalse(dossier.is_overdue)
            dossier.invalidate_recordset(["kanban_state"])
            self.assertEqual(dossier.kanban_state, "warning")
        with freeze_time("2026-03-10 02:00:00"):
            self.env["psa.dossier"]._cron_refresh_overdue()
            self.assertTrue(dossier.is_overdue)
            self.assertIn(dossier, self.env["psa.dossier"].search([("is_overdue", "=", True)]))
            dossier.invalidate_recordset(["kanban_state"])
            self.assertEqual(dossier.kanban_state, "late")
            dossier.action_start_processing()
            dossier.action_mark_done()
        self.assertFalse(dossier.is_on_time)
        self.assertEqual(dossier.on_time_percent, 0.0)
        self.assertTrue(dossier.is_overdue)

    def test_apology_once_and_in_time(self):
        dossier = self._receive_at("2026-03-02 02:00:00", 5)  # due Mon 9/3 17:00
        with freeze_time("2026-03-05 03:00:00"):
            with self.assertRaisesRegex(ValidationError, "after the current due date"):
                dossier.action_issue_apology("Chờ xác minh", "2026-03-06 10:00:00")
            dossier.action_issue_apology("Chờ xác minh của cơ quan công an", "2026-03-13 10:00:00")
        self.assertTrue(dossier.apology_issued)
        self.assertEqual(fields.Datetime.to_string(dossier.date_due), "2026-03-13 10:00:00")
        self.assertEqual(
            fields.Datetime.to_string(dossier.apology_previous_due), "2026-03-09 10:00:00"
        )
        notice = dossier.message_ids.filtered(lambda m: "apologise" in (m.body or ""))
        self.assertIn(self.citizen, notice.partner_ids)
        with freeze_time("2026-03-06 03:00:00"), self.assertRaisesRegex(ValidationError, "already"):
            dossier.action_issue_apology("again", "2026-03-20 10:00:00")

    def test_late_apology_refused(self):
        dossier = self._receive_at("2026-03-02 02:00:00", 5)  # due Mon 9/3 17:00
        with (
            freeze_time("2026-03-09 02:00:00"),
            self.assertRaisesRegex(ValidationError, "at least one working day"),
        ):
            dossier.action_issue_apology("Quá tải", "2026-03-12 10:00:00")
        self.assertFalse(dossier.apology_issued)

    def test_processing_days_measured_in_working_days(self):
        dossier = self._receive_at("2026-03-05 02:00:00", 2)
        with freeze_time("2026-03-09 03:00:00"):
            dossier.action_start_processing()
            dossier.action_mark_done()
        self.assertTrue(dossier.is_on_time)
        self.assertEqual(dossier.on_time_percent, 100.0)
        # Thu 09:00-17:00 (7 of 8 hours), Fri (8 of 8), Mon 08:00-10:00 (2 of 8): 2.125 days.
        self.assertAlmostEqual(dossier.processing_days, 2.125, delta=0.006)


@tagged("post_install", "-at_install")
class TestPsaAgentKpis(PsaDossierCommon):
    def _run_to_done(self, dossier, late=False):
        with freeze_time("2026-03-02 02:00:00"):
            self._fill(dossier).action_receive()
            dossier.action_start_processing()
        with freeze_time("2026-03-20 02:00:00" if late else "2026-03-03 02:00:00"):
            dossier.action_mark_done()
            dossier.action_return_result()
        return dossier

    def test_kpis_per_agent(self):
        on_time = self._run_to_done(self._new_dossier())
        late = self._run_to_done(self._new_dossier(), late=True)
        self.assertEqual(
            [(d.is_on_time, d.on_time_percent, bool(d.date_done)) for d in on_time | late],
            [(True, 100.0, True), (False, 0.0, True)],
        )
        self._new_dossier()  # still open
        self._new_dossier(agent=self.agent_b)
        scores = dict.fromkeys(INDICATORS, "1")
        self.env["psa.dossier.evaluation"].create({"dossier_id": on_time.id, **scores})
        agent = self.agent_a.with_user(self.officer)
        self.assertEqual(agent.dossier_open_count, 1)
        self.assertEqual(agent.on_time_rate, 50.0)
        [(rate,)] = self.env["psa.dossier"]._read_group(
            [("agent_id", "=", self.agent_a.id), ("date_done", "!=", False)],
            aggregates=["on_time_percent:avg"],
        )
        self.assertEqual(rate, 50.0)
        self.assertEqual(agent.satisfaction, 50.0)
        self.assertEqual(self.agent_b.dossier_open_count, 1)
        self.assertEqual(self.agent_b.satisfaction, 0.0)
        self.assertIn(("is_closed", "=", False), agent.action_view_open_dossiers()["domain"])

    def test_staff_satisfaction(self):
        dossier = self._run_to_done(self._new_dossier(staff_user_id=self.staff_a.id))
        scores = dict.fromkeys(INDICATORS, "2")
        self.env["psa.dossier.evaluation"].create({"dossier_id": dossier.id, **scores})
        self.assertEqual(self.staff_a.psa_satisfaction, 100.0)
        self.assertEqual(self.staff_b.psa_satisfaction, 0.0)

    def test_officer_grants_portal_access_to_agent_contacts(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Nhân viên mới",
                "email": "moi@example.vn",
                "parent_id": self.agent_a.partner_id.id,
            }
        )
        action = self.agent_a.with_user(self.officer).action_invite_staff()
        wizard = (
            self.env["portal.wizard"]
            .with_user(self.officer)
            .with_context(**action["context"])
            .create({})
        )
        line = wizard.user_ids.filtered(lambda u: u.partner_id == contact)
        line.action_grant_access()
        self.assertIn(contact, self.agent_a.staff_user_ids.partner_id)
