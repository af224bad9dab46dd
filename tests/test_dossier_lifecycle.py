"""Cross-module scenario: one dossier from the agent's counter to the subsidy claim.

Runs with pytest-odoo against the database built by `make test` (all four addons with their demo
data; agent_training's launch gate is live, nothing is patched). Each step is taken by the user
who would take it, with mail tracking on, through the model methods the portal and backend
call; the citizen's evaluation goes over real HTTP. Everything is rolled back.
"""

import re
from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

CSRF_RE = re.compile(r'csrf_token(?:" value=|: )"([^"]+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("standard")
class TestDossierLifecycle(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.officer = new_test_user(
            env, login="life_officer", groups="public_service_agent.group_psa_officer"
        )
        cls.psa_admin = new_test_user(
            env, login="life_admin", groups="public_service_agent.group_psa_admin"
        )
        cls.trainer = new_test_user(
            env, login="life_trainer", groups="agent_training.group_training_trainer"
        )
        cls.finance = new_test_user(
            env, login="life_finance", groups="subsidy.group_subsidy_finance"
        )
        cls.operator = env["res.partner"].create(
            {"name": "Bưu điện thử nghiệm", "is_company": True, "is_psa_operator": True}
        )
        cls.carrier = env["postal.carrier"].create(
            {
                "name": "Chuyển phát thủ công",
                "carrier_type": "manual",
                "operator_id": cls.operator.id,
            }
        )
        # The subsidy this scenario expects, not the demo's (whose dates move with the calendar).
        env["subsidy.policy"].search([]).write({"active": False})
        cls.policy = env["subsidy.policy"].create(
            {
                "name": "NQ thử nghiệm",
                "date_start": "2020-01-01",
                "date_end": "2099-12-31",
                "rule": "fixed",
                "fixed_amount": 26000,
                "online_only": False,
                "currency_id": env.company.currency_id.id,
            }
        )
        cls.agent = env["psa.agent"].create(
            {"name": "Điểm BĐ Kim Mã", "operator_id": cls.operator.id}
        )
        cls.courses = env["training.course"].sudo()._mandatory_courses()
        minimum = env["training.course"].sudo()._min_certified_staff()
        cls.staff = [cls._new_staff(f"life_staff_{i}") for i in range(max(minimum, 1))]
        cls.newcomer = cls._new_staff("life_newcomer")
        cls.ward = env["psa.admin.unit"].search(
            [("level", "=", "ward"), ("is_legacy", "=", False)], limit=1
        )
        cls.procedure = env["psa.procedure"].create(
            {
                "code": "T.LIFE01",
                "name": "Cấp Phiếu lý lịch tư pháp số 1",
                "agency_name": "Sở Tư pháp",
                "agency_code": "000.00.05.H26",
                "processing_days": 5,
                "document_ids": [
                    (0, 0, {"name": "Tờ khai", "sequence": 1}),
                    (0, 0, {"name": "Bản chụp CCCD", "sequence": 2}),
                ],
            }
        )

    @classmethod
    def _new_staff(cls, login):
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        user.partner_id.parent_id = cls.agent.partner_id
        return user

    def _certify(self, users):
        return (
            self.env["training.certificate"]
            .sudo()
            .create(
                [
                    {"user_id": user.id, "course_id": course.id, "trainer_id": self.trainer.id}
                    for user in users
                    for course in self.courses
                ]
            )
        )

    def _open_agent(self):
        agent = self.agent.with_user(self.psa_admin)
        agent.write({"state": "training"})
        agent.write({"state": "ready"})
        # The launch gate: no certified staff and an empty checklist keep the agent closed.
        with self.assertRaisesRegex(ValidationError, "cannot open yet"):
            agent.write({"state": "active"})
        self._certify(self.staff)
        with self.assertRaisesRegex(ValidationError, "cannot open yet"):
            agent.write({"state": "active"})
        self.agent.launch_check_ids.with_user(self.officer).action_tick()
        agent.write({"state": "active"})
        self.assertEqual(self.agent.state, "active")

    def _file(self, user):
        docs = self.procedure.document_ids
        return (
            self.env["psa.dossier"]
            .with_user(user)
            ._psa_portal_file(
                {
                    "procedure_id": self.procedure.id,
                    "return_method": "post",
                    "street": "25 Kim Mã",
                    "ward_id": self.ward.id,
                },
                {
                    "name": "Phạm Thị Hoa",
                    "psa_cccd": "001186054321",
                    "phone": "0987654321",
                    "street": "25 Kim Mã",
                    "ward_id": self.ward.id,
                },
                {doc.id: (PDF, f"{doc.sequence}.pdf") for doc in docs},
            )
        )

    def test_counter_to_evaluation_kpis_and_subsidy(self):
        self.assertTrue(self.courses, "the demo data declares the mandatory courses")
        self._open_agent()
        clerk = self.staff[0]

        # Staff without a valid certificate for every mandatory course may not file.
        with self.assertRaisesRegex(ValidationError, "may not handle dossiers"):
            self._file(self.newcomer)

        dossier = self._file(clerk)
        self.assertEqual(dossier.agent_id, self.agent)
        self.assertEqual(dossier.staff_user_id, clerk)
        self.assertEqual(dossier.env.user, clerk)
        self.assertEqual(dossier.stage_id, self.env.ref("public_service_agent.stage_new"))
        # Staff file through this method only: the ORM write stays closed to them.
        with self.assertRaises(AccessError):
            dossier.with_user(clerk).write({"street": "1 Tràng Tiền"})

        # The Center receives it, rejects a scan and asks once for what is missing.
        by_officer = dossier.with_user(self.officer)
        by_officer.action_receive()
        self.assertTrue(by_officer.date_due)
        by_officer.document_ids[1].action_reject("Ảnh mờ, không đọc được số CCCD")
        by_officer.action_request_supplement()
        self.assertEqual(dossier.stage_id, self.env.ref("public_service_agent.stage_supplement"))
        self.assertIn("Ảnh mờ", dossier.supplement_request)

        # The clerk sends the new scan from the portal; the Center processes the dossier.
        slot = dossier.document_ids[1]
        dossier.with_user(clerk)._psa_portal_upload({slot.id: (PDF, "cccd-ro.pdf")})
        by_officer.action_start_processing()
        self.assertEqual(dossier.stage_id, self.env.ref("public_service_agent.stage_processing"))

        # An apology (form 04) moves the due date once.
        old_due = dossier.date_due
        by_officer.action_issue_apology(
            "Chờ xác minh của cơ quan công an", old_due + timedelta(days=3)
        )
        self.assertTrue(dossier.apology_issued)
        self.assertEqual(dossier.apology_previous_due, old_due)

        # Done: the result goes back by post, through the operator's carrier.
        by_officer.action_mark_done()
        delivery = dossier.postal_delivery_ids
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.carrier_id, self.carrier)
        self.assertEqual(delivery.recipient_street, "25 Kim Mã")
        delivery = delivery.with_user(self.officer)
        delivery.action_request()
        delivery.action_pick_up()
        delivery.action_out_for_delivery()
        delivery.action_deliver()
        self.assertEqual(delivery.state, "delivered")
        self.assertEqual(dossier.stage_id, self.env.ref("public_service_agent.stage_returned"))
        self.assertEqual(dossier.date_returned, delivery.date_delivered)
        self.assertTrue(dossier.is_on_time)

        # Every stage change was tracked, by the officer who made it (read in the chatter).
        self.env.cr.precommit.run()
        by_officer.invalidate_recordset()
        stage_changes = by_officer.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "stage_id"
        )
        self.assertGreaterEqual(len(stage_changes), 5)
        self.assertIn(self.officer.partner_id, stage_changes.mail_message_id.author_id)

        # The delivery produced the city's subsidy claim for the operator; finance reads it by
        # the delivery number and the dossier code, with the citizen masked.
        claim = (
            self.env["subsidy.claim"]
            .with_user(self.finance)
            .search([("delivery_ref", "=", delivery.name)])
        )
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.amount, 26000)
        self.assertEqual(claim.policy_id, self.policy)
        self.assertEqual(claim.operator_id, self.operator)
        self.assertEqual(claim.dossier_code, dossier.name)
        self.assertNotIn("Phạm Thị Hoa", claim.citizen_masked or "")
        self.assertEqual(claim.sudo().delivery_id, delivery)

        # The citizen evaluates over HTTP with the token of the returned result.
        token = dossier.sudo().evaluation_token
        self.assertTrue(token)
        url = f"/dossier/evaluate/{token}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("001186054321", page.text)
        scores = {
            "score_publicity": "2",
            "score_time": "2",
            "score_contacts": "2",
            "score_agencies": "2",
            "score_attitude": "2",
            "score_result": "2",
            "score_cost": "2",
            "score_feedback": "1",
            "score_online": "1",
        }
        response = self.url_open(
            url, data={"csrf_token": CSRF_RE.search(page.text).group(1), **scores}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_psa_evaluation_thanks", response.text)
        dossier.invalidate_recordset()
        evaluation = dossier.sudo().evaluation_ids
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.score_total, 16)

        # The agent's and the clerk's KPIs, as the officer reads them.
        self.env.invalidate_all()
        agent = self.agent.with_user(self.officer)
        self.assertEqual(agent.dossier_open_count, 0)
        self.assertEqual(agent.on_time_rate, 100.0)
        expected = round(evaluation.score_percent, 2)
        self.assertAlmostEqual(agent.satisfaction, expected, places=1)
        self.assertAlmostEqual(clerk.psa_satisfaction, expected, places=1)
        self.assertLess(expected, 100.0)
        self.assertGreater(expected, 80.0)
