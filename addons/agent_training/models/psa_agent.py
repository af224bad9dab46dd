from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools.mail import generate_tracking_message_id

from .psa_agent_launch_check import LAUNCH_CHECK_ITEMS


def _default_launch_checks():
    return [Command.create({"item": key}) for key, _label in LAUNCH_CHECK_ITEMS]


class PsaAgent(models.Model):
    _inherit = "psa.agent"

    launch_check_ids = fields.One2many(
        "psa.agent.launch.check",
        "agent_id",
        string="Launch Checklist",
        default=lambda self: _default_launch_checks(),
        copy=False,
    )
    training_ready = fields.Boolean(string="Ready to Open", compute="_compute_training_readiness")
    training_blocker_text = fields.Text(
        string="Missing for Opening", compute="_compute_training_readiness"
    )
    training_certificate_count = fields.Integer(
        string="Valid Certificates", compute="_compute_training_certificate_count"
    )

    def _compute_training_readiness(self):
        status = self._training_gate_status()
        for agent in self:
            blockers = agent._training_blockers_from_status(status[agent.id])
            agent.training_ready = not blockers
            agent.training_blocker_text = "\n".join(f"- {b}" for b in blockers) or False

    def _compute_training_certificate_count(self):
        Certificate = self.env["training.certificate"]
        today = Certificate._today()
        counts = dict(
            Certificate.sudo()._read_group(
                [("agent_id", "in", self.ids), *Certificate._valid_domain(today)],
                ["agent_id"],
                ["__count"],
            )
        )
        for agent in self:
            agent.training_certificate_count = counts.get(agent, 0)

    # ------------------------------------------------------------------
    # The launch gate
    # ------------------------------------------------------------------

    def _get_activation_blockers(self):
        blockers = super()._get_activation_blockers()
        status = self._training_gate_status()
        return blockers + self._training_blockers_from_status(status[self.id])

    def _training_gate_status(self, today=None):
        """Training and checklist status of several agents in a fixed number of queries.

        Returns ``{agent_id: {"courses": [(course, certified, required)],
        "missing_checks": [item, ...]}}``.
        """
        today = today or self.env["training.certificate"]._today()
        Course = self.env["training.course"].sudo()
        courses = Course._mandatory_courses()
        minimum = Course._min_certified_staff()
        Certificate = self.env["training.certificate"]
        counts = {}
        if courses and self.ids:
            counts = Certificate._training_count_certified(
                self.ids, courses.filtered(lambda c: c.mandatory_for == "all").ids, today
            )
            lead_courses = courses.filtered(lambda c: c.mandatory_for == "lead")
            if lead_courses:
                counts.update(
                    Certificate._training_count_certified(
                        self.ids, lead_courses.ids, today, leads_only=True
                    )
                )
        ticked = defaultdict(set)
        if self.ids:
            for agent, items in (
                self.env["psa.agent.launch.check"]
                .sudo()
                ._read_group(
                    [("agent_id", "in", self.ids), ("done", "=", True)],
                    ["agent_id"],
                    ["item:array_agg"],
                )
            ):
                ticked[agent.id] = set(items)
        all_items = [key for key, _label in LAUNCH_CHECK_ITEMS]
        return {
            agent.id: {
                "courses": [
                    (
                        course,
                        counts.get((agent.id, course.id), 0),
                        course._required_certified(minimum),
                    )
                    for course in courses
                ],
                "missing_checks": [item for item in all_items if item not in ticked[agent.id]],
            }
            for agent in self
        }

    def _training_course_blockers(self, status):
        blockers = []
        for course, certified, required in status["courses"]:
            if certified < required:
                if course.mandatory_for == "lead":
                    msg = self.env._(
                        "Course %(course)s: %(certified)s of %(required)s required team lead "
                        "certified.",
                        course=course.name,
                        certified=certified,
                        required=required,
                    )
                else:
                    msg = self.env._(
                        "Course %(course)s: %(certified)s of %(required)s required staff "
                        "certified.",
                        course=course.name,
                        certified=certified,
                        required=required,
                    )
                blockers.append(msg)
        return blockers

    def _training_checklist_blockers(self, status):
        if not status["missing_checks"]:
            return []
        labels = dict(
            self.env["psa.agent.launch.check"]._fields["item"]._description_selection(self.env)
        )
        return [
            self.env._(
                "Launch checklist not ticked: %(items)s.",
                items=", ".join(labels[item] for item in status["missing_checks"]),
            )
        ]

    def _training_blockers_from_status(self, status):
        return self._training_course_blockers(status) + self._training_checklist_blockers(status)

    def _training_meeting_gate(self):
        """The open agents among these that meet the training rule now: after a staff
        change they are checked again, and those falling below it are suspended."""
        agents = self.sudo().filtered(lambda a: a.state == "active")
        if not agents:
            return agents
        status = agents._training_gate_status()
        return agents.filtered(lambda a: not agents._training_course_blockers(status[a.id]))

    def _training_enforce_gate(self, cause):
        """Suspend the open agents that no longer have enough certified staff.

        Batched: one write per distinct reason, tracking messages created together and
        one summary e-mail to the officers, whatever the number of agents.
        """
        agents = self.sudo().filtered(lambda a: a.state == "active")
        if not agents:
            return agents
        status = agents._training_gate_status()
        reasons = {}
        for agent in agents:
            blockers = agents._training_course_blockers(status[agent.id])
            if blockers:
                reasons[agent] = "\n".join(
                    [
                        self.env._("Suspended automatically: %(cause)s", cause=cause),
                        *(f"- {b}" for b in blockers),
                    ]
                )
        if not reasons:
            return self.browse()
        suspended = self.browse([agent.id for agent in reasons]).sudo()
        initial = {agent.id: (agent.state, agent.state_reason) for agent in suspended}
        by_reason = defaultdict(list)
        for agent, reason in reasons.items():
            by_reason[reason].append(agent.id)
        quiet = suspended.with_context(tracking_disable=True, mail_notrack=True)
        for reason, agent_ids in by_reason.items():
            quiet.browse(agent_ids).write({"state": "suspended", "state_reason": reason})
        suspended._training_log_suspension(initial)
        suspended._training_notify_officers(reasons)
        return suspended

    def _training_log_suspension(self, initial):
        """Post the state and reason tracking of all agents in one batch.

        ``_message_log_batch`` refuses tracking values for several records, so this builds
        the same values itself; regular tracking would post one message per agent.
        """
        tracked = self.fields_get(
            ["state", "state_reason"], attributes=("string", "type", "selection")
        )
        Tracking = self.env["mail.tracking.value"]
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        base = {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "is_internal": True,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "email_add_signature": False,
            "message_id": generate_tracking_message_id("message-notify"),
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
        }
        messages = self.sudo()._message_create([{**base, "res_id": agent.id} for agent in self])
        tracking_vals = []
        for agent, message in zip(self, messages, strict=True):
            old_state, old_reason = initial[agent.id]
            for fname, old, new in (
                ("state", old_state, agent.state),
                ("state_reason", old_reason or "", agent.state_reason),
            ):
                vals = Tracking._create_tracking_values(old, new, fname, tracked[fname], agent)
                tracking_vals.append({**vals, "mail_message_id": message.id})
        # One insert for all tracking values (a create per message would insert per message).
        Tracking.sudo().create(tracking_vals)

    def _training_notify_officers(self, reasons):
        """One e-mail per language to the Center officers listing the suspended agents."""
        group = self.env.ref("public_service_agent.group_psa_officer")
        officers = group.sudo().users.filtered(lambda u: u.active and u.email and not u.share)
        if not officers:
            return
        by_lang = defaultdict(lambda: self.env["res.users"])
        for officer in officers:
            by_lang[officer.lang or "en_US"] |= officer
        mails = []
        for lang, users in by_lang.items():
            env = self.with_context(lang=lang).env
            body = env["ir.qweb"]._render(
                "agent_training.mail_body_agents_suspended",
                {"reasons": [(agent.with_env(env), reason) for agent, reason in reasons.items()]},
            )
            mails.append(
                {
                    "subject": env._(
                        "%(count)s agent(s) suspended: certified staff below the minimum",
                        count=len(reasons),
                    ),
                    "body_html": body,
                    "email_from": self.env.company.partner_id.email_formatted
                    or self.env.user.email_formatted,
                    "recipient_ids": [Command.set(users.partner_id.ids)],
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)

    # ------------------------------------------------------------------
    # Checklist and actions
    # ------------------------------------------------------------------

    def _training_ensure_launch_checks(self):
        existing = defaultdict(set)
        for check in (
            self.env["psa.agent.launch.check"]
            .sudo()
            .search_fetch([("agent_id", "in", self.ids)], ["agent_id", "item"])
        ):
            existing[check.agent_id.id].add(check.item)
        vals_list = [
            {"agent_id": agent.id, "item": key}
            for agent in self
            for key, _label in LAUNCH_CHECK_ITEMS
            if key not in existing[agent.id]
        ]
        self.env["psa.agent.launch.check"].sudo().create(vals_list)

    def action_view_training_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agent_training.training_certificate_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        action["context"] = {"search_default_filter_valid": 1}
        return action

    def action_view_training_readiness(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agent_training.training_readiness_report_action"
        )
        action["domain"] = [("agent_id", "in", self.ids)]
        action["context"] = {}
        return action

    @api.model
    def _demo_tick_launch_checks(self, agent_xmlids, officer_xmlid, skip_items=()):
        officer = self.env.ref(officer_xmlid)
        agents = self.browse([self.env.ref(xmlid).id for xmlid in agent_xmlids])
        agents._training_ensure_launch_checks()
        checks = agents.launch_check_ids.filtered(lambda c: c.item not in skip_items)
        checks.with_user(officer).action_tick()

    @api.model
    def _demo_certify_open_agents(self, trainer_xmlid, months_ago=8):
        """Give every open agent the certified staff the launch gate asks for.

        The phase-1 agents opened months ago, so each has had two trained counter staff
        (the first one its team lead) since then. Only new colleagues are added, and only
        for the courses the agent still lacks, so the demo's named staff keep their story.
        """
        family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
        middle = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh"]
        given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hải", "Hương", "Khánh", "Linh", "Nam",
                 "Oanh", "Phúc", "Quyên", "Sơn", "Tâm", "Uyên", "Việt", "Yến"]  # fmt: skip
        trainer = self.env.ref(trainer_xmlid)
        Course = self.env["training.course"]
        courses = Course._mandatory_courses()
        minimum = Course._min_certified_staff()
        issued = self.env["psa.dossier"]._center_today() - relativedelta(months=months_ago)
        agents = self.search([("state", "=", "active")], order="code")
        Certificate = self.env["training.certificate"]
        valid = Certificate.search(
            [("agent_id", "in", agents.ids), *Certificate._valid_domain(Certificate._today())]
        )
        counter = 0
        cert_vals = []
        for agent in agents:
            holders = {
                course: valid.filtered(
                    lambda c, a=agent, co=course: c.agent_id == a and c.course_id == co
                ).user_id
                for course in courses
            }
            missing = {
                course: max(course._required_certified(minimum) - len(holders[course]), 0)
                for course in courses
            }
            # New colleagues only: the staff already in the demo keep their own story.
            staff = self.env["res.users"]
            while len(staff) < max(missing.values(), default=0):
                counter += 1
                name = " ".join(
                    [family[counter % 10], middle[counter % 8], given[counter % len(given)]]
                )
                login = f"staff.{agent.code.lower().replace('-', '')}.{len(staff) + 1}"
                partner = self.env["res.partner"].create(
                    {
                        "name": name,
                        "parent_id": agent.partner_id.id,
                        "email": f"{login}@example.vn",
                        "lang": "vi_VN",
                        "training_team_lead": not staff,
                    }
                )
                staff |= (
                    self.env["res.users"]
                    .with_context(no_reset_password=True)
                    .create(
                        {
                            "partner_id": partner.id,
                            "login": login,
                            "password": login,
                            "tz": self.env["psa.dossier"]._center_tz(),
                            "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                        }
                    )
                )
            for course in courses:
                candidates = staff
                if course.mandatory_for == "lead":
                    candidates = candidates.filtered("partner_id.training_team_lead")
                cert_vals += [
                    {
                        "user_id": user.id,
                        "course_id": course.id,
                        "trainer_id": trainer.id,
                        "date_issued": issued,
                    }
                    for user in candidates[: missing[course]]
                ]
        Certificate.create(cert_vals)
        return agents

    @api.model
    def _demo_tick_open_agents(self, officer_xmlid):
        """The officer inspected every open agent before it opened: tick their checklists."""
        agents = self.search([("state", "in", ("active", "suspended"))])
        agents._training_ensure_launch_checks()
        officer = self.env.ref(officer_xmlid)
        agents.launch_check_ids.filtered(lambda c: not c.done).with_user(officer).action_tick()
