from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoAgreesWithTheGate(TransactionCase):
    """The demo database shows the launch gate working: it must satisfy it.

    Runs on the demo data ``make test`` installs (dates relative to the install day).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phase_1 = cls.env.ref("public_service_agent.pilot_phase_1")
        cls.agents = cls.env["psa.agent"].search([("state", "!=", "closed")])
        cls.status = cls.agents._training_gate_status()

    def _report_readiness(self):
        lines = self.env["training.readiness.report"].search([("agent_id", "in", self.agents.ids)])
        readiness = {}
        for line in lines:
            readiness.setdefault(line.agent_id.id, set()).add(line.readiness)
        return readiness

    def test_report_and_gate_agree_for_every_agent(self):
        readiness = self._report_readiness()
        self.assertEqual(set(readiness), set(self.agents.ids), "one report line set per agent")
        for agent in self.agents:
            with self.subTest(agent=agent.code):
                gate_ready = not agent._training_blockers_from_status(self.status[agent.id])
                self.assertEqual(len(readiness[agent.id]), 1, "one verdict per agent")
                self.assertEqual(readiness[agent.id] == {"ready"}, gate_ready)
                self.assertEqual(agent.training_ready, gate_ready)
                # The gate that blocks activation says the same.
                self.assertEqual(not agent._get_activation_blockers(), gate_ready)

    def test_every_open_agent_passes_the_gate(self):
        active = self.agents.filtered(lambda a: a.state == "active")
        self.assertGreater(len(active), 20, "the demo opens phase 1")
        for agent in active:
            with self.subTest(agent=agent.code):
                self.assertFalse(agent._get_activation_blockers())

    def test_pilot_phase_counts_match_the_report(self):
        phases = self.agents.pilot_phase_id
        groups = {
            phase.id: (agents, ready)
            for phase, agents, ready in self.env["training.readiness.report"]._read_group(
                [("pilot_phase_id", "in", phases.ids)],
                ["pilot_phase_id"],
                ["agent_line:sum", "ready_agent:sum"],
            )
        }
        for phase in phases:
            with self.subTest(phase=phase.name):
                agents, ready = groups[phase.id]
                self.assertEqual(phase.training_ready_count, ready)
                self.assertEqual(
                    phase.training_ready_count + phase.training_not_ready_count, agents
                )
        # Phase 1 is open: all its agents are ready but the one the revocation suspended.
        suspended = self.env.ref("public_service_agent.agent_vnp_04")
        self.assertEqual(suspended.state, "suspended")
        self.assertEqual(self.phase_1.training_not_ready_count, 1)

    def test_report_states_are_translated(self):
        labels = dict(
            self.env["training.readiness.report"]
            .with_context(lang="vi_VN")
            ._fields["agent_state"]
            ._description_selection(self.env(context={"lang": "vi_VN"}))
        )
        english = dict(self.env["training.readiness.report"]._fields["agent_state"].selection)
        for key in ("active", "suspended"):
            self.assertNotEqual(labels[key], english[key])

    def test_per_course_counts_do_not_add_up_across_courses(self):
        """Grouped lines show the weakest course, and the pivot counts agents per course."""
        Report = self.env["training.readiness.report"]
        [(agents, required, covered, uncovered)] = Report._read_group(
            [("agent_id", "=", self.env.ref("public_service_agent.agent_vnp_04").id)],
            [],
            ["agent_line:sum", "required_count:max", "covered_agent:sum", "uncovered_agent:sum"],
        )
        courses = len(self.env["training.course"]._mandatory_courses())
        self.assertEqual(agents, 1)
        self.assertEqual(required, self.env["training.course"]._min_certified_staff())
        self.assertEqual(covered + uncovered, courses)
        self.assertEqual(uncovered, 1, "Đống Đa lost one course with the revocation")


@tagged("post_install", "-at_install")
class TestCertificateUsesTheBaseUrl(TransactionCase):
    def test_certificate_links_and_qr_follow_web_base_url(self):
        base = "https://dichvucong.example.gov.vn"
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", base)
        certificate = self.env.ref("agent_training.certificate_demo_01")
        self.assertTrue(certificate.verify_url.startswith(f"{base}/certificate/verify/"))
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "agent_training.action_report_training_certificate", certificate.ids
        )
        html = html.decode()
        self.assertIn(certificate.verify_url, html)
        self.assertNotIn("127.0.0.1", html)
        # The issuing authority above the Center, and the signer under "GIÁM ĐỐC".
        self.assertIn("Trần Quang Huy", html)
