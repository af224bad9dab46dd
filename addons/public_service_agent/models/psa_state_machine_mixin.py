import inspect
import re
from collections import deque

from odoo import api, models
from odoo.exceptions import ValidationError

from .psa_guard_mixin import is_system

DRAWING_LINE = re.compile(r"^\s*([a-z_]+)\s*->(.*)$")


class PsaStateMachineMixin(models.AbstractModel):
    """A declared state machine: one transition table, checked in ``write()``.

    ``create()`` walks it too.

    A model inheriting it declares ``_state_transitions = {state: (next, ...)}`` and draws the
    same table in its class docstring, one line per state::

        draft -> requested, cancelled
        cancelled -> (final)

    ``test_psa_state_machine`` compares every drawing with its table, so they cannot drift.
    A record is created in ``_state_initial``; a create or import that asks for a later state
    walks the shortest allowed path, each step checked like a button. States listed in
    ``_state_needs_reason`` need ``_state_reason_field`` filled in the same write.
    ``_on_state_change(old, new)`` runs after each move, once per batch of records.
    """

    _name = "psa.state.machine.mixin"
    _description = "State Machine"

    _state_field = "state"
    _state_initial = "draft"
    _state_transitions = {}
    _state_needs_reason = ()
    _state_reason_field = None

    @api.model_create_multi
    def create(self, vals_list):
        field = self._state_field
        targets = [vals.pop(field, self._state_initial) for vals in vals_list]
        records = super().create(vals_list)
        for record, target in zip(records, targets, strict=True):
            if target != record[field]:
                record._state_walk(target)
        return records

    def write(self, vals):
        field = self._state_field
        # The server's own corrections may skip the table (as_system, see psa.guard.mixin); a
        # context sent over RPC never does, whatever flag it carries.
        if field not in vals or (self.env.su and is_system(self.env)):
            return super().write(vals)
        new_state = vals[field]
        by_old_state = {}
        for record in self:
            if record[field] != new_state:
                by_old_state.setdefault(record[field], []).append(record.id)
        for old_state, ids in by_old_state.items():
            self.browse(ids)._state_check(old_state, new_state, vals)
        result = super().write(vals)
        for old_state, ids in by_old_state.items():
            self.browse(ids)._on_state_change(old_state, new_state)
        return result

    def _state_labels(self):
        return dict(self._fields[self._state_field]._description_selection(self.env))

    def _state_check(self, old_state, new_state, vals):
        """Refuse a move the table does not allow, naming the allowed next states."""
        allowed = self._state_transitions.get(old_state, ())
        labels = self._state_labels()
        if new_state not in allowed:
            raise ValidationError(
                self.env._(
                    "%(record)s cannot go from %(old)s to %(new)s. "
                    "Allowed next states: %(allowed)s.",
                    record=self[:1].display_name,
                    old=labels.get(old_state, old_state),
                    new=labels.get(new_state, new_state),
                    allowed=", ".join(labels.get(s, s) for s in allowed) or self.env._("none"),
                )
            )
        if new_state in self._state_needs_reason and self._state_reason_field:
            if not str(vals.get(self._state_reason_field) or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give a reason to set %(record)s to %(new)s.",
                        record=self[:1].display_name,
                        new=labels.get(new_state, new_state),
                    )
                )
        return True

    def _on_state_change(self, old_state, new_state):
        """Called after ``self`` moved from ``old_state`` to ``new_state``; models extend it."""

    @api.model
    def _state_path(self, source, target):
        """The shortest list of states leading from ``source`` to ``target``, or None."""
        previous = {source: None}
        queue = deque([source])
        while queue:
            state = queue.popleft()
            if state == target:
                path = []
                while state != source:
                    path.append(state)
                    state = previous[state]
                return path[::-1]
            for nxt in self._state_transitions.get(state, ()):
                if nxt not in previous:
                    previous[nxt] = state
                    queue.append(nxt)
        return None

    def _state_walk(self, target, **extra_vals):
        """Move each record to ``target`` through the allowed path, every step checked."""
        field = self._state_field
        for record in self:
            path = record._state_path(record[field], target)
            if path is None:
                labels = self._state_labels()
                raise ValidationError(
                    self.env._(
                        "%(record)s cannot reach %(new)s from %(old)s.",
                        record=record.display_name,
                        new=labels.get(target, target),
                        old=labels.get(record[field], record[field]),
                    )
                )
            for step in path:
                record.write({field: step, **extra_vals})

    @api.model
    def _state_drawing(self):
        """The transitions drawn in the docstring of the class that declares the table."""
        for cls in type(self).__mro__:
            if "_state_transitions" in vars(cls) and cls.__doc__:
                drawing = {}
                for line in inspect.cleandoc(cls.__doc__).splitlines():
                    match = DRAWING_LINE.match(line)
                    if match:
                        targets = set(re.findall(r"[a-z_]+", match.group(2))) - {"final"}
                        drawing.setdefault(match.group(1), set()).update(targets)
                return drawing
        return {}

    @api.model
    def _state_table(self):
        return {state: set(nxt) for state, nxt in self._state_transitions.items()}
