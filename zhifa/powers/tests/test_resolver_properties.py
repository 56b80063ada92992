"""Property-based tests of the competence resolver (issue 3 point 4; APL Art. 24, LAW.md section 8).

Hypothesis generates grant-list histories for two townships and three items — versions (published or
not, effective dates that may tie), entries, and claims with claim and withdrawal dates (some claims on
items that are not granted, or on drafts) — and compares `competent_agency` and `CompetenceIndex` with a
small oracle written in plain Python over the same generated data.

Each example writes its rows inside a savepoint of the test's transaction and rolls them back, so the
`county` fixture (built once per test) is the same for every example.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.org import testing
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, PowerItem, PowerType
from zhifa.powers.resolver import competent_agency
from zhifa.powers.resolver_index import CompetenceIndex

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)
WINDOW = 40  # days: versions, claims and queried dates fall in [START - 3, START + WINDOW + 3]
ITEMS = 3
TOWNSHIPS = 2
PAIRS = [(i, t) for i in range(ITEMS) for t in range(TOWNSHIPS)]
EXAMPLE_SETTINGS = settings(
    deadline=None,
    database=None,  # no .hypothesis/ directory in the tree; failures print their example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class GenClaim:
    claimed_on: int  # day offsets from START
    withdrawn_on: int | None


@dataclass(frozen=True)
class GenVersion:
    published: bool
    effective_from: int
    entries: frozenset[tuple[int, int]]  # (item index, township index)
    claims: dict[tuple[int, int], GenClaim]


def day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


claims_strategy = st.builds(
    lambda start, length: GenClaim(start, None if length is None else start + length),
    st.integers(0, WINDOW),
    st.none() | st.integers(1, WINDOW // 2),
)
versions_strategy = st.builds(
    GenVersion,
    published=st.sampled_from([True, True, True, False]),  # mostly published; drafts grant nothing
    effective_from=st.integers(0, WINDOW),
    entries=st.frozensets(st.sampled_from(PAIRS)),
    claims=st.dictionaries(st.sampled_from(PAIRS), claims_strategy, max_size=len(PAIRS)),
)
histories = st.lists(versions_strategy, min_size=0, max_size=4)
queries = st.lists(
    st.tuples(st.integers(0, ITEMS - 1), st.integers(0, TOWNSHIPS - 1), st.integers(-3, WINDOW + 3)),
    min_size=1,
    max_size=8,
)


def oracle(history: list[GenVersion], item: int, township: int, on: int) -> tuple[bool, int | None]:
    """(township competent, number of the version in force) straight from the rule, no database."""
    in_force = [
        (v.effective_from, n) for n, v in enumerate(history, 1) if v.published and v.effective_from <= on
    ]
    if not in_force:
        return False, None
    number = max(in_force)[1]  # latest date, then the higher number
    version = history[number - 1]
    if (item, township) not in version.entries:
        return False, number
    claim = version.claims.get((item, township))
    running = (
        claim is not None
        and claim.claimed_on <= on
        and (claim.withdrawn_on is None or on < claim.withdrawn_on)
    )
    return running, number


def build(county: testing.TestCounty, history: list[GenVersion]) -> tuple[list[PowerItem], dict[int, int]]:
    """Write the generated history; returns the items and {grant list id: version number}."""
    items = [
        PowerItem.objects.create(
            code=f"H{i}",
            name=f"事项{i}",
            power_type=PowerType.PENALTY,
            domain=county.domains["market"],
            original_subject="县市场监督管理局",
            basis_text="依据",
        )
        for i in range(ITEMS)
    ]
    numbers = {}
    user = county.user("admin", "t0")
    for number, version in enumerate(history, 1):
        grant_list = GrantList.objects.create(
            county=county.county,
            number=number,
            title="赋权清单",
            status=GrantListStatus.PUBLISHED if version.published else GrantListStatus.CONFIRMED,
            effective_from=day(version.effective_from),
        )
        numbers[grant_list.pk] = number
        GrantEntry.objects.bulk_create(
            GrantEntry(grant_list=grant_list, item=items[i], township=county.townships[t])
            for i, t in sorted(version.entries)
        )
        Claim.objects.bulk_create(
            Claim(
                grant_list=grant_list,
                item=items[i],
                township=county.townships[t],
                claimed_on=day(c.claimed_on),
                withdrawn_on=None if c.withdrawn_on is None else day(c.withdrawn_on),
                claimed_by=user,
            )
            for (i, t), c in sorted(version.claims.items())
        )
    return items, numbers


def expected_agency(county: testing.TestCounty, by_township: bool, township: int):
    return county.township_agencies[township] if by_township else county.department_agency


@settings(EXAMPLE_SETTINGS, max_examples=70)
@given(history=histories, asked=queries)
def test_competent_agency_follows_the_rule(county, history, asked):
    """APL Art. 24, LAW.md §8: for any history of versions and claims, the township is competent exactly
    when the version in force on the date grants it the item and its claim runs on that date."""
    with transaction.atomic():
        items, numbers = build(county, history)
        for i, t, on in asked:
            result = competent_agency(items[i], county.townships[t], day(on))
            by_township, number = oracle(history, i, t, on)
            assert result.by_township == by_township, (i, t, on)
            assert (numbers[result.grant_list.pk] if result.grant_list else None) == number
            assert result.agency == expected_agency(county, by_township, t)
            assert (result.claim is not None) == by_township
        transaction.set_rollback(True)


@settings(EXAMPLE_SETTINGS, max_examples=50)
@given(history=histories, asked=queries)
def test_index_agrees_with_competent_agency(county, history, asked):
    """APL Art. 24, LAW.md §8: the bulk index answers as `competent_agency` on the asked dates, and as
    the rule on every day of the window."""
    with transaction.atomic():
        items, numbers = build(county, history)
        index = CompetenceIndex.load(county.county)
        for i, t, on in asked:
            result = competent_agency(items[i], county.townships[t], day(on))
            assert index.resolve(items[i].pk, county.townships[t].pk, day(on)) == (
                result.agency.pk if result.agency else None,
                result.by_township,
                result.grant_list.pk if result.grant_list else None,
            )
        for i, t in PAIRS:
            for on in range(-3, WINDOW + 4):
                agency_id, by_township, list_id = index.resolve(items[i].pk, county.townships[t].pk, day(on))
                assert (by_township, numbers.get(list_id)) == oracle(history, i, t, on), (i, t, on)
                assert agency_id == expected_agency(county, by_township, t).pk
        transaction.set_rollback(True)
