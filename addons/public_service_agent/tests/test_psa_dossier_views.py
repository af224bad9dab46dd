"""The dossier's views decide on stage flags, never on literal national status codes."""

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import PsaDossierCommon

# Attributes whose value is an expression or a domain the client evaluates.
DECIDING_ATTRIBUTES = (
    "invisible",
    "readonly",
    "required",
    "column_invisible",
    "domain",
    "filter_domain",
    "context",
    "decoration-success",
    "decoration-warning",
    "decoration-danger",
    "decoration-info",
    "decoration-muted",
    "decoration-bf",
)
# Header buttons that move the dossier -> the flag of the stage they move it to.
MOVES = {
    "action_receive": "is_received",
    "action_start_processing": "is_processing",
    "action_mark_done": "is_done",
    "action_return_result": "is_returned",
    "psa_dossier_refuse_wizard_action": "is_refused",
    "psa_dossier_supplement_wizard_action": "is_supplement",
}
FLAGS = ("is_new", "is_received", "is_processing", "is_supplement", "is_done")


@tagged("post_install", "-at_install")
class TestPsaDossierViews(PsaDossierCommon):
    def _arch(self, view_type):
        """The view as the officer's client receives it, with every addon's extensions."""
        view = self.env["psa.dossier"].with_user(self.officer).get_view(view_type=view_type)
        return etree.fromstring(view["arch"])

    def _action_names(self):
        """Wizard buttons carry the action's id: map it back to the action's XML name."""
        names = {}
        for xmlid in MOVES:
            action = self.env.ref(f"public_service_agent.{xmlid}", raise_if_not_found=False)
            if action:
                names[str(action.id)] = xmlid
        return names

    def test_no_decision_on_status_code(self):
        for view_type in ("form", "list", "kanban", "search"):
            for node in self._arch(view_type).iter():
                for attribute in DECIDING_ATTRIBUTES:
                    value = node.get(attribute) or ""
                    self.assertNotIn(
                        "status_code",
                        value,
                        f"{view_type} view: <{node.tag} name={node.get('name')!r}> decides on "
                        f"the national status code in {attribute}={value!r}; use a stage flag",
                    )

    def test_workflow_buttons_follow_the_stage_flags(self):
        """In each stage, a move button is shown only where the workflow allows the move,
        and the normal path shows the expected one."""
        header = self._arch("form").find(".//header")
        actions = self._action_names()
        buttons = []
        for button in header.iter("button"):
            name = actions.get(button.get("name"), button.get("name"))
            if name in MOVES:
                buttons.append((name, button.get("string"), button.get("invisible") or "False"))
        self.assertEqual({name for name, _string, _expr in buttons}, set(MOVES))
        Stage = self.env["psa.dossier.stage"]
        shown_by_stage = {}
        for stage in Stage.search([]):
            values = {f"stage_{flag}": stage[flag] for flag in FLAGS}
            shown = {
                (name, string) for name, string, expr in buttons if not safe_eval(expr, values)
            }
            shown_by_stage[stage] = shown
            for name, string in shown:
                self.assertIn(
                    Stage._psa_find(MOVES[name]),
                    stage.next_stage_ids,
                    f"“{string}” is shown in {stage.name}, which cannot move there",
                )
        find = Stage._psa_find
        self.assertEqual(
            {name for name, _string in shown_by_stage[find("is_new")]},
            {"action_receive", "psa_dossier_refuse_wizard_action"},
        )
        self.assertEqual(
            {name for name, _string in shown_by_stage[find("is_received")]},
            {"action_start_processing", "psa_dossier_supplement_wizard_action"},
        )
        self.assertEqual(
            {name for name, _string in shown_by_stage[find("is_processing")]},
            {"action_mark_done", "psa_dossier_supplement_wizard_action"},
        )
        documents_complete = ("action_start_processing", "Documents Complete")
        self.assertEqual(shown_by_stage[find("is_supplement")], {documents_complete})
        self.assertEqual(
            {name for name, _string in shown_by_stage[find("is_done")]}, {"action_return_result"}
        )
        for stage in Stage.search([("is_closed", "=", True)]):
            self.assertFalse(shown_by_stage[stage], stage.name)

    def test_flags_are_read_from_the_stage(self):
        """The form's flags follow an administrator's edit of the stage."""
        dossier = self._new_dossier()
        self.assertTrue(dossier.stage_is_new)
        self.assertFalse(dossier.stage_is_received)
        received = self.env["psa.dossier.stage"]._psa_find("is_received")
        self._fill(dossier).action_receive()
        self.assertEqual(dossier.stage_id, received)
        self.assertTrue(dossier.stage_is_received)
        self.assertFalse(dossier.stage_is_new)
