"""Who may act on a clue at each step (issue 4). Reading is governed by org.scoping.visible.

Seeds 002/003: the command centre (dispatchers) triages and dispatches, decides transfers and closes;
the assigned team (its officers and team leader) signs for, handles and reports back; the reporter's
grid (or the dispatcher) verifies on site; the reporter evaluates. Every check needs the clue to lie
within the user's own scope as well (a dispatcher of another county never acts on it).
"""

from __future__ import annotations

from typing import Any

from zhifa.intake.models import Clue
from zhifa.org.models import RoleCode
from zhifa.org.scoping import has_role, person_of, visible

REPORTER_ROLES = (
    RoleCode.GRID_WORKER,
    RoleCode.DISPATCHER,
    RoleCode.OFFICER,
    RoleCode.TEAM_LEADER,
    RoleCode.ADMIN,
)
COMMAND_ROLES = (RoleCode.DISPATCHER, RoleCode.ADMIN)
TEAM_ROLES = (RoleCode.OFFICER, RoleCode.TEAM_LEADER)


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def in_scope(user: Any, clue: Clue) -> bool:
    """The clue is among those the user may read."""
    return visible(Clue.objects.filter(pk=clue.pk), user).exists()


def can_report(user: Any) -> bool:
    """Staff who report clues from their work (grid patrol, hotline entry, inspection findings)."""
    return _active(user) and (user.is_superuser or has_role(user, *REPORTER_ROLES))


def can_command(user: Any, clue: Clue) -> bool:
    """The command centre: classify, dispatch, transfer, joint meeting, merge, dismiss, verify, close."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, *COMMAND_ROLES) and in_scope(user, clue)


def can_handle(user: Any, clue: Clue) -> bool:
    """The assigned agency's officers and team leaders: sign for, send back, handle, feed back."""
    if not _active(user) or clue.assigned_agency_id is None:
        return False
    if user.is_superuser:
        return True
    person = person_of(user)
    return (
        person is not None
        and has_role(user, *TEAM_ROLES)
        and person.agency_id == clue.assigned_agency_id
        and (clue.assigned_team_id is None or person.team_id in (None, clue.assigned_team_id))
    )


def can_verify(user: Any, clue: Clue) -> bool:
    """On-site verification: the reporter's grid (the grid worker who reported) or the command centre."""
    if not _active(user):
        return False
    if clue.reported_by_id is not None and clue.reported_by_id == user.pk:
        return True
    if has_role(user, RoleCode.GRID_WORKER) and clue.grid_cell_id is not None:
        person = person_of(user)
        if person is not None and clue.grid_cell.workers.filter(pk=person.pk).exists():
            return True
    return can_command(user, clue)


def can_evaluate(user: Any, clue: Clue) -> bool:
    """The staff member who reported it (the public evaluates by tracking code, see services)."""
    return _active(user) and clue.reported_by_id is not None and clue.reported_by_id == user.pk
