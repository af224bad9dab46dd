from odoo import fields, models


class PsaDossierStage(models.Model):
    """A dossier status of the national portal (DVCQG codes 1 to 10)."""

    _name = "psa.dossier.stage"
    _description = "Dossier Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    status_code = fields.Integer(
        string="National Status Code", required=True, help="DVCQG status, 1 to 10."
    )
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage", help="Dossiers in this stage are finished and read-only."
    )
    pauses_sla = fields.Boolean(
        string="Pauses the Deadline",
        help="While here the deadline is suspended; it restarts when the dossier leaves.",
    )
    is_received = fields.Boolean(
        string="Starts the Deadline", help="Entering this stage stamps the receipt date."
    )
    is_done = fields.Boolean(string="Processing Done", help="Entering it stamps the done date.")
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "psa.dossier")],
        help="Sent to the citizen when a dossier reaches this stage.",
    )
    next_stage_ids = fields.Many2many(
        "psa.dossier.stage",
        "psa_dossier_stage_transition_rel",
        "from_stage_id",
        "to_stage_id",
        string="Allowed Next Stages",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("status_code_uniq", "unique(status_code)", "Each national status has one stage."),
    ]
