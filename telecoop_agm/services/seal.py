# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The seal of the addon's own writers.

Some records are written by one piece of code only: the ballot box by the
casting code, the participation by the vote, the results by the tally, the
state of an assembly by its actions. Their ``create``/``write`` guards accept a
write only when the context carries :data:`SEAL` under :data:`KEY`.

A context sent by a client (JSON-RPC, a form, an action) holds strings,
numbers, lists and dicts: never this Python object, which only code running
inside the server can import. So the guard is not a context key that anyone
can set, unlike a boolean flag.
"""


class _Seal:
    __slots__ = ()

    def __repr__(self):
        return "<telecoop_agm seal>"

    def __reduce__(self):  # copies and pickles give back the one seal
        return "SEAL"


SEAL = _Seal()
KEY = "telecoop_agm_seal"


def sealed_context():
    """Context values that open the guarded writes: ``records.with_context(**sealed_context())``."""
    return {KEY: SEAL}


def is_sealed(context):
    """True when ``context`` (an environment's context) carries the seal itself."""
    return context.get(KEY) is SEAL
