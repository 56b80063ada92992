"""What Open311 shows: services (the clue categories), their attributes, and the public face of a clue.

Services: one per active ClueCategory, service_code = the category's code, group = its enforcement
domain. Every service has the same two optional attributes (so `metadata` is true whenever there are
any): `coord_system` (lat/long are WGS84 in the spec; a client using a Chinese map SDK declares
GCJ-02 and the position is converted on the way in) and `township` (where it happened, for a request
without a position or with one outside every grid).

Service requests are public, so a request shows only what the public may see (issue 4: "no personal
data of others"): category, status (open for OPEN_STATUSES, closed otherwise), the status label as
status_notes, the agency handling it, times, and the position rounded to 3 decimals (about 100 m, the
size of a micro grid). Never the text, the address, the reporter or the tracking code: texts name
people and places, and the tracking code is the submitter's token. Only clues from the public's own
channels are listed (settings.ZHIFA_OPEN311_LIST_SOURCES; default Open311, the public form and the
hotlines): grid patrols, inspections and referrals between agencies are internal work.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.intake.codes import TRACKING_LENGTH, normalise_tracking
from zhifa.intake.models import OPEN_STATUSES, Clue, ClueCategory, ClueSource, ClueStatus, ClueStep
from zhifa.intake.open311.params import ListInput
from zhifa.intake.open311.render import Open311Error, echo
from zhifa.org.models import Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS

DEFAULT_SOURCES = (ClueSource.OPEN311, ClueSource.PUBLIC, ClueSource.HOTLINE, ClueSource.HOTLINE_12345)
DEFAULT_DAYS = 90  # the spec: without dates, the requests of the past 90 days
MAX_REQUESTS = 1000  # the spec: at most 1000 requests per answer
POSITION_DECIMALS = 3  # ~100 m of latitude: the micro grid, not the doorway
COORD_SYSTEMS = ("wgs84", "gcj02")


def list_sources() -> tuple[str, ...]:
    return tuple(getattr(settings, "ZHIFA_OPEN311_LIST_SOURCES", DEFAULT_SOURCES))


def w3c(moment: datetime.datetime | None) -> str | None:
    """2026-01-05T10:00:00+08:00 (local time with its offset), as the spec's examples."""
    return None if moment is None else timezone.localtime(moment).isoformat(timespec="seconds")


def active_categories() -> QuerySet[ClueCategory]:
    return ClueCategory.objects.filter(is_active=True).select_related("domain")


def _townships() -> list[Region]:
    return list(Region.objects.filter(level__in=TOWNSHIP_LEVELS).select_related("parent").order_by("adcode"))


def attributes() -> list[dict[str, Any]]:
    """The attributes every service accepts (GeoReport v2 service definition)."""
    found = [
        {
            "variable": True,
            "code": "coord_system",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _(
                "lat/long 的坐标系，默认 wgs84。高德、腾讯地图和微信定位给出的是 gcj02。"
            ),
            "order": 1,
            "description": _("坐标系"),
            "values": [
                {"key": "wgs84", "name": _("WGS84（GPS）")},
                {"key": "gcj02", "name": _("GCJ-02（高德、腾讯地图、微信）")},
            ],
        }
    ]
    townships = _townships()
    if townships:
        counties = {t.parent_id for t in townships}
        found.append(
            {
                "variable": True,
                "code": "township",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "没有 lat/long 或位置不在任何网格内时，用于确定事发地；"
                    "也可在 address_string 中写明乡镇（街道）名称。"
                ),
                "order": 2,
                "description": _("事发乡镇（街道）"),
                "values": [
                    {
                        "key": t.adcode,
                        "name": f"{t.parent.name} {t.name}" if len(counties) > 1 and t.parent else t.name,
                    }
                    for t in townships
                ],
            }
        )
    return found


def service_out(category: ClueCategory, has_attributes: bool) -> dict[str, Any]:
    domain = category.domain.name if category.domain_id else None
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": None if domain is None else f"{category.name}（{domain}）",
        "metadata": has_attributes,
        "type": "realtime",
        "keywords": None,
        "group": domain,
    }


def services() -> list[dict[str, Any]]:
    """The services list: one per active clue category, in the categories' order."""
    has_attributes = bool(attributes())
    return [service_out(c, has_attributes) for c in active_categories()]


def service_definition(code: str) -> dict[str, Any] | None:
    """The definition of one service, or None when there is no such active category."""
    if not active_categories().filter(code=code).exists():
        return None
    return {"service_code": code, "attributes": attributes()}


def attribute_choices(given: dict[str, list[str]]) -> tuple[str, Region | None]:
    """The coord_system and township a client chose (defaults: wgs84, none); a 400 for anything else."""
    problems = []
    unknown = sorted(set(given) - {"coord_system", "township"})
    if unknown:
        problems.append(_("不支持的属性 attribute[%(code)s]。") % {"code": echo(unknown[0])})
    system = "wgs84"
    if "coord_system" in given:
        system = given["coord_system"][-1].strip().lower()
        if system not in COORD_SYSTEMS:
            problems.append(_("attribute[coord_system] 只能是 wgs84 或 gcj02。"))
    township = None
    if given.get("township") and given["township"][-1].strip():
        adcode = given["township"][-1].strip()
        township = (
            Region.objects.filter(adcode=adcode, level__in=TOWNSHIP_LEVELS).first()
            if adcode.isdigit() and len(adcode) == 12
            else None
        )
        if township is None:
            problems.append(
                _("attribute[township]“%(code)s”不是乡镇（街道）区划代码。") % {"code": echo(adcode)}
            )
    if problems:
        raise Open311Error(400, *problems)
    return system, township


def region_from_address(address: str) -> Region | None:
    """The township (else county) an address names; with one county installed, that county.

    The longest township name found in the address wins; a name shared by townships of two counties
    needs the county's name in the address too. None when nothing says where it is.
    """
    if not address:
        return None
    named = [t for t in _townships() if t.name and t.name in address]
    if named:
        longest = max(len(t.name) for t in named)
        named = [t for t in named if len(t.name) == longest]
        if len(named) > 1:
            named = [t for t in named if t.parent is not None and t.parent.name in address]
        if len(named) == 1:
            return named[0]
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("adcode")[:1000])
    in_address = [c for c in counties if c.name and c.name in address]
    if len(in_address) == 1:
        return in_address[0]
    return counties[0] if len(counties) == 1 else None


def status_note(clue: Clue) -> str:
    if clue.status == ClueStatus.MERGED:
        return _("重复线索，已与同一问题的其他线索合并处理。")
    return str(clue.get_status_display())


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, POSITION_DECIMALS)


def request_out(clue: Clue) -> dict[str, Any]:
    """The public face of one clue as a GeoReport v2 service request (fields in the spec's order)."""
    return {
        "service_request_id": clue.code,
        "status": "open" if clue.status in OPEN_STATUSES else "closed",
        "status_notes": status_note(clue),
        "service_name": clue.category.name,
        "service_code": clue.category.code,
        "description": None,
        "agency_responsible": clue.assigned_agency.name if clue.assigned_agency_id else None,
        "service_notice": None,
        "requested_datetime": w3c(clue.reported_at),
        "updated_datetime": w3c(getattr(clue, "updated", None) or clue.reported_at),
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": _rounded(clue.lat),
        "long": _rounded(clue.lng),
        "media_url": None,
    }


def _public_clues() -> QuerySet[Clue]:
    latest_step = ClueStep.objects.filter(clue=OuterRef("pk")).order_by("-at").values("at")[:1]
    return (
        Clue.objects.filter(source__in=list_sources())
        .select_related("category", "assigned_agency")
        .only(
            "code",
            "status",
            "reported_at",
            "lat",
            "lng",
            "category__code",
            "category__name",
            "assigned_agency__name",
        )
        .annotate(updated=Subquery(latest_step))
    )


def find_requests(query: ListInput, now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """GET requests: by ids (the spec: they override every other filter), else by service code,
    status and date range (default: the past 90 days), newest first, at most 1000."""
    qs = _public_clues()
    if query.ids:
        qs = qs.filter(code__in=query.ids)
    else:
        if query.service_codes:
            qs = qs.filter(category__code__in=query.service_codes)
        if query.statuses == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif query.statuses == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
        span = datetime.timedelta(days=DEFAULT_DAYS)
        start, end = query.start, query.end
        if start is None and end is None:
            start = (now or timezone.now()) - span
        elif start is None:
            start = end - span
        elif end is None:
            end = start + span
        qs = qs.filter(reported_at__gte=start)
        if end is not None:
            qs = qs.filter(reported_at__lte=end)
    return [request_out(c) for c in qs.order_by("-reported_at", "-id")[:MAX_REQUESTS]]


def find_request(service_request_id: str) -> dict[str, Any] | None:
    clue = _public_clues().filter(code=service_request_id).first()
    return None if clue is None else request_out(clue)


def request_for_token(token: str) -> dict[str, str] | None:
    """{service_request_id, token} for a token (the tracking code), or None."""
    code = normalise_tracking(token)
    if not code or len(code) > TRACKING_LENGTH:
        return None
    found = (
        Clue.objects.filter(tracking_code=code, source__in=list_sources())
        .values_list("code", flat=True)
        .first()
    )
    return None if found is None else {"service_request_id": found, "token": code}
