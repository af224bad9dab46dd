from odoo import fields, models


class TrainingCourse(models.Model):
    _name = "training.course"
    _description = "Training Course"
    _inherit = ["mail.thread"]
    _order = "sequence, code"

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True, tracking=True)
    name = fields.Char(required=True, translate=True, tracking=True)
    topics = fields.Html(translate=True)
    mandatory_for = fields.Selection(
        [("none", "Optional"), ("all", "All Staff"), ("lead", "Team Leads")],
        default="all",
        required=True,
        tracking=True,
    )
    validity_months = fields.Integer(default=24, tracking=True)
    survey_id = fields.Many2one(
        "survey.survey", string="Exam", domain=[("certification", "=", True)], tracking=True
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The course code must be unique."),
        ("validity_positive", "CHECK(validity_months > 0)", "Validity must be at least one month."),
    ]
