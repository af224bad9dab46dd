from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02")
class TestLaunchGate(TrainingCommon):
    def _make_compliant(self, agent, *staff):
        for user in staff:
            self._certify(user)
        self._tick_all(agent)

    def _ready(self, agent):
        agent.invalidate_recordset(["training_ready", "training_blocker_text"])
        return agent.training_ready

    def test_blockers_list_what_is_missing(self):
        self._certify(self.staff_a1)
        self._tick_all(self.agent_a, skip=("scanner", "signage"))
        blockers = self.agent_a._get_activation_blockers()
        self.assertEqual(len(blockers), 4)
        for course in self.courses:
            self.assertTrue(any(course.name in b and "1 of 2" in b for b in blockers))
        checklist = [b for b in blockers if "checklist" in b]
        self.assertEqual(len(checklist), 1)
        self.assertIn("Scanner", checklist[0])
        self.assertIn("Signage", checklist[0])
        self.assertNotIn("Printer", checklist[0])

    def test_button_refuses_and_lists_reasons(self):
        self._to_ready(self.agent_a)
        with self.assertRaises(ValidationError) as caught:
            self.agent_a.with_user(self.psa_admin).action_activate()
        message = str(caught.exception)
        self.assertIn("cannot open yet", message)
        self.assertIn("0 of 2", message)
        self.assertIn("Launch checklist not ticked", message)
        self.assertEqual(self.agent_a.state, "ready")

    def test_write_and_privileged_rpc_obey_the_gate(self):
        self._to_ready(self.agent_a)
        for env_agent in (
            self.agent_a,
            self.agent_a.with_user(self.psa_admin),
            self.agent_a.with_user(self.env.ref("base.user_admin")),
            self.agent_a.sudo(),
        ):
            with self.assertRaisesRegex(ValidationError, "cannot open yet"):
                env_agent.write({"state": "active"})
        self.assertEqual(self.agent_a.state, "ready")

    def test_reopening_a_suspended_agent_is_gated_too(self):
        self._make_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        # The Center's administrator opens and suspends agents; an officer keeps the checklist.
        agent = self._to_ready(self.agent_a).with_user(self.psa_admin)
        agent.action_activate()
        agent.write({"state": "suspended", "state_reason": "Audit"})
        self.agent_a.launch_check_ids.filtered(lambda c: c.item == "printer").with_user(
            self.officer
        ).action_untick()
        with self.assertRaisesRegex(ValidationError, "Printer"):
            agent.action_activate()
        self.assertEqual(agent.state, "suspended")

    def test_import_obeys_the_gate(self):
        self._to_ready(self.agent_a)
        xmlid = self.agent_a._export_rows([["id"]])[0][0]
        result = (
            self.env["psa.agent"]
            .with_user(self.psa_admin)
            .load(["id", "state"], [[xmlid, "active"]])
        )
        self.assertFalse(result["ids"])
        self.assertTrue(any("cannot open yet" in m["message"] for m in result["messages"]))
        self.assertEqual(self.agent_a.state, "ready")
        result = (
            self.env["psa.agent"]
            .with_user(self.psa_admin)
            .load(
                ["name", "operator_id/id", "state"],
                [["Imported Agent", self.operator._export_rows([["id"]])[0][0], "active"]],
            )
        )
        # Either refused or created as a draft: never an open agent.
        imported = self.env["psa.agent"].search([("name", "=", "Imported Agent")])
        self.assertFalse(imported.filtered(lambda a: a.state == "active"))

    def test_compliant_agent_opens(self):
        self._make_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        self.assertTrue(self._ready(self.agent_a))
        self._to_ready(self.agent_a).with_user(self.psa_admin).action_activate()
        self.assertEqual(self.agent_a.state, "active")

    def test_expired_revoked_and_archived_staff_do_not_count(self):
        self._tick_all(self.agent_a)
        self._certify(self.staff_a1)
        self._certify(self.staff_a2, date_issued="2024-01-01")  # expired
        self.assertFalse(self._ready(self.agent_a))
        self._certify(self.staff_a3)._revoke("Fraud")
        self.assertFalse(self._ready(self.agent_a))
        self._certify(self.staff_a3)
        self.assertTrue(self._ready(self.agent_a))
        self.staff_a3.active = False
        self.assertFalse(self._ready(self.agent_a))

    def test_minimum_is_a_setting(self):
        self._make_compliant(self.agent_a, self.staff_a1)
        self.assertFalse(self._ready(self.agent_a))
        settings = self.env["res.config.settings"].create({"training_min_certified_staff": 1})
        settings.execute()
        self.assertTrue(self._ready(self.agent_a))
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"training_min_certified_staff": 0})

    def test_team_lead_course_needs_a_certified_team_lead(self):
        self._make_compliant(self.agent_a, self.staff_a1, self.staff_a2)
        lead_course = self.env["training.course"].create(
            {"code": "LEAD", "name": "Counter leadership", "mandatory_for": "lead"}
        )
        self._certify(self.staff_a1, lead_course)
        blockers = self.agent_a._get_activation_blockers()
        self.assertEqual(len(blockers), 1)
        self.assertIn("team lead", blockers[0])
        self.staff_a1.partner_id.training_team_lead = True
        self.assertFalse(self.agent_a._get_activation_blockers())

    def test_checklist_is_ticked_by_an_officer_with_a_date(self):
        check = self.agent_a.launch_check_ids.filtered(lambda c: c.item == "premises")
        self.assertEqual(len(self.agent_a.launch_check_ids), 6)
        check.with_user(self.officer).write({"done": True, "date_checked": "2026-02-20"})
        self.assertEqual(check.checked_by_id, self.officer)
        self.assertEqual(str(check.date_checked), "2026-02-20")
        with self.assertRaisesRegex(ValidationError, "automatically"):
            check.with_user(self.officer).write({"checked_by_id": self.psa_admin.id})
        with self.assertRaisesRegex(ValidationError, "future"):
            check.with_user(self.officer).write({"date_checked": "2026-04-01"})
        check.with_user(self.officer).action_untick()
        self.assertFalse(check.checked_by_id)
        self.assertFalse(check.date_checked)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_only_officers_tick(self):
        check = self.agent_a.launch_check_ids[:1]
        for user in (self.trainer, self.manager, self.staff_a1):
            with self.assertRaises(AccessError):
                check.with_user(user).action_tick()
        self.assertFalse(check.done)

    def test_staff_without_certificates_cannot_handle_dossiers(self):
        self.assertEqual(len(self.staff_a1._psa_dossier_blockers()), 3)
        with self.assertRaisesRegex(ValidationError, "may not handle dossiers"):
            self.staff_a1._psa_check_can_handle_dossiers()
        self._certify(self.staff_a1, self.courses[:2])
        blockers = self.staff_a1._psa_dossier_blockers()
        self.assertEqual(len(blockers), 1)
        self.assertIn(self.courses[2].name, blockers[0])
        self._certify(self.staff_a1, self.courses[2])
        self.assertFalse(self.staff_a1._psa_dossier_blockers())
        self.staff_a1._psa_check_can_handle_dossiers()
        # Center officers are not agent staff: the training rule does not apply to them.
        self.assertFalse(self.officer._psa_dossier_blockers())

    def test_new_agents_get_a_checklist(self):
        agent = self.env["psa.agent"].create({"name": "New", "operator_id": self.operator.id})
        self.assertEqual(
            set(agent.launch_check_ids.mapped("item")),
            {"premises", "computer", "scanner", "printer", "signature_pad", "signage"},
        )
        agent.launch_check_ids.unlink()
        agent._training_ensure_launch_checks()
        self.assertEqual(len(agent.launch_check_ids), 6)
