"""Reads about double-random draws (双随机) for the staff pages and the public portal.

The seed is stored from commitment on, but it is secret until the draw: everything here that a page,
a JSON file or an API shows goes through `draw_view` or `draw_export`, which leave the seed (and the
result) out unless the draw's state is DRAWN. Only the seed's SHA-256 (the commitment) is public before
(GO118 (四): the task and pools are published before enforcement; (六): the result after).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Max, Q, QuerySet
from django.http import Http404

from zhifa.inspections import draw_algorithm as algo
from zhifa.inspections.models import (
    DrawState,
    FrequencyRule,
    Industry,
    InspectionItem,
    RandomDraw,
    RiskLevel,
    Scenario,
    Visit,
)
from zhifa.inspections.policies import can_organise_draw, own_agencies
from zhifa.inspections.services.draws import build_inspector_pool, build_subject_pool, verify_draw
from zhifa.org.models import Agency, Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.org.selectors.people import clamp_page_size

# The big JSON columns are not needed to list draws.
HEAVY_FIELDS = ("subject_pool", "inspector_pool", "result", "subject_filter")
STEPS = (DrawState.DRAFT, DrawState.COMMITTED, DrawState.DRAWN)


def seed_visible(draw: RandomDraw) -> bool:
    """The seed is revealed by the draw, never before (the commitment would be worthless)."""
    return draw.state == DrawState.DRAWN


def is_public(draw: RandomDraw) -> bool:
    """Published once committed (also when cancelled after that, so a withdrawn commitment stays seen)."""
    return draw.committed_at is not None and draw.state != DrawState.DRAFT


def public_draws() -> QuerySet[RandomDraw]:
    """Draws on the public portal: committed, drawn, or cancelled after commitment."""
    return RandomDraw.objects.filter(committed_at__isnull=False).exclude(state=DrawState.DRAFT)


def draw_list(user: Any, *, state: str = "", page: int | str = 1, page_size: Any = None) -> Page:
    """One page of the draws the user may read (org.scoping.visible), newest period first."""
    qs = visible(RandomDraw.objects.all(), user).select_related("agency", "region").defer(*HEAVY_FIELDS)
    if state:
        qs = qs.filter(state=state)
    return Paginator(qs.order_by("-period_start", "-id"), clamp_page_size(page_size)).get_page(page)


def draw_detail(user: Any, pk: int) -> RandomDraw:
    """One draw the user may read, else 404 (another county's draw by id included)."""
    qs = RandomDraw.objects.select_related("agency", "region__parent", "scenario")
    return get_visible_or_404(qs, user, pk=pk)


def public_draw_list(area: Region | None, *, page: int | str = 1) -> Page:
    """One page of the public draws of a county or township (all areas when None)."""
    qs = public_draws().select_related("agency", "region").defer(*HEAVY_FIELDS)
    if area is not None:
        qs = qs.filter(region__adcode__startswith=area.prefix)
    return Paginator(qs.order_by("-committed_at", "-id"), 20).get_page(page)


def public_draw_or_404(pk: int) -> RandomDraw:
    """A draw published on the portal, else 404 (drafts are the organiser's working copies)."""
    draw = public_draws().select_related("agency", "region__parent", "scenario").filter(pk=pk).first()
    if draw is None:
        raise Http404
    return draw


def ratio_floor(items: list[InspectionItem], risk_levels: list[str]) -> Decimal:
    """The highest floor of the items' frequency rules for the risk levels (all levels when none).

    The same rule draw_create enforces (issue 7: sampling ratios never fall below the floor).
    """
    rules = FrequencyRule.objects.filter(item__in=items)
    if risk_levels:
        rules = rules.filter(risk_level__in=risk_levels)
    return rules.aggregate(m=Max("floor"))["m"] or Decimal("0")


@dataclass
class DrawView:
    """What the pages show about one draw; `seed` and `result` are None before the draw."""

    draw: RandomDraw
    items: list[InspectionItem]
    floor: Decimal
    industries: list[Industry]
    risk_levels: list[str]
    subject_count: int
    inspector_count: int
    subjects: list[dict[str, Any]]
    inspectors: list[dict[str, Any]]
    pools_frozen: bool
    seed: str | None = None
    result: list[dict[str, Any]] | None = None
    verification: dict[str, bool] | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)


def _steps(draw: RandomDraw) -> list[dict[str, Any]]:
    reached = {DrawState.DRAFT: 0, DrawState.COMMITTED: 1, DrawState.DRAWN: 2}.get(draw.state, -1)
    if draw.state == DrawState.CANCELLED:
        reached = 1 if draw.committed_at else 0
    return [
        {"state": s.value, "label": s.label, "done": i <= reached, "current": s == draw.state}
        for i, s in enumerate(STEPS)
    ]


def _shown(inspector: dict[str, Any], agency_name: dict[int, str]) -> dict[str, str]:
    """An inspector as published: name, agency and certificate number only (APL Art. 55)."""
    return {
        "name": inspector["name"],
        "agency": agency_name.get(inspector["agency"], ""),
        "certificate": inspector["certificate"],
    }


def draw_view(draw: RandomDraw, *, preview: bool = False) -> DrawView:
    """The task, the pools (frozen after commitment; a live preview of a draft when `preview`), the
    commitment and, after the draw only, the seed, the result with each subject's visit and a re-check.

    Queries do not grow with the pools: agency names in one query, visits in one, subjects' pools are JSON.
    """
    items = list(draw.items.select_related("department").order_by("code"))
    flt = draw.subject_filter or {}
    frozen = draw.committed_at is not None
    if frozen:
        subjects, inspectors = list(draw.subject_pool), list(draw.inspector_pool)
    elif preview and draw.state == DrawState.DRAFT:
        subjects, inspectors = build_subject_pool(draw), build_inspector_pool(draw)
    else:
        subjects, inspectors = [], []
    result = list(draw.result) if seed_visible(draw) else None
    agency_ids = {i["agency"] for i in inspectors} | {
        m["agency"] for r in result or [] for m in r["inspectors"]
    }
    agency_name = {
        pk: name for pk, name in Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name")
    }
    shown_inspectors = [_shown(i, agency_name) for i in inspectors]
    view = DrawView(
        draw=draw,
        items=items,
        floor=ratio_floor(items, list(flt.get("risk_levels") or [])),
        industries=list(Industry.objects.filter(code__in=flt.get("industries") or [])),
        risk_levels=[RiskLevel(v).label for v in flt.get("risk_levels") or [] if v in RiskLevel.values],
        subject_count=len(subjects),
        inspector_count=len(inspectors),
        subjects=subjects,
        inspectors=shown_inspectors,
        pools_frozen=frozen,
        steps=_steps(draw),
    )
    if result is not None:
        view.seed = draw.seed
        visits = {
            v.subject_id: v
            for v in Visit.objects.filter(draw=draw).only(
                "pk", "subject_id", "state", "result", "rectify_by", "published_at"
            )
        }
        view.result = [
            {
                "subject": r["subject"],
                "uscc": r["uscc"],
                "name": r["name"],
                "inspectors": [_shown(m, agency_name) for m in r["inspectors"]],
                "visit": visits.get(r["subject"]),
            }
            for r in result
        ]
        view.verification = verify_draw(draw)
    return view


def draw_export(draw: RandomDraw) -> dict[str, Any]:
    """Everything needed to re-run a published draw (draw.json); seed and result only once drawn.

    The pools are given exactly as hashed, so `pool_hash` can be recomputed from this file alone.
    """
    items = list(draw.items.order_by("code"))
    flt = draw.subject_filter or {}
    drawn = seed_visible(draw)
    return {
        "id": draw.pk,
        "title": draw.title,
        "agency": draw.agency.name,
        "region": {"adcode": draw.region.adcode, "name": draw.region.name},
        "period": [draw.period_start.isoformat(), draw.period_end.isoformat()],
        "items": [{"code": i.code, "name": i.name} for i in items],
        "subject_filter": flt,
        "ratio": f"{Decimal(draw.ratio).normalize():f}",
        "floor": f"{ratio_floor(items, list(flt.get('risk_levels') or [])).normalize():f}",
        "state": draw.state,
        "algorithm": draw.algorithm or algo.ALGORITHM,
        "sample_size": draw.sample_size,
        "inspectors_per_subject": draw.inspectors_per_subject,
        "committed_at": draw.committed_at.isoformat() if draw.committed_at else None,
        "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
        "pool_hash": draw.pool_hash,
        "seed_commitment": draw.seed_commitment,
        "seed": draw.seed if drawn else None,
        "subject_pool": draw.subject_pool,
        "inspector_pool": draw.inspector_pool,
        "result": draw.result if drawn else None,
    }


# --- choices of the create form ----------------------------------------------------------------


def creatable_agencies(user: Any) -> list[Agency]:
    """The agencies the user may organise a draw for (policies.can_organise_draw)."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = Agency.objects.select_related("region")
    qs = visible(qs, user) if user.is_superuser else qs.filter(pk__in=own_agencies(user))
    return [a for a in qs.order_by("name") if can_organise_draw(user, a)]


def regions_for(agencies: list[Agency]) -> list[Region]:
    """Where the agencies may draw: a county agency its county and townships, a township its own."""
    counties = [a.region_id for a in agencies if a.region.level == RegionLevel.COUNTY]
    townships = [a.region_id for a in agencies if a.region.level != RegionLevel.COUNTY]
    qs = Region.objects.filter(
        Q(pk__in=counties + townships) | Q(parent_id__in=counties, level__in=TOWNSHIP_LEVELS)
    )
    return list(qs.order_by("adcode"))


def region_allowed(agency: Agency, region: Region) -> bool:
    """The region is the agency's own area (a county agency: the county or one of its townships)."""
    return region.pk in {r.pk for r in regions_for([agency])}


def item_choices(user: Any) -> QuerySet[InspectionItem]:
    """Active inspection items the user may read (the county's catalogue is directory data)."""
    qs = InspectionItem.objects.filter(is_active=True).select_related("department")
    return visible(qs, user).order_by("code")


def scenario_choices(user: Any) -> QuerySet[Scenario]:
    """Active scenarios the user may read."""
    return visible(Scenario.objects.filter(is_active=True), user).order_by("code")
