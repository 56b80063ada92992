"""Annual enforcement statistics of an area's agencies (GO118 (六): published by 31 January each year).

Counts and sums only, never a person: per agency of the area (its township governments and departments,
the agencies whose region lies in the area) and in total, for the cases decided in the year (the
decision date's year): decisions by outcome, by enforcement domain (the power item's) and by penalty
type (APL Art. 9), the fines imposed, the legal reviews of those cases by tier and result (GO118
(十二)-(十三)), and the reconsiderations and lawsuits against them (APL Art. 7). Public aggregate data:
no user scoping. Seven queries, whatever the number of cases (values().annotate()).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from zhifa.cases.models import Case, LegalReview, Outcome, RemedyKind, RemedyProceeding, ReviewTier
from zhifa.cases.models.review import ReviewStatus
from zhifa.org.models import Agency, EnforcementDomain, Region

FIRST_YEAR = 2000
NO_DOMAIN = 0


@dataclass
class Tally:
    """The figures of one agency, or of the whole area."""

    decisions: int = 0
    fines: Decimal = Decimal("0")
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_domain: dict[int, int] = field(default_factory=dict)
    by_penalty: dict[str, int] = field(default_factory=dict)
    reviews: dict[tuple[str, str], int] = field(default_factory=dict)
    remedies: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        self.decisions += other.decisions
        self.fines += other.fines
        for mine, theirs in (
            (self.by_outcome, other.by_outcome),
            (self.by_domain, other.by_domain),
            (self.by_penalty, other.by_penalty),
            (self.reviews, other.reviews),
            (self.remedies, other.remedies),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n


@dataclass
class Row:
    label: str
    count: int


@dataclass
class AgencyStats:
    name: str
    tally: Tally
    outcomes: list[Row] = field(default_factory=list)
    domains: list[Row] = field(default_factory=list)
    penalties: list[Row] = field(default_factory=list)
    reviews: list[tuple[str, list[Row]]] = field(default_factory=list)
    remedies: list[Row] = field(default_factory=list)


@dataclass
class AreaStatistics:
    year: int
    years: list[int]
    partial: bool  # the current year: figures so far
    total: AgencyStats
    agencies: list[AgencyStats]


def statistic_years(area: Region) -> list[int]:
    """The years in which the area's agencies decided cases, newest first (one query)."""
    dates = (
        _area_cases(area)
        .filter(decided_on__isnull=False)
        .order_by()
        .dates("decided_on", "year", order="DESC")
    )
    return [d.year for d in dates]


def default_year(years: list[int], today: datetime.date) -> int:
    """Last year's statistics once the year is over (GO118 (六): by 31 January), else the newest year
    with data, else this year."""
    if today.year - 1 in years:
        return today.year - 1
    return years[0] if years else today.year


def _area_cases(area: Region) -> QuerySet[Case]:
    return Case.objects.filter(agency__region__adcode__under=area.prefix)


def area_statistics(
    area: Region, year: int | None = None, today: datetime.date | None = None
) -> AreaStatistics:
    """The statistics of `area` for `year` (default: `default_year`); Http404 for a year in the future or
    before FIRST_YEAR. Seven queries."""
    today = today or timezone.localdate()
    years = statistic_years(area)
    if year is None:
        year = default_year(years, today)
    if year > today.year or year < FIRST_YEAR:
        raise Http404
    cases = _area_cases(area).filter(
        decided_on__gte=datetime.date(year, 1, 1), decided_on__lte=datetime.date(year, 12, 31)
    )
    tallies: dict[int, Tally] = defaultdict(Tally)
    for row in (
        cases.order_by()
        .values("agency_id", "outcome", "item__domain_id")
        .annotate(n=Count("id"), fines=Sum("fine_amount"))
    ):
        tally = tallies[row["agency_id"]]
        tally.decisions += row["n"]
        tally.by_outcome[row["outcome"]] = tally.by_outcome.get(row["outcome"], 0) + row["n"]
        domain = row["item__domain_id"] or NO_DOMAIN
        tally.by_domain[domain] = tally.by_domain.get(domain, 0) + row["n"]
        if row["outcome"] == Outcome.PENALTY and row["fines"]:
            tally.fines += row["fines"]
    penalised = cases.filter(outcome=Outcome.PENALTY).order_by()
    for row in penalised.values("agency_id", "penalty_types").annotate(n=Count("id")):
        tally = tallies[row["agency_id"]]
        for kind in set(row["penalty_types"] or []):
            tally.by_penalty[str(kind)] = tally.by_penalty.get(str(kind), 0) + row["n"]
    reviews = LegalReview.objects.filter(case__in=cases.values("id")).order_by()
    for row in reviews.values("case__agency_id", "tier", "status").annotate(n=Count("id")):
        tally = tallies[row["case__agency_id"]]
        key = (row["tier"], row["status"])
        tally.reviews[key] = tally.reviews.get(key, 0) + row["n"]
    remedies = RemedyProceeding.objects.filter(case__in=cases.values("id")).order_by()
    for row in remedies.values("case__agency_id", "kind").annotate(n=Count("id")):
        tally = tallies[row["case__agency_id"]]
        tally.remedies[row["kind"]] = tally.remedies.get(row["kind"], 0) + row["n"]
    agencies = list(
        Agency.objects.filter(region__adcode__under=area.prefix)
        .select_related("region")
        .only("name", "kind", "region__adcode")
        .order_by("kind", "region__adcode", "name")
    )
    domains = dict(EnforcementDomain.objects.values_list("id", "name"))
    total = Tally()
    rows = []
    for agency in agencies:
        tally = tallies.get(agency.pk)
        if tally is None:
            continue
        total.add(tally)
        rows.append(_present(agency.name, tally, domains))
    return AreaStatistics(
        year=year,
        years=years,
        partial=year == today.year,
        total=_present(area.name, total, domains),
        agencies=rows,
    )


def _present(name: str, tally: Tally, domains: dict[int, str]) -> AgencyStats:
    """Labels and a fixed order for the template."""
    outcome_labels = dict(Outcome.choices)
    outcomes = [Row(str(outcome_labels.get(k, k or "—")), n) for k, n in sorted(tally.by_outcome.items())]
    domain_rows = sorted(
        (Row(domains.get(k, "") or "—", n) for k, n in tally.by_domain.items()), key=lambda r: -r.count
    )
    penalties = sorted((Row(k, n) for k, n in tally.by_penalty.items()), key=lambda r: -r.count)
    statuses = dict(ReviewStatus.choices)
    reviews = []
    for tier, tier_label in ReviewTier.choices:
        found = [Row(str(statuses[s]), tally.reviews.get((tier, s), 0)) for s in ReviewStatus.values]
        if any(r.count for r in found):
            reviews.append((str(tier_label), found))
    remedies = [Row(str(label), tally.remedies.get(kind, 0)) for kind, label in RemedyKind.choices]
    return AgencyStats(
        name=name,
        tally=tally,
        outcomes=outcomes,
        domains=domain_rows,
        penalties=penalties,
        reviews=reviews,
        remedies=remedies,
    )
