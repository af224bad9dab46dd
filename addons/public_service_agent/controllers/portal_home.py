"""The /my home of agent staff: today's work first.

Kept apart from ``portal.py`` (the dossier pages). Cards are plain dicts built by
``_psa_home_cards``; other addons append theirs (``agent_training`` adds expiring
certificates, and the contact-centre work can add the agent's open signals there).
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .common import center_tz


class PsaPortalHome(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            agent = self._psa_home_agent()
            values["psa_home_agent"] = agent
            values["psa_home_cards"] = self._psa_home_cards(agent) if agent else []
        return values

    def _psa_home_agent(self):
        user = request.env.user
        if not user._is_portal():
            return request.env["psa.agent"]
        return request.env["psa.agent"].search(
            [("partner_id", "=", user.commercial_partner_id.id)], limit=1
        )

    def _psa_today_bounds(self):
        """Today in Hanoi, as naive UTC datetimes."""
        tz = pytz.timezone(center_tz(request.env))
        today = datetime.now(tz).date()
        start = tz.localize(datetime.combine(today, time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            (start + timedelta(days=1)).astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _psa_stage_filter(self, flag):
        stage = request.env["psa.dossier.stage"].search([(flag, "=", True)], limit=1)
        return f"/my/dossiers?filterby=stage_{stage.id}" if stage else "/my/dossiers"

    def _psa_home_cards(self, agent):
        """Cards of today's work for ``agent``'s staff, read with the user's own rights.

        Each card: ``key``, ``title``, ``text``, ``count``, ``url``, ``icon`` and ``tone``
        (a Bootstrap colour). A card with nothing to do is still listed, at zero.
        """
        Dossier = request.env["psa.dossier"]
        if not Dossier.has_access("read"):
            return []
        start, end = self._psa_today_bounds()
        now = fields.Datetime.now()
        env = request.env
        return [
            {
                "key": "supplement",
                "title": env._("Awaiting supplement"),
                "text": env._("Citizens must bring the documents asked for"),
                "count": Dossier.search_count([("stage_id.is_supplement", "=", True)]),
                "url": self._psa_stage_filter("is_supplement"),
                "icon": "fa-file-text-o",
                "tone": "warning",
            },
            {
                "key": "due_today",
                "title": env._("Due today"),
                "text": env._("Results promised to citizens for today"),
                "count": Dossier.search_count(
                    [
                        ("is_closed", "=", False),
                        ("date_due", ">=", max(start, now)),
                        ("date_due", "<", end),
                    ]
                ),
                "url": "/my/dossiers?filterby=open&sortby=due",
                "icon": "fa-clock-o",
                "tone": "primary",
            },
            {
                "key": "overdue",
                "title": env._("Overdue"),
                "text": env._("Past their due date: tell the citizen"),
                "count": Dossier.search_count(
                    [("is_closed", "=", False), ("is_overdue", "=", True)]
                ),
                "url": "/my/dossiers?filterby=open&sortby=due",
                "icon": "fa-exclamation-triangle",
                "tone": "danger",
            },
            {
                "key": "at_counter",
                "title": env._("Results at the counter"),
                "text": env._("Ready for the citizen to collect here"),
                "count": Dossier.search_count(
                    [("stage_id.is_done", "=", True), ("return_method", "=", "agent")]
                ),
                "url": self._psa_stage_filter("is_done"),
                "icon": "fa-inbox",
                "tone": "success",
            },
        ]
