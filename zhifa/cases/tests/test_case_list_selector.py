"""The case list selector: data scoping, each filter, overdue, bounded count, constant query count.

Scoping follows DESIGN.md (a township sees its township, a department its own cases, the justice
bureau the county). "Overdue" is an open case whose nearest time limit has passed: the limits come from
the law (APL Art. 54 filing, Art. 60 decision within 90 days, Art. 61 service, Art. 67 payment).
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.cases.models import Case, CaseOfficer, CaseState, OfficerRole, Party, Procedure
from zhifa.cases.selectors import cases as selector
from zhifa.cases.selectors.cases import CaseFilters, case_counts_by_state, case_list
from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 16)
_numbers = itertools.count(1)


def _item(code: str, county) -> PowerItem:
    return PowerItem.objects.create(
        code=code,
        name=f"对{code}的处罚",
        power_type="penalty",
        domain=county.domains["urban"],
        original_subject="县城市管理局",
        basis_text="《某条例》第一条",
    )


def _case(agency, region, item, *, state=CaseState.INVESTIGATING, at=None, parties=("张三",), **fields):
    n = next(_numbers)
    at = at or timezone.make_aware(datetime.datetime(2026, 1, 1, 9)) + datetime.timedelta(hours=n)
    case = Case.objects.create(
        code=fields.pop("code", f"T-{n:05d}"),
        state=state,
        source="inspection",
        agency=agency,
        region=region,
        item=item,
        title=fields.pop("title", f"案由{n}"),
        act_on=datetime.date(2026, 1, 1),
        discovered_on=datetime.date(2026, 1, 1),
        created_at=at,
        updated_at=at,
        **fields,
    )
    for name in parties:
        Party.objects.create(
            case=case, kind="person", name=name, id_type="resident_id", id_number="1", address="x"
        )
    return case


@pytest.fixture
def world(county):
    """Cases of both townships, of the department and of another county's township."""
    item_a, item_b = _item("ITEM-A", county), _item("ITEM-B", county)
    t0, t1 = county.township_agencies
    lead = county.person(RoleCode.OFFICER, "t0")
    cases = {
        "t0": _case(t0, county.townships[0], item_a, parties=("甲", "乙")),
        "t0_village": _case(t0, county.communities[0], item_b, state=CaseState.ARCHIVED),
        "t1": _case(t1, county.townships[1], item_a),
        "dept": _case(county.department_agency, county.townships[1], item_b, state=CaseState.CLOSED),
    }
    CaseOfficer.objects.create(case=cases["t0"], person=lead, role=OfficerRole.LEAD, assigned_on=TODAY)
    return county, cases, (item_a, item_b)


def _codes(user, **filters) -> set[str]:
    page = case_list(user, filters=CaseFilters(**filters), today=TODAY)
    return {case.code for case in page.rows}


def test_scoping_township_department_and_justice_bureau(world, other_county):
    county, cases, (item_a, _b) = world
    _case(other_county.township_agencies[0], other_county.townships[0], item_a, code="OTHER-1")
    t0 = county.user(RoleCode.OFFICER, "t0")
    assert _codes(t0) == {cases["t0"].code, cases["t0_village"].code}  # never t1's
    assert _codes(county.user(RoleCode.OFFICER, "t1")) == {cases["t1"].code, cases["dept"].code}
    assert _codes(county.user(RoleCode.OFFICER, "dept")) == {cases["dept"].code}  # its own cases only
    everything_here = {c.code for c in cases.values()}
    assert _codes(county.user(RoleCode.JUSTICE_BUREAU, "county")) == everything_here  # not OTHER-1


def test_agency_state_item_procedure_and_text_filters(world):
    county, cases, (item_a, item_b) = world
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    t0, t1 = county.township_agencies
    assert _codes(justice, agency=t0.pk) == {cases["t0"].code, cases["t0_village"].code}
    assert _codes(justice, states=("archived",)) == {cases["t0_village"].code}
    assert _codes(justice, states=("archived", "closed")) == {cases["t0_village"].code, cases["dept"].code}
    assert _codes(justice, item=item_b.pk) == {cases["t0_village"].code, cases["dept"].code}
    assert _codes(justice, agency=t1.pk, item=item_b.pk) == set()
    simplified = _case(t1, county.townships[1], item_a, procedure=Procedure.SIMPLIFIED, title="占道经营案")
    assert _codes(justice, procedure="simplified") == {simplified.code}
    assert _codes(justice, text="占道") == {simplified.code}  # title
    assert _codes(justice, text=cases["t1"].code.lower()) == {cases["t1"].code}  # code, any case


def test_overdue_is_open_with_a_passed_time_limit(world):
    county, _cases, (item_a, _b) = world
    t0 = county.township_agencies[0]
    region = county.townships[0]
    yesterday, tomorrow = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
    late = _case(t0, region, item_a, next_due_on=yesterday, next_due_key="decision")  # APL Art. 60
    _case(t0, region, item_a, next_due_on=TODAY, next_due_key="decision")  # due today: not yet overdue
    _case(t0, region, item_a, next_due_on=tomorrow, next_due_key="payment")
    _case(t0, region, item_a, state=CaseState.CLOSED, next_due_on=yesterday)  # closed: never overdue
    late_payment = _case(t0, region, item_a, state=CaseState.EXECUTING, next_due_on=yesterday)  # Art. 67
    officer = county.user(RoleCode.OFFICER, "t0")
    assert _codes(officer, overdue=True) == {late.code, late_payment.code}
    assert _codes(officer, overdue=True, states=("executing",)) == {late_payment.code}
    assert _codes(officer, overdue=True, states=("closed",)) == set()


def test_date_ranges_on_registration_in_local_time_and_on_filing(world):
    county, _cases, (item_a, _b) = world
    t0, region = county.township_agencies[0], county.townships[0]
    # 23:30 on 1 March in Beijing is 15:30 UTC: it belongs to 1 March (登记日期 is the local date).
    late_evening = _case(t0, region, item_a, at=timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30)))
    filed = _case(t0, region, item_a, filed_on=datetime.date(2026, 2, 10))
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    march_1 = datetime.date(2026, 3, 1)
    assert _codes(justice, date_from=march_1, date_to=march_1) == {late_evening.code}
    assert late_evening.code not in _codes(justice, date_from=datetime.date(2026, 3, 2))
    assert late_evening.code not in _codes(justice, date_to=datetime.date(2026, 2, 28))
    feb = {"date_from": datetime.date(2026, 2, 1), "date_to": datetime.date(2026, 2, 10)}
    assert _codes(justice, date_on="filed", **feb) == {filed.code}
    assert _codes(justice, date_on="filed", date_from=datetime.date(2026, 2, 11)) == set()


def test_params_parsing_and_unknown_values_match_nothing(world):
    county, _cases, _items = world
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    parsed = CaseFilters.from_params({"state": "archived,closed", "overdue": "1", "date_from": "2026-01-02"})
    assert parsed.states == ("archived", "closed") and parsed.overdue and not parsed.invalid
    assert parsed.date_from == datetime.date(2026, 1, 2)
    for bad in ({"state": "nonsense"}, {"agency": "x"}, {"date_from": "2026-13-01"}, {"procedure": "fast"}):
        filters = CaseFilters.from_params(bad)
        assert filters.invalid, bad
        assert case_list(justice, filters=filters).rows == []


def test_rows_newest_first_with_party_and_lead_officer_without_more_queries(world):
    county, cases, (item_a, _b) = world
    t0, region = county.township_agencies[0], county.townships[0]
    for _ in range(120):
        _case(t0, region, item_a)
    officer = county.user(RoleCode.OFFICER, "t0")
    counted = []
    for size in (10, 100):
        fresh = get_user_model().objects.get(pk=officer.pk)  # as a new request: its scope is read again
        with CaptureQueriesContext(connection) as queries:
            page = case_list(fresh, page_size=size)
            shown = [
                (c.code, c.first_party_name, c.lead_officer_name, c.agency.name, c.item.code)
                for c in page.rows
            ]
            shown += [(c.region.name, c.team.name if c.team else "") for c in page.rows]
        assert len(page.rows) == size
        counted.append(len(queries))
    assert counted[0] == counted[1]  # the query count does not grow with the page size
    moments = [(c.created_at, c.pk) for c in case_list(officer, page_size=100).rows]
    assert moments == sorted(moments, reverse=True)
    last = case_list(officer, page_size=100, page=99)  # past the end: the last page
    assert last.number == 2 and cases["t0"] in last.rows
    row = next(c for c in last.rows if c.pk == cases["t0"].pk)
    assert (row.first_party_name, row.party_count, row.lead_officer_name) == (
        "甲",
        2,
        county.person("officer").name,
    )


def test_bounded_count_caps_and_keeps_pages_within_the_cap(world, monkeypatch):
    county, _cases, (item_a, _b) = world
    t0, region = county.township_agencies[0], county.townships[0]
    for _ in range(8):
        _case(t0, region, item_a)
    officer = county.user(RoleCode.OFFICER, "t0")
    assert (case_list(officer).count, case_list(officer).capped) == (10, False)
    monkeypatch.setattr(selector, "COUNT_LIMIT", 5)
    page = case_list(officer, page_size=10, page=3)
    assert (page.count, page.capped, page.count_label, page.num_pages) == (5, True, "5+", 1)


def test_counts_by_state_ignore_the_state_filter_and_are_bounded(world):
    county, _cases, (item_a, _b) = world
    t1, region = county.township_agencies[1], county.townships[1]
    for _ in range(3):
        _case(t1, region, item_a, state=CaseState.REVIEW)
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    tabs = {tab.state: tab for tab in case_counts_by_state(justice, CaseFilters(states=("archived",)))}
    assert set(tabs) == set(CaseState.values)
    assert (tabs["review"].count, tabs["investigating"].count, tabs["archived"].count) == (3, 2, 1)
    bounded = {tab.state: tab for tab in case_counts_by_state(justice, CaseFilters(agency=t1.pk), limit=2)}
    assert (bounded["review"].count, bounded["review"].capped, bounded["review"].count_label) == (
        2,
        True,
        "2+",
    )
    assert (bounded["investigating"].count, bounded["investigating"].capped) == (1, False)
    overdue = case_counts_by_state(justice, CaseFilters(overdue=True))
    assert all(tab.count == 0 for tab in overdue)


@pytest.mark.parametrize("count_limit", [10_000, 2])
def test_counts_by_state_exact_or_per_state_bounded(world, monkeypatch, count_limit):
    """Below COUNT_LIMIT the tabs are one GROUP BY; above it one bounded count per state: same answers."""
    county, _cases, (item_a, _b) = world
    monkeypatch.setattr(selector, "COUNT_LIMIT", count_limit)
    for _ in range(3):
        _case(county.township_agencies[1], county.townships[1], item_a, state=CaseState.REVIEW)
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    tabs = {tab.state: (tab.count, tab.capped) for tab in case_counts_by_state(justice, limit=2)}
    assert (tabs["review"], tabs["investigating"], tabs["archived"], tabs["hearing"]) == (
        (2, True),
        (2, False),
        (1, False),
        (0, False),
    )
