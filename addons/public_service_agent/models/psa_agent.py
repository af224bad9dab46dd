from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# A broker-risk score is the points of open signals, capped.
MAX_RISK = 100.0


class PsaAgent(models.Model):
    """A post office or shop that files dossiers for citizens.

    States::

        draft -> training
        training -> draft, ready
        ready -> training, active
        active -> suspended, closed
        suspended -> active, closed
        closed -> (final)

    The table is ``_state_transitions``, enforced by ``psa.state.machine.mixin``. Suspending
    and closing need a reason; becoming active goes through ``_get_activation_blockers()``,
    which ``agent_training`` extends with the launch gate.
    """

    _name = "psa.agent"
    _description = "Public Service Agent"
    _inherits = {"res.partner": "partner_id"}
    _inherit = ["psa.state.machine.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "code, id"
    _rec_names_search = ["code", "name"]

    _state_transitions = {
        "draft": ("training",),
        "training": ("draft", "ready"),
        "ready": ("training", "active"),
        "active": ("suspended", "closed"),
        "suspended": ("active", "closed"),
        "closed": (),
    }
    _state_needs_reason = ("suspended", "closed")
    _state_reason_field = "state_reason"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="restrict", auto_join=True, index=True
    )
    code = fields.Char(readonly=True, copy=False, default="/", index=True, tracking=True)
    operator_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_psa_operator", "=", True)],
    )
    pilot_phase_id = fields.Many2one("psa.pilot.phase", index=True, tracking=True)
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        default=lambda self: self.env.company.resource_calendar_id,
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("draft", "Draft"),
            ("training", "Training"),
            ("ready", "Ready"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    state_reason = fields.Text(
        string="Reason", tracking=True, copy=False, help="Why the agent was suspended or closed."
    )
    date_opened = fields.Date(readonly=True, copy=False, tracking=True)
    staff_user_ids = fields.Many2many(
        "res.users", compute="_compute_staff_user_ids", string="Staff"
    )
    staff_count = fields.Integer(compute="_compute_staff_user_ids")

    dossier_open_count = fields.Integer(compute="_compute_kpis", string="Open Dossiers")
    dossier_overdue_count = fields.Integer(compute="_compute_kpis", string="Overdue Dossiers")
    on_time_rate = fields.Float(compute="_compute_kpis", string="On-time Rate (%)")
    satisfaction = fields.Float(compute="_compute_kpis", string="Satisfaction (%)")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The agent code must be unique."),
    ]

    def _compute_kpis(self):
        Dossier = self.env["psa.dossier"]
        agents = [("agent_id", "in", self.ids)]
        open_counts = dict(
            Dossier._read_group(agents + [("is_closed", "=", False)], ["agent_id"], ["__count"])
        )
        overdue_counts = dict(
            Dossier._read_group(
                agents + [("is_closed", "=", False), ("is_overdue", "=", True)],
                ["agent_id"],
                ["__count"],
            )
        )
        done = {
            (agent, bool(in_time)): count
            for agent, in_time, count in Dossier._read_group(
                agents + [("date_done", "!=", False)], ["agent_id", "is_on_time"], ["__count"]
            )
        }
        satisfaction = dict(
            self.env["psa.dossier.evaluation"]._read_group(
                agents, ["agent_id"], ["score_percent:avg"]
            )
        )
        for agent in self:
            agent.dossier_open_count = open_counts.get(agent, 0)
            agent.dossier_overdue_count = overdue_counts.get(agent, 0)
            in_time, late = done.get((agent, True), 0), done.get((agent, False), 0)
            agent.on_time_rate = 100.0 * in_time / (in_time + late) if in_time + late else 0.0
            agent.satisfaction = satisfaction.get(agent) or 0.0

    def _action_dossiers(self, domain, name):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "public_service_agent.psa_dossier_action"
        )
        action.update(
            name=name,
            domain=[("agent_id", "in", self.ids), *domain],
            context={"default_agent_id": self.id},
        )
        return action

    def action_view_open_dossiers(self):
        return self._action_dossiers([("is_closed", "=", False)], self.env._("Open Dossiers"))

    def action_view_overdue_dossiers(self):
        return self._action_dossiers(
            [("is_closed", "=", False), ("is_overdue", "=", True)], self.env._("Overdue Dossiers")
        )

    def action_invite_staff(self):
        """Officers invite staff: a contact of the agent with portal access."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "portal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.child_ids.ids},
        }

    def _compute_staff_user_ids(self):
        users = self.env["res.users"].search(
            [("partner_id.parent_id", "in", self.partner_id.ids), ("share", "=", True)]
        )
        for agent in self:
            agent.staff_user_ids = users.filtered(
                lambda u, agent=agent: u.partner_id.parent_id == agent.partner_id
            )
            agent.staff_count = len(agent.staff_user_ids)

    @api.model_create_multi
    def create(self, vals_list):
        # Copies: load() retries failed rows with the caller's dicts.
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            vals.setdefault("is_company", True)
            if vals.get("code", "/") == "/":
                vals["code"] = self.env["ir.sequence"].next_by_code("psa.agent") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "active":
            vals = dict(vals, state_reason=vals.get("state_reason", False))
            vals.setdefault("date_opened", self.env["psa.dossier"]._center_today())
        return super().write(vals)

    def _state_check(self, old_state, new_state, vals):
        result = super()._state_check(old_state, new_state, vals)
        if new_state == "active":
            for agent in self:
                missing = agent._get_activation_blockers()
                if missing:
                    raise self._blocked_error(
                        self.env._("Agent %(agent)s cannot open yet:", agent=agent.display_name),
                        missing,
                    )
        return result

    @api.model
    def _blocked_error(self, headline, reasons):
        return ValidationError("\n".join([headline, *(f"- {r}" for r in reasons)]))

    def _get_activation_blockers(self):
        """Reasons this agent may not open; empty when it may. Extended by agent_training."""
        self.ensure_one()
        blockers = []
        if not self.operator_id:
            blockers.append(self.env._("No operator is set."))
        return blockers

    @api.depends("code", "name")
    def _compute_display_name(self):
        for agent in self:
            agent.display_name = (
                f"[{agent.code}] {agent.name}" if agent.code and agent.code != "/" else agent.name
            )

    def action_start_training(self):
        self.write({"state": "training"})

    def action_back_to_draft(self):
        self.write({"state": "draft"})

    def action_mark_ready(self):
        self.write({"state": "ready"})

    def action_activate(self):
        self.write({"state": "active"})

    def action_open_reason_wizard(self):
        target = self.env.context.get("target_state")
        states = dict(self.env["psa.agent.state.wizard"]._fields["target_state"].selection)
        if target not in states:
            raise UserError(self.env._("Unknown target state."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "psa.agent.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agent_ids": self.ids, "default_target_state": target},
        }

    @api.model
    def _demo_open_phase(self, phase_id):
        phase = self.env["psa.pilot.phase"].browse(phase_id)
        agents = phase.agent_ids.filtered(lambda a: a.state == "draft")
        agents.write({"state": "training"})
        agents.write({"state": "ready"})
        agents.write({"state": "active", "date_opened": phase.date_open})

    # ------------------------------------------------------------------ broker risk
    risk_score = fields.Float(
        compute="_compute_risk_score",
        string="Broker Risk",
        groups="public_service_agent.group_psa_officer",
    )
    open_signal_count = fields.Integer(
        compute="_compute_risk_score",
        string="Open Signals",
        groups="public_service_agent.group_psa_officer",
    )

    def _compute_risk_score(self):
        rows = self.env["psa.quality.signal"]._read_group(
            [("agent_id", "in", self.ids), ("state", "=", "open")],
            ["agent_id"],
            ["score:sum", "__count"],
        )
        by_agent = {agent: (score, count) for agent, score, count in rows}
        for agent in self:
            score, count = by_agent.get(agent, (0.0, 0))
            agent.risk_score = min(score or 0.0, MAX_RISK)
            agent.open_signal_count = count

    def action_view_signals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "public_service_agent.psa_quality_signal_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        return action
