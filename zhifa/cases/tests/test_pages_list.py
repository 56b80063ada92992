"""The case list (/cases/): scoped by org.scoping.visible (DESIGN.md: a township sees its township, the
justice bureau its county, a department its own), filtered by agency, state, overdue, item, date range,
procedure and text, with state tabs, each case's nearest time limit coloured by level, pages, and a
query count that does not grow with the page size (issue 5, Benchmark)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import Case, CaseState, Procedure
from zhifa.cases.tests.factories import add_party, open_case, ready_case
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def codes(client, **params) -> list[str]:
    response = client.get(reverse("case-list"), params)
    assert response.status_code == 200
    return re.findall(r'data-testid="case-row" data-code="([^"]+)"', response.content.decode())


def t1_case(world) -> Case:
    county = world.county
    return open_case(
        world,
        agency=county.township_agencies[1],
        region=county.townships[1],
        actor=county.user(RoleCode.OFFICER, "t1"),
        title="西山街道某商铺占道经营",
    )


def test_each_user_sees_the_cases_of_their_scope(client, world):
    mine, theirs = open_case(world), t1_case(world)
    client.force_login(world.officer)
    assert codes(client) == [mine.code]
    client.force_login(world.user(RoleCode.OFFICER, "t1"))
    assert codes(client) == [theirs.code]
    client.force_login(world.county.user(RoleCode.JUSTICE_BUREAU, "county"))
    assert set(codes(client)) == {mine.code, theirs.code}
    client.force_login(world.county.user(RoleCode.OFFICER, "dept"))
    assert codes(client) == []


def tab_counts(client, **params) -> dict[str, str]:
    response = client.get(reverse("case-tabs"), params)
    assert response.status_code == 200
    html = response.content.decode()
    return dict(re.findall(r'data-state="(\w+)">.*?data-testid="tab-count">([^<]+)<', html, re.S))


def test_the_tab_counts_are_scoped_too(client, world):
    """Naming another township's agency in the filter counts nothing the user may not read."""
    open_case(world)
    theirs = t1_case(world)
    client.force_login(world.officer)
    assert tab_counts(client) == {"source": "1"}
    assert tab_counts(client, agency=theirs.agency_id) == {}
    client.force_login(world.county.user(RoleCode.JUSTICE_BUREAU, "county"))
    assert tab_counts(client) == {"source": "2"}
    client.logout()
    assert client.get(reverse("case-tabs")).status_code == 302


def test_filters_by_state_text_item_procedure_and_agency(client, world):
    filed = ready_case(world, title="某包装厂擅自挪用消防器材")
    perform(actor=world.officer, case=filed, action="propose_filing", payload={"note": "请批准"})
    other_item = open_case(world, item=world.ungranted, title="某超市销售过期食品")
    spot = open_case(world, procedure=Procedure.SIMPLIFIED, title="某摊贩当场处罚")
    t1_case(world)
    client.force_login(world.leader)
    assert codes(client, state=CaseState.FILING) == [filed.code]
    assert codes(client, q="过期食品") == [other_item.code]
    assert codes(client, q=spot.code[-5:]) == [spot.code]
    assert codes(client, item=world.ungranted.pk) == [other_item.code]
    assert codes(client, procedure=Procedure.SIMPLIFIED) == [spot.code]
    assert len(codes(client, agency=world.county.township_agencies[0].pk)) == 3
    assert codes(client, agency=world.county.township_agencies[1].pk) == []
    # A malformed filter shows nothing rather than more than was asked for.
    assert codes(client, state="bogus") == []


def test_date_range_and_overdue(client, world):
    old, new = open_case(world, title="旧案"), open_case(world, title="新案")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    today = timezone.localdate()
    client.force_login(world.officer)
    since = (today - datetime.timedelta(days=7)).isoformat()
    assert codes(client, date_from=since) == [new.code]
    assert codes(client, date_to=(today - datetime.timedelta(days=30)).isoformat()) == [old.code]
    # Overdue: the nearest running limit (kept on the row by the engine) lies in the past.
    Case.objects.filter(pk=old.pk).update(next_due_on=today - datetime.timedelta(days=2))
    assert codes(client, overdue="1") == [old.code]
    html = client.get(reverse("case-list")).content.decode()
    row = re.search(rf'data-code="{old.code}".*?</tr>', html, re.S).group(0)
    assert 'data-level="overdue"' in row and "已超期" in row
    fresh = re.search(rf'data-code="{new.code}".*?</tr>', html, re.S).group(0)
    assert 'data-level="ok"' in fresh and "立案审批" in fresh


def test_state_tabs_badges_and_htmx_partial(client, world):
    filed = ready_case(world)
    perform(actor=world.officer, case=filed, action="propose_filing")
    open_case(world)
    client.force_login(world.officer)
    html = client.get(reverse("case-list"), {"procedure": "general"}).content.decode()
    # The counts load after the rows, from case-tabs with the same filters.
    assert f'hx-get="{reverse("case-tabs")}?procedure=general"' in html
    assert 'data-testid="state" data-state="filing">立案审批<' in html
    assert tab_counts(client, procedure="general") == {"source": "1", "filing": "1"}
    active = client.get(reverse("case-tabs"), {"state": "review"}).content.decode()
    assert re.search(r'nav-link active" href="\?state=review" data-testid="tab" data-state="review"', active)
    assert tab_counts(client, procedure="simplified") == {}
    partial = client.get(reverse("case-list"), {"state": "filing"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and 'data-testid="case-filters"' not in body
    assert re.findall(r'data-testid="case-row" data-code="([^"]+)"', body) == [filed.code]


def test_pages(client, world):
    made = [open_case(world, title=f"案件{i}").code for i in range(12)]
    client.force_login(world.officer)
    first = codes(client, page_size=10)
    second = codes(client, page_size=10, page=2)
    assert len(first) == 10 and len(second) == 2
    assert set(first + second) == set(made) and first[0] == made[-1], "newest first"


def test_query_count_does_not_grow_with_the_page_size(client, world):
    for i in range(30):
        add_party(open_case(world, title=f"案件{i}"))
    client.force_login(world.officer)
    client.get(reverse("case-list"))  # warm the session and the calendar cache

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("case-list"), {"page_size": size})
        assert len(re.findall(r'data-testid="case-row"', response.content.decode())) == size
        return len(ctx.captured_queries)

    assert queries(10) == queries(30)


def test_nav_links_the_list_for_case_roles_and_the_review_queue_for_reviewers(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("case-list")).content.decode()
    assert 'data-nav="cases"' in html and 'data-nav="case-review-queue"' not in html
    client.force_login(world.reviewer)
    html = client.get(reverse("case-list")).content.decode()
    assert 'data-nav="cases"' in html and 'data-nav="case-review-queue"' in html
    client.force_login(world.county.user(RoleCode.GRID_WORKER, "t0"))
    assert 'data-nav="cases"' not in client.get(reverse("home")).content.decode()
