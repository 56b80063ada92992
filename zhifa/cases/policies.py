"""Who may do what with cases, besides the procedure's own roles (zhifa.cases.procedure).

Reading is governed by scoping (org.scoping.visible). Acting needs the case (or the agency) inside
the actor's own scope.
"""

from __future__ import annotations

from typing import Any

from zhifa.cases.models import Case
from zhifa.core.scoping import apply_scope
from zhifa.org.models import Agency, RoleCode
from zhifa.org.scoping import has_role, own_scope, person_of

CASE_ROLES = (RoleCode.OFFICER, RoleCode.TEAM_LEADER)


def can_open_case(user: Any, agency: Agency) -> bool:
    """Officers and team leaders register cases for their own agency (or the one they are seconded to)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not has_role(user, *CASE_ROLES):
        return False
    person = person_of(user)
    if person is None:
        return False
    scope = own_scope(user)
    return person.agency_id == agency.pk or agency.pk in scope.agency_ids


def can_work_on(user: Any, case: Case) -> bool:
    """Officers and team leaders with the case in their own scope may add parties, evidence, records."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not has_role(user, *CASE_ROLES):
        return False
    return apply_scope(Case.objects.filter(pk=case.pk), own_scope(user)).exists()


def can_lead(user: Any, case: Case) -> bool:
    """Team leaders of the case's agency approve (filing, extension, recusal, closing)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return has_role(user, RoleCode.TEAM_LEADER) and can_work_on(user, case)
