from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.psa_agent_launch_check import LAUNCH_CHECK_ITEMS
from ..models.training_course import DEFAULT_MIN_CERTIFIED, MIN_CERTIFIED_PARAM


class TrainingReadinessReport(models.Model):
    """Launch readiness: one line per agent and mandatory course.

    Mirrors the launch gate of ``psa.agent`` in SQL so that it can be listed, grouped
    by pilot phase and pivoted. ``agent_line`` and ``ready_agent`` are 1 on the first
    line of each agent only, so their sums count agents rather than lines (when the
    course is not a dimension); ``covered_agent`` and ``uncovered_agent`` count agents
    per course.
    """

    _name = "training.readiness.report"
    _description = "Launch Readiness Report"
    _auto = False
    _order = "pilot_phase_id, agent_code, course_sequence"
    # Flushed before the view is read, so that pending changes show up.
    _depends = {
        "ir.config_parameter": ["key", "value"],
        "psa.agent": ["code", "pilot_phase_id", "operator_id", "state", "partner_id"],
        "psa.agent.launch.check": ["agent_id", "item", "done"],
        "res.partner": ["active", "training_team_lead"],
        "res.users": ["active", "share", "partner_id"],
        "training.certificate": ["agent_id", "course_id", "user_id", "state", "date_expiry"],
        "training.course": ["active", "sequence", "mandatory_for"],
    }

    agent_id = fields.Many2one("psa.agent", string="Agent", readonly=True)
    agent_code = fields.Char(string="Agent Code", readonly=True)
    pilot_phase_id = fields.Many2one("psa.pilot.phase", string="Pilot Phase", readonly=True)
    operator_id = fields.Many2one("res.partner", string="Operator", readonly=True)
    # The states of psa.agent, declared here so that their labels are translated.
    agent_state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("training", "Training"),
            ("ready", "Ready"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        string="Agent Status",
        readonly=True,
    )
    course_id = fields.Many2one("training.course", string="Course", readonly=True)
    course_sequence = fields.Integer(readonly=True)
    # Staff counts are per course: they do not add up across courses or agents.
    required_count = fields.Integer(string="Required", readonly=True, aggregator=None)
    certified_count = fields.Integer(string="Certified Staff", readonly=True, aggregator=None)
    missing_count = fields.Integer(string="Missing", readonly=True, aggregator=None)
    covered_agent = fields.Integer(string="Agents Covering the Course", readonly=True)
    uncovered_agent = fields.Integer(string="Agents Lacking the Course", readonly=True)
    course_ok = fields.Boolean(string="Course Covered", readonly=True)
    checklist_done = fields.Integer(string="Checklist Ticked", readonly=True, aggregator=None)
    checklist_total = fields.Integer(string="Checklist Items", readonly=True, aggregator=None)
    checklist_ok = fields.Boolean(string="Checklist Complete", readonly=True)
    readiness = fields.Selection(
        [("ready", "Ready"), ("not_ready", "Not Ready")], string="Readiness", readonly=True
    )
    agent_line = fields.Integer(string="Agents", readonly=True, aggregator="sum")
    ready_agent = fields.Integer(string="Ready Agents", readonly=True, aggregator="sum")
    reason = fields.Text(string="Why", compute="_compute_reason")

    @api.depends("agent_id", "readiness")
    def _compute_reason(self):
        agents = self.agent_id
        status = agents._training_gate_status()
        for line in self:
            if line.readiness == "ready":
                line.reason = self.env._("Ready")
                continue
            blockers = agents._training_blockers_from_status(status[line.agent_id.id])
            line.reason = (
                self.env._("Not ready, because:") + "\n" + "\n".join(f"- {b}" for b in blockers)
            )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW training_readiness_report AS (
WITH params AS (
    SELECT COALESCE((
        SELECT CASE WHEN value ~ '^[0-9]+$' AND value::int > 0 THEN value::int END
          FROM ir_config_parameter WHERE key = %(param)s
    ), %(default_n)s) AS n
), courses AS (
    SELECT c.id, c.sequence, c.mandatory_for,
           CASE WHEN c.mandatory_for = 'lead' THEN 1 ELSE params.n END AS required
      FROM training_course c, params
     WHERE c.active AND c.mandatory_for <> 'none'
), certified AS (
    SELECT cert.agent_id, cert.course_id, COUNT(DISTINCT cert.user_id) AS n
      FROM training_certificate cert
      JOIN courses c ON c.id = cert.course_id
      JOIN res_users u ON u.id = cert.user_id AND u.active AND u.share
      JOIN res_partner p ON p.id = u.partner_id
     WHERE cert.state IN ('valid', 'expiring')
       AND cert.date_expiry > (now() AT TIME ZONE %(tz)s)::date
       AND (c.mandatory_for <> 'lead' OR p.training_team_lead)
     GROUP BY cert.agent_id, cert.course_id
), checks AS (
    SELECT agent_id, COUNT(DISTINCT item) AS done
      FROM psa_agent_launch_check
     WHERE done AND item IN %(items)s
     GROUP BY agent_id
), lines AS (
    SELECT a.id AS agent_id, a.code AS agent_code, a.pilot_phase_id, a.operator_id,
           a.state AS agent_state, c.id AS course_id, c.sequence AS course_sequence,
           COALESCE(c.required, 0) AS required_count,
           COALESCE(ce.n, 0) AS certified_count,
           COALESCE(ch.done, 0) AS checklist_done,
           %(total)s AS checklist_total
      FROM psa_agent a
      JOIN res_partner ap ON ap.id = a.partner_id AND ap.active
 LEFT JOIN courses c ON TRUE
 LEFT JOIN certified ce ON ce.agent_id = a.id AND ce.course_id = c.id
 LEFT JOIN checks ch ON ch.agent_id = a.id
     WHERE a.state <> 'closed'
), judged AS (
    SELECT lines.*,
           certified_count >= required_count AS course_ok,
           checklist_done >= checklist_total AS checklist_ok,
           BOOL_AND(certified_count >= required_count) OVER (PARTITION BY agent_id)
               AND checklist_done >= checklist_total AS agent_ready,
           ROW_NUMBER() OVER (PARTITION BY agent_id ORDER BY course_sequence, course_id) AS rank
      FROM lines
)
SELECT agent_id::bigint * 100000 + COALESCE(course_id, 0) AS id,
       agent_id, agent_code, pilot_phase_id, operator_id, agent_state,
       course_id, course_sequence, required_count, certified_count,
       GREATEST(required_count - certified_count, 0) AS missing_count,
       course_ok, checklist_done, checklist_total, checklist_ok,
       CASE WHEN agent_ready THEN 'ready' ELSE 'not_ready' END AS readiness,
       CASE WHEN course_ok THEN 1 ELSE 0 END AS covered_agent,
       CASE WHEN course_ok THEN 0 ELSE 1 END AS uncovered_agent,
       CASE WHEN rank = 1 THEN 1 ELSE 0 END AS agent_line,
       CASE WHEN rank = 1 AND agent_ready THEN 1 ELSE 0 END AS ready_agent
  FROM judged
)
                """,
                param=MIN_CERTIFIED_PARAM,
                default_n=DEFAULT_MIN_CERTIFIED,
                items=tuple(key for key, _label in LAUNCH_CHECK_ITEMS),
                total=len(LAUNCH_CHECK_ITEMS),
                tz=self.env["psa.dossier"]._center_tz(),
            )
        )
