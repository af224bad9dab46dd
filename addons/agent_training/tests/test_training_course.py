from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTrainingCourse(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trainer = new_test_user(
            cls.env, login="t_trainer", groups="agent_training.group_training_trainer"
        )
        cls.manager = new_test_user(
            cls.env, login="t_tmanager", groups="agent_training.group_training_manager"
        )
        cls.portal = new_test_user(cls.env, login="t_portal", groups="base.group_portal")
        cls.course = cls.env["training.course"].create(
            {"code": "DVC01", "name": "Public-service portal", "validity_months": 12}
        )

    def test_manager_creates_course(self):
        course = (
            self.env["training.course"]
            .with_user(self.manager)
            .create({"code": "DVC02", "name": "Conduct rules"})
        )
        self.assertEqual(course.mandatory_for, "all")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_trainer_and_portal_read_only(self):
        for user in (self.trainer, self.portal):
            self.assertEqual(self.course.with_user(user).name, "Public-service portal")
            with self.assertRaises(AccessError):
                self.course.with_user(user).write({"name": "x"})

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_public_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.course.with_user(self.env.ref("base.public_user")).read(["name"])

    @mute_logger("odoo.sql_db")
    def test_code_unique_and_validity_positive(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["training.course"].create({"code": "DVC01", "name": "Dup"})
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["training.course"].create({"code": "X", "name": "X", "validity_months": 0})
