"""Reading people: the scoped, filtered, paginated list and one person's page. Always through scoping."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatusChange,
    Person,
    PersonStatus,
    Region,
    Role,
    RoleCode,
    Secondment,
    Team,
)
from zhifa.org.scoping import get_visible_or_404, scope_for, visible

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MIN, PAGE_SIZE_MAX = 10, 100


def clamp_page_size(page_size: int | str | None) -> int:
    """A page size within 10..100; anything else (missing, garbage) gives the default 50."""
    try:
        size = int(page_size)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return PAGE_SIZE_DEFAULT
    return size if PAGE_SIZE_MIN <= size <= PAGE_SIZE_MAX else PAGE_SIZE_DEFAULT


def region_prefix_for(adcode: str | None) -> str | None:
    """The significant code prefix of region `adcode` (its subtree), or None when unknown."""
    if not adcode:
        return None
    region = Region.objects.filter(adcode=adcode).only("adcode", "level").first()
    return region.prefix if region is not None else None


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def people_queryset(user) -> QuerySet[Person]:
    """Visible people with what list rows show, in a fixed number of queries whatever the page size."""
    certificates = Certificate.objects.order_by("-valid_to", "number")
    return (
        visible(Person.objects.all(), user)
        .select_related("region", "agency", "team")
        .prefetch_related(
            "roles", Prefetch("certificates", queryset=certificates, to_attr="certificate_list")
        )
    )


def person_list(
    user,
    *,
    q: str | None = None,
    region: str | None = None,
    agency: int | str | None = None,
    team: int | str | None = None,
    status: str | None = None,
    role: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = PAGE_SIZE_DEFAULT,
) -> Page:
    """One page of the people `user` may see, filtered.

    q: part of a name or phone, or a certificate number; region: an adcode, its subtree included;
    agency/team: ids; status: a PersonStatus; role: a RoleCode. Unknown filter values match nothing
    rather than everything, so a typo never shows more than asked for. page_size is kept to 10..100.
    """
    people = people_queryset(user)
    q = (q or "").strip()
    if q:
        numbers = Certificate.objects.filter(number__icontains=q).values("holder_id")
        people = people.filter(Q(name__icontains=q) | Q(phone__icontains=q) | Q(id__in=numbers))
    if region:
        prefix = region_prefix_for(region)
        people = people.filter(region__adcode__under=prefix) if prefix else people.none()
    if agency not in (None, ""):
        agency_id = _int_or_none(agency)
        people = people.filter(agency_id=agency_id) if agency_id is not None else people.none()
    if team not in (None, ""):
        team_id = _int_or_none(team)
        people = people.filter(team_id=team_id) if team_id is not None else people.none()
    if status:
        people = people.filter(status=status) if status in PersonStatus.values else people.none()
    if role:
        people = people.filter(roles__code=role) if role in RoleCode.values else people.none()
    paginator = Paginator(people.order_by("region__adcode", "name", "id"), clamp_page_size(page_size))
    return paginator.get_page(page)


@dataclass
class FilterOptions:
    regions: list[Region]
    agencies: list[Agency]
    statuses: list[tuple[str, str]]
    roles: list[tuple[str, str]]


def person_filter_options(user) -> FilterOptions:
    """Choices for the filter bar: the regions and agencies the user's scope reaches."""
    return FilterOptions(
        regions=list(scoped_regions(user).exclude(level__in=["community", "village"])),
        agencies=list(visible(Agency.objects.filter(is_active=True), user)),
        statuses=list(PersonStatus.choices),
        roles=list(RoleCode.choices),
    )


def scoped_regions(user) -> QuerySet[Region]:
    """Regions inside the user's own scope (not the county directory): where they may place people."""
    scope = scope_for(user)
    if scope.everything:
        return Region.objects.all()
    condition = Q(pk__in=[])
    for prefix in scope.region_prefixes:
        condition |= Q(adcode__under=prefix)
    if scope.agency_ids:
        condition |= Q(agencies__id__in=sorted(scope.agency_ids))
    return Region.objects.filter(condition).distinct()


def scoped_agencies(user) -> QuerySet[Agency]:
    return visible(Agency.objects.filter(is_active=True), user)


def scoped_teams(user) -> QuerySet[Team]:
    return visible(Team.objects.select_related("agency"), user)


def person_detail(user, pk: int | str) -> Person:
    """One visible person with roles, placement, secondments and certificates with history; else 404."""
    history = CertificateStatusChange.objects.order_by("effective_date", "id")
    certificates = Certificate.objects.order_by("-valid_to", "number").prefetch_related(
        "domains", Prefetch("status_changes", queryset=history)
    )
    secondments = Secondment.objects.select_related("from_agency", "to_agency", "to_team").order_by(
        "-start_date"
    )
    queryset = Person.objects.select_related(
        "region", "agency", "team", "command_center", "user"
    ).prefetch_related(
        "roles",
        Prefetch("certificates", queryset=certificates, to_attr="certificate_list"),
        Prefetch("secondments", queryset=secondments, to_attr="secondment_list"),
    )
    return get_visible_or_404(queryset, user, pk=pk)


def all_roles() -> list[Role]:
    return list(Role.objects.order_by("code"))
