"""The queue page (/disclosure/): the three sections, colours by level, filters, query count, access."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.disclosure.models import WithdrawalReason
from zhifa.disclosure.services import publication_publish, publication_record_revocation
from zhifa.disclosure.tests.queue_builders import (
    bulk_decided,
    bulk_publications,
    client_for,
    no_penalty_case,
    penalty_case,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


QUEUE = "/disclosure/"


def test_a_decided_case_is_listed_with_its_due_date_and_article(world):
    """GO118 (六): the pending decision shows its due date (7 working days) with the article, and links
    to the case workspace and to the review."""
    case = penalty_case(world)
    html = client_for(world.leader).get(QUEUE).content.decode()
    assert f'data-code="{case.code}"' in html
    assert reverse("case-detail", args=[case.pk]) in html
    assert reverse("disclosure-review", args=[case.pk]) in html
    assert "国办发〔2018〕118号（六）" in html and "审核公示" in html
    assert 'data-level="ok"' in html and "text-bg-success" in html


def test_overdue_is_red_and_counted(world):
    """GO118 (六): a decision not published within its limit shows as overdue."""
    late = bulk_decided(world, 1, day=timezone.localdate() - datetime.timedelta(days=40))[0]
    html = client_for(world.leader).get(QUEUE).content.decode()
    row = html[html.index(f'data-code="{late.code}"') :]
    assert row.index('data-level="overdue"') < 200
    assert "text-bg-danger" in row[:1200] and "已超期" in row[:1500]
    assert 'data-testid="queue-overdue"' in html


def test_filters_by_kind_agency_and_level(world):
    penalty = bulk_decided(world, 1)[0]
    late = bulk_decided(world, 1, start=1, day=timezone.localdate() - datetime.timedelta(days=40))[0]
    other = no_penalty_case(world)
    client = client_for(world.leader)
    html = client.get(QUEUE, {"kind": "other"}).content.decode()
    assert other.code in html and penalty.code not in html
    html = client.get(QUEUE, {"level": "overdue"}).content.decode()
    assert late.code in html and penalty.code not in html and other.code not in html
    agency = world.county.township_agencies[0]
    html = client.get(QUEUE, {"agency": agency.pk}).content.decode()
    assert penalty.code in html and other.code in html


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"agency": "abc"}, "agency", "执法主体不在可选范围内"),
        ({"agency": "999999"}, "agency", "执法主体不在可选范围内"),
        ({"kind": "inspection"}, "kind", "公示类型不在可选范围内"),
        ({"level": "soon"}, "level", "期限筛选不在可选范围内"),
    ],
)
def test_a_bad_filter_is_named_and_ignored(world, params, field, message):
    """Bad input gets a clear message naming the field, never a 500; the other filters still apply."""
    case = bulk_decided(world, 1)[0]
    response = client_for(world.leader).get(QUEUE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="error-{field}"' in html and message in html
    assert case.code in html


def test_withdrawals_and_recent_publications(world):
    """APL Art. 48, Art. 85: a revoked decision's publication waits in 待撤回 with its 3-working-day
    limit; 近期公示 shows states."""
    case = bulk_decided(world, 1)[0]
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    publication_record_revocation(
        actor=world.leader,
        publication_pk=publication.pk,
        revoked_on=timezone.localdate(),
        reason=WithdrawalReason.REVOKED,
    )
    publication.refresh_from_db()
    html = client_for(world.reviewer).get(QUEUE).content.decode()
    withdrawals = html[
        html.index('data-testid="section-withdrawals"') : html.index('data-testid="section-recent"')
    ]
    assert f'data-pk="{publication.pk}"' in withdrawals
    assert publication.withdrawal_due_on.isoformat() in withdrawals and "第四十八条" in withdrawals
    recent = html[html.index('data-testid="section-recent"') :]
    assert f'data-pk="{publication.pk}" data-state="published"' in recent


@pytest.mark.parametrize(
    "role, place",
    [(RoleCode.DISPATCHER, "county"), (RoleCode.GRID_WORKER, "t0"), (RoleCode.ZONE_LEADER, "county")],
)
def test_roles_without_publication_work_get_403(world, role, place):
    assert client_for(world.user(role, place)).get(QUEUE).status_code == 403


def test_anonymous_is_sent_to_login(world):
    response = Client().get(QUEUE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_query_count_does_not_grow_with_rows(world):
    """10 rows or 100 rows in each section: the same number of queries."""
    client = client_for(world.leader)

    def count(n: int, start: int) -> int:
        bulk_decided(world, n, start=start)
        bulk_publications(world, bulk_decided(world, n, start=start + 5000), revoked=True)
        client.get(QUEUE)  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert response.status_code == 200
        return len(queries)

    few = count(10, 0)
    assert Case.objects.count() == 20
    many = count(90, 100)
    assert many == few
