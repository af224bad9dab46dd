from odoo import api, models
from odoo.exceptions import ValidationError

# The context key that opens the guard, and the one value that opens it. A caller of
# /web/dataset/call_kw, /json/2 or XML-RPC sends its context as JSON (or XML-RPC) values:
# strings, numbers, booleans, null, lists and dicts. It can send this key, never this object:
# the object exists only inside this Python process, safe_eval (action contexts, domains)
# cannot reach module globals, and the test is identity (``is``), not equality. So a context
# built by a client never passes, whatever it holds; only server code calling _system() does.
SYSTEM_CONTEXT_KEY = "psa_system_write"
_SERVER = object()


def as_system(records):
    """``records`` in an environment where the server's own writes pass the guards."""
    return records.with_context(**{SYSTEM_CONTEXT_KEY: _SERVER})


def is_system(env):
    """True only in an environment made by ``as_system``; never for a client's context."""
    return env.context.get(SYSTEM_CONTEXT_KEY) is _SERVER


class PsaGuardMixin(models.AbstractModel):
    """Fields only the server writes, and fields frozen once a record is locked.

    A model inheriting it declares:

    - ``_guard_system_fields``: set by the server only (settlement, answers, copies, links).
      A user's create drops them (``_guard_create_vals``); a user's write naming one is
      refused.
    - ``_guard_locked_fields``: frozen once ``_guard_is_locked()`` holds for a record
      (a confirmed claim, a confirmed statement).

    ``_system_write(vals)`` and ``_system_create(vals_list)`` are the only way past both. They
    mark the environment with a private Python object no client can send (see above), unlike
    the context flags (``subsidy_internal=True``) they replace, which any RPC caller could set.
    """

    _name = "psa.guard.mixin"
    _description = "Guarded Writes"

    _guard_system_fields = ()
    _guard_locked_fields = ()

    # ------------------------------------------------------------------ the server's door
    def _system(self):
        """These records in an environment where the server's own writes pass the guard."""
        return as_system(self)

    def _is_system(self):
        return is_system(self.env)

    def _system_write(self, vals):
        return self._system().write(vals)

    @api.model
    def _system_create(self, vals_list):
        return self._system().create(vals_list)

    # ------------------------------------------------------------------ what models declare
    def _guard_is_locked(self):
        """True when one of ``self`` no longer accepts its locked fields; models extend it."""
        return False

    def _guard_locked_in(self, vals):
        return set(self._guard_locked_fields).intersection(vals)

    def _guard_system_error(self, names):
        return ValidationError(
            self.env._(
                "These fields are set by the system only: %(fields)s",
                fields=", ".join(sorted(self._fields[n].string or n for n in names)),
            )
        )

    def _guard_locked_error(self, names):
        return ValidationError(
            self.env._(
                "%(record)s is locked: %(fields)s can no longer change.",
                record=self[:1].display_name,
                fields=", ".join(sorted(self._fields[n].string or n for n in names)),
            )
        )

    # ------------------------------------------------------------------ the guard
    def _guard_create_vals(self, vals_list):
        """Drop the system fields from a user's entry; models call it first in ``create()``.

        First, because a model's ``create()`` then fills some of them itself (copies made on
        the server), which the guard must not drop again.
        """
        if not self._is_system():
            for vals in vals_list:
                for name in self._guard_system_fields:
                    vals.pop(name, None)
        return vals_list

    def write(self, vals):
        if not self._is_system():
            system = set(self._guard_system_fields).intersection(vals)
            if system:
                raise self._guard_system_error(system)
            locked = self._guard_locked_in(vals)
            if locked and self._guard_is_locked():
                raise self._guard_locked_error(locked)
        return super().write(vals)
