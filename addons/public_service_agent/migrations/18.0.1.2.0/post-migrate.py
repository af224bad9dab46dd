"""Stages became noupdate and carry workflow flags: set the flags once on existing databases."""

from odoo import SUPERUSER_ID, api

FLAGS = {
    "stage_new": ("is_new", "allow_upload"),
    "stage_processing": ("is_processing",),
    "stage_supplement": ("is_supplement", "allow_upload"),
    "stage_returned": ("is_returned",),
    "stage_not_received": ("is_refused",),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, flags in FLAGS.items():
        stage = env.ref(f"public_service_agent.{xmlid}", raise_if_not_found=False)
        if stage:
            stage.write(dict.fromkeys(flags, True))
    cr.execute(
        "UPDATE ir_model_data SET noupdate = TRUE"
        " WHERE module = 'public_service_agent' AND model = 'psa.dossier.stage'"
    )
