"""Who may do what in inspections. Reading goes through data scoping (org.scoping.visible).

- The catalogue (items, checklists, frequency rules, scenarios) belongs to the county: its
  administrators and the justice bureau keep it, and a department's team leaders keep their own items
  and may join a scenario with them.
- Subjects are kept by the county's and the township's administrators and team leaders.
- A draw is organised by the team leaders and administrators of its agency (GO118 (四): the random-check
  list is the agency's); the justice bureau supervises and sees all draws of the county.
- A joint plan is made by zone leaders (DESIGN.md: they organise joint operations across departments),
  county administrators and the justice bureau.
- A visit is worked by the inspectors on it (APL Art. 42, 55) and the organiser's team leaders.
"""

from __future__ import annotations

from typing import Any

from zhifa.org.models import Agency, Department, Region, RoleCode
from zhifa.org.scoping import has_role, own_scope, person_of

SEE_ROLES = (
    RoleCode.OFFICER,
    RoleCode.TEAM_LEADER,
    RoleCode.ZONE_LEADER,
    RoleCode.JUSTICE_BUREAU,
    RoleCode.ADMIN,
    RoleCode.DISPATCHER,
    RoleCode.LEGAL_REVIEWER,
)
CATALOGUE_ROLES = (RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU)
SUBJECT_ROLES = (RoleCode.ADMIN, RoleCode.TEAM_LEADER)
DRAW_ROLES = (RoleCode.TEAM_LEADER, RoleCode.ADMIN)
PLAN_ROLES = (RoleCode.ZONE_LEADER, RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU)


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def own_agencies(user: Any) -> set[int]:
    person = person_of(user)
    agencies = set(own_scope(user).agency_ids)
    if person is not None and person.agency_id:
        agencies.add(person.agency_id)
    return agencies


def _covers_region(user: Any, adcode: str) -> bool:
    """The region lies inside the user's own (not directory) scope."""
    return any(adcode.startswith(prefix) for prefix in own_scope(user).region_prefixes)


def can_see(user: Any) -> bool:
    """Staff who plan, do or supervise inspections see the inspection pages of their scope."""
    return _signed_in(user) and (user.is_superuser or has_role(user, *SEE_ROLES))


def can_edit_catalogue(user: Any, county: Region) -> bool:
    """County administrators and the justice bureau keep the county's catalogue and scenarios."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, *CATALOGUE_ROLES) and _covers_region(user, county.adcode)


def can_edit_item(user: Any, department: Department) -> bool:
    """The county's catalogue keepers, and the department's own team leaders and administrators."""
    if can_edit_catalogue(user, department.region):
        return True
    if not _signed_in(user) or not has_role(user, RoleCode.TEAM_LEADER, RoleCode.ADMIN):
        return False
    agency = getattr(department, "agency", None)
    return agency is not None and agency.pk in own_agencies(user)


def can_edit_subjects(user: Any, township: Region) -> bool:
    """Administrators and team leaders whose own scope covers the township."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, *SUBJECT_ROLES) and _covers_region(user, township.adcode)


def can_import_subjects(user: Any) -> bool:
    """Who may upload a subject register (each row is then checked against `can_edit_subjects`)."""
    return _signed_in(user) and (user.is_superuser or has_role(user, *SUBJECT_ROLES))


def can_organise_draw(user: Any, agency: Agency) -> bool:
    """Team leaders and administrators of the organising agency (GO118 (四))."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return has_role(user, *DRAW_ROLES) and agency.pk in own_agencies(user)


def can_plan(user: Any, region: Region) -> bool:
    """County administrators and the justice bureau for their county, zone leaders for their zone."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if not has_role(user, *PLAN_ROLES):
        return False
    # A zone leader plans for the townships of the zone (the scope in which the plan is then read).
    return _covers_region(user, region.adcode)


def is_inspector(user: Any, visit: Any) -> bool:
    person = person_of(user)
    return person is not None and visit.inspectors.filter(person_id=person.pk).exists()


def can_work_visit(user: Any, visit: Any) -> bool:
    """The inspectors on the visit, and the organising agency's team leaders."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if is_inspector(user, visit):
        return True
    return has_role(user, RoleCode.TEAM_LEADER) and visit.agency_id in own_agencies(user)
