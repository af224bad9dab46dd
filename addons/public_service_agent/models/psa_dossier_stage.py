from odoo import api, fields, models
from odoo.exceptions import UserError

# What the code asks of a stage: the flags below, never the national code itself.
STAGE_FLAGS = (
    "is_new",
    "allow_upload",
    "is_received",
    "is_processing",
    "is_supplement",
    "is_done",
    "is_returned",
    "is_refused",
)


class PsaDossierStage(models.Model):
    """A dossier status of the national portal (DVCQG codes 1 to 10).

    The national code is data reported to the portal; the workflow reads the flags
    (``allow_upload``, ``is_supplement``, ...). The stages, their flags and their allowed
    next stages are loaded once (``noupdate``): an administrator's edits survive upgrades.
    """

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
    is_new = fields.Boolean(
        string="Filing Stage",
        help="Dossiers are filed in this stage and wait at the agent to be sent to the Center.",
    )
    allow_upload = fields.Boolean(
        string="Agent May Add Scans", help="Agent staff may add or replace scans in this stage."
    )
    is_processing = fields.Boolean(
        string="Processing Stage", help="The stage the Center's “Start Processing” button moves to."
    )
    is_supplement = fields.Boolean(
        string="More Documents Requested",
        help="The stage a request for more documents moves to; the agent portal lists them.",
    )
    is_returned = fields.Boolean(
        string="Result Returned",
        help="Entering it stamps the return date and sends the citizen's evaluation link.",
    )
    is_refused = fields.Boolean(
        string="Refused", help="The stage a refusal moves to; it counts as a refused dossier."
    )
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

    @api.model
    def _psa_find(self, flag):
        """The stage carrying ``flag`` (one of ``STAGE_FLAGS``), first by sequence."""
        assert flag in STAGE_FLAGS, flag
        stage = self.sudo().search([(flag, "=", True)], limit=1)
        if not stage:
            field = self._fields[flag]._description_string(self.env)
            raise UserError(self.env._("No dossier stage is marked “%(flag)s”.", flag=field))
        return stage.with_env(self.env)
