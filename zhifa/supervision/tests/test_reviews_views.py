"""The legal review overview page (/supervision/reviews/) and its export: who may open them (each role
of the test county), the filters and their Chinese messages, what the page shows (the figures, the
"impossible" count of APL Art. 58 and its list when data were forced), another county never counted,
and a query count that does not grow with the reviews."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, CaseState, ReviewStatus, ReviewTier
from zhifa.org.models import RoleCode
from zhifa.supervision.tests.test_reviews_data import add_review

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/supervision/reviews/"
MARCH = {"period_from": "2025-03-01", "period_to": "2025-03-31"}
P, F, W = ReviewStatus.PASSED, ReviewStatus.FAILED, ReviewStatus.PENDING

# Every user of the test county (zhifa/org/testing.py) and whether the overview is theirs.
ROLES = [
    (RoleCode.JUSTICE_BUREAU, "county", True),
    (RoleCode.ADMIN, "county", True),
    (RoleCode.ADMIN, "t0", True),
    (RoleCode.ADMIN, "t1", True),
    (RoleCode.OFFICER, "t0", False),
    (RoleCode.OFFICER, "t1", False),
    (RoleCode.OFFICER, "dept", False),
    (RoleCode.TEAM_LEADER, "t0", False),
    (RoleCode.TEAM_LEADER, "t1", False),
    (RoleCode.LEGAL_REVIEWER, "t0", False),
    (RoleCode.LEGAL_REVIEWER, "t1", False),
    (RoleCode.GRID_WORKER, "t0", False),
    (RoleCode.GRID_WORKER, "t1", False),
    (RoleCode.DISPATCHER, "county", False),
    (RoleCode.ZONE_LEADER, "county", False),
]


def justice(county):
    return county.user(RoleCode.JUSTICE_BUREAU, "county")


def some_reviews(county) -> dict:
    t0 = county.township_agencies[0]
    return {
        "passed": add_review(
            county, status=P, submitted=D(2025, 3, 3), decided=D(2025, 3, 5), due=D(2025, 3, 12)
        ),
        "failed": add_review(
            county,
            status=F,
            submitted=D(2025, 3, 10),
            decided=D(2025, 3, 11),
            due=D(2025, 3, 19),
            failed=("facts",),
            opinion="缺少当事人询问笔录，退回补正。",
        ),
        "overdue": add_review(county, tier=ReviewTier.PANEL, submitted=D(2025, 3, 3), due=D(2025, 3, 12)),
        "t0": t0,
    }


@pytest.mark.parametrize(("role", "place", "allowed"), ROLES, ids=[f"{r}-{p}" for r, p, _a in ROLES])
def test_access_matrix(client, county, role, place, allowed):
    """The justice bureau and administrators open the page and the export; every other role gets 403."""
    client.force_login(county.user(role, place))
    page = client.get(URL)
    export = client.get(reverse("supervision-reviews-export"))
    assert (page.status_code, export.status_code) == ((200, 200) if allowed else (403, 403))


def test_anonymous_is_sent_to_login_and_a_superuser_may_read(client, county):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(root)
    assert client.get(URL).status_code == 200


def test_the_page_shows_the_figures_and_the_lists(client, county):
    rows = some_reviews(county)
    client.force_login(justice(county))
    response = client.get(URL, MARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stat-total">3<' in html
    assert 'data-testid="stat-passed">1<' in html and 'data-testid="stat-failed">1<' in html
    assert f'data-agency="{rows["t0"].pk}" data-total="3" data-passed="1" data-failed="1"' in html
    assert (
        'data-tier="panel" data-total="1" data-passed="0" data-failed="0" data-pending="1" data-overdue="1"'
        in html
    )
    # The overdue review, coloured as an overdue time limit (zhifa.cases.templatetags.case_display).
    overdue = rows["overdue"].case
    assert f'data-testid="overdue-row" data-code="{overdue.code}" data-tier="panel"' in html
    assert 'class="badge text-bg-danger" data-testid="due">2025-03-12<' in html
    # The review sent back: its opinion, its failed check and a link to the case workspace.
    failed = rows["failed"].case
    assert reverse("case-detail", args=[failed.pk]) in html
    assert "缺少当事人询问笔录，退回补正。" in html and "案件事实是否清楚，证据是否合法充分" in html


def test_the_impossible_count_is_zero_with_the_engines_rule(client, county):
    """APL Art. 58: the page states the engine refuses a decision without a passed review, names the
    guard, and shows the live count 0."""
    some_reviews(county)
    client.force_login(justice(county))
    html = client.get(URL, MARCH).content.decode()
    assert 'data-testid="unreviewed" data-count="0"' in html
    assert "程序引擎拒绝在未通过法制审核的情况下作出决定" in html
    assert "《行政处罚法》第五十八条" in html and "<code>review_passed</code>" in html
    assert "“作出处罚决定”" in html and "“作出不予处罚决定”" in html
    assert 'data-testid="unreviewed-table"' not in html


def test_a_case_forced_past_the_engine_is_listed_in_red(client, county):
    """APL Art. 58: data edited outside the engine (a general-procedure case set to decided without a
    passed review) are listed, whatever the period, with the guard's reason."""
    rows = some_reviews(county)
    case = rows["overdue"].case
    Case.objects.filter(pk=case.pk).update(state=CaseState.DECIDED, decided_on=D(2024, 6, 1))
    client.force_login(justice(county))
    html = client.get(URL, MARCH).content.decode()
    assert 'data-testid="unreviewed" data-count="1"' in html
    assert 'data-testid="unreviewed-alert"' in html
    assert f'<tr class="table-danger" data-testid="unreviewed-row" data-code="{case.code}">' in html
    assert "尚未通过法制审核（《行政处罚法》第五十八条）。" in html


def test_another_county_never_counts_on_the_page(client, county, other_county):
    some_reviews(county)
    theirs = some_reviews(other_county)
    Case.objects.filter(pk=theirs["overdue"].case_id).update(state=CaseState.DECIDED)
    client.force_login(justice(county))
    html = client.get(URL, MARCH).content.decode()
    assert 'data-testid="stat-total">3<' in html
    assert 'data-testid="unreviewed" data-count="0"' in html
    assert theirs["failed"].case.code not in html, "another county's case listed"
    assert f'data-agency="{other_county.township_agencies[0].pk}"' not in html


def test_the_default_period_is_this_year(client, county):
    client.force_login(justice(county))
    today = timezone.localdate()
    html = client.get(URL).content.decode()
    assert f"统计期：{today.year}-01-01 至 {today.isoformat()}" in html
    assert f'name="period_from" value="{today.year}-01-01"' in html
    html = client.get(URL, {"period_to": "2025-06-30"}).content.decode()
    assert "统计期：2025-01-01 至 2025-06-30" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period_from": "2025-13-40"}, "period_from", "“统计期起”日期格式不正确"),
        ({"period_to": "abc"}, "period_to", "“统计期止”日期格式不正确"),
        (
            {"period_from": "2025-03-10", "period_to": "2025-03-01"},
            "period_to",
            "“统计期止”不能早于“统计期起”",
        ),
        ({"period_from": "0001-01-01"}, "period_from", "“统计期起”须在2000-01-01至2099-12-31之间"),
        ({"period_to": "9999-12-31"}, "period_to", "“统计期止”须在2000-01-01至2099-12-31之间"),
        ({"agency": "abc"}, "agency", "“执法主体”选择不正确"),
        ({"agency": "99999999999999999999"}, "agency", "“执法主体”选择不正确"),
        ({"tier": "supreme"}, "tier", "“审核层级”选择不正确"),
    ],
)
def test_bad_filters_get_a_chinese_message_naming_the_field(client, county, params, field, message):
    client.force_login(justice(county))
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'data-testid="error-{field}">{message}' in html
    assert 'data-testid="cards"' not in html


def test_another_countys_agency_is_not_an_option(client, county, other_county):
    client.force_login(justice(county))
    response = client.get(URL, {"agency": other_county.township_agencies[0].pk})
    assert response.status_code == 400
    assert "“执法主体”选择不正确" in response.content.decode()


def test_filter_by_agency_and_tier(client, county):
    rows = some_reviews(county)
    add_review(county, agency=county.department_agency, tier=ReviewTier.DEPARTMENT, submitted=D(2025, 3, 4))
    client.force_login(justice(county))
    html = client.get(URL, {**MARCH, "tier": "panel"}).content.decode()
    assert 'data-testid="stat-total">1<' in html and 'data-tier="township"' not in html
    html = client.get(URL, {**MARCH, "agency": rows["t0"].pk}).content.decode()
    assert 'data-testid="stat-total">3<' in html
    assert f'data-agency="{county.department_agency.pk}"' not in html


def test_export_per_agency_table(client, county):
    rows = some_reviews(county)
    client.force_login(justice(county))
    response = client.get(reverse("supervision-reviews-export"), {**MARCH, "format": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:4] == ("执法主体", "审核总数", "审核通过", "退回补正")
    t0 = next(row for row in values if row[0] == rows["t0"].name)
    assert t0[1:6] == (3, 1, 1, 1, 1)
    assert values[-1][0] == "合计" and values[-1][1] == 3
    response = client.get(reverse("supervision-reviews-export"), {**MARCH, "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff执法主体")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[-1][:2] == ["合计", "3"]


def test_export_refuses_a_bad_format_naming_the_field(client, county):
    client.force_login(justice(county))
    response = client.get(reverse("supervision-reviews-export"), {"format": "pdf"})
    assert response.status_code == 400
    assert "“导出格式”不正确" in response.content.decode()


def _page_queries(client, county) -> int:
    client.get(URL, MARCH)  # warm the working-day tables
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, MARCH)
    assert response.status_code == 200
    return len(captured)


def test_page_query_count_does_not_grow_with_the_reviews(client, county):
    """10 reviews or 60 (passed, sent back, overdue, in both townships): the same number of queries."""
    client.force_login(justice(county))

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            day = D(2025, 3, 3) + datetime.timedelta(days=i % 14)
            status = (P, F, W)[i % 3]
            add_review(
                county,
                agency=county.township_agencies[i % 2],
                status=status,
                tier=(ReviewTier.TOWNSHIP, ReviewTier.DEPARTMENT, ReviewTier.PANEL)[i % 3],
                submitted=day,
                decided=day + datetime.timedelta(days=2),
                due=day + datetime.timedelta(days=3),
                failed=("facts",) if status == F else (),
                opinion="退回" if status == F else "",
                # Passed ones decided: the live check of APL Art. 58 reads them all, and finds none.
                state=CaseState.DECIDED if status == P else None,
            )

    add(10, 0)
    few = _page_queries(client, county)
    add(50, 10)
    many = _page_queries(client, county)
    assert few == many, (few, many)
    assert 'data-testid="unreviewed" data-count="0"' in client.get(URL, MARCH).content.decode()
