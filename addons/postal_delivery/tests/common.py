from odoo.tests import new_test_user

from odoo.addons.public_service_agent.tests.common import PsaDossierCommon


class PostalCommon(PsaDossierCommon):
    """A carrier, a citizen with a registered address, and dossiers ready to be returned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Unit = cls.env["psa.admin.unit"]
        cls.ward = Unit.search([("level", "=", "ward"), ("is_legacy", "=", False)], limit=1)
        cls.other_ward = Unit.search(
            [("level", "=", "ward"), ("is_legacy", "=", False), ("id", "!=", cls.ward.id)],
            limit=1,
        )
        cls.citizen.write({"street": "12 Hàng Bài", "ward_id": cls.ward.id})
        cls.carrier = cls.env["postal.carrier"].create(
            {
                "name": "Test VTP",
                "carrier_type": "viettelpost",
                "operator_id": cls.operator_a.id,
                "sequence": 1,
                "webhook_secret": "hook-secret",
            }
        )
        cls.manual_carrier = cls.env["postal.carrier"].create(
            {"name": "Manual", "carrier_type": "manual", "sequence": 2}
        )
        cls.finance_like = new_test_user(cls.env, login="t_internal", groups="base.group_user")

    @classmethod
    def _done_dossier(cls, agent=None, **vals):
        dossier = cls._fill(cls._new_dossier(agent=agent, return_method="post", **vals))
        dossier.action_receive()
        dossier.action_start_processing()
        dossier.action_mark_done()
        return dossier

    @classmethod
    def _new_delivery(cls, dossier=None, user=None, **vals):
        """A delivery created by the Center's officer (or ``user``), who then acts on it:
        its workflow runs under that user's rights, with mail tracking on."""
        dossier = dossier or cls._fill(cls._new_dossier())
        return (
            cls.env["postal.delivery"]
            .with_user(user or cls.officer)
            .create({"dossier_id": dossier.id, "carrier_id": cls.carrier.id, **vals})
        )
