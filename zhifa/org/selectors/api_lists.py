"""Reads behind the JSON API's organisation and certificate endpoints, all through `scoping.visible`.

Each list selector returns a queryset already filtered by the caller's scope and loaded with what its
schema needs (select_related / prefetch_related), so a page costs the same number of queries for 10
rows as for 100 (issue 2, benchmark: page sizes 10 and 100 must be equal).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import Point, shape

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    CommandCenter,
    Department,
    GridCell,
    Person,
    Region,
    Team,
    Zone,
)
from zhifa.org.scoping import get_visible_or_404, person_of, role_codes, scope_for, visible


@dataclass(frozen=True)
class Page:
    count: int
    items: list[Any]


def paginate(queryset: QuerySet, limit: int, offset: int) -> Page:
    """One page of `queryset` and the total count: two queries plus the querysets' prefetches."""
    return Page(count=queryset.count(), items=list(queryset[offset : offset + limit]))


def region_prefix_of(adcode: str, user: Any, field: str = "region") -> str:
    """The division-code prefix of a region the user may read (for subtree filters); 400 if unknown."""
    region = visible(Region.objects.filter(adcode=adcode), user).first()
    if region is None:
        raise ServiceError(ErrorCode.INVALID, _("未知的区划代码：%(code)s") % {"code": adcode}, field=field)
    return region.prefix


# --- Directory: regions, departments, agencies, teams, zones, command centres -----------------------


def regions_visible(user: Any, *, level: str | None = None, parent: str | None = None) -> QuerySet:
    """Regions of the user's county (directory data), optionally of one level or under one parent."""
    qs = visible(Region.objects.select_related("parent"), user)
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__adcode=parent)
    return qs.order_by("adcode")


def departments_visible(user: Any) -> QuerySet:
    """County departments (directory data) with their domains and agency."""
    return visible(Department.objects.select_related("region", "agency"), user).prefetch_related("domains")


def agencies_visible(user: Any, *, kind: str | None = None, region: str | None = None) -> QuerySet:
    """Agencies (legal subjects) of the user's county, optionally of one kind or under one region."""
    qs = visible(Agency.objects.select_related("region"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__adcode__under=region_prefix_of(region, user))
    return qs


def teams_visible(user: Any, *, agency: int | None = None) -> QuerySet:
    """Enforcement teams the user may read (their township's, or their department's)."""
    qs = visible(Team.objects.select_related("region", "agency"), user)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    return qs


def zones_visible(user: Any) -> QuerySet:
    """Zones (片区) of the user's county with their townships and leaders."""
    return visible(Zone.objects.select_related("county", "leader", "deputy"), user).prefetch_related(
        "townships"
    )


def command_centers_visible(user: Any) -> QuerySet:
    """Command centres of the user's county."""
    return visible(CommandCenter.objects.select_related("region"), user)


# --- Grid -----------------------------------------------------------------------------------------


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """ "minx,miny,maxx,maxy" -> four floats, or a ServiceError naming the `bbox` field."""
    try:
        min_x, min_y, max_x, max_y = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise ServiceError(ErrorCode.INVALID, _("范围格式应为 minx,miny,maxx,maxy。"), field="bbox") from exc
    if min_x > max_x or min_y > max_y or any(v != v for v in (min_x, min_y, max_x, max_y)):
        raise ServiceError(ErrorCode.INVALID, _("范围的最小值不能大于最大值。"), field="bbox")
    return min_x, min_y, max_x, max_y


def grid_cells_visible(
    user: Any, *, region: str | None = None, level: int | None = None, bbox: str | None = None
) -> QuerySet:
    """Grid cells the user may read; `region` takes the region's subtree, `bbox` the cells it overlaps."""
    qs = visible(GridCell.objects.select_related("region", "leader"), user)
    if region:
        qs = qs.filter(region__adcode__under=region_prefix_of(region, user))
    if level is not None:
        qs = qs.filter(level=level)
    if bbox:
        min_x, min_y, max_x, max_y = parse_bbox(bbox)
        # Cells without a bounding box are not matched: the grid import computes it from the polygon.
        qs = qs.filter(min_x__lte=max_x, max_x__gte=min_x, min_y__lte=max_y, max_y__gte=min_y)
    return qs.order_by("code")


def grid_cell_detail(user: Any, pk: int) -> GridCell:
    """One visible grid cell with its polygon and workers; else Http404."""
    base = GridCell.objects.select_related("region", "leader").prefetch_related("workers")
    return get_visible_or_404(base, user, pk=pk)


def grid_cell_at(user: Any, lon: float, lat: float) -> GridCell:
    """The finest visible cell whose polygon contains (lon, lat); Http404 if none.

    The bounding-box columns skip most cells in SQL; shapely decides on the few left. Cells whose box
    was never computed are checked by shapely too, so that nothing is missed.
    """
    box = Q(min_x__lte=lon, max_x__gte=lon, min_y__lte=lat, max_y__gte=lat)
    candidates = (
        visible(GridCell.objects.select_related("region", "leader"), user)
        .filter(geometry__isnull=False)
        .filter(
            box
            | Q(min_x__isnull=True)
            | Q(max_x__isnull=True)
            | Q(min_y__isnull=True)
            | Q(max_y__isnull=True)
        )
        .prefetch_related("workers")
        .order_by("-level", "code")
    )
    point = Point(lon, lat)
    for cell in candidates:
        try:
            if shape(cell.geometry).covers(point):
                return cell
        except (GEOSException, ValueError, TypeError, KeyError, AttributeError, IndexError):
            continue  # a malformed polygon cannot contain anything; it must not break the lookup
    raise Http404


# --- People ---------------------------------------------------------------------------------------


def people_visible(
    user: Any,
    *,
    q: str | None = None,
    region: str | None = None,
    agency: int | None = None,
    team: int | None = None,
    status: str | None = None,
    role: str | None = None,
) -> QuerySet:
    """People the user may read, with filters; loads region, agency, team and roles in fixed queries."""
    qs = visible(Person.objects.select_related("region", "agency", "team"), user)
    if q:
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(phone__contains=text))
    if region:
        qs = qs.filter(region__adcode__under=region_prefix_of(region, user))
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    if team is not None:
        qs = qs.filter(team_id=team)
    if status:
        qs = qs.filter(status=status)
    if role:
        # A subquery, not a join: a join on a many-to-many could repeat a person.
        qs = qs.filter(pk__in=Person.roles.through.objects.filter(role_id=role).values("person_id"))
    return qs.prefetch_related("roles").order_by("region__adcode", "name", "id")


def _person_detail_base() -> QuerySet:
    return Person.objects.select_related(
        "region", "agency", "team", "command_center", "user"
    ).prefetch_related(
        "roles", "secondments__from_agency", "secondments__to_agency", "secondments__to_team", "certificates"
    )


def person_detail(user: Any, pk: int) -> Person:
    """One visible person with roles, secondments and certificate numbers; else Http404."""
    return get_visible_or_404(_person_detail_base(), user, pk=pk)


def own_person(user: Any) -> Person | None:
    """The caller's own person, whatever their status: everyone may see who they are."""
    person = person_of(user)
    return None if person is None else _person_detail_base().filter(pk=person.pk).first()


def me_summary(user: Any) -> dict[str, Any]:
    """The caller's account, person, roles and a readable summary of their data scope."""
    scope = scope_for(user)
    region_codes = [prefix.ljust(12, "0") for prefix in scope.region_prefixes]
    return {
        "username": user.get_username(),
        "is_superuser": user.is_superuser,
        "person": own_person(user),
        "roles": sorted(role_codes(user)),
        "scope": {
            "everything": scope.everything,
            "regions": list(Region.objects.filter(adcode__in=region_codes).order_by("adcode")),
            "agencies": [
                {"id": a.pk, "name": a.name}
                for a in Agency.objects.filter(pk__in=scope.agency_ids).order_by("pk")
            ],
        },
    }


# --- Certificates ---------------------------------------------------------------------------------


def certificates_visible(
    user: Any,
    *,
    status: str | None = None,
    domain: str | None = None,
    holder: int | None = None,
    expiring_within_days: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    """Certificates the user may read. `status` is the status as of today: a "valid" certificate
    past its end date counts as expired (APL Art. 42: only a valid certificate allows enforcement)."""
    today = today or datetime.date.today()
    qs = visible(Certificate.objects.select_related("holder"), user)
    if status == CertificateStatus.VALID:
        qs = qs.filter(status=CertificateStatus.VALID, valid_to__gte=today)
    elif status == CertificateStatus.EXPIRED:
        qs = qs.filter(
            Q(status=CertificateStatus.EXPIRED) | Q(status=CertificateStatus.VALID, valid_to__lt=today)
        )
    elif status:
        qs = qs.filter(status=status)
    if domain:
        qs = qs.filter(domains__code=domain)
    if holder is not None:
        qs = qs.filter(holder_id=holder)
    if expiring_within_days is not None:
        horizon = today + datetime.timedelta(days=expiring_within_days)
        qs = qs.filter(status=CertificateStatus.VALID, valid_to__gte=today, valid_to__lte=horizon)
    return qs.prefetch_related("domains").order_by("number")


def certificate_detail(user: Any, pk: int) -> Certificate:
    """One visible certificate with its domains and status history (oldest first); else Http404."""
    base = Certificate.objects.select_related("holder").prefetch_related("domains", "status_changes")
    return get_visible_or_404(base, user, pk=pk)
