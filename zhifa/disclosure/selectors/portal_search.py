"""Search of the published set (portal page "执法决定", feeds): filters, terms, one page newest first.

Filters (query string): q (free text, at most search.MAX_QUERY_CHARS characters), agency (an agency id
of the area), domain (an enforcement domain id), kind (penalty / other / inspection), date_from and
date_to (the publication date, 公示日期: the day the public could first read it), penalty (a penalty type
of APL Art. 9), page. A bad value is reported in Chinese naming its filter, and that filter is left off;
nothing a visitor types reaches SQL except as a bound parameter or a quoted FTS5 string.

Order: newest publication first, by publication id. Publications are numbered as they are published and
`published_on` is the day of publishing (services.publication_publish), so this is the publication-date
order; the id lets both databases stop at the page instead of sorting every match.

How it runs: selectors.portal_search_sql (SQLite: one FTS5 query over terms and facet tokens;
PostgreSQL: the tsvector, penalty GIN and B-tree indexes, the plan chosen from the planner's estimates;
elsewhere LIKE). The count stops at COUNT_LIMIT ("1000+"), and pages beyond COUNT_LIMIT / PAGE_SIZE are
not served (narrow the filters instead); a page beyond the results gives the last one.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication, PublicationKind
from zhifa.disclosure.selectors.portal_after import public_publications
from zhifa.disclosure.selectors.portal_before import area_agencies
from zhifa.disclosure.selectors.portal_search_sql import (
    COUNT_LIMIT,
    clamp,
    fts5_page,
    orm_filtered,
    postgres_page,
)
from zhifa.org.models import Agency, EnforcementDomain, Region
from zhifa.powers.services.items import PENALTY_TYPES

PAGE_SIZE = 20
MAX_PAGE = COUNT_LIMIT // PAGE_SIZE
_ID = re.compile(r"[0-9]{1,12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PAGE = re.compile(r"[0-9]{1,9}")
PARAMS = ("q", "agency", "domain", "kind", "date_from", "date_to", "penalty")


@dataclass
class PortalFilters:
    """The validated filters of a portal search; `errors` name each bad filter (in Chinese)."""

    query: search.Query = field(default_factory=lambda: search.parse_query(""))
    agency: int | None = None
    domain: int | None = None
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    penalty: str = ""
    page: int = 1
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> PortalFilters:
        """Parse the query string; never raises, whatever it holds."""
        filters = cls()

        def value(name: str) -> str:
            raw = params.get(name, "")
            text, _cut = search.clean_text(raw if isinstance(raw, str) else "")
            return text.strip()

        raw_q = params.get("q", "")
        filters.query = search.parse_query(raw_q if isinstance(raw_q, str) else "")
        if filters.query.truncated:
            filters.notices.append(_("关键词：过长，只按前%(n)d个字检索。") % {"n": search.MAX_QUERY_CHARS})
        if filters.query.dropped:
            filters.notices.append(
                _("关键词：单个汉字“%(chars)s”无法检索，请输入两个以上连续的字。")
                % {"chars": "、".join(filters.query.dropped[:5])}
            )
        if filters.query.text and filters.query.empty and not filters.query.dropped:
            filters.notices.append(_("关键词：没有可检索的汉字、字母或数字，已忽略。"))
        filters.agency = filters._id(value("agency"), _("执法主体"))
        filters.domain = filters._id(value("domain"), _("执法领域"))
        kind = value("kind")
        if kind and kind not in PublicationKind.values:
            filters.errors.append(_("公示类型：无效的类型，已显示全部类型。"))
        else:
            filters.kind = kind
        filters.date_from = filters._date(value("date_from"), _("公示日期（起）"))
        filters.date_to = filters._date(value("date_to"), _("公示日期（止）"))
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            filters.errors.append(_("公示日期（止）：不能早于起始日期，已忽略截止日期。"))
            filters.date_to = None
        penalty = value("penalty")
        if penalty and penalty not in PENALTY_TYPES:
            filters.errors.append(_("处罚种类：无效的处罚种类，已显示全部种类。"))
        else:
            filters.penalty = penalty
        page = value("page")
        if page and not _PAGE.fullmatch(page):
            filters.errors.append(_("页码：应为正整数，已显示第1页。"))
        elif page:
            filters.page = max(1, int(page))
        return filters

    def _id(self, raw: str, label: str) -> int | None:
        if not raw:
            return None
        if not _ID.fullmatch(raw):
            self.errors.append(_("%(label)s：无效的编号，已忽略该条件。") % {"label": label})
            return None
        return int(raw)

    def _date(self, raw: str, label: str) -> datetime.date | None:
        if not raw:
            return None
        try:
            if not _DATE.fullmatch(raw):
                raise ValueError(raw)
            return datetime.date.fromisoformat(raw)
        except ValueError:
            self.errors.append(
                _("%(label)s：日期格式应为“年-月-日”，如2025-01-31，已忽略该条件。") % {"label": label}
            )
            return None

    def reject(self, name: str, message: str) -> None:
        """Leave filter `name` off with `message` (a value valid in form but unknown in this area)."""
        setattr(self, name, None)
        self.errors.append(message)

    @property
    def terms(self) -> tuple[str, ...]:
        return self.query.terms

    def as_params(self) -> dict[str, str]:
        """The filters in force, as query parameters (links, feeds); without the page."""
        values = {
            "q": self.query.text if self.query.terms else "",
            "agency": str(self.agency or ""),
            "domain": str(self.domain or ""),
            "kind": self.kind,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "penalty": self.penalty,
        }
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_params())


@dataclass
class SearchResult:
    """One page of a search: rows (public fields only), the bounded count and the page numbers."""

    rows: list[Publication]
    page: int
    page_size: int
    count: int
    capped: bool  # more than COUNT_LIMIT: shown as "1000+"
    backend: str

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(min(self.count, COUNT_LIMIT) / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def page_window(self) -> list[int]:
        """Up to seven page numbers around the current page."""
        first = max(1, min(self.page - 3, self.num_pages - 6))
        return list(range(first, min(self.num_pages, first + 6) + 1))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.rows else 0


def filter_choices(area: Region) -> tuple[list[Agency], list[EnforcementDomain]]:
    """The agencies of the area (as the agencies page lists them) and the enforcement domains: the
    choices of the agency and domain filters (two queries)."""
    return list(area_agencies(area)), list(EnforcementDomain.objects.order_by("code"))


def check_choices(filters: PortalFilters, agencies: list[Agency], domains: list[EnforcementDomain]) -> None:
    """Leave off an agency outside the area or an unknown domain, saying so (naming the filter)."""
    if filters.agency and filters.agency not in {a.pk for a in agencies}:
        filters.reject("agency", _("执法主体：所选单位不属于本地区，已显示全部单位。"))
    if filters.domain and filters.domain not in {d.pk for d in domains}:
        filters.reject("domain", _("执法领域：没有该执法领域，已显示全部领域。"))


def search_publications(
    area: Region | None,
    filters: PortalFilters,
    page: int | None = None,
    *,
    page_size: int = PAGE_SIZE,
    today: datetime.date | None = None,
) -> SearchResult:
    """One page of the published decisions of `area` (a county or township; None: everywhere) matching
    `filters`, newest first, with a count bounded at COUNT_LIMIT. A fixed number of queries (two or
    three), whatever the number of rows. A page beyond the results is clamped to the last one."""
    today = today or timezone.localdate()
    page = min(max(1, page or filters.page), max(1, COUNT_LIMIT // page_size))
    kind = search.backend()
    if kind == search.FTS5:
        ids, count, page = fts5_page(area, filters, page, page_size, today)
        by_id = {p.pk: p for p in public_publications(today).filter(pk__in=ids)} if ids else {}
        rows = [by_id[i] for i in ids if i in by_id]
    elif kind == search.TSVECTOR:
        ids, count, page = postgres_page(area, filters, today, page, page_size)
        by_id = {p.pk: p for p in public_publications(today).filter(pk__in=ids)} if ids else {}
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        qs = orm_filtered(area, filters, today, kind)
        count = qs.order_by()[: COUNT_LIMIT + 1].count()
        page = clamp(page, count, page_size)
        rows = list(qs.order_by("-id")[(page - 1) * page_size : page * page_size]) if count else []
    return SearchResult(
        rows=rows,
        page=page,
        page_size=page_size,
        count=min(count, COUNT_LIMIT),
        capped=count > COUNT_LIMIT,
        backend=kind,
    )
