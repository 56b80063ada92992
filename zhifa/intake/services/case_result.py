"""A case's result told back to the clue that started it (DESIGN.md: the later app calls the earlier).

The reporter and the command centre see on the clue what became of the case: its number, how it ended.
Called inside the case service's transaction; that service's record event names the clue, so this adds
a step to the clue's timeline and no event of its own.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.intake.models import Clue, StepKind
from zhifa.intake.services.common import add_step


def clue_note_case_result(
    *, clue: Clue, actor: Any, case_code: str, outcome: str, outcome_label: str
) -> None:
    """Add the "case result" step to `clue` (must run inside the caller's transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("clue_note_case_result must run inside the caller's transaction")
    add_step(
        clue,
        StepKind.CASE_RESULT,
        actor,
        timezone.now(),
        note=f"{case_code}：{outcome_label}",
        data={"case": case_code, "outcome": outcome},
    )
