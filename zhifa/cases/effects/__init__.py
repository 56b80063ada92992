"""What each transition writes besides the state: documents, rows, fields (run by the engine).

Each effect reads the transition's input from `ctx.payload`, validates what the guards do not, writes
its rows inside the engine's transaction and returns the target state (when it chooses), the case's
field changes and what the record event should say.
"""

from zhifa.cases.effects import decisions, filing
from zhifa.cases.effects.base import _EFFECTS, Effect, effect, run
from zhifa.cases.effects.filing import review_agency_for

__all__ = ["_EFFECTS", "Effect", "decisions", "effect", "filing", "review_agency_for", "run"]
