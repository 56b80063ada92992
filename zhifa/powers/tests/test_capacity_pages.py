"""Capacity assessment pages: the list, starting a round, the report and its filters, the rating form,
proposals, conclusion, the xlsx export, the menu and the number of queries."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.org.models import RoleCode
from zhifa.powers import exercise
from zhifa.powers.models import AssessmentStatus, CapacityAssessment, CapacityRating, Proposal, SelfRating
from zhifa.powers.services import capacity as services
from zhifa.powers.services import claims
from zhifa.powers.tests.grant_helpers import county_admin, leader, make_items, published_list
from zhifa.powers.tests.test_capacity_helpers import (
    PERIOD_END,
    PERIOD_START,
    TODAY,
    cases_from_claims,  # noqa: F401 (fixture)
    rate_all,
    start_round,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assessment(world):
    round_ = start_round(world)
    rate_all(world, round_)
    return round_


def test_index_offers_start_to_county_roles_and_rating_to_township_leaders(world, assessment):
    start_url = reverse("capacity-start", args=[world.county.county.adcode])
    admin = client_for(county_admin(world.county))
    admin_page = admin.get(reverse("capacity-index")).content.decode()
    assert assessment.title in admin_page and "评估中" in admin_page
    assert start_url not in admin_page  # one round at a time
    leader_client = client_for(leader(world.county))
    leader_page = leader_client.get(reverse("capacity-index")).content.decode()
    rate_url = reverse("capacity-rate", args=[assessment.pk, world.t0.adcode])
    assert rate_url in leader_page and start_url not in leader_page
    services.capacity_assessment_conclude(actor=county_admin(world.county), assessment=assessment)
    assert start_url in admin.get(reverse("capacity-index")).content.decode()
    assert rate_url not in leader_client.get(reverse("capacity-index")).content.decode()


def test_start_through_the_form(world):
    url = reverse("capacity-start", args=[world.county.county.adcode])
    client = client_for(world.county.user(RoleCode.JUSTICE_BUREAU, "county"))
    form = client.get(url).content.decode()
    assert str(world.grant_list) in form
    bad = client.post(
        url,
        {
            "title": "评估",
            "grant_list": world.grant_list.pk,
            "period_start": "2026-06-30",
            "period_end": "2026-01-01",
        },
    )
    assert bad.status_code == 200 and "评估期截止日期不能早于起始日期" in bad.content.decode()
    response = client.post(
        url,
        {
            "title": "年度评估",
            "grant_list": world.grant_list.pk,
            "period_start": PERIOD_START.isoformat(),
            "period_end": PERIOD_END.isoformat(),
        },
    )
    created = CapacityAssessment.objects.get(title="年度评估")
    assert response.status_code == 302 and created.ratings.count() == 6


def test_report_page_headline_filters_and_scoping(world, assessment):
    url = reverse("capacity-detail", args=[assessment.pk])
    page = client_for(county_admin(world.county)).get(url).content.decode()
    assert "共赋予4项，能有效承接1项，尚无力承接3项" in page
    assert f'data-testid="row-{world.t1.adcode}-GX000"' in page and 'data-testid="proposal-form"' in page
    filtered = client_for(county_admin(world.county)).get(url, {"judgement": "can"}).content.decode()
    assert f"row-{world.t0.adcode}-GX000" in filtered and f"row-{world.t0.adcode}-GX002" not in filtered
    by_township = (
        client_for(county_admin(world.county)).get(url, {"township": world.t1.adcode}).content.decode()
    )
    assert f"row-{world.t1.adcode}-GXURB" in by_township and f"row-{world.t0.adcode}-" not in by_township
    # A township leader sees its own rows only, without the proposal forms.
    own = client_for(leader(world.county, "t1")).get(url).content.decode()
    assert f"row-{world.t1.adcode}-GX000" in own and f"row-{world.t0.adcode}-" not in own
    assert "共赋予2项" in own and 'data-testid="proposal-form"' not in own


def test_rating_form_saves_and_shows_errors_on_the_item(world):
    round_ = start_round(world)
    url = reverse("capacity-rate", args=[round_.pk, world.t0.adcode])
    client = client_for(leader(world.county))
    form = client.get(url).content.decode()
    assert 'data-testid="rate-row-GX000"' in form and "持证 2 人" in form and "持证 1 人" in form
    gx0, gx1, _gx2 = world.items
    bad = client.post(url, {f"rating_{gx0.pk}": SelfRating.ABLE, f"rating_{gx1.pk}": SelfRating.UNABLE})
    assert 'data-testid="error-GX001"' in bad.content.decode()
    assert not CapacityRating.objects.filter(assessment=round_).exclude(rating="").exists()
    ok = client.post(
        url,
        {
            f"rating_{gx0.pk}": SelfRating.ABLE,
            f"rating_{gx1.pk}": SelfRating.UNABLE,
            f"reason_{gx1.pk}": "缺少检测设备",
            f"version_{gx1.pk}": "1",
        },
    )
    assert ok.status_code == 302
    saved = dict(
        CapacityRating.objects.filter(assessment=round_, township=world.t0).values_list("item_id", "rating")
    )
    assert saved[gx0.pk] == SelfRating.ABLE and saved[gx1.pk] == SelfRating.UNABLE


def test_proposal_and_conclusion_through_the_page(world, assessment):
    client = client_for(county_admin(world.county))
    gx0 = world.items[0]
    response = client.post(
        reverse("capacity-proposal", args=[assessment.pk]),
        {
            "row_township": world.t1.adcode,
            "item": gx0.pk,
            "proposal": "revoke",
            "proposal_note": "无持证人员",
            "version": 2,
            "judgement": "cannot",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?judgement=cannot")
    assert (
        CapacityRating.objects.get(assessment=assessment, township=world.t1, item=gx0).proposal
        == Proposal.REVOKE
    )
    stale = client.post(
        reverse("capacity-proposal", args=[assessment.pk]),
        {"row_township": world.t1.adcode, "item": gx0.pk, "proposal": "keep", "version": 2},
        follow=True,
    )
    assert "已被他人修改" in stale.content.decode()
    client.post(reverse("capacity-conclude", args=[assessment.pk]), {"version": assessment.version})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CONCLUDED
    page = client.get(reverse("capacity-detail", args=[assessment.pk])).content.decode()
    assert (
        'data-testid="proposal-form"' not in page
        and 'data-testid="conclude"' not in page
        and "已完成" in page
    )


@pytest.mark.usefixtures("cases_from_claims")
def test_export_xlsx_reads_back(world, assessment):
    gx0 = world.items[0]
    claims.claim_create(
        actor=leader(world.county),
        grant_list=world.grant_list,
        township=world.t0,
        item=gx0,
        claimed_on=TODAY - datetime.timedelta(days=5),
    )
    services.capacity_proposal_set(
        actor=county_admin(world.county),
        assessment=assessment,
        township=world.t1,
        item=gx0,
        proposal=Proposal.REVOKE,
        note="=HYPERLINK(1)",
    )
    response = client_for(county_admin(world.county)).get(reverse("capacity-export", args=[assessment.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["汇总", "明细"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True)}
    assert summary["评估结论"] == "共赋予4项，能有效承接1项，尚无力承接3项"
    assert summary["乡镇（街道）：西山街道"].startswith("赋予2项，能承接1项")
    detail = list(book["明细"].iter_rows(values_only=True))
    assert list(detail[0][:10]) == [
        *("乡镇", "事项编码", "事项名称", "执法领域", "案件数"),
        *("线索数", "持证人数", "乡镇自评", "评估结论", "处理建议"),
    ]
    rows = {(r[0], r[1]): r for r in detail[1:]}
    assert len(rows) == 6
    assert rows[("东湖镇", "GX000")][4:9] == (1, 0, 2, "能承接", "能承接")
    assert rows[("西山街道", "GX000")][6:10] == (0, "能承接", "尚无力承接", "取消")
    assert rows[("西山街道", "GX000")][11] == "'=HYPERLINK(1)"  # typed text never becomes a formula
    # The page's filters apply to the detail sheet.
    filtered = client_for(county_admin(world.county)).get(
        reverse("capacity-export", args=[assessment.pk]), {"township": world.t1.adcode}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(filtered.streaming_content)))
    assert {r[0] for r in list(book["明细"].iter_rows(values_only=True))[1:]} == {"西山街道"}


def test_menu_shows_claims_and_assessment_to_the_roles_that_use_them(world):
    def nav(user) -> str:
        return client_for(user).get(reverse("home")).content.decode()

    leader_nav = nav(leader(world.county))
    assert 'data-nav="grant-claims"' in leader_nav and 'data-nav="capacity"' in leader_nav
    assert reverse("grant-claims", args=[world.t0.adcode]) in leader_nav
    admin_t0 = nav(world.county.user(RoleCode.ADMIN, "t0"))
    assert reverse("grant-claims", args=[world.t0.adcode]) in admin_t0
    county_nav = nav(county_admin(world.county))
    assert 'data-nav="capacity"' in county_nav and 'data-nav="grant-claims"' not in county_nav
    assert 'data-nav="capacity"' in nav(world.county.user(RoleCode.JUSTICE_BUREAU, "county"))
    for role, place in (
        (RoleCode.OFFICER, "t0"),
        (RoleCode.DISPATCHER, "county"),
        (RoleCode.GRID_WORKER, "t0"),
    ):
        other = nav(world.county.user(role, place))
        assert 'data-nav="capacity"' not in other and 'data-nav="grant-claims"' not in other


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.usefixtures("cases_from_claims")
def test_report_queries_do_not_grow_with_rows(world, assessment, other_county, django_assert_max_num_queries):
    """Two counties, 6 and 40 rows: the same number of queries (a source counts in one query)."""
    items = make_items(other_county, 20, prefix="BIG")
    big = published_list(other_county, {0: items, 1: items})
    big_round = services.capacity_assessment_start(
        actor=county_admin(other_county),
        county=other_county.county,
        grant_list=big,
        title="大县评估",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )
    small = _queries(client_for(county_admin(world.county)), reverse("capacity-detail", args=[assessment.pk]))
    large = _queries(client_for(county_admin(other_county)), reverse("capacity-detail", args=[big_round.pk]))
    assert small == large
    admin, township_leader = client_for(county_admin(other_county)), client_for(leader(other_county))
    with django_assert_max_num_queries(20):
        admin.get(reverse("capacity-detail", args=[big_round.pk]))
    with django_assert_max_num_queries(20):
        admin.get(reverse("capacity-export", args=[big_round.pk]))
    with django_assert_max_num_queries(20):
        township_leader.get(reverse("capacity-rate", args=[big_round.pk, other_county.townships[0].adcode]))
    assert exercise.exercise_sources()[0].key == exercise.CASES
