"""The demo's dated history, replayed at the clock's current moment.

The demo install dates its dossiers from the Center's day it runs on. Tests that compare
them with "now" replay that history first, so that they hold on any clock, including the
shifted ones ``make test`` runs the ``psa_clock`` tests on (tools/test.sh, libfaketime).
"""

from lxml import etree

from odoo.tools import file_open
from odoo.tools.safe_eval import safe_eval


def replay_demo_history(env):
    """Rerun the demo XML's ``_demo_set_history`` calls now; return the dossiers replayed."""
    with file_open("public_service_agent/demo/psa_dossier_demo.xml", "rb") as xml:
        root = etree.parse(xml).getroot()
    Dossier = env["psa.dossier"]
    replayed = Dossier
    for node in root.iter("function"):
        if node.get("name") == "_demo_set_history":
            args = safe_eval(node.get("eval"))
            Dossier._demo_set_history(*args)
            replayed |= env.ref(args[0])
    # The nightly refresh of the stored "overdue" flags, as it would run now.
    env.add_to_compute(replayed._fields["is_overdue"], replayed)
    replayed.flush_recordset()
    return replayed
