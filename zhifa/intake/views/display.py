"""What the command centre, clue and team pages share: status colours, countdowns, queue rows.

A countdown reads "剩余 12 分钟" before the step's time limit (StepLimit, zhifa/intake/limits.py) and
"超时 5 分钟" after it; static/intake/command.js ticks the same text every second in the browser,
from the labels in `countdown_labels()` (so both speak the user's language).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.intake.models import Clue, ClueStatus
from zhifa.intake.policies import COMMAND_ROLES, TEAM_ROLES
from zhifa.org.scoping import has_role

# One colour per status, for badges, list rows and map markers (the legend shows them all).
STATUS_COLOURS: dict[str, str] = {
    ClueStatus.REPORTED: "#d6336c",
    ClueStatus.JOINT: "#7048e8",
    ClueStatus.DISPATCHED: "#1c7ed6",
    ClueStatus.HANDLING: "#e8590c",
    ClueStatus.HANDLED: "#0c8599",
    ClueStatus.FED_BACK: "#2b8a3e",
    ClueStatus.VERIFIED: "#5c940d",
    ClueStatus.CLOSED: "#495057",
    ClueStatus.TRANSFERRED: "#868e96",
    ClueStatus.MERGED: "#adb5bd",
    ClueStatus.DISMISSED: "#adb5bd",
}


def colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "#6c757d")


def legend() -> list[tuple[str, str, str]]:
    """(status, label, colour) of the open statuses, for the map legend."""
    from zhifa.intake.models import OPEN_STATUSES

    return [(s, str(ClueStatus(s).label), colour(s)) for s in OPEN_STATUSES]


def _phrases() -> dict[str, str]:
    """The phrases of a countdown; %(x)s placeholders so command.js can fill them too."""
    return {
        "s": _("%(n)s 秒"),
        "m": _("%(n)s 分钟"),
        "h": _("%(h)s 小时 %(m)s 分钟"),
        "d": _("%(d)s 天 %(h)s 小时"),
        "left": _("剩余 %(t)s"),
        "over": _("超时 %(t)s"),
    }


def duration_text(seconds: float) -> str:
    """A span of time as people say it: 45 秒, 12 分钟, 3 小时 5 分钟, 2 天 4 小时 (rounded down)."""
    phrases = _phrases()
    seconds = int(abs(seconds))
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 1:
        return phrases["s"] % {"n": seconds}
    if hours < 1:
        return phrases["m"] % {"n": minutes}
    if days < 1:
        return phrases["h"] % {"h": hours, "m": minutes % 60}
    return phrases["d"] % {"d": days, "h": hours % 24}


def countdown(due: datetime.datetime | None, now: datetime.datetime) -> tuple[str, bool]:
    """("剩余 12 分钟", False) before the limit, ("超时 5 分钟", True) after it, ("", False) without one."""
    if due is None:
        return "", False
    left = (due - now).total_seconds()
    key = "over" if left < 0 else "left"
    return _phrases()[key] % {"t": duration_text(left)}, left < 0


def countdown_labels() -> dict[str, str]:
    """The same phrases for command.js, with {n}, {h}, {m}, {d}, {t} where the numbers go, and the
    words of the item chooser."""
    names = {"n": "{n}", "h": "{h}", "m": "{m}", "d": "{d}", "t": "{t}"}
    labels = {key: phrase % names for key, phrase in _phrases().items()}
    return labels | {"added": _("已添加"), "remove": _("移除"), "open": _("打开线索")}


def iso(moment: datetime.datetime | None) -> str:
    """A time for the browser (milliseconds: every browser parses it)."""
    return moment.isoformat(timespec="milliseconds") if moment is not None else ""


@dataclass(frozen=True)
class Row:
    """One clue in a list, with its status colour and countdown."""

    clue: Clue
    colour: str
    countdown: str
    overdue: bool
    due_iso: str


def rows(clues: Any, now: datetime.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    result = []
    for clue in clues:
        text, over = countdown(clue.step_due_at, now) if clue.is_open else ("", False)
        due_iso = iso(clue.step_due_at) if clue.is_open else ""
        result.append(Row(clue, colour(clue.status), text, over, due_iso))
    return result


def is_commander(user: Any) -> bool:
    """Dispatchers and administrators (and superusers) use the command centre."""
    return bool(user.is_superuser or has_role(user, *COMMAND_ROLES))


def is_team_member(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, *TEAM_ROLES))


def require(allowed: bool) -> None:
    """403 for a page the user's role has no use for (objects are scoped separately: 404)."""
    if not allowed:
        raise PermissionDenied
