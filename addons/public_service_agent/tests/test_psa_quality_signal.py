from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import freeze_time
from odoo.tools import mute_logger

from .common import PsaDossierCommon


@tagged("psa_clock", "post_install", "-at_install")
class TestPsaQualitySignal(PsaDossierCommon):
    """Broker signals: each rule on small data, constant query count, officers' review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Signal = cls.env["psa.quality.signal"]
        cls.rules = {r.signal_type: r for r in cls.env["psa.quality.rule"].search([])}
        # Dossiers are created now, maybe at night: only the out-of-hours test counts them.
        cls.rules["out_of_hours"].threshold = 1000
        for kind in ("supplement_rate", "refusal_rate"):
            cls.rules[kind].write({"min_dossiers": 3, "threshold": 2})
        cls.citizens = cls.env["res.partner"].create(
            [
                {"name": f"Công dân {i}", "psa_cccd": f"0010850{i:05d}", "phone": "0977 111 222"}
                for i in range(1, 5)
            ]
        )

    def _signals(self, kind, agent=None):
        return self.Signal.search(
            [("signal_type", "=", kind), ("agent_id", "=", (agent or self.agent_a).id)]
        )

    def _dossiers(self, citizens, agent=None, **vals):
        return self.env["psa.dossier"].create(
            [
                {
                    "procedure_id": self.procedure.id,
                    "citizen_id": citizen.id,
                    "agent_id": (agent or self.agent_a).id,
                    "staff_user_id": (
                        self.staff_a if (agent or self.agent_a) == self.agent_a else self.staff_b
                    ).id,
                    **vals,
                }
                for citizen in citizens
            ]
        )

    def test_shared_phone_across_citizens(self):
        dossiers = self._dossiers(self.citizens[:2])
        self.Signal._cron_compute_signals()
        self.assertFalse(self._signals("shared_contact"), "two citizens may be a family")
        dossiers |= self._dossiers(self.citizens[2:3])
        self.Signal._cron_compute_signals()
        signal = self._signals("shared_contact")
        self.assertEqual(len(signal), 1)
        self.assertEqual(signal.count, 3)
        self.assertEqual(signal.dossier_ids, dossiers)
        self.assertEqual(signal.staff_user_id, self.staff_a)
        self.assertNotIn("111 222", signal.detail)
        self.assertNotIn("+84977111222", signal.detail)
        self.assertFalse(self._signals("shared_contact", self.agent_b))
        # Recomputing refreshes the same signal.
        self._dossiers(self.citizens[3:])
        self.Signal._cron_compute_signals()
        self.assertEqual(self._signals("shared_contact"), signal)
        self.assertEqual(signal.count, 4)

    def test_query_count_does_not_depend_on_the_number_of_dossiers(self):
        # A frozen clock moved one minute per run: on the real one, a run that straddles a
        # second boundary rewrites "last seen" (one more UPDATE) and one that does not, not.
        # Frozen at the database's own moment, as the dossiers' create_date is PostgreSQL's.
        with freeze_time(self.env.cr.now()) as clock:

            def measure(extra_batches):
                for _i in range(extra_batches):
                    self._dossiers(self.citizens[:3])
                self.env.flush_all()
                self.env.invalidate_all()
                clock.tick(timedelta(minutes=1))
                before = self.cr.sql_log_count
                self.Signal._cron_compute_signals()
                self.env.flush_all()
                return self.cr.sql_log_count - before

            self._dossiers(self.citizens[:3])
            self.Signal._cron_compute_signals()  # warm-up: creates the signals
            measure(1)  # warm-up of the update path (registry caches of other addons)
            small = measure(1)  # 9 dossiers
            large = measure(10)  # 39 dossiers
            self.assertEqual(len(self._signals("shared_contact").dossier_ids), 39)
            self.assertEqual(small, large, "6x the dossiers, the same number of queries")

    def test_one_proxy_for_many_citizens(self):
        proxy = self.env["res.partner"].create({"name": "Người nhận ủy quyền"})
        others = self.env["res.partner"].create(
            [{"name": f"Người {i}", "psa_cccd": f"0010860{i:05d}"} for i in range(1, 4)]
        )
        self._dossiers(others, proxy_id=proxy.id)
        self.Signal._cron_compute_signals()
        self.assertEqual(self._signals("proxy").count, 3)

    def test_out_of_hours_on_the_agents_calendar(self):
        # Last week's Sunday and Monday of a frozen Wednesday, not of the day it runs.
        with freeze_time("2026-12-09 03:00:00"):
            calendar = self.env["resource.calendar"].create(
                {"name": "Giờ mở cửa", "tz": "Asia/Ho_Chi_Minh"}
            )
            self.agent_a.resource_calendar_id = calendar
            self.rules["out_of_hours"].threshold = 3
            dossiers = self._dossiers(
                self.env["res.partner"].create(
                    [{"name": f"N {i}", "psa_cccd": f"0010870{i:05d}"} for i in range(1, 5)]
                )
            )
            today = fields.Date.today()
            sunday = today - timedelta(days=today.weekday() + 1)
            monday = sunday - timedelta(days=6)
            sunday_10h = datetime.combine(sunday, time(3, 0))  # 10:00 in Hanoi
            monday_10h = datetime.combine(monday, time(3, 0))
            monday_22h = datetime.combine(monday, time(15, 0))
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE psa_dossier SET create_date = v.d"
                " FROM (VALUES (%s, %s), (%s, %s), (%s, %s), (%s, %s)) v(id, d)"
                " WHERE psa_dossier.id = v.id",
                [
                    dossiers[0].id,
                    sunday_10h,
                    dossiers[1].id,
                    monday_22h,
                    dossiers[2].id,
                    sunday_10h,
                    dossiers[3].id,
                    monday_10h,
                ],
            )
            self.env.invalidate_all()
            self.Signal._cron_compute_signals()
            self.assertEqual(self._signals("out_of_hours").dossier_ids, dossiers[:3])
            # A public holiday closes the agent all day: Monday 10:00 becomes out of hours too.
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Nghỉ lễ",
                    "calendar_id": calendar.id,
                    "date_from": datetime.combine(monday, time(0, 0)) - timedelta(hours=7),
                    "date_to": datetime.combine(monday, time(23, 59)) - timedelta(hours=7),
                }
            )
            self.Signal._cron_compute_signals()
            self.assertEqual(self._signals("out_of_hours").dossier_ids, dossiers)

    def test_fee_complaints_and_zero_evaluations(self):
        dossier = self._fill(self._dossiers(self.citizens[:1]))
        ticket = self.env["psa.ticket"].create(
            {"subject": "Thu phí", "category": "extra_fee", "dossier_id": dossier.id}
        )
        self.env["psa.ticket"].create(
            {"subject": "Hỏi", "category": "information", "agent_id": self.agent_a.id}
        )
        self.env["psa.dossier.evaluation"].create(
            {
                "dossier_id": dossier.id,
                **{
                    f: "2"
                    for f in (
                        "score_publicity",
                        "score_time",
                        "score_contacts",
                        "score_agencies",
                        "score_result",
                        "score_feedback",
                        "score_online",
                        "score_attitude",
                    )
                },
                "score_cost": "0",
            }
        )
        self.Signal._cron_compute_signals()
        complaint = self._signals("fee_complaint")
        self.assertEqual(complaint.ticket_ids, ticket)
        self.assertEqual(complaint.dossier_ids, dossier)
        self.assertEqual(complaint.staff_user_id, self.staff_a)
        self.assertEqual(self._signals("zero_evaluation").dossier_ids, dossier)

    def test_supplement_rate_against_the_norm_elsewhere(self):
        people = self.env["res.partner"].create(
            [{"name": f"P {i}", "psa_cccd": f"0010880{i:05d}"} for i in range(1, 9)]
        )
        at_a = self._dossiers(people[:4])
        at_b = self._dossiers(people[4:], agent=self.agent_b)
        received = self.stage[2]
        (at_a | at_b).sudo().with_context(psa_skip_checks=True).write({"stage_id": received.id})
        at_a[:3].sudo().with_context(psa_skip_checks=True).write({"supplement_request": "- CCCD"})
        at_b[:1].sudo().with_context(psa_skip_checks=True).write({"supplement_request": "- CCCD"})
        self.Signal._cron_compute_signals()
        signal = self._signals("supplement_rate")
        self.assertEqual(signal.dossier_ids, at_a[:3])
        self.assertIn("75%", signal.detail)
        self.assertIn("25%", signal.detail)
        self.assertFalse(self._signals("supplement_rate", self.agent_b))

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_review_queue_and_actions(self):
        self._dossiers(self.citizens[:3])
        self.Signal._cron_compute_signals()
        signal = self._signals("shared_contact").with_user(self.officer)
        # Nothing is punished automatically.
        self.assertEqual(self.agent_a.state, "active")
        self.assertEqual(self.agent_a.with_user(self.officer).risk_score, 30.0)
        self.assertEqual(self.staff_a.with_user(self.officer).psa_risk_score, 30.0)
        with self.assertRaises(ValidationError):
            signal.action_explain()
        with self.assertRaises(UserError):
            signal.write({"score": 0})
        with self.assertRaises(UserError):
            signal.write({"dossier_ids": [(5,)]})
        signal.review_note = "Ba anh em một nhà, đã xác minh."
        signal.action_explain()
        self.assertEqual((signal.state, signal.reviewer_id), ("explained", self.officer))
        self.assertEqual(self.agent_a.with_user(self.officer).risk_score, 0.0)
        signal.action_reopen()
        signal.action_type = "suspension"
        signal.review_note = "Cò thu phí"
        with self.assertRaises(AccessError):
            signal.action_act()
        signal.action_type = "retraining"
        signal.action_act()
        self.assertEqual(signal.state, "actioned")
        self.assertEqual(self.agent_a.state, "active")
        self.assertTrue(
            self.agent_a.activity_ids.filtered(lambda a: "Retraining" in (a.summary or ""))
        )
        # An administrator suspends, with the reason.
        self._dossiers(self.citizens[3:])
        self.Signal._cron_compute_signals()
        again = self._signals("shared_contact").filtered(lambda s: s.state == "open")
        self.assertEqual(again.count, 4, "more evidence after closing: a new signal")
        admin_signal = again.with_user(self.admin_user)
        admin_signal.write({"action_type": "suspension", "review_note": "Cò thu phí tái diễn"})
        admin_signal.action_act()
        self.assertEqual(self.agent_a.state, "suspended")
        self.assertIn("Cò thu phí tái diễn", self.agent_a.state_reason)
