"""Reading cases: the scoped, filtered, paginated case list and the counts of its state tabs.

Every read goes through org.scoping.visible (DESIGN.md, data scoping): a township officer sees the
cases of their township, a department its own cases (and those its legal section co-reviews), the county
justice bureau the county. Rows come newest first (登记时间, then id).

Counting: the list shows a bounded count. An exact COUNT(*) reads every matching index entry, so its
cost grows with the data (a county has a million cases in two years: tens to hundreds of milliseconds
on either database, every page view). The count here stops at COUNT_LIMIT + 1 matching rows, so a
broad filter costs no more than that whatever the size of the table (the page shows "10000+"), and a
narrow one costs what its index reads (bench/cases_list.py: p95 under 100 ms at 1,000,000 cases). Pages
are numbered (offset pagination) within those first COUNT_LIMIT rows: 200 pages of 50 are more than
anyone pages through, and a narrower filter gives an exact count again. Keyset pagination would make
deep pages cheap too, but gives no page numbers and no total; the bounded count keeps both for the
cases people look at, at a fixed cost.

Queries per page do not grow with the page size: one bounded count and one page query (agency, item,
region and team joined; first party, number of parties and lead officer as subqueries per row).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import OPEN_STATES, Case, CaseOfficer, CaseState, OfficerRole, Party, Procedure
from zhifa.org.scoping import visible

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MIN, PAGE_SIZE_MAX = 10, 100
COUNT_LIMIT = 10_000  # the list counts up to here and shows "10000+" beyond
TAB_COUNT_LIMIT = 1_000  # each state tab counts up to here and shows "1000+" beyond
GROUP_LIMIT = 30_000  # the tabs of a narrowing filter are one GROUP BY up to this many rows
MAX_TEXT = 50
DATE_CREATED, DATE_FILED = "created", "filed"
DATE_FIELDS = {DATE_CREATED: _("登记日期"), DATE_FILED: _("立案日期")}


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; every field is optional (empty means "any").

    agency: an agency id; states: one or several CaseState values; overdue: open cases whose nearest
    time limit (next_due_on) is before today; item: a power item id; date_on: which date the range
    applies to, "created" (登记日期, created_at in local time) or "filed" (立案日期, filed_on);
    date_from/date_to: inclusive; text: part of the case code or of the title (案由); procedure: a
    Procedure value. `invalid` marks filters parsed from a malformed request: they match nothing, so a
    typo never shows more than was asked for.
    """

    agency: int | None = None
    states: tuple[str, ...] = ()
    overdue: bool = False
    item: int | None = None
    date_on: str = DATE_CREATED
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""
    procedure: str = ""
    invalid: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CaseFilters:
        """Filters from a query string (a QueryDict or a plain dict): agency, state (repeatable, or
        comma-separated), overdue (1/true/on), item, date_on, date_from, date_to (YYYY-MM-DD), q,
        procedure. Unknown values give filters that match nothing."""
        invalid = False

        def one(name: str) -> str:
            value = params.get(name)
            return str(value).strip() if value is not None else ""

        def number(name: str) -> int | None:
            nonlocal invalid
            raw = one(name)
            if not raw:
                return None
            if not raw.isdigit():
                invalid = True
                return None
            return int(raw)

        def day(name: str) -> datetime.date | None:
            nonlocal invalid
            raw = one(name)
            if not raw:
                return None
            try:
                parsed = parse_date(raw)
            except ValueError:
                parsed = None
            invalid = invalid or parsed is None
            return parsed

        raw_states = params.getlist("state") if hasattr(params, "getlist") else [params.get("state") or ""]
        states = tuple(s.strip() for raw in raw_states for s in str(raw).split(",") if s.strip())
        date_on = one("date_on") or DATE_CREATED
        procedure = one("procedure")
        filters = cls(
            agency=number("agency"),
            states=states,
            overdue=one("overdue").lower() in ("1", "true", "on", "yes"),
            item=number("item"),
            date_on=date_on,
            date_from=day("date_from"),
            date_to=day("date_to"),
            text=one("q")[:MAX_TEXT],
            procedure=procedure,
        )
        unknown = (
            any(s not in CaseState.values for s in states)
            or date_on not in DATE_FIELDS
            or (procedure and procedure not in Procedure.values)
        )
        return replace(filters, invalid=invalid or unknown)

    @property
    def is_empty(self) -> bool:
        return self == CaseFilters()


@dataclass
class CasePage:
    """One page of the list. `count` is exact when `capped` is False, else the list has more than
    COUNT_LIMIT rows and only the first COUNT_LIMIT can be paged through."""

    rows: list[Case]
    number: int
    page_size: int
    count: int
    capped: bool

    @property
    def count_label(self) -> str:
        return f"{COUNT_LIMIT}+" if self.capped else str(self.count)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        """1-based position of the first row shown (0 on an empty list)."""
        return (self.number - 1) * self.page_size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.rows)


@dataclass(frozen=True)
class StateCount:
    """The count of one state tab: exact when not `capped`, else more than `count`."""

    state: str
    label: str
    count: int
    capped: bool

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)


def clamp_page_size(page_size: int | str | None) -> int:
    """A page size within 10..100; anything else (missing, garbage) gives the default 50."""
    try:
        size = int(page_size)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return PAGE_SIZE_DEFAULT
    return size if PAGE_SIZE_MIN <= size <= PAGE_SIZE_MAX else PAGE_SIZE_DEFAULT


def _page_number(page: int | str | None) -> int:
    try:
        return max(1, int(page))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_cases(
    user, filters: CaseFilters, *, today: datetime.date | None = None, dense: bool = False
) -> QuerySet[Case]:
    """The cases `user` may read that match `filters`, unordered and without joins.

    Each filter maps onto an index of Case.Meta.indexes or a single-column index: agency (+ state)
    -> (agency, state, created_at); state -> state, (state, next_due_on); overdue -> (state,
    next_due_on); item -> (item, created_at); 登记日期 -> created_at; 立案日期 -> filed_on. The text
    filter (code or title containing the words) has no index and is applied to the rows the others
    leave.

    `dense`: the caller knows that many rows match (the bounded count was capped), so the newest ones
    are found soonest by walking the created_at index backwards. The agency and state terms are then
    written so that no index serves them (agency_id + 0, state || ''): SQLite, which has no histogram
    of the values, would otherwise read every case of the agency or of the state (three quarters of
    the table for "archived") through its index and sort them all. Indexes on (agency, created_at)
    and (state, created_at) would serve both the dense and the sparse case directly.
    """
    qs = visible(Case.objects.all(), user)
    if filters.invalid:
        return qs.none()
    if filters.agency is not None:
        if dense:
            qs = qs.alias(agency_plain=F("agency_id") + 0).filter(agency_plain=filters.agency)
        else:
            qs = qs.filter(agency_id=filters.agency)
    states = set(filters.states)
    if filters.overdue:
        # Overdue: still being worked on and the nearest running time limit is past (kept by the engine).
        states = (states & set(OPEN_STATES)) if states else set(OPEN_STATES)
        qs = qs.filter(next_due_on__lt=today or timezone.localdate())
    if filters.states or filters.overdue:
        if not states:
            return qs.none()
        ordered = sorted(states)
        if dense:
            qs = qs.alias(state_plain=Concat("state", Value(""))).filter(state_plain__in=ordered)
        else:
            qs = qs.filter(state=ordered[0]) if len(ordered) == 1 else qs.filter(state__in=ordered)
    if filters.item is not None:
        qs = qs.filter(item_id=filters.item)
    if filters.date_on == DATE_FILED:
        if filters.date_from:
            qs = qs.filter(filed_on__gte=filters.date_from)
        if filters.date_to:
            # Filing follows registration (APL Art. 54), so a case filed by date_to was registered by
            # then: the implied bound lets the database walk created_at from there, not from today.
            end = _local_midnight(filters.date_to + datetime.timedelta(days=1))
            qs = qs.filter(filed_on__lte=filters.date_to, created_at__lt=end)
    else:
        if filters.date_from:
            qs = qs.filter(created_at__gte=_local_midnight(filters.date_from))
        if filters.date_to:
            qs = qs.filter(created_at__lt=_local_midnight(filters.date_to + datetime.timedelta(days=1)))
    for word in filters.text.split()[:5]:
        qs = qs.filter(Q(code__icontains=word) | Q(title__icontains=word))
    if filters.procedure:
        qs = qs.filter(procedure=filters.procedure)
    return qs


def bounded_count(qs: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """(count, capped): the rows of `qs`, counted up to `limit` (COUNT_LIMIT; capped when there are more)."""
    limit = COUNT_LIMIT if limit is None else limit
    found = qs.order_by().values("pk")[: limit + 1].count()
    return min(found, limit), found > limit


def case_list_rows(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`qs` with what a list row shows, in one query: agency, item, region and team joined, and as
    annotations `first_party_name` (the first party entered), `party_count` and `lead_officer_name`
    (the active lead officer). Evaluate it on a page of rows (`case_list` passes the page's ids): the
    annotations are subqueries per row."""
    parties = Party.objects.filter(case=OuterRef("pk"))
    lead = CaseOfficer.objects.filter(case=OuterRef("pk"), role=OfficerRole.LEAD, withdrawn_on__isnull=True)
    return (
        qs.select_related("agency", "item", "region", "team")
        .defer("facts", "data", "item__basis_text", "item__basis_refs", "item__note")
        .annotate(
            first_party_name=Subquery(parties.order_by("id").values("name")[:1]),
            party_count=Subquery(parties.order_by().values("case").annotate(n=Count("pk")).values("n")),
            lead_officer_name=Subquery(lead.order_by("id").values("person__name")[:1]),
        )
        .order_by("-created_at", "-id")
    )


def page_rows(qs: QuerySet[Case], offset: int, size: int) -> QuerySet[Case]:
    """The rows `offset`..`offset + size` of `qs` (newest first) with what a row shows, as one query.

    The page's ids are a subquery on Case alone: joined with the region table, SQLite's planner would
    start from the regions and sort every case of a township; alone it reads the created_at index
    backwards and stops after the page. The outer query joins and annotates only those rows.
    """
    page_ids = qs.order_by("-created_at", "-id").values("pk")[offset : offset + size]
    return case_list_rows(Case.objects.filter(pk__in=page_ids))


def case_list(
    user,
    *,
    filters: CaseFilters | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = PAGE_SIZE_DEFAULT,
    today: datetime.date | None = None,
) -> CasePage:
    """One page of the cases `user` may read, filtered, newest first (see the module docstring).

    A page number past the end gives the last page. Two queries whatever the page size.
    """
    filters = filters or CaseFilters()
    size = clamp_page_size(page_size)
    qs = filtered_cases(user, filters, today=today)
    count, capped = bounded_count(qs)
    pages = max(1, math.ceil(count / size))
    number = min(_page_number(page), pages)
    if capped:
        qs = filtered_cases(user, filters, today=today, dense=True)
    rows = list(page_rows(qs, (number - 1) * size, size))
    for case in rows:
        case.first_party_name = case.first_party_name or ""
        case.party_count = case.party_count or 0
        case.lead_officer_name = case.lead_officer_name or ""
    return CasePage(rows=rows, number=number, page_size=size, count=count, capped=capped)


def _grouped(base: QuerySet[Case], limit: int) -> dict[str, int] | None:
    """{state: count} over the rows of `base` in one GROUP BY, or None when more than `limit` match."""
    try:
        sql, params = base.order_by().values("state")[: limit + 1].query.sql_with_params()
    except EmptyResultSet:  # filters that can match nothing
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.state, COUNT(*) FROM ({sql}) AS t GROUP BY t.state", params)
        found = dict(cursor.fetchall())
    return found if sum(found.values()) <= limit else None


def case_counts_by_state(
    user, filters: CaseFilters | None = None, *, limit: int = TAB_COUNT_LIMIT
) -> list[StateCount]:
    """The count of each state tab under `filters` (their own state filter left out), bounded.

    The tabs are read in the cheaper of two ways. (1) One GROUP BY state over the matching rows, read
    once through the index that serves the filter, when they are few: at most COUNT_LIMIT, or at most
    GROUP_LIMIT for a filter that narrows by item, date, text or overdue (whose indexes hold no state).
    (2) Otherwise one UNION ALL of a count per state, each stopping at `limit` + 1 rows ("1000+"), read
    from the indexes that lead with the scope or agency and the state ((region, state, created_at),
    (agency, state, created_at), state).
    """
    filters = replace(filters or CaseFilters(), states=())
    base = filtered_cases(user, filters)
    states = list(CaseState)

    def tabs(found: dict[str, int]) -> list[StateCount]:
        return [
            StateCount(
                s.value, str(s.label), min(found.get(s.value, 0), limit), found.get(s.value, 0) > limit
            )
            for s in states
        ]

    if filters.invalid:
        return tabs({})
    narrowed = (
        filters.item is not None or filters.date_from or filters.date_to or filters.text or filters.overdue
    )
    found = _grouped(base, GROUP_LIMIT if narrowed else COUNT_LIMIT)
    if found is not None:
        return tabs(found)
    parts, params = [], []
    for index, state in enumerate(states):
        sub = base.filter(state=state.value).order_by().values("pk")[: limit + 1]
        try:
            sql, sub_params = sub.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (e.g. overdue and a closed state)
            continue
        parts.append(f"SELECT {index} AS k, COUNT(*) AS n FROM ({sql}) AS t{index}")
        params.extend(sub_params)
    counted: dict[int, int] = {}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            counted = dict(cursor.fetchall())
    return tabs({s.value: counted.get(i, 0) for i, s in enumerate(states)})
