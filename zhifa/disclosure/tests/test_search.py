"""The search terms, the query parser and the search index (zhifa.disclosure.search, selectors.portal_search).

The index must agree with the plain LIKE scan on every query, stay in step with writes (SQLite
triggers, the PostgreSQL generated column), and never show an unpublished or expired decision.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from zhifa.disclosure import search
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.selectors.portal_search import (
    COUNT_LIMIT,
    PortalFilters,
    search_publications,
)
from zhifa.disclosure.tests.test_portal_after_factories import make_publication


def test_terms_are_bigrams_and_whole_words() -> None:
    assert search.terms("违法建设 ABC-123") == ["违法", "法建", "建设", "abc", "123"]
    assert search.search_terms_for(["罚款", "", "罚款人民币"]) == "罚款 款人 人民 民币"


def test_query_is_cut_cleaned_and_never_syntax() -> None:
    query = search.parse_query("x" * 5000)
    assert query.truncated and len(query.text) == search.MAX_QUERY_CHARS
    query = search.parse_query('NEAR( "*" AND OR NOT - : \x01\x7f %_ 😀')
    assert query.terms == ("near", "and", "or", "not")
    assert "\x01" not in query.text and "\x7f" not in query.text
    assert search.parse_query("罚").dropped == ("罚",) and search.parse_query("罚").empty
    assert search.parse_query(None).empty  # type: ignore[arg-type]
    assert search.fts_match(['a"b']) == '"a""b"'


def test_date_cover_uses_years_inside_and_months_at_the_ends() -> None:
    cover = search.date_cover(datetime.date(2023, 11, 5), datetime.date(2025, 2, 1))
    assert cover == ["_m202311", "_m202312", "_y2024", "_m202501", "_m202502"]
    assert search.date_cover(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)) == ["_y2024"]
    assert search.date_cover(datetime.date(2024, 2, 1), datetime.date(2024, 1, 1)) == []


def _ids(area, **params) -> list[int]:
    return [p.pk for p in search_publications(area, PortalFilters.from_params(params)).rows]


def _like_ids(area, **params) -> list[int]:
    key = (connection.vendor, str(connection.settings_dict.get("NAME")))
    search.forget_backend()
    search._BACKENDS[key] = search.LIKE
    try:
        return _ids(area, **params)
    finally:
        search.forget_backend()


@pytest.mark.django_db
def test_the_database_has_its_search_index(county) -> None:
    """Migration 0002_search: FTS5 on SQLite, the tsvector column on PostgreSQL."""
    search.forget_backend()
    expected = {"sqlite": search.FTS5, "postgresql": search.TSVECTOR}[connection.vendor]
    assert search.backend() == expected


@pytest.mark.django_db
def test_index_agrees_with_like_on_every_filter(county) -> None:
    today = timezone.localdate()
    old = today - datetime.timedelta(days=400)
    a = make_publication(county, title="某餐饮店违法建设案", penalty_types=["罚款", "没收违法所得"])
    b = make_publication(county, township=1, party_name="张某某", penalty_types=["警告", "罚款"])
    c = make_publication(
        county, kind="other", published_on=old, penalty_types=[], domain=county.domains["market"]
    )
    d = make_publication(county, agency=county.department_agency, title="销售不合格商品案")
    cases = [
        {},
        {"q": "违法建设"},
        {"q": "罚款"},
        {"q": "某某"},
        {"q": "不合格"},
        {"q": a.decision_number},
        {"q": "nothing"},
        {"agency": str(county.department_agency.pk)},
        {"domain": str(county.domains["market"].pk)},
        {"kind": "other"},
        {"penalty": "没收违法所得"},
        {"penalty": "警告", "q": "罚款"},
        {"date_from": today.isoformat()},
        {"date_to": (old + datetime.timedelta(days=1)).isoformat()},
        {"date_from": (old - datetime.timedelta(days=40)).isoformat(), "date_to": old.isoformat()},
    ]
    for area in (county.county, county.townships[0], None):
        for params in cases:
            assert _ids(area, **params) == _like_ids(area, **params), (area, params)
    assert _ids(county.county, q="违法建设") == [a.pk]
    assert _ids(county.townships[1]) == [b.pk]
    assert _ids(county.county) == [d.pk, c.pk, b.pk, a.pk]  # newest publication first
    assert _ids(county.county, penalty="没收违法所得") == [a.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("small", [-1, 10**9])
def test_postgres_plans_agree(county, monkeypatch, small) -> None:
    """Both PostgreSQL plans (primary-key walk, fenced sort) give the same rows and page clamping."""
    from zhifa.disclosure.selectors import portal_search_sql

    monkeypatch.setattr(portal_search_sql, "SMALL_RESULT", small)
    rows = [make_publication(county, title=f"违法建设案{i}") for i in range(5)]
    make_publication(county, township=1, title="占道经营案")
    for params in ({}, {"q": "违法建设"}, {"q": "占道"}, {"q": "无此词"}):
        assert _ids(county.county, **params) == _like_ids(county.county, **params), params
    result = search_publications(
        county.county, PortalFilters.from_params({"q": "违法建设", "page": "9"}), page_size=2
    )
    assert (result.page, result.count, [p.pk for p in result.rows]) == (3, 5, [rows[0].pk])


@pytest.mark.django_db
def test_index_follows_withdrawal_expiry_and_deletion(county) -> None:
    """APL Art. 48 (withdrawn), SAMR Order 45 Art. 13 (expired): gone from search at once."""
    p = make_publication(county, title="违法建设案")
    assert _ids(county.county, q="违法建设") == [p.pk]
    Publication.objects.filter(pk=p.pk).update(state=PublicationState.WITHDRAWN)
    assert _ids(county.county, q="违法建设") == []
    Publication.objects.filter(pk=p.pk).update(state=PublicationState.PUBLISHED)
    assert _ids(county.county, q="违法建设") == [p.pk]
    Publication.objects.filter(pk=p.pk).update(expires_on=timezone.localdate())
    assert _ids(county.county, q="违法建设") == []
    Publication.objects.filter(pk=p.pk).update(expires_on=None, title="占道经营案")
    p.refresh_from_db()
    p.search_terms = search.search_terms_for([p.title])
    p.save()
    assert _ids(county.county, q="违法建设") == [] and _ids(county.county, q="占道") == [p.pk]
    p.delete()
    assert _ids(county.county, q="占道") == []
    exempt = make_publication(county, state=PublicationState.EXEMPT, title="违法建设案")
    assert exempt.pk not in _ids(county.county, q="违法建设")


@pytest.mark.django_db
def test_count_is_bounded_and_pages_clamped(county) -> None:
    rows = [make_publication(county) for _ in range(3)]
    result = search_publications(county.county, PortalFilters.from_params({}), page_size=2)
    assert (result.count, result.capped, result.num_pages) == (3, False, 2)
    assert [p.pk for p in result.rows] == [rows[2].pk, rows[1].pk]
    last = search_publications(county.county, PortalFilters.from_params({"page": "99"}), page_size=2)
    assert last.page == 2 and [p.pk for p in last.rows] == [rows[0].pk]
    assert COUNT_LIMIT == 1000


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_rows(county, django_assert_max_num_queries) -> None:
    filters = PortalFilters.from_params({"q": "消防器材"})
    for _ in range(3):
        make_publication(county)
    search_publications(county.county, filters)  # the index lookup is cached per process
    # SQLite: count, ids, rows. PostgreSQL: four row estimates, then one or two queries, then rows.
    limit = 3 if connection.vendor == "sqlite" else 7
    with django_assert_max_num_queries(limit):
        small = search_publications(county.county, filters)
    for _ in range(30):
        make_publication(county)
    with django_assert_max_num_queries(limit):
        large = search_publications(county.county, filters)
    assert (len(small.rows), len(large.rows)) == (3, 20)


@pytest.mark.django_db
def test_hostile_queries_are_harmless(county) -> None:
    make_publication(county)
    for text in [
        "x" * 5000,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "%",
        "_",
        "\x01\x02\x1f",
        "😀🙈",
        "\u0378\ufdd0\U0010fffd",
        "DROP TABLE disclosure_publication; SELECT",
        "NEAR(",
        '"',
        "*",
        "AND OR NOT",
        "-",
        ":",
        "罚款 NEAR(a b) ^c -d",
    ]:
        result = search_publications(county.county, PortalFilters.from_params({"q": text}))
        assert result.count >= 0
    assert Publication.objects.count() == 1
