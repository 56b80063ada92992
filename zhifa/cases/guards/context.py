"""The guards' context: what a guard sees (the case, who acts, the day, the input)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from zhifa.cases.models import (
    Case,
    CaseOfficer,
)
from zhifa.cases.settings_defaults import SettingValue, settings_for
from zhifa.org.models import Person


@dataclass
class GuardContext:
    """What a guard sees: the case, who acts, on which day, and the action's input."""

    case: Case
    actor: Any
    person: Person | None
    on_date: datetime.date
    payload: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def settings(self) -> dict[str, SettingValue]:
        return settings_for(self.case.agency)

    @cached_property
    def officers(self) -> list[CaseOfficer]:
        return list(
            self.case.officers.filter(withdrawn_on__isnull=True).select_related("person").order_by("id")
        )

    @cached_property
    def parties(self) -> list:
        return list(self.case.parties.all())

    def decimal(self, key: str) -> Decimal | None:
        return parse_decimal(self.payload.get(key))

    @property
    def organisation(self) -> bool:
        return any(p.kind != "person" for p in self.parties)


def parse_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A database id from input, or None when it is not a positive integer in the column's range."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
