"""18.0.1.1.0: evaluation links no longer go through the chatter.

Tokens that were posted in a dossier's messages could be read by agent staff and
followers: rotate them, and neutralise the old links in those messages. Citizens,
dossiers and evaluations are kept as they are.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["psa.dossier"]._psa_rotate_posted_evaluation_tokens()
