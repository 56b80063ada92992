"""Reads of capacity assessments (承接能力评估) and the report in the shape of seed 004.

APL Art. 24: powers go to townships able to carry them, with periodic evaluation. Seed 004 reports
"of 112 granted items, 35 can be handled, 77 cannot"; seed 000 asks to cancel or adjust what a township
cannot carry on. For each granted (township, item) the report weighs three things:

- what the township did with it in the period (cases and clues; powers.exercise sources);
- how many officers working for the township held, on the last day of the period, a valid enforcement
  certificate covering the item's domain (APL Art. 42);
- the township's own rating (乡镇自评).

Rows are read through org.scoping.visible: the county-wide roles see every township of the county, a
township its own rows, another county's round is a 404. Every function here runs a fixed number of
queries, however many rows the round has.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.org.enforcement import certificate_valid_on
from zhifa.org.models import Certificate, Person, PersonStatus, Region, RegionLevel, Secondment
from zhifa.org.models.structure import adcode_prefix
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.powers import exercise
from zhifa.powers.models import (
    AssessmentStatus,
    CapacityAssessment,
    CapacityRating,
    GrantList,
    GrantListStatus,
    Judgement,
    PowerItem,
    Proposal,
    SelfRating,
)

# APL Art. 42: penalties are enforced by at least two officers holding enforcement qualification, so a
# township with fewer certified officers in the item's domain cannot handle the item on its own.
MIN_CERTIFIED_OFFICERS = 2
CAPABLE_RATINGS = (SelfRating.ABLE, SelfRating.MOSTLY)
SOURCE_LABELS = {exercise.CASES: gettext_lazy("案件数"), exercise.CLUES: gettext_lazy("线索数")}


def assessments_visible(user: Any) -> QuerySet[CapacityAssessment]:
    """The rounds the user may read (their county's), newest first per county."""
    qs = CapacityAssessment.objects.select_related("county", "grant_list")
    return visible(qs, user).order_by("county__adcode", "-period_end", "-id")


def assessment_detail(user: Any, pk: Any) -> CapacityAssessment:
    """One round the user may read, else 404 (another county's round reached by id)."""
    qs = CapacityAssessment.objects.select_related("county", "grant_list", "created_by__person")
    return get_visible_or_404(qs, user, pk=pk)


def assessable_versions(county: Region) -> QuerySet[GrantList]:
    """The published versions of `county` a round may assess, newest first."""
    return GrantList.objects.filter(county=county, status=GrantListStatus.PUBLISHED).order_by(
        "-effective_from", "-number"
    )


def as_of(assessment: CapacityAssessment, today: datetime.date | None = None) -> datetime.date:
    """The day certificates are judged on: the period's last day, or today while the period runs."""
    return min(assessment.period_end, today or timezone.localdate())


# --- Certified officers, in bulk ------------------------------------------------------------------------


def certified_officers(
    townships: Iterable[Region], on_date: datetime.date
) -> dict[tuple[int, int | None], set[int]]:
    """People working for each township on `on_date` with a certificate valid that day, per domain.

    Keys are (township_id, domain_id) and (township_id, None) for "any domain". A person works for a
    township when their region lies in it or when a secondment into the township's agency runs that
    day ("县属乡用"); they must be on the post that day (as org.enforcement.can_enforce). Five queries,
    whatever the number of townships, people and certificates.
    """
    by_prefix = {t.prefix: t.pk for t in townships}
    result: dict[tuple[int, int | None], set[int]] = defaultdict(set)
    if not by_prefix:
        return result
    on_post = Q(status=PersonStatus.ACTIVE) | Q(status_date__gt=on_date)
    places = Q(pk__in=[])
    for prefix in by_prefix:
        places |= Q(region__adcode__under=prefix)
    works_for: dict[int, set[int]] = defaultdict(set)
    for person_id, adcode in Person.objects.filter(places & on_post).values_list("id", "region__adcode"):
        township_id = by_prefix.get(adcode_prefix(adcode, RegionLevel.TOWNSHIP))
        if township_id is not None:
            works_for[person_id].add(township_id)
    seconded = Secondment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on_date),
        to_agency__region_id__in=by_prefix.values(),
        start_date__lte=on_date,
        person__in=Person.objects.filter(on_post),
    ).values_list("person_id", "to_agency__region_id")
    for person_id, township_id in seconded:
        works_for[person_id].add(township_id)
    if not works_for:
        return result
    certificates = (
        Certificate.objects.filter(holder_id__in=works_for, valid_from__lte=on_date, valid_to__gte=on_date)
        .only("id", "holder_id", "valid_from", "valid_to", "status", "status_date")
        .prefetch_related("status_changes", "domains")
    )
    for certificate in certificates:
        if not certificate_valid_on(certificate, on_date):
            continue
        for township_id in works_for[certificate.holder_id]:
            result[(township_id, None)].add(certificate.holder_id)
            for domain in certificate.domains.all():
                result[(township_id, domain.pk)].add(certificate.holder_id)
    return result


# --- The report ------------------------------------------------------------------------------------------


def judge(rating: str, certified: int) -> tuple[str, list[str]]:
    """Can the township handle the item? Both its own rating and enough certified officers are needed.

    Can: rated 能承接 or 基本能承接, and at least MIN_CERTIFIED_OFFICERS officers with a valid
    certificate in the item's domain (APL Art. 42: two officers). Otherwise it cannot, with reasons.
    """
    reasons: list[str] = []
    if not rating:
        reasons.append(_("乡镇未自评"))
    elif rating not in CAPABLE_RATINGS:
        reasons.append(_("乡镇自评不能承接"))
    if certified < MIN_CERTIFIED_OFFICERS:
        reasons.append(
            _("持证执法人员不足%(n)d人（《行政处罚法》第四十二条）") % {"n": MIN_CERTIFIED_OFFICERS}
        )
    return (Judgement.CANNOT if reasons else Judgement.CAN), reasons


@dataclass
class ReportRow:
    """One granted (township, item) with the facts and the conclusion."""

    rating: CapacityRating
    exercise: dict[str, int]
    certified: int
    judgement: str
    reasons: list[str]
    counts: list[tuple[str, int]] = field(default_factory=list)  # (label, count) in the report's columns

    @property
    def township(self) -> Region:
        return self.rating.township

    @property
    def item(self) -> PowerItem:
        return self.rating.item

    @property
    def exercised(self) -> int:
        return sum(self.exercise.values())

    @property
    def never_exercised(self) -> bool:
        return self.exercised == 0

    @property
    def can(self) -> bool:
        return self.judgement == Judgement.CAN

    @property
    def judgement_label(self) -> str:
        return str(Judgement(self.judgement).label)

    def count(self, source: str) -> int:
        return self.exercise.get(source, 0)


def report_rows(assessment: CapacityAssessment, ratings: QuerySet[CapacityRating]) -> list[ReportRow]:
    """The rows of `ratings` (a queryset of the round's ratings) with counts and conclusions.

    A concluded round reads the frozen figures; a running one computes them for the rows' townships
    and items: one query for the rows, a fixed number for certificates, one per exercise source.
    """
    ratings = list(
        ratings.select_related("township", "item__domain").order_by("township__adcode", "item__code")
    )
    if assessment.status == AssessmentStatus.CONCLUDED:
        frozen = [(r, r.certified_count or 0) for r in ratings]
        return [ReportRow(r, dict(r.exercise), n, r.judgement, judge(r.rating, n)[1]) for r, n in frozen]
    townships = {r.township_id: r.township for r in ratings}
    certified = certified_officers(townships.values(), as_of(assessment))
    counts = exercise.exercise_counts(
        townships, {r.item_id for r in ratings}, assessment.period_start, assessment.period_end
    )
    rows = []
    for r in ratings:
        number = len(certified.get((r.township_id, r.item.domain_id), ()))
        judgement, reasons = judge(r.rating, number)
        rows.append(ReportRow(r, counts.per_source(r.township_id, r.item_id), number, judgement, reasons))
    return rows


@dataclass
class ItemSummary:
    """An item across the townships it was granted to: handled effectively only if every one can."""

    item: PowerItem
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def can(self) -> bool:
        return all(r.can for r in self.rows)

    @property
    def partial(self) -> bool:
        return not self.can and any(r.can for r in self.rows)

    @property
    def exercised(self) -> int:
        return sum(r.exercised for r in self.rows)

    @property
    def townships(self) -> list[Region]:
        return [r.township for r in self.rows]


@dataclass
class Tally:
    """Counts for a group of rows (a domain or a township)."""

    label: str
    items: int = 0
    items_can: int = 0
    pairs: int = 0
    pairs_can: int = 0
    rated: int = 0
    never_exercised: int = 0
    revoke: int = 0

    @property
    def items_cannot(self) -> int:
        return self.items - self.items_can


@dataclass
class CapacityReport:
    assessment: CapacityAssessment
    rows: list[ReportRow]
    sources: list[tuple[str, str]]
    items: list[ItemSummary]
    domains: list[Tally]
    townships: list[tuple[Region, Tally]]

    @property
    def item_total(self) -> int:
        return len(self.items)

    @property
    def item_can(self) -> int:
        return sum(1 for i in self.items if i.can)

    @property
    def item_cannot(self) -> int:
        return self.item_total - self.item_can

    @property
    def item_partial(self) -> int:
        return sum(1 for i in self.items if i.partial)

    @property
    def pair_can(self) -> int:
        return sum(1 for r in self.rows if r.can)

    @property
    def headline(self) -> str:
        """Seed 004's sentence: 共赋予N项，能有效承接X项，尚无力承接Y项."""
        return _("共赋予%(n)d项，能有效承接%(x)d项，尚无力承接%(y)d项") % {
            "n": self.item_total,
            "x": self.item_can,
            "y": self.item_cannot,
        }

    @property
    def never_exercised(self) -> list[ItemSummary]:
        """Items no township exercised in the period (no case, no clue)."""
        return [i for i in self.items if i.exercised == 0]

    @property
    def proposals(self) -> list[ReportRow]:
        """Rows with a county proposal, revocations first."""
        order = {Proposal.REVOKE: 0, Proposal.ADJUST: 1, Proposal.KEEP: 2}
        chosen = [r for r in self.rows if r.rating.proposal]
        return sorted(chosen, key=lambda r: (order[r.rating.proposal], r.township.adcode, r.item.code))


def report_sources(rows: list[ReportRow]) -> list[tuple[str, str]]:
    """The count columns: cases and clues always, then any other source that counted something."""
    registered = {s.key: str(s.label) for s in exercise.exercise_sources()}
    keys = [exercise.CASES, exercise.CLUES]
    keys += sorted({k for r in rows for k in r.exercise} - set(keys))
    return [(k, str(SOURCE_LABELS.get(k) or registered.get(k, k))) for k in keys]


def build_report(assessment: CapacityAssessment, rows: list[ReportRow]) -> CapacityReport:
    """Group rows by item, domain and township (no query)."""
    items: dict[int, ItemSummary] = {}
    for row in rows:
        items.setdefault(row.item.pk, ItemSummary(row.item)).rows.append(row)
    domains: dict[int | None, Tally] = {}
    for summary in items.values():
        domain = summary.item.domain
        tally = domains.setdefault(
            domain.pk if domain else None, Tally(domain.name if domain else _("未设执法领域"))
        )
        tally.items += 1
        tally.items_can += summary.can
        tally.pairs += len(summary.rows)
        tally.pairs_can += sum(r.can for r in summary.rows)
        tally.never_exercised += summary.exercised == 0
    townships: dict[int, tuple[Region, Tally]] = {}
    for row in rows:
        _t, tally = townships.setdefault(row.township.pk, (row.township, Tally(row.township.name)))
        tally.items += 1
        tally.items_can += row.can
        tally.rated += bool(row.rating.rating)
        tally.never_exercised += row.never_exercised
        tally.revoke += row.rating.proposal == Proposal.REVOKE
    sources = report_sources(rows)
    for row in rows:
        row.counts = [(label, row.count(key)) for key, label in sources]
    return CapacityReport(
        assessment=assessment,
        rows=rows,
        sources=sources,
        items=sorted(items.values(), key=lambda i: i.item.code),
        domains=sorted(domains.values(), key=lambda d: (-d.items, d.label)),
        townships=sorted(townships.values(), key=lambda t: t[0].adcode),
    )


def capacity_report(user: Any, assessment: CapacityAssessment) -> CapacityReport:
    """The report of the rows `user` may read: the county's for county roles, a township's own."""
    ratings = visible(CapacityRating.objects.filter(assessment=assessment), user)
    return build_report(assessment, report_rows(assessment, ratings))


def filter_rows(
    rows: list[ReportRow],
    *,
    township: str = "",
    domain: str = "",
    judgement: str = "",
    exercised: str = "",
) -> list[ReportRow]:
    """Rows matching the page's filters: township code, domain code ("none" for no domain),
    judgement (can/cannot/unrated) and exercised ("yes"/"no")."""
    result = rows
    if township:
        result = [r for r in result if r.township.adcode == township]
    if domain:
        result = [r for r in result if (r.item.domain.code if r.item.domain else "none") == domain]
    if judgement in Judgement.values:
        result = [r for r in result if r.judgement == judgement]
    elif judgement == "unrated":
        result = [r for r in result if not r.rating.rating]
    if exercised == "no":
        result = [r for r in result if r.never_exercised]
    elif exercised == "yes":
        result = [r for r in result if not r.never_exercised]
    return result


def township_rows(assessment: CapacityAssessment, township: Region) -> list[ReportRow]:
    """One township's rows (for its rating form), with the facts it rates against."""
    ratings = CapacityRating.objects.filter(assessment=assessment, township=township)
    return build_report(assessment, report_rows(assessment, ratings)).rows


def adopted_revocations(grant_list: GrantList) -> list[CapacityRating]:
    """Revocations adopted for `grant_list`: the revoke proposals of its latest concluded round.

    Seed 000: items a township cannot carry on are cancelled; concluding a round adopts its proposals,
    and the next version built on the assessed one leaves those (township, item) entries out.
    """
    latest = (
        CapacityAssessment.objects.filter(grant_list=grant_list, status=AssessmentStatus.CONCLUDED)
        .order_by("-concluded_at", "-id")
        .first()
    )
    if latest is None:
        return []
    return list(
        CapacityRating.objects.filter(assessment=latest, proposal=Proposal.REVOKE).select_related(
            "township", "item"
        )
    )
