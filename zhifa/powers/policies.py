"""Who may take which step of a grant list and claim its items (issue 3, point 3).

APL Art. 24: the county picks and publishes the powers handed to townships; seeds 000/002 name the
steps: the township drafts its selection (乡镇梳理), the county confirms (县级确认), the city coordinates
(市级统筹), then the list is published. Reading is governed by org.scoping.visible; these checks add the
role and the place needed to act.

- A township's own team leader or administrator submits its selection and claims its granted items.
- A county-wide role (county administrator or justice bureau) of the list's county creates versions,
  confirms, returns and publishes. The platform has no city users yet, so the same county-wide roles
  stand in for the city's coordination step (市级统筹).
"""

from __future__ import annotations

from typing import Any

from zhifa.org.models import Region, RegionLevel, RoleCode
from zhifa.org.scoping import has_role, person_of

TOWNSHIP_ROLES = (RoleCode.TEAM_LEADER, RoleCode.ADMIN)
COUNTY_ROLES = (RoleCode.ADMIN, RoleCode.JUSTICE_BUREAU)


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_act_for_township(user: Any, township: Region) -> bool:
    """The township's own team leader or administrator (乡镇梳理, 认领); superusers too."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    person = person_of(user)
    if person is None or not has_role(user, *TOWNSHIP_ROLES):
        return False
    region = person.region
    return region.level != RegionLevel.COUNTY and region.adcode.startswith(township.prefix)


def can_act_for_county(user: Any, county: Region) -> bool:
    """A county administrator or the county justice bureau (县级确认, 市级统筹 stand-in, 发布)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    person = person_of(user)
    if person is None or not has_role(user, *COUNTY_ROLES):
        return False
    return person.region_id == county.pk
