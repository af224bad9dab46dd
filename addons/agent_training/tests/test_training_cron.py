from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.public_service_agent.tools import center_env

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingCron(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-01-10"):
            # Agent A: a1 and a2 certified; a2's first course expires on 2026-04-01.
            cls.certs_a1 = cls._certify(cls.staff_a1)
            cls.expiring = cls._certify(cls.staff_a2, cls.courses[0], date_issued="2024-04-01")
            cls._certify(cls.staff_a2, cls.courses[1:])
            cls._tick_all(cls.agent_a)
            cls._to_ready(cls.agent_a).action_activate()
            # Agent B: the same, plus a third certified staff member for that course.
            cls.staff_b2 = cls._new_staff("tt_staff_b2", cls.agent_b, "Phạm Quốc Bảo")
            cls.staff_b3 = cls._new_staff("tt_staff_b3", cls.agent_b, "Vũ Thị Mai")
            cls._certify(cls.staff_b1)
            cls.expiring_b = cls._certify(cls.staff_b2, cls.courses[0], date_issued="2024-04-01")
            cls._certify(cls.staff_b2, cls.courses[1:])
            cls._certify(cls.staff_b3, cls.courses[0])
            cls._tick_all(cls.agent_b)
            cls._to_ready(cls.agent_b).action_activate()
        cls.Certificate = cls.env["training.certificate"]

    def test_warning_30_days_before_expiry(self):
        with freeze_time("2026-03-01"):
            self.Certificate._cron_daily()
            self.assertEqual(self.expiring.state, "valid")
        with freeze_time("2026-03-02"):
            self.Certificate._cron_daily()
        self.assertEqual(self.expiring.state, "expiring")
        activity = self.expiring.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.trainer)
        self.assertEqual(str(activity.date_deadline), "2026-04-01")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "training.certificate"), ("res_id", "=", self.expiring.id)])
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.staff_a2.partner_id | self.trainer.partner_id)
        self.assertIn("2026", mail.subject)
        # The warning goes out once, not every day.
        with freeze_time("2026-03-03"):
            self.Certificate._cron_daily()
        self.assertEqual(len(self.expiring.activity_ids), 1)
        self.assertEqual(
            self.env["mail.mail"]
            .sudo()
            .search_count(
                [("model", "=", "training.certificate"), ("res_id", "=", self.expiring.id)]
            ),
            1,
        )

    def test_expiry_suspends_open_agents_below_the_minimum(self):
        with freeze_time("2026-04-01"):
            self.Certificate._cron_daily()
        self.assertEqual(self.expiring.state, "expired")
        self.assertEqual(self.expiring_b.state, "expired")
        self.assertTrue(all(c.state == "valid" for c in self.certs_a1))
        # A fell to 1 certified staff for the course: suspended, with a tracked reason.
        self.assertEqual(self.agent_a.state, "suspended")
        self.assertIn(self.courses[0].name, self.agent_a.state_reason)
        # Written by the cron in the Center's language (Vietnamese where it is installed).
        self.assertIn(
            center_env(self.env)._(
                "Course %(course)s: %(certified)s of %(required)s required staff certified.",
                course=self.courses[0].name,
                certified=1,
                required=2,
            ),
            self.agent_a.state_reason,
        )
        tracking = self.agent_a.message_ids.tracking_value_ids
        labels = dict(self.agent_a._fields["state"]._description_selection(center_env(self.env)))
        state_tracking = tracking.filtered(
            lambda t: t.field_id.name == "state" and t.new_value_char == labels["suspended"]
        )
        self.assertEqual(state_tracking.old_value_char, labels["active"])
        self.assertEqual(state_tracking.new_value_char, labels["suspended"])
        reason_tracking = tracking.filtered(
            lambda t: t.field_id.name == "state_reason" and t.new_value_text
        )
        self.assertEqual(reason_tracking.new_value_text, self.agent_a.state_reason)
        # B keeps two certified staff: it stays open.
        self.assertEqual(self.agent_b.state, "active")
        # The officers hear about it in one e-mail.
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.officer.partner_id.ids)])
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.agent_a.name, mail.body_html)
        self.assertNotIn(self.agent_b.name, mail.body_html)

    def test_cron_does_not_suspend_never_compliant_agents_without_expiry(self):
        # An agent opened before the gate existed is reported, not suspended, until an
        # expiry actually happens there.
        legacy = self.env["psa.agent"].create({"name": "Legacy", "operator_id": self.operator.id})
        self.env.cr.execute("UPDATE psa_agent SET state = 'active' WHERE id = %s", [legacy.id])
        legacy.invalidate_recordset(["state"])
        with freeze_time("2026-03-02"):
            self.Certificate._cron_daily()
        self.assertEqual(legacy.state, "active")
        self.assertFalse(legacy.training_ready)

    def test_query_count_does_not_grow_with_records(self):
        """The cron costs no more queries for 6 agents losing staff than for 2.

        The first run (1 agent) warms the caches; every step of the cron is batched, so the
        count does not grow with the number of certificates, agents or events.
        """

        def build(count, day, warn_day):
            # Each agent has two certified staff: x's first certificate expires on `day`
            # (the agent falls below the minimum), y's last one enters the warning window.
            for index in range(count):
                agent = self.env["psa.agent"].create(
                    {"name": f"Q{day}-{index}", "operator_id": self.operator.id}
                )
                x = self._new_staff(f"q{day}x{index}", agent, f"Staff X {index}")
                y = self._new_staff(f"q{day}y{index}", agent, f"Staff Y {index}")
                self._certify(x, self.courses[0], date_issued=f"2024{day[4:]}")
                self._certify(x, self.courses[1:])
                self._certify(y, self.courses[:2])
                self._certify(y, self.courses[2], date_issued=f"2024{warn_day[4:]}")
                self._tick_all(agent)
                self._to_ready(agent).action_activate()

        new_test_user(
            self.env,
            login="q_officer2",
            groups="public_service_agent.group_psa_officer",
            email="officer2@example.com",
        )
        runs = [
            (1, "2026-05-01", "2026-05-20"),
            (2, "2026-06-05", "2026-06-24"),
            (6, "2026-07-10", "2026-07-29"),
        ]
        with freeze_time("2026-01-10"):
            for count, day, warn_day in runs:
                build(count, day, warn_day)
        counts = []
        for count, day, warn_day in runs:
            with freeze_time(day):
                self.env.flush_all()
                self.env.invalidate_all()
                if len(counts) < 2:
                    before = self.cr.sql_log_count
                    self.Certificate._cron_daily()
                    self.env.flush_all()
                    counts.append(self.cr.sql_log_count - before)
                else:
                    # 6 agents losing staff may not cost a query more than 2 did.
                    with self.assertQueryCount(counts[1]):
                        self.Certificate._cron_daily()
                agents = self.env["psa.agent"].search([("name", "=like", f"Q{day}-%")])
                self.assertEqual(len(agents), count)
                self.assertEqual(set(agents.mapped("state")), {"suspended"})
                warned = self.env["training.certificate"].search(
                    [("date_expiry", "=", warn_day), ("state", "=", "expiring")]
                )
                self.assertEqual(len(warned.activity_ids), count)
