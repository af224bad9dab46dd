from psycopg2.errors import LockNotAvailable

from odoo import api, sql_db
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPsaDossierSequence(BaseCase):
    """Daily numbering with two real transactions (not the shared test cursor)."""

    AGENCY = "TEST.CONCURRENCY"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _cursor(self):
        # Straight from the pool: in tests the registry may hand out the shared test cursor.
        cr = sql_db.db_connect(get_db_name()).cursor()
        cr.transaction = api.Transaction(self.registry)
        return cr

    def tearDown(self):
        with self._cursor() as cr:
            cr.execute("DELETE FROM psa_dossier_sequence WHERE agency_code = %s", [self.AGENCY])
        super().tearDown()

    def _reserve(self, cr, count=1):
        env = api.Environment(cr, 1, {})
        return env["psa.dossier.sequence"]._reserve(self.AGENCY, "2026-03-02", count)

    def test_second_creator_waits_for_the_first_then_continues(self):
        cr_a, cr_b = self._cursor(), self._cursor()
        try:
            self.assertEqual(self._reserve(cr_a, 3), 1)
            # While A's transaction is open, B cannot take a number: it waits on A's row.
            cr_b.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(LockNotAvailable), mute_logger("odoo.sql_db"):
                self._reserve(cr_b)
            cr_b.rollback()
            cr_a.commit()
            # Once A committed, B (replayed, as Odoo replays a request) gets the next number.
            self.assertEqual(self._reserve(cr_b), 4)
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()

    def test_rollback_leaves_no_gap(self):
        with self._cursor() as cr_a:
            self.assertEqual(self._reserve(cr_a), 1)
            cr_a.rollback()
        with self._cursor() as cr_b:
            self.assertEqual(self._reserve(cr_b, 2), 1)
        with self._cursor() as cr_c:
            self.assertEqual(self._reserve(cr_c), 3)
