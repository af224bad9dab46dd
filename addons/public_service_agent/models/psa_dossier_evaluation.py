from odoo import api, fields, models

SCORE = [("2", "2"), ("1", "1"), ("0", "0")]

# The nine indicators of the satisfaction form of Circular 01/2018/TT-VPCP Art. 13.
INDICATORS = [
    "score_publicity",
    "score_time",
    "score_contacts",
    "score_agencies",
    "score_attitude",
    "score_result",
    "score_cost",
    "score_feedback",
    "score_online",
]


class PsaDossierEvaluation(models.Model):
    _name = "psa.dossier.evaluation"
    _description = "Citizen Evaluation of a Dossier"
    _order = "id desc"

    dossier_id = fields.Many2one("psa.dossier", required=True, ondelete="cascade", index=True)
    agent_id = fields.Many2one(related="dossier_id.agent_id", store=True, index=True)
    staff_user_id = fields.Many2one(related="dossier_id.staff_user_id", store=True, index=True)
    score_publicity = fields.Selection(SCORE, string="Publicity of the Procedure", required=True)
    score_time = fields.Selection(SCORE, string="Time Against the Deadline", required=True)
    score_contacts = fields.Selection(
        SCORE, string="Contacts to Complete the Dossier", required=True
    )
    score_agencies = fields.Selection(SCORE, string="Agencies to Contact", required=True)
    score_attitude = fields.Selection(SCORE, string="Staff Attitude", required=True)
    score_result = fields.Selection(SCORE, string="Lawful Result", required=True)
    score_cost = fields.Selection(SCORE, string="No Unofficial Cost", required=True)
    score_feedback = fields.Selection(SCORE, string="Handling of Feedback", required=True)
    score_online = fields.Selection(SCORE, string="Online Service", required=True)
    comment = fields.Text()
    score_total = fields.Integer(compute="_compute_score", store=True, aggregator="avg")
    score_percent = fields.Float(
        compute="_compute_score", store=True, string="Score (%)", aggregator="avg"
    )

    _sql_constraints = [
        ("dossier_uniq", "unique(dossier_id)", "A dossier is evaluated once."),
    ]

    @api.depends(*INDICATORS)
    def _compute_score(self):
        for evaluation in self:
            total = sum(int(evaluation[name] or 0) for name in INDICATORS)
            evaluation.score_total = total
            evaluation.score_percent = round(100.0 * total / (2 * len(INDICATORS)), 1)
