from datetime import datetime

from odoo.tests import new_test_user

from odoo.addons.postal_delivery.tests.common import PostalCommon


class SubsidyCommon(PostalCommon):
    """Two operators with their carriers and accountants, finance users, and the two
    resolutions (39/2024 in 2025, 77/2025 from 2026) created here, not taken from demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["subsidy.policy"].search([]).write({"active": False})
        cls.currency = cls.env.company.currency_id
        cls.finance = new_test_user(
            cls.env, login="t_sub_finance", groups="subsidy.group_subsidy_finance"
        )
        cls.finance_manager = new_test_user(
            cls.env, login="t_sub_fmanager", groups="subsidy.group_subsidy_manager"
        )
        cls.carrier_b = cls.env["postal.carrier"].create(
            {"name": "Test VNP", "carrier_type": "manual", "operator_id": cls.operator_b.id}
        )
        cls.accountant_a = cls._new_accountant("t_acc_a", cls.operator_a)
        cls.accountant_b = cls._new_accountant("t_acc_b", cls.operator_b)
        Policy = cls.env["subsidy.policy"]
        cls.nq39 = Policy.create(
            {
                "name": "39/2024/NQ-HĐND",
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "rule": "fixed",
                "fixed_amount": 26000,
                "online_only": False,
                "currency_id": cls.currency.id,
            }
        )
        cls.nq77 = Policy.create(
            {
                "name": "77/2025/NQ-HĐND",
                "date_start": "2026-01-01",
                "rule": "share",
                "postage_share": 100,
                "online_only": True,
                "currency_id": cls.currency.id,
            }
        )

    @classmethod
    def _new_accountant(cls, login, operator):
        user = new_test_user(cls.env, login=login, groups="base.group_portal")
        user.partner_id.parent_id = operator
        return user

    @classmethod
    def _deliver(cls, when, postage=30000, carrier=None, dossier=None, state="delivered", **vals):
        """A delivery that reached ``state`` at ``when`` (UTC), walked through every step."""
        dossier = dossier or cls._fill(cls._new_dossier(channel=vals.pop("channel", "counter")))
        if isinstance(when, str):
            when = datetime.fromisoformat(when)
        reason = vals.pop("state_reason", None)
        Delivery = cls.env["postal.delivery"].with_context(postal_event_date=when)
        delivery = Delivery.create(
            {
                "dossier_id": dossier.id,
                "carrier_id": (carrier or cls.carrier).id,
                "service_type": "send_dossier",
                "postage": postage,
                "state": {"lost": "picked_up"}.get(state, "requested") if reason else state,
                **vals,
            }
        )
        if reason:  # states that need a reason are reached by a write carrying it
            delivery.write({"state": state, "state_reason": reason})
        return delivery

    @classmethod
    def _operator_answers(cls, statement, answer="confirm", comment=None):
        """The operator's accountant answers every line still waiting, as the portal does.

        A statement is billed only once every line is answered or the answer period has passed
        (subsidy.operator_answer_days working days after confirmation): a fixture that bills
        calls this between ``action_confirm()`` and ``action_bill()``.
        """
        accountant = {cls.operator_a: cls.accountant_a, cls.operator_b: cls.accountant_b}[
            statement.operator_id
        ]
        lines = statement.claim_ids.filtered(
            lambda c: c.state == "in_statement" and c.operator_status == "pending"
        )
        if lines:
            lines.with_user(accountant)._portal_respond(answer, comment)
        return lines

    @classmethod
    def _claims(cls, deliveries):
        return cls.env["subsidy.claim"].search([("delivery_id", "in", deliveries.ids)])
