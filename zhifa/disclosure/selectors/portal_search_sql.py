"""How a portal search runs on each database (used by selectors.portal_search; see its docstring).

- SQLite: one FTS5 query over terms and facet tokens (zhifa.disclosure.search), joined to the row for
  the publication period and the exact dates.
- PostgreSQL: the ORM's SQL, fenced and sorted or walked along the primary key as the planner's
  estimates say (`postgres_page`).
- Neither index (search.LIKE): the ORM with LIKE on whole terms, correct and slow.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BooleanField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.selectors.portal_after import public_publications
from zhifa.org.models import Region

if TYPE_CHECKING:
    from zhifa.disclosure.selectors.portal_search import PortalFilters

COUNT_LIMIT = 1000


def clamp(page: int, count: int, page_size: int) -> int:
    """`page`, or the last page of `count` results (bounded at COUNT_LIMIT) when it lies beyond."""
    return min(page, max(1, math.ceil(min(count, COUNT_LIMIT) / page_size)))


# --- PostgreSQL and the LIKE fallback: the ORM ----------------------------------------------------------


TEXT_INDEXED, TEXT_FILTERED, TEXT_NONE = "indexed", "filtered", "none"


def orm_filtered(
    area: Region | None,
    filters: PortalFilters,
    today: datetime.date,
    kind: str,
    text: str = TEXT_INDEXED,
) -> QuerySet[Publication]:
    """The published set under `filters`. On PostgreSQL `text` says how the words are tested: through
    the GIN index (TEXT_INDEXED), row by row on the rows the other filters find (TEXT_FILTERED: the same
    test on an expression the index does not cover), or not at all (TEXT_NONE)."""
    qs = public_publications(today)
    if area is not None:
        qs = qs.filter(adcode__under=area.prefix)
    if filters.agency:
        qs = qs.filter(agency_id=filters.agency)
    if filters.domain:
        qs = qs.filter(domain_id=filters.domain)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(published_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(published_on__lte=filters.date_to)
    if filters.penalty:
        if connection.vendor == "postgresql":
            qs = qs.filter(penalty_types__contains=[filters.penalty])  # the jsonb_path_ops GIN index
        else:
            qs = qs.filter(
                RawSQL(
                    "EXISTS (SELECT 1 FROM json_each(disclosure_publication.penalty_types) j"
                    " WHERE j.value = %s)",
                    [filters.penalty],
                    output_field=BooleanField(),
                )
            )
    if filters.terms and text != TEXT_NONE:
        if kind == search.TSVECTOR:
            column = f"disclosure_publication.{search.PG_COLUMN}"
            if text == TEXT_FILTERED:
                column = f"coalesce({column}, ''::tsvector)"
            qs = qs.filter(
                RawSQL(
                    f"{column} @@ plainto_tsquery('simple', %s)",
                    [" ".join(filters.terms)],
                    output_field=BooleanField(),
                )
            )
        else:  # no index: correct and slow (search.backend); whole terms, as the index matches them
            padded = Concat(Value(" "), "search_terms", Value(" "), output_field=TextField())
            qs = qs.alias(padded_terms=padded)
            for term in filters.terms:
                qs = qs.filter(padded_terms__contains=f" {term} ")
    return qs


# PostgreSQL cost units (a heap row read through a bitmap = 1): a row passed walking the primary key
# (sequential, half the cost, times 4 because a walk misjudged costs the whole table and a fenced read
# misjudged at most SMALL_RESULT rows), and a GIN posting read.
WALK_ROW = 2.0
GIN_POSTING = 0.1
# A fenced result is sorted whole: above this many estimated rows the walk is taken whatever it costs.
SMALL_RESULT = 30_000


def _estimate(cursor, qs: QuerySet[Publication]) -> tuple[str, list, float]:
    """(SQL of the ids of `qs`, its parameters, the planner's estimate of its rows)."""
    sql, params = qs.order_by().values("id").query.sql_with_params()
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return sql, list(params), max(1.0, float(plan[0]["Plan"]["Plan Rows"]))


def postgres_page(
    area: Region | None, filters: PortalFilters, today: datetime.date, page: int, page_size: int
) -> tuple[list[int], int, int]:
    """(ids of the page newest first, count bounded at COUNT_LIMIT + 1, the page served): a bounded number
    of queries (at most four estimates, then one or two), the planner's row estimates choosing the way:

    - walk: the primary key newest-first, testing each row, until the page is full; the count (no
      order) takes its own best index. Cheap when matches are dense: no filter, a common word, a page
      near the top.
    - fenced: read every match through the indexes (OFFSET 0 plans it without the page's LIMIT, which
      would pull the planner to the walk), keep the newest COUNT_LIMIT + 1 (top-N sort), number them,
      count them, in one query. The words are tested through their GIN entry when it is short (a name,
      a decision number), else row by row on the rows the other filters find (a common word in a
      county: its GIN entry would cost more than the county's rows).
    """
    from zhifa.disclosure.selectors.portal_search import PortalFilters as Filters

    offset = (page - 1) * page_size
    with connection.cursor() as cursor:
        _sql, _params, total = _estimate(cursor, public_publications(today))
        sql, params, structured = _estimate(
            cursor, orm_filtered(area, filters, today, search.TSVECTOR, TEXT_NONE)
        )
        matches, text, fenced_cost = structured, TEXT_NONE, structured
        if filters.terms:
            words = Filters(query=filters.query)
            _sql, _params, postings = _estimate(cursor, orm_filtered(None, words, today, search.TSVECTOR))
            sql, params, matches = _estimate(cursor, orm_filtered(area, filters, today, search.TSVECTOR))
            by_index = postings * GIN_POSTING + matches
            text, fenced_cost = (
                (TEXT_INDEXED, by_index) if by_index < structured else (TEXT_FILTERED, structured)
            )
            if text == TEXT_FILTERED:
                sql, params = (
                    orm_filtered(area, filters, today, search.TSVECTOR, text)
                    .order_by()
                    .values("id")
                    .query.sql_with_params()
                )
        walk_cost = (offset + page_size) * total / matches * WALK_ROW
        if matches <= SMALL_RESULT and fenced_cost < walk_cost:
            return _fenced_page(cursor, sql, list(params), page, page_size)
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM ({sql}) s LIMIT %s) c", [*params, COUNT_LIMIT + 1]
        )
        count = cursor.fetchone()[0]
        page = clamp(page, count, page_size)
        if count == 0:
            return [], 0, page
        cursor.execute(
            f"SELECT s.id FROM ({sql}) s ORDER BY s.id DESC LIMIT %s OFFSET %s",
            [*params, page_size, (page - 1) * page_size],
        )
        return [row[0] for row in cursor.fetchall()], count, page


def _fenced_page(cursor, sql: str, params: list, page: int, page_size: int) -> tuple[list[int], int, int]:
    """One query: the newest COUNT_LIMIT + 1 rows (a top-N sort), numbered, with their count; a page
    beyond the results gives the last one."""
    cursor.execute(
        "SELECT id, n FROM (SELECT top.id, count(*) OVER () AS n,"
        " row_number() OVER (ORDER BY top.id DESC) AS r"
        f" FROM (SELECT s.id FROM ({sql} OFFSET 0) s ORDER BY s.id DESC LIMIT %s) top) t"
        " WHERE r > LEAST(%s, (CEIL(LEAST(n, %s)::numeric / %s) - 1) * %s) ORDER BY r LIMIT %s",
        [*params, COUNT_LIMIT + 1, (page - 1) * page_size, COUNT_LIMIT, page_size, page_size, page_size],
    )
    found = cursor.fetchall()
    if not found:
        return [], 0, 1
    count = min(found[0][1], COUNT_LIMIT + 1)
    return [row[0] for row in found], count, clamp(page, count, page_size)


# --- SQLite: one FTS5 query over terms and facets --------------------------------------------------------


def fts5_page(
    area: Region | None, filters: PortalFilters, page: int, page_size: int, today: datetime.date
) -> tuple[list[int], int, int]:
    """(ids of the page newest first, count bounded at COUNT_LIMIT + 1, the page served): two queries.

    FTS5 skips through a long doclist (a common word) with its doclist index only when reading in
    ascending rowid order; descending, it steps through every entry. So the count is read ascending,
    and when it is exact (at most COUNT_LIMIT) the page is read ascending too, counted from the end;
    only a larger result reads descending, where the newest matches are dense enough to come soon.
    """
    tokens = list(filters.terms)
    if area is not None:
        tokens.append(search.facet_area(area.prefix))
    if filters.agency:
        tokens.append(search.facet_agency(filters.agency))
    if filters.domain:
        tokens.append(search.facet_domain(filters.domain))
    if filters.kind:
        tokens.append(search.facet_kind(filters.kind))
    if filters.penalty:
        tokens.append(search.facet_penalty(filters.penalty))
    any_of: list[str] = []
    where = ["p.state = %s", "(p.expires_on IS NULL OR p.expires_on > %s)"]
    params: list = [PublicationState.PUBLISHED, today.isoformat()]
    if filters.date_from or filters.date_to:
        first = filters.date_from or _first_day()
        last = filters.date_to or max(today, first)
        any_of = search.date_cover(first, last) or [search.facet_year(0)]
        where.append("p.published_on BETWEEN %s AND %s")
        params += [first.isoformat(), last.isoformat()]
    if not tokens:
        tokens.append(search.FACET_ALL)
    table = search.FTS_TABLE
    base = (
        f"FROM {table} CROSS JOIN disclosure_publication p"
        f" WHERE {table} MATCH %s AND p.id = {table}.rowid AND {' AND '.join(where)}"
    )
    match = [search.fts_match(tokens, any_of)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s)", [*match, *params, COUNT_LIMIT + 1])
        count = cursor.fetchone()[0]
        page = clamp(page, count, page_size)
        if count == 0:
            return [], 0, page
        if count <= COUNT_LIMIT:  # exact: the page counted from the oldest match, read ascending
            end = min(count, page * page_size)
            start = (page - 1) * page_size
            cursor.execute(
                f"SELECT p.id {base} ORDER BY {table}.rowid ASC LIMIT %s OFFSET %s",
                [*match, *params, end - start, count - end],
            )
            return [row[0] for row in reversed(cursor.fetchall())], count, page
        cursor.execute(
            f"SELECT p.id {base} ORDER BY {table}.rowid DESC LIMIT %s OFFSET %s",
            [*match, *params, page_size, (page - 1) * page_size],
        )
        return [row[0] for row in cursor.fetchall()], count, page


def _first_day() -> datetime.date:
    """The earliest publication day (the open start of a date range): one index seek."""
    first = (
        Publication.objects.filter(state=PublicationState.PUBLISHED, published_on__isnull=False)
        .order_by("published_on")
        .values_list("published_on", flat=True)
        .first()
    )
    return first or timezone.localdate()
