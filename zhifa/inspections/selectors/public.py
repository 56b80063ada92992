"""What the disclosure portal shows of inspections for an area (GO118 (四)(六): 双随机、一公开).

Public data, no login: the random-check item list (items with their sampling rules), the draws that
were committed or drawn (never a draft or the seed before the draw: the portal's draw page shows that),
and the confirmed joint plans with their figures. The area is a county or a township; a township sees
what its county published and what is its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from zhifa.inspections.models import (
    DrawState,
    FrequencyRule,
    InspectionItem,
    JointPlan,
    PlanState,
    RandomDraw,
)
from zhifa.inspections.selectors.draws import HEAVY_FIELDS, public_draws
from zhifa.org.models import Region

SHOWN = 20  # the newest draws and plans on the portal page; older ones through the draw list


@dataclass
class PublicInspections:
    items: list[InspectionItem]
    draws: list[RandomDraw]
    plans: list[JointPlan]

    def __bool__(self) -> bool:
        return bool(self.items or self.draws or self.plans)


def _around(area: Region) -> Q:
    """Regions inside the area, or the area's county (a county's draw covers its townships)."""
    county_code = area.adcode[:6] + "000000"
    return Q(region__adcode__startswith=area.prefix) | Q(region__adcode=county_code)


def public_inspections(area: Region) -> PublicInspections:
    """The area's published random-check items, draws and confirmed joint plans (a fixed query count)."""
    county_code = area.adcode[:6]
    items = list(
        InspectionItem.objects.filter(is_active=True, department__region__adcode__startswith=county_code)
        .select_related("department")
        .prefetch_related(Prefetch("frequency_rules", queryset=FrequencyRule.objects.order_by("risk_level")))
        .order_by("department__name", "code")
    )
    # The portal's draws (selectors.draws.public_draws) of the area that stand: committed or drawn.
    draws = list(
        public_draws()
        .filter(_around(area), state__in=[DrawState.COMMITTED, DrawState.DRAWN])
        .select_related("agency", "region")
        .defer(*HEAVY_FIELDS)
        .annotate(visit_count=Count("visits"))
        .order_by("-period_start", "-id")[:SHOWN]
    )
    plans = list(
        JointPlan.objects.filter(_around(area), state=PlanState.CONFIRMED)
        .select_related("region")
        .order_by("-period_start", "-id")[:SHOWN]
    )
    return PublicInspections(items=items, draws=draws, plans=plans)
