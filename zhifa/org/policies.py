"""Who may do what with organisation objects: `user_can(user, action, obj)`.

Reading is governed by scoping (org.scoping.visible); these rules add the role needed to act.
A check on an object always also requires the object to be in the user's scope.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Model

from zhifa.core.scoping import apply_scope
from zhifa.org.models import RoleCode
from zhifa.org.scoping import has_role, own_scope, scope_for


class Action(StrEnum):
    VIEW = "view"
    EDIT_ORG = "edit_org"  # regions, departments, agencies, teams, zones, grid, people
    IMPORT = "import"
    MANAGE_CERTIFICATES = "manage_certificates"  # issue, suspend, revoke, renew; monthly review
    MANAGE_CALENDAR = "manage_calendar"
    MANAGE_NUMBERING = "manage_numbering"
    VIEW_RECORD = "view_record"


# The roles that may take each action (in their scope). Superusers may take every action.
ACTION_ROLES: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset(RoleCode.values),
    Action.EDIT_ORG: frozenset({RoleCode.ADMIN}),
    Action.IMPORT: frozenset({RoleCode.ADMIN}),
    # The justice bureau manages certificates (LAW.md section 5; seed 004: monthly clean-up).
    Action.MANAGE_CERTIFICATES: frozenset({RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN}),
    Action.MANAGE_CALENDAR: frozenset({RoleCode.ADMIN}),
    Action.MANAGE_NUMBERING: frozenset({RoleCode.ADMIN}),
    Action.VIEW_RECORD: frozenset({RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU}),
}


def user_can(user, action: Action | str, obj: Model | None = None) -> bool:
    """True when `user` may take `action` (on `obj`, which must then be in the user's scope)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    action = Action(action)
    if not user.is_superuser and not has_role(user, *ACTION_ROLES[action]):
        return False
    if obj is None:
        return True
    model = type(obj)
    if getattr(model, "scope_rule", None) is None:
        return True
    # Reading covers the county directory; acting needs the object inside the user's own scope.
    scope = scope_for(user) if action == Action.VIEW else own_scope(user)
    return apply_scope(model._default_manager.filter(pk=obj.pk), scope).exists()
