"""What every clue service shares: the conditional state change, the step record, time limits.

Concurrency (DESIGN.md: no lost update): a transition is one conditional UPDATE on (id, version,
status). Two dispatchers dispatching the same clue at once: the first UPDATE matches, the second
matches no row and its user is told the clue has moved on (CONFLICT), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.intake.limits import due_at, limit_minutes
from zhifa.intake.models import WAITING_STEP, Clue, ClueStep, StepLimit
from zhifa.org.scoping import person_of


def not_allowed() -> ServiceError:
    return ServiceError(ErrorCode.NOT_ALLOWED, _("无权办理该线索。"))


def moved_on(clue: Clue) -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT,
        _("线索 %(code)s 已被他人办理或状态已变化，请刷新后查看。") % {"code": clue.code},
        field="version",
    )


def require_status(clue: Clue, *allowed: str) -> None:
    if clue.status not in allowed:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("线索当前状态为“%(status)s”，不能办理此环节。") % {"status": clue.get_status_display()},
            field="status",
        )


def step_due(clue: Clue, status: str, start: datetime.datetime) -> datetime.datetime | None:
    """When the step the clue waits for in `status` is due (limits by category and priority)."""
    step = WAITING_STEP.get(status)
    if step is None:
        return None
    rows = StepLimit.objects.filter(step=step).values_list("category_id", "priority", "step", "minutes")
    return due_at(start, limit_minutes(rows, clue.category_id, clue.priority, step))


def transition(
    clue: Clue,
    *,
    version: int | None,
    allowed: tuple[str, ...],
    status: str,
    restart_clock: bool = True,
    **changes: Any,
) -> datetime.datetime:
    """Move `clue` to `status` if it is still in `allowed` at `version`; sets the next step's limit.

    `restart_clock=False` keeps the running step's limit (classifying does not reset the time allowed
    to dispatch). Raises CONFLICT when someone else acted first. Returns the time of the change. Call
    inside the service's transaction; `clue` is updated in memory.
    """
    now = timezone.now()
    expected = clue.version if version is None else version
    if restart_clock:
        changes |= {"step_started_at": now, "step_due_at": step_due(clue, status, now)}
    updated = Clue.objects.filter(pk=clue.pk, version=expected, status__in=allowed).update(
        status=status, version=F("version") + 1, **changes
    )
    if not updated:
        raise moved_on(clue)
    clue.refresh_from_db()
    return now


def add_step(
    clue: Clue,
    kind: str,
    actor: Any,
    at: datetime.datetime,
    *,
    note: str = "",
    due: datetime.datetime | None = None,
    data: dict | None = None,
    actor_name: str = "",
) -> ClueStep:
    """Keep one step of the loop; `due` is the limit the step had to meet (late if it is past)."""
    person = person_of(actor)
    name = actor_name or (person.name if person is not None else getattr(actor, "username", "") or "")
    return ClueStep.objects.create(
        clue=clue,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=name[:50],
        note=note,
        at=at,
        due_at=due,
        late=due is not None and at > due,
        data=data or {},
    )


def clean_note(text: str | None, *, field: str = "note", required: bool = False, label: str = "") -> str:
    """A step's note: trimmed, at most 2,000 characters, required where a reason must be given."""
    note = (text or "").strip()
    if required and not note:
        raise ServiceError(
            ErrorCode.REQUIRED, _("请填写%(label)s。") % {"label": label or _("说明")}, field=field
        )
    if len(note) > 2000:
        raise ServiceError(ErrorCode.INVALID, _("说明过长（最多2000字）。"), field=field)
    return note
