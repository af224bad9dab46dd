from psycopg2.errors import LockNotAvailable

from odoo import api, sql_db
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

AGENCY = "TEST.SUBSIDY.CONC"


@tagged("post_install", "-at_install")
class TestSubsidyConcurrency(BaseCase):
    """Two real transactions complete the same delivery: one claim, never two.

    The fixtures are committed (each transaction must see them) and removed in tearDown.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _cursor(self):
        cr = sql_db.db_connect(get_db_name()).cursor()
        cr.transaction = api.Transaction(self.registry)
        return cr

    def _env(self, cr):
        return api.Environment(cr, api.SUPERUSER_ID, {"postal_event_date": "2024-06-03 03:00:00"})

    def setUp(self):
        super().setUp()
        with self._cursor() as cr:
            env = self._env(cr)
            operator = env["res.partner"].create(
                {"name": "Conc Operator", "is_company": True, "is_psa_operator": True}
            )
            carrier = env["postal.carrier"].create(
                {"name": "Conc carrier", "carrier_type": "manual", "operator_id": operator.id}
            )
            # 2024: before any real resolution, so no demo policy overlaps it.
            policy = env["subsidy.policy"].create(
                {
                    "name": "Conc/2024",
                    "date_start": "2024-01-01",
                    "date_end": "2024-12-31",
                    "fixed_amount": 26000,
                    "online_only": False,
                }
            )
            procedure = env["psa.procedure"].create(
                {
                    "code": "T.CONC.1",
                    "name": "Conc",
                    "agency_name": "Conc",
                    "agency_code": AGENCY,
                    "processing_days": 5,
                }
            )
            citizen = env["res.partner"].create({"name": "Conc Citizen"})
            dossier = env["psa.dossier"].create(
                {"procedure_id": procedure.id, "citizen_id": citizen.id, "channel": "online"}
            )
            delivery = env["postal.delivery"].create(
                {
                    "dossier_id": dossier.id,
                    "carrier_id": carrier.id,
                    "postage": 26000,
                    "service_type": "send_dossier",
                    "state": "out_for_delivery",
                }
            )
            self.ids = {
                "operator": operator.id,
                "carrier": carrier.id,
                "policy": policy.id,
                "procedure": procedure.id,
                "citizen": citizen.id,
                "dossier": dossier.id,
                "delivery": delivery.id,
            }

    def tearDown(self):
        ids = self.ids
        with self._cursor() as cr:
            cr.execute("DELETE FROM subsidy_claim WHERE delivery_id = %s", [ids["delivery"]])
            cr.execute(
                "DELETE FROM postal_delivery_event WHERE delivery_id = %s", [ids["delivery"]]
            )
            cr.execute("DELETE FROM postal_delivery WHERE id = %s", [ids["delivery"]])
            cr.execute("DELETE FROM psa_dossier WHERE id = %s", [ids["dossier"]])
            cr.execute("DELETE FROM psa_dossier_sequence WHERE agency_code = %s", [AGENCY])
            cr.execute("DELETE FROM psa_procedure WHERE id = %s", [ids["procedure"]])
            cr.execute("DELETE FROM postal_carrier WHERE id = %s", [ids["carrier"]])
            cr.execute("DELETE FROM subsidy_policy WHERE id = %s", [ids["policy"]])
            cr.execute(
                "DELETE FROM mail_message WHERE (model = 'postal.delivery' AND res_id = %s) "
                "OR (model = 'psa.dossier' AND res_id = %s) "
                "OR (model = 'subsidy.policy' AND res_id = %s)",
                [ids["delivery"], ids["dossier"], ids["policy"]],
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE (res_model = 'postal.delivery' AND res_id = %s) "
                "OR (res_model = 'psa.dossier' AND res_id = %s) "
                "OR (res_model = 'subsidy.policy' AND res_id = %s)",
                [ids["delivery"], ids["dossier"], ids["policy"]],
            )
            cr.execute(
                "DELETE FROM res_partner WHERE id IN %s", [(ids["citizen"], ids["operator"])]
            )
            cr.execute(
                "SELECT (SELECT COUNT(*) FROM postal_delivery WHERE id = %s)"
                " + (SELECT COUNT(*) FROM psa_dossier WHERE id = %s)"
                " + (SELECT COUNT(*) FROM subsidy_policy WHERE id = %s)",
                [ids["delivery"], ids["dossier"], ids["policy"]],
            )
            leftovers = cr.fetchone()[0]
        super().tearDown()
        self.assertEqual(leftovers, 0, "the committed fixtures are removed")

    def _claim_count(self):
        with self._cursor() as cr:
            cr.execute(
                "SELECT COUNT(*) FROM subsidy_claim WHERE delivery_id = %s", [self.ids["delivery"]]
            )
            return cr.fetchone()[0]

    def _complete(self, cr):
        self._env(cr)["postal.delivery"].browse(self.ids["delivery"]).write({"state": "delivered"})

    def test_two_couriers_complete_the_same_delivery(self):
        cr_a, cr_b = self._cursor(), self._cursor()
        try:
            self._complete(cr_a)
            # B waits on A's delivery row instead of claiming a second time.
            cr_b.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(LockNotAvailable), mute_logger("odoo.sql_db"):
                self._complete(cr_b)
            cr_b.rollback()
            cr_a.commit()
            # Replayed after A's commit (as Odoo replays a request), B finds it delivered.
            self._complete(cr_b)
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(self._claim_count(), 1)

    def test_two_claim_runs_on_the_same_delivery(self):
        """Even without the delivery's row lock, the unique index lets one claim through."""
        with self._cursor() as cr:
            self._complete(cr)
            cr.execute("DELETE FROM subsidy_claim WHERE delivery_id = %s", [self.ids["delivery"]])

        def claim(cr):
            env = self._env(cr)
            return env["subsidy.claim"]._create_for_deliveries(
                env["postal.delivery"].browse(self.ids["delivery"])
            )

        cr_a, cr_b = self._cursor(), self._cursor()
        try:
            self.assertEqual(len(claim(cr_a)), 1)
            cr_b.execute("SET LOCAL lock_timeout = '300ms'")
            # B's insert waits on A's uncommitted row in the unique index.
            with self.assertRaises(LockNotAvailable), mute_logger("odoo.sql_db"):
                claim(cr_b)
            cr_b.rollback()
            cr_a.commit()
            self.assertFalse(claim(cr_b))
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(self._claim_count(), 1)
