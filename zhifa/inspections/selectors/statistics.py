"""Inspection statistics per period and region (issue 7 point 7): visits, subjects, items, findings,
results, the reduction the joint plans achieved against the per-department baseline, and draws.

Every count reads through data scoping (org.scoping.visible), so a user's figures cover only the
visits, plans and draws they may read; the number of queries does not depend on the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from zhifa.inspections.models import (
    DrawState,
    Finding,
    JointPlan,
    PlanState,
    RandomDraw,
    Visit,
    VisitResult,
    VisitState,
)
from zhifa.org.models import Region, RegionLevel
from zhifa.org.scoping import person_of, visible


@dataclass
class PeriodStatistics:
    """The figures of one period and region (see the module docstring)."""

    start: datetime.date
    end: datetime.date
    region: Region
    visits_planned: int = 0  # visits planned in the period, cancelled ones excluded
    visits_done: int = 0
    visits_cancelled: int = 0
    visits_from_plans: int = 0
    visits_from_draws: int = 0
    subjects_visited: int = 0  # distinct subjects with a done visit
    items_checked: int = 0  # (visit, item) pairs of done visits
    findings: int = 0
    findings_to_clue: int = 0
    results: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
    plans: int = 0  # confirmed plans overlapping the period
    plan_visits: int = 0
    plan_lower_bound: int = 0
    plan_baseline: int = 0
    draws: list[tuple[str, str, int]] = field(default_factory=list)
    drawn_subjects: int = 0

    @property
    def reduction(self) -> float:
        """Share of visits the confirmed plans saved against each department visiting on its own."""
        return 1 - self.plan_visits / self.plan_baseline if self.plan_baseline else 0.0

    @property
    def reduction_pct(self) -> float:
        return round(100 * self.reduction, 1)

    @property
    def saved_visits(self) -> int:
        return self.plan_baseline - self.plan_visits


def period_statistics(
    user: Any, region: Region, start: datetime.date, end: datetime.date
) -> PeriodStatistics:
    """Statistics of visits planned in [start, end] at subjects under `region`, plans and draws whose
    period overlaps it, as far as `user` may read them."""
    stats = PeriodStatistics(start=start, end=end, region=region)
    visits = visible(Visit.objects.all(), user).filter(
        planned_on__range=(start, end), subject__township__adcode__startswith=region.prefix
    )
    counts = visits.aggregate(
        planned=Count("id", filter=~Q(state=VisitState.CANCELLED)),
        done=Count("id", filter=Q(state=VisitState.DONE)),
        cancelled=Count("id", filter=Q(state=VisitState.CANCELLED)),
        from_plans=Count("id", filter=Q(plan__isnull=False) & ~Q(state=VisitState.CANCELLED)),
        from_draws=Count("id", filter=Q(draw__isnull=False) & ~Q(state=VisitState.CANCELLED)),
        subjects=Count("subject", filter=Q(state=VisitState.DONE), distinct=True),
    )
    stats.visits_planned = counts["planned"]
    stats.visits_done = counts["done"]
    stats.visits_cancelled = counts["cancelled"]
    stats.visits_from_plans = counts["from_plans"]
    stats.visits_from_draws = counts["from_draws"]
    stats.subjects_visited = counts["subjects"]
    done = visits.filter(state=VisitState.DONE)
    stats.items_checked = Visit.items.through.objects.filter(visit__in=done.values("pk")).count()
    findings = Finding.objects.filter(visit__in=visits.values("pk")).aggregate(
        total=Count("id"), clues=Count("id", filter=Q(clue__isnull=False))
    )
    stats.findings = findings["total"]
    stats.findings_to_clue = findings["clues"]
    by_result = dict(done.values_list("result").annotate(n=Count("id")).values_list("result", "n"))
    stats.results = [(value, str(label), by_result.get(value, 0)) for value, label in VisitResult.choices]

    overlapping = Q(period_start__lte=end, period_end__gte=start, region__adcode__startswith=region.prefix)
    plans = visible(JointPlan.objects.all(), user).filter(overlapping, state=PlanState.CONFIRMED)
    for visits_n, bound, baseline in plans.values_list(
        "summary__visits", "summary__lower_bound", "summary__baseline_visits"
    ):
        stats.plans += 1
        stats.plan_visits += int(visits_n or 0)
        stats.plan_lower_bound += int(bound or 0)
        stats.plan_baseline += int(baseline or 0)

    draws = visible(RandomDraw.objects.all(), user).filter(overlapping)
    by_state = dict(draws.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    stats.draws = [(value, str(label), by_state.get(value, 0)) for value, label in DrawState.choices]
    stats.drawn_subjects = draws.filter(state=DrawState.DRAWN).aggregate(n=Sum("sample_size"))["n"] or 0
    return stats


def statistics_regions(user: Any) -> list[Region]:
    """The county and its townships a user can pick for statistics (their own county)."""
    person = person_of(user)
    regions = Region.objects.filter(
        level__in=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET)
    ).order_by("adcode")
    if person is not None:
        regions = regions.filter(adcode__startswith=person.region.adcode[:6])
    return list(regions[:200])


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar year of `today` (frequency rules count per year)."""
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
