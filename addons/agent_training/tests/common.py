from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def make_exam(env, title, questions=None):
    """A certification with two one-choice questions worth 10 points each (pass: 80%)."""
    questions = questions or [
        ("Which portal files dossiers online?", "The public-service portal", "A social network"),
        ("May an agent charge extra fees?", "Never", "When the citizen agrees"),
    ]
    return env["survey.survey"].create(
        {
            "title": title,
            "survey_type": "assessment",
            "access_mode": "token",
            "users_login_required": True,
            "questions_layout": "one_page",
            "scoring_type": "scoring_with_answers",
            "certification": True,
            "scoring_success_min": 80,
            "is_attempts_limited": True,
            "attempts_limit": 2,
            "question_and_page_ids": [
                Command.create(
                    {
                        "title": question,
                        "question_type": "simple_choice",
                        "sequence": index,
                        "suggested_answer_ids": [
                            Command.create({"value": good, "is_correct": True, "answer_score": 10}),
                            Command.create({"value": bad, "answer_score": 0}),
                        ],
                    }
                )
                for index, (question, good, bad) in enumerate(questions)
            ],
        }
    )


class TrainingCommon(TransactionCase):
    """Every role, two agents, three mandatory courses with exams; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True))
        cls.env["ir.config_parameter"].sudo().set_param("agent_training.min_certified_staff", 2)
        # Courses of the demo data would add mandatory courses: these tests bring their own.
        cls.env["training.course"].search([]).active = False
        cls.officer = new_test_user(
            cls.env,
            login="tt_officer",
            groups="public_service_agent.group_psa_officer",
            email="officer@example.com",
        )
        cls.psa_admin = new_test_user(
            cls.env,
            login="tt_psa_admin",
            groups="public_service_agent.group_psa_admin",
            email="psa.admin@example.com",
        )
        cls.trainer = new_test_user(
            cls.env,
            login="tt_trainer",
            groups="agent_training.group_training_trainer",
            email="trainer@example.com",
        )
        cls.trainer_2 = new_test_user(
            cls.env,
            login="tt_trainer_2",
            groups="agent_training.group_training_trainer",
            email="trainer2@example.com",
        )
        cls.manager = new_test_user(
            cls.env,
            login="tt_manager",
            groups="agent_training.group_training_manager",
            email="manager@example.com",
        )
        Partner = cls.env["res.partner"]
        cls.operator = Partner.create(
            {"name": "Test Operator", "is_company": True, "is_psa_operator": True}
        )
        Agent = cls.env["psa.agent"]
        cls.agent_a = Agent.create({"name": "Agent Hoàn Kiếm", "operator_id": cls.operator.id})
        cls.agent_b = Agent.create({"name": "Agent Mỹ Đình", "operator_id": cls.operator.id})
        cls.staff_a1 = cls._new_staff("tt_staff_a1", cls.agent_a, "Trần Minh Quân")
        cls.staff_a2 = cls._new_staff("tt_staff_a2", cls.agent_a, "Nguyễn Thị Lan")
        cls.staff_a3 = cls._new_staff("tt_staff_a3", cls.agent_a, "Đỗ Văn Hùng")
        cls.staff_b1 = cls._new_staff("tt_staff_b1", cls.agent_b, "Lê Thị Thu Hà")
        cls.courses = cls.env["training.course"]
        for code in ("T-DVC", "T-QT45", "T-KTHS"):
            cls.courses |= cls.env["training.course"].create(
                {
                    "code": code,
                    "name": f"Course {code}",
                    "validity_months": 24,
                    "survey_id": cls._new_exam(f"Exam {code}").id,
                    "user_id": cls.manager.id,
                }
            )
        cls.course = cls.courses[0]

    @classmethod
    def _new_staff(cls, login, agent, name):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="base.group_portal",
            email=f"{login}@example.com",
        )
        user.partner_id.parent_id = agent.partner_id
        return user

    @classmethod
    def _new_exam(cls, title, questions=None):
        return make_exam(cls.env, title, questions)

    @classmethod
    def _certify(cls, user, courses=None, **vals):
        Certificate = cls.env["training.certificate"].sudo()
        return Certificate.create(
            [
                {"user_id": user.id, "course_id": course.id, "trainer_id": cls.trainer.id, **vals}
                for course in (courses or cls.courses)
            ]
        )

    @classmethod
    def _tick_all(cls, agent, skip=()):
        checks = agent.launch_check_ids.filtered(lambda c: c.item not in skip)
        checks.with_user(cls.officer).action_tick()

    @classmethod
    def _to_ready(cls, agent):
        agent.write({"state": "training"})
        agent.write({"state": "ready"})
        return agent

    def _session(self, trainees=(), trainer=None, state="in_progress", course=None, **vals):
        session = (
            self.env["training.session"]
            .with_user(trainer or self.trainer)
            .create(
                {
                    "course_id": (course or self.course).id,
                    "date_start": "2026-03-02 01:30:00",
                    "date_end": "2026-03-02 09:30:00",
                    "location": "Hall 3, 258 Võ Chí Công",
                    "capacity": 10,
                    "attendance_ids": [Command.create({"user_id": u.id}) for u in trainees],
                    **vals,
                }
            )
        )
        for step in {"draft": [], "open": ["open"], "in_progress": ["open", "in_progress"]}[state]:
            session.write({"state": step})
        return session

    def _answer(self, line, correct=True):
        """Sit the exam of an attendance line as its trainee would, and submit it."""
        answer = line.sudo().exam_user_input_id
        for question in answer.survey_id.question_ids:
            choice = question.suggested_answer_ids.filtered(lambda a: a.is_correct == correct)
            answer._save_lines(question, choice[:1].id)
        answer._mark_done()
        return answer
