"""The legal review overview (重大执法决定法制审核) for the justice bureau: reviews by tier, outcome and time
taken, per agency, the overdue ones, the ones sent back with their opinions, and the live check that no
decision was taken without a passed review.

- APL Art. 58: where legal review is required, no decision without a passed review. The procedure
  engine enforces it with the guard `zhifa.cases.guards.decision.review_passed` on the decision
  transitions; `decided_without_required_review` checks the data against that same rule.
- GO118 (十一): legal reviewers, in principle at least 5% of the enforcement staff.
- GO118 (十二)-(十三): what is reviewed and the checklist; a failed check is written down and the case is
  sent back ("退回补正"); `failed_checks` counts which checks fail most often.
- GO118 (十四): each agency sets its review time limit (setting `review_days`, default 7 working days);
  the engine stores it as LegalReview.due_on when the review is submitted (or its tier raised, or the
  limit extended), so "within the limit" compares the day of the decision with due_on.

Every read goes through zhifa.org.scoping (the justice bureau sees its county; another county's reviews
never count). The number of queries does not depend on the number of reviews: counts are grouped in
SQL, the working days of the decided reviews are computed in Python over one list of dates, and the lists
are cut at LIST_LIMIT rows.
"""

from __future__ import annotations

import datetime
import functools
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.functional import Promise

from zhifa.cases.deadlines import warning_level
from zhifa.cases.guards import GuardContext, review_passed
from zhifa.cases.models import TIER_ORDER, Case, CaseState, LegalReview, Procedure, ReviewStatus, ReviewTier
from zhifa.cases.procedure import TRANSITIONS
from zhifa.cases.review_checklist import BY_KEY, CHECKS
from zhifa.core.calendar import working_days_between
from zhifa.org.models import Agency, AgencyKind, Person, PersonStatus, RoleCode
from zhifa.org.scoping import editable, visible

LIST_LIMIT = 100  # rows of the overdue and returned lists
UNREVIEWED_LIMIT = 20  # rows of the (normally empty) list of decisions without a passed review
AGENCY_LIMIT = 500
REVIEWER_SHARE_MIN = 5  # GO118 (十一): reviewers in principle >= 5% of the enforcement staff
ENFORCEMENT_ROLES = (RoleCode.OFFICER, RoleCode.TEAM_LEADER)


# --- results ---------------------------------------------------------------------------------------


@dataclass
class Outcomes:
    """Reviews by outcome: passed, failed (sent back), pending, and the pending ones now overdue."""

    passed: int = 0
    failed: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.pending

    def add(self, status: str, count: int, overdue: int) -> None:
        if status == ReviewStatus.PASSED:
            self.passed += count
        elif status == ReviewStatus.FAILED:
            self.failed += count
        else:
            self.pending += count
            self.overdue += overdue


@dataclass
class Timing:
    """Working days taken by the decided reviews (submission to decision, GO118 (十四)) and how many were
    decided on or before their time limit (due_on)."""

    days: list[int] = field(default_factory=list)
    within_limit: int = 0

    @property
    def decided(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def p90(self) -> int | None:
        """The 90th percentile by the nearest-rank method (a value that occurred)."""
        if not self.days:
            return None
        ordered = sorted(self.days)
        return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]

    @property
    def max(self) -> int | None:
        return max(self.days) if self.days else None

    @property
    def within_share(self) -> float | None:
        """Percentage decided within the limit, one decimal; None when nothing was decided."""
        return round(100 * self.within_limit / len(self.days), 1) if self.days else None


@dataclass
class Group:
    """The figures of one tier, one agency, or all reviews."""

    outcomes: Outcomes = field(default_factory=Outcomes)
    timing: Timing = field(default_factory=Timing)


@dataclass(frozen=True)
class TierRow:
    tier: ReviewTier
    figures: Group


@dataclass(frozen=True)
class Staffing:
    """GO118 (十一): active legal reviewers against active enforcement staff (officers, team leaders)."""

    reviewers: int = 0
    staff: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.reviewers / self.staff, 1) if self.staff else None

    @property
    def meets(self) -> bool | None:
        share = self.share
        return None if share is None else share >= REVIEWER_SHARE_MIN


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    figures: Group
    staffing: Staffing


@dataclass(frozen=True)
class OverdueRow:
    review: LegalReview  # with case, case.agency, case.review_agency
    days_late: int  # working days past due_on
    level: str  # zhifa.cases.deadlines.warning_level ("overdue")


@dataclass(frozen=True)
class ReturnedRow:
    review: LegalReview  # with case, case.agency, reviewer
    failed_checks: list[str | Promise]


@dataclass(frozen=True)
class CheckCount:
    key: str
    label: str | Promise
    count: int


@dataclass(frozen=True)
class ReviewOverview:
    period_from: datetime.date
    period_to: datetime.date
    today: datetime.date
    total: Group
    tiers: list[TierRow]
    agencies: list[AgencyRow]
    overdue: list[OverdueRow]
    overdue_count: int
    returned: list[ReturnedRow]
    failed_checks: list[CheckCount]
    staffing: Staffing


# --- the overview ----------------------------------------------------------------------------------


def overview_agencies(user: Any) -> list[Agency]:
    """The township governments and departments in the user's own scope (the justice bureau: its county;
    a township administrator: the township), townships first: the rows of the per-agency table and the
    options of the agency filter."""
    agencies = editable(
        Agency.objects.filter(
            is_active=True, kind__in=(AgencyKind.TOWNSHIP_GOVERNMENT, AgencyKind.DEPARTMENT)
        ),
        user,
    )
    order = SqlCase(
        When(kind=AgencyKind.TOWNSHIP_GOVERNMENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(agencies.select_related("region").order_by(order, "region__adcode", "name")[:AGENCY_LIMIT])


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _scoped_reviews(user: Any, agency_id: int | None, tier: str | None) -> QuerySet:
    reviews = visible(LegalReview.objects.all(), user)
    if agency_id is not None:
        reviews = reviews.filter(case__agency_id=agency_id)
    if tier:
        reviews = reviews.filter(tier=tier)
    return reviews


def _overdue_q(today: datetime.date) -> Q:
    """A pending review past its limit whose case still waits in review (as the reviewer's queue counts
    it: a suspended case's or a case transferred to the judiciary is not waiting for its reviewer)."""
    return Q(status=ReviewStatus.PENDING, due_on__lt=today, case__state=CaseState.REVIEW)


def _staffing(user: Any, agency_id: int | None) -> dict[int | None, Staffing]:
    """Reviewers and enforcement staff per agency, among the people the user may read (one query)."""
    people = visible(Person.objects.filter(status=PersonStatus.ACTIVE), user)
    if agency_id is not None:
        people = people.filter(agency_id=agency_id)
    rows = (
        people.order_by()
        .values("agency_id")
        .annotate(
            reviewers=Count("pk", filter=Q(roles__code=RoleCode.LEGAL_REVIEWER), distinct=True),
            staff=Count("pk", filter=Q(roles__code__in=ENFORCEMENT_ROLES), distinct=True),
        )
    )
    return {r["agency_id"]: Staffing(r["reviewers"], r["staff"]) for r in rows}


def _failed_checks(answers: Iterable[Any]) -> list[CheckCount]:
    """How often each GO118 (十三) check was answered "fail", most frequent first (ties: checklist
    order)."""
    counts: Counter[str] = Counter()
    for answer in answers:
        for key, value in (answer or {}).items():
            if key in BY_KEY and isinstance(value, dict) and value.get("passed") is False:
                counts[key] += 1
    order = {check.key: index for index, check in enumerate(CHECKS)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return [CheckCount(key, BY_KEY[key].label, n) for key, n in ranked]


def _failed_labels(review: LegalReview) -> list[str | Promise]:
    answers = review.answers or {}
    return [
        check.label
        for check in CHECKS
        if isinstance(answers.get(check.key), dict) and answers[check.key].get("passed") is False
    ]


def review_overview(
    user: Any,
    *,
    period_from: datetime.date,
    period_to: datetime.date,
    agency_id: int | None = None,
    tier: str | None = None,
    today: datetime.date | None = None,
    agencies: list[Agency] | None = None,
) -> ReviewOverview:
    """The legal review figures of the reviews submitted from `period_from` to `period_to` (inclusive)
    that `user` may read, optionally of one agency (the case's 执法主体) and one tier: counts by tier and
    outcome, working days taken and the share decided within the limit, per agency rows, the reviews
    overdue now (whenever submitted) and those sent back with their opinions (GO118 (十三)).
    `agencies`: overview_agencies(user) when the caller already has it (the page's filter options).

    A bounded number of queries whatever the number of reviews (see the module docstring)."""
    day = today or timezone.localdate()
    scoped = _scoped_reviews(user, agency_id, tier)
    in_period = scoped.filter(
        submitted_at__gte=_local_midnight(period_from),
        submitted_at__lt=_local_midnight(period_to + datetime.timedelta(days=1)),
    )
    total = Group()
    by_tier: dict[str, Group] = {t.value: Group() for t in ReviewTier}
    by_agency: dict[int, Group] = defaultdict(Group)
    grouped = (
        in_period.order_by()
        .values("case__agency_id", "tier", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=_overdue_q(day)))
    )
    for row in grouped:
        targets = (total, by_tier.setdefault(row["tier"], Group()), by_agency[row["case__agency_id"]])
        for group in targets:
            group.outcomes.add(row["status"], row["n"], row["late"])

    count_days = functools.lru_cache(maxsize=4096)(working_days_between)  # reviews share their dates
    decided = in_period.filter(
        status__in=(ReviewStatus.PASSED, ReviewStatus.FAILED), decided_at__isnull=False
    ).values_list("case__agency_id", "tier", "submitted_at", "decided_at", "due_on")
    for agency, tier_value, submitted_at, decided_at, due_on in decided.iterator(chunk_size=2000):
        decided_on = timezone.localdate(decided_at)
        taken = max(count_days(timezone.localdate(submitted_at), decided_on), 0)
        within = decided_on <= due_on
        for group in (total, by_tier.setdefault(tier_value, Group()), by_agency[agency]):
            group.timing.days.append(taken)
            group.timing.within_limit += within

    staffing = _staffing(user, agency_id)
    agencies = list(overview_agencies(user) if agencies is None else agencies)
    if agency_id is not None:
        agencies = [a for a in agencies if a.pk == agency_id]
    listed = {a.pk for a in agencies}
    missing = sorted(pk for pk in by_agency if pk not in listed)
    if missing:  # an agency no longer active, or read through a co-review: its reviews still count
        agencies += list(Agency.objects.filter(pk__in=missing).select_related("region").order_by("name"))
    agency_rows = [
        AgencyRow(a, by_agency.get(a.pk, Group()), staffing.get(a.pk, Staffing())) for a in agencies
    ]

    overdue_qs = scoped.filter(_overdue_q(day))
    overdue_rows = [
        OverdueRow(r, count_days(r.due_on, day), warning_level(r.due_on, day))
        for r in overdue_qs.select_related("case__agency", "case__review_agency").order_by("due_on", "id")[
            :LIST_LIMIT
        ]
    ]
    overdue_count = len(overdue_rows)
    if overdue_count == LIST_LIMIT:
        overdue_count = overdue_qs.count()

    failed = in_period.filter(status=ReviewStatus.FAILED)
    returned = [
        ReturnedRow(r, _failed_labels(r))
        for r in failed.select_related("case__agency", "reviewer").order_by("-decided_at", "-id")[:LIST_LIMIT]
    ]
    checks = _failed_checks(failed.values_list("answers", flat=True).iterator(chunk_size=2000))

    shown = [TierRow(t, by_tier[t.value]) for t in ReviewTier if tier in (None, "", t.value)]
    overall = Staffing(sum(s.reviewers for s in staffing.values()), sum(s.staff for s in staffing.values()))
    return ReviewOverview(
        period_from=period_from,
        period_to=period_to,
        today=day,
        total=total,
        tiers=shown,
        agencies=agency_rows,
        overdue=overdue_rows,
        overdue_count=overdue_count,
        returned=returned,
        failed_checks=checks,
        staffing=overall,
    )


# --- the live check: no decision without a passed review ------------------------------------------


@dataclass(frozen=True)
class ReviewGate:
    """Where the engine demands a passed review: the transitions guarded by `review_passed`, the
    procedures they belong to and the states they lead to, read from zhifa.cases.procedure."""

    transitions: tuple[Any, ...]
    procedures: frozenset[str]
    states: frozenset[str]

    @property
    def labels(self) -> list[str | Promise]:
        return [t.label for t in self.transitions]

    @property
    def procedure_labels(self) -> list[str]:
        return [str(Procedure(p).label) for p in sorted(self.procedures)]


def review_gate() -> ReviewGate:
    """The engine's own rule (APL Art. 58): the decision transitions whose guards include review_passed."""
    gated = tuple(t for t in TRANSITIONS if review_passed in t.guards)
    return ReviewGate(
        transitions=gated,
        procedures=frozenset(p for t in gated for p in t.procedures),
        states=frozenset(s for t in gated for s in t.targets),
    )


@dataclass(frozen=True)
class UnreviewedRow:
    case: Case  # with agency
    reasons: list[str]  # the guard's own words


@dataclass(frozen=True)
class Unreviewed:
    count: int
    rows: list[UnreviewedRow]
    gate: ReviewGate


def _tier_rank(field_name: str) -> SqlCase:
    """TIER_ORDER (the order tier_at_least compares) as an SQL expression on `field_name`."""
    whens = [When(**{field_name: tier.value}, then=Value(rank)) for tier, rank in TIER_ORDER.items()]
    return SqlCase(*whens, default=Value(0), output_field=IntegerField())


def decided_without_required_review(
    user: Any,
    *,
    agency_id: int | None = None,
    limit: int = UNREVIEWED_LIMIT,
    today: datetime.date | None = None,
) -> Unreviewed:
    """Decided cases in the user's scope (any date) that needed a passed legal review and lack one.

    "Needed" is the engine's rule (review_gate): a case of a procedure whose decision transitions are
    guarded by review_passed, decided (decided_on set) or standing in the state such a decision leads to.
    "Lacks one" is what the guard checks: the latest round is not passed, or passed at a tier below the
    case's review tier (tier_at_least on TIER_ORDER). The engine refuses such a decision (APL Art. 58),
    so the count is 0 unless data were imported or edited outside it; the rows listed then carry the
    guard's own reasons (review_passed run on each of the first `limit`)."""
    gate = review_gate()
    day = today or timezone.localdate()
    latest = LegalReview.objects.filter(case=OuterRef("pk")).order_by("-round", "-id")
    cases = visible(Case.objects.filter(procedure__in=sorted(gate.procedures)), user).filter(
        Q(decided_on__isnull=False) | Q(state__in=sorted(gate.states))
    )
    if agency_id is not None:
        cases = cases.filter(agency_id=agency_id)
    flagged = (
        cases.annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_rank=Subquery(latest.annotate(rank=_tier_rank("tier")).values("rank")[:1]),
            needed_rank=_tier_rank("review_tier"),
        )
        .filter(
            Q(latest_status__isnull=True)
            | ~Q(latest_status=ReviewStatus.PASSED)
            | Q(latest_rank__lt=F("needed_rank"))
        )
        .order_by()
    )
    count = flagged.count()
    rows: list[UnreviewedRow] = []
    if count:
        for case in flagged.select_related("agency").order_by("-decided_on", "-id")[:limit]:
            reasons = review_passed(GuardContext(case, None, None, day))
            rows.append(UnreviewedRow(case, [str(r) for r in reasons]))
    return Unreviewed(count=count, rows=rows, gate=gate)
