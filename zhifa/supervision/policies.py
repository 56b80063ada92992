"""Who supervises: who may read the full-process record of a case or a clue (APL Art. 47; GO118 (十):
supervisors retrieve the record in real time).

- `can_supervise(user)`: the justice bureau and administrators (org.policies Action.VIEW_RECORD), and
  superusers. They read the record of every case and clue inside their scope (org.scoping: the county
  justice bureau and a county administrator the county, a township administrator the township).
- Team leaders supervise their own team (DESIGN.md: team leaders approve and assign): they read the
  record of the cases of their own agency (and of an agency they are seconded to) and of the clues
  assigned to it, still only inside their scope. A case of another agency in their township is not
  theirs to supervise.
- Everyone else has no record pages at all: 403 whatever the id, so nothing is revealed; a supervisor
  asking for an object outside what they supervise gets 404 (DESIGN.md: outsiders learn nothing).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from zhifa.cases.models import Case
from zhifa.intake.models import Clue
from zhifa.org.models import RoleCode
from zhifa.org.policies import Action, user_can
from zhifa.org.scoping import has_role, own_scope, person_of, visible


def can_supervise(user: Any) -> bool:
    """Justice bureau or administrator (active, Action.VIEW_RECORD), or a superuser."""
    return user_can(user, Action.VIEW_RECORD)


def _leads_team(user: Any) -> bool:
    return has_role(user, RoleCode.TEAM_LEADER)


def can_view_records(user: Any) -> bool:
    """May open the record pages at all: supervisors and team leaders."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_supervise(user) or _leads_team(user)


def require_record_access(user: Any) -> None:
    """PermissionDenied (403) for those who have no record pages: nothing about any object is revealed."""
    if not can_view_records(user):
        raise PermissionDenied


def own_agency_ids(user: Any) -> list[int]:
    """The agencies a team leader acts for: their own and those they are seconded to now ("县属乡用")."""
    person = person_of(user)
    if person is None:
        return []
    ids = set(own_scope(user).agency_ids)
    if person.agency_id is not None:
        ids.add(person.agency_id)
    return sorted(ids)


def record_cases(user: Any) -> QuerySet[Case]:
    """The cases whose record `user` may read (see the module docstring)."""
    cases = visible(Case.objects.all(), user)
    if can_supervise(user):
        return cases
    if _leads_team(user):
        return cases.filter(agency_id__in=own_agency_ids(user))
    return cases.none()


def record_clues(user: Any) -> QuerySet[Clue]:
    """The clues whose record `user` may read: supervisors their scope, team leaders their agency's."""
    clues = visible(Clue.objects.all(), user)
    if can_supervise(user):
        return clues
    if _leads_team(user):
        return clues.filter(assigned_agency_id__in=own_agency_ids(user))
    return clues.none()
