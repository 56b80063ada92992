"""The one scoping function for pages and API: what a user may read (DESIGN.md, Rules).

- a township officer sees their township (and a township they are seconded to);
- a department sees its own matters (rows tied to its agency);
- a zone leader also sees the townships of their zones;
- the justice bureau, administrators and a county command centre see their county;
- everyone in a county may read its directory (regions, departments, agencies, zones).
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.db.models import Model, QuerySet
from django.http import Http404

from zhifa.core.scoping import EVERYTHING, NOTHING, Scope, apply_scope
from zhifa.org.models import AgencyKind, Person, PersonStatus, RegionLevel, RoleCode
from zhifa.org.models.structure import adcode_prefix

COUNTY_WIDE_ROLES = {RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN}
_CACHE_ATTR = "_zhifa_scope"


def person_of(user) -> Person | None:
    """The Person behind a user account, or None (anonymous, or an account with no person)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def role_codes(user) -> frozenset[str]:
    """The role codes of a user's person (cached on the user object for the request)."""
    cached = getattr(user, "_zhifa_roles", None)
    if cached is not None:
        return cached
    person = person_of(user)
    codes: frozenset[str] = frozenset()
    if person is not None and person.status == PersonStatus.ACTIVE:
        codes = frozenset(person.roles.values_list("code", flat=True))
    if user is not None and getattr(user, "is_authenticated", False):
        user._zhifa_roles = codes
    return codes


def has_role(user, *codes: str) -> bool:
    return bool(role_codes(user) & set(codes))


def _county_prefix(adcode: str) -> str:
    return adcode_prefix(adcode, RegionLevel.COUNTY)


def compute_scope(person: Person, roles: frozenset[str], on_date: datetime.date | None = None) -> Scope:
    """The scope of an active person with the given roles."""
    day = on_date or datetime.date.today()
    region = person.region
    counties = {_county_prefix(region.adcode)}
    regions: set[str] = set()
    agencies: set[int] = set()

    if roles & COUNTY_WIDE_ROLES:
        # A county administrator or the justice bureau sees the county; a township administrator the township.
        regions.add(region.prefix)
    if person.command_center_id is not None and RoleCode.DISPATCHER in roles:
        center_region = person.command_center.region
        regions.add(center_region.prefix)
    agency = person.agency
    if agency is not None and agency.kind == AgencyKind.DEPARTMENT:
        agencies.add(agency.pk)  # a department sees its own matters
    elif region.level not in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE):
        regions.add(region.prefix)  # township staff see their township; grid workers their community
    for secondment in person.secondments.select_related("to_agency__region"):
        if secondment.is_active_on(day):
            # "县属乡用": while seconded the person acts for the township (issue 2, point 3).
            regions.add(secondment.to_agency.region.prefix)
            agencies.add(secondment.to_agency_id)
    if RoleCode.ZONE_LEADER in roles:
        for zone in person.zones_led.prefetch_related("townships").all():
            regions.update(t.prefix for t in zone.townships.all())
        for zone in person.zones_deputised.prefetch_related("townships").all():
            regions.update(t.prefix for t in zone.townships.all())
    # Drop prefixes already covered by a shorter one.
    kept = tuple(sorted(p for p in regions if not any(p != q and p.startswith(q) for q in regions)))
    return Scope(
        region_prefixes=kept, agency_ids=frozenset(agencies), county_prefixes=tuple(sorted(counties))
    )


def scope_for(user) -> Scope:
    """The scope of a request's user; cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = EVERYTHING
    else:
        person = person_of(user)
        if person is None or person.status != PersonStatus.ACTIVE:
            scope = NOTHING
        else:
            scope = compute_scope(person, role_codes(user))
    setattr(user, _CACHE_ATTR, scope)
    return scope


def visible(queryset: QuerySet, user) -> QuerySet:
    """Rows of `queryset` that `user` may read. Every read of scoped data goes through here."""
    return apply_scope(queryset, scope_for(user))


def own_scope(user) -> Scope:
    """The user's scope without the county-wide directory: what they may change, not only read."""
    return replace(scope_for(user), county_prefixes=())


def editable(queryset: QuerySet, user) -> QuerySet:
    """Rows of `queryset` inside the user's own scope (directory rows of other townships excluded)."""
    return apply_scope(queryset, own_scope(user))


def get_visible_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """One row the user may read, else 404 (never 403: an outsider learns nothing, not even existence)."""
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
