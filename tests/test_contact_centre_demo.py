"""The contact centre as a new user finds it in the demo database (issue 11, "Done when").

Runs with pytest-odoo against the database built by `make test` (demo data installed).
"""

from odoo.tests import TransactionCase, tagged


@tagged("standard")
class TestContactCentreDemo(TransactionCase):
    def test_one_agent_with_a_broker_signal_and_its_evidence(self):
        agent = self.env.ref("public_service_agent.agent_vtp_02")
        officer = self.env.ref("public_service_agent.user_officer")
        signals = (
            self.env["psa.quality.signal"]
            .with_user(officer)
            .search([("agent_id", "=", agent.id), ("signal_type", "=", "shared_contact")])
        )
        self.assertEqual(len(signals), 1)
        evidence = signals.dossier_ids
        self.assertEqual(
            evidence,
            self.env.ref("public_service_agent.dossier_broker_1")
            | self.env.ref("public_service_agent.dossier_broker_2")
            | self.env.ref("public_service_agent.dossier_broker_3"),
        )
        self.assertEqual(len(evidence.citizen_id), 3)
        fee = self.env["psa.quality.signal"].search(
            [("agent_id", "=", agent.id), ("signal_type", "=", "fee_complaint")]
        )
        self.assertEqual(fee.ticket_ids, self.env.ref("public_service_agent.ticket_fee_complaint"))
        self.assertGreater(agent.with_user(officer).risk_score, 0)
        self.assertEqual(agent.state, "active", "nothing is punished automatically")

    def test_demo_tickets_are_matched(self):
        fee = self.env.ref("public_service_agent.ticket_fee_complaint")
        self.assertEqual(fee.ticket_type, "complaint")
        self.assertEqual(fee.agent_id, self.env.ref("public_service_agent.agent_vtp_02"))
        self.assertEqual(fee.citizen_id, self.env.ref("public_service_agent.citizen_broker_1"))
        self.assertTrue(fee.date_deadline)
        inquiry = self.env.ref("public_service_agent.ticket_hotline_inquiry")
        self.assertEqual(inquiry.call_ids.external_id, "VCS-DEMO-0001")
