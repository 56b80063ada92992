"""The publication page (/disclosure/<pk>/): the public version, dates, record events, portal link, and
the withdrawal forms (APL Art. 48, Art. 85)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zhifa.disclosure import rules
from zhifa.disclosure.models import Publication, PublicationState, WithdrawalReason
from zhifa.disclosure.services import publication_publish, publication_record_revocation
from zhifa.disclosure.tests.queue_builders import (
    bulk_decided,
    client_for,
    decided_on,
    events_of,
    penalty_case,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


NOTICE = "该处罚决定已被复议机关撤销，现撤回原公示信息。"


def url(publication: Publication) -> str:
    return reverse("disclosure-publication", args=[publication.pk])


def published(world, **kwargs) -> Publication:
    case = bulk_decided(world, 1, **kwargs)[0]
    return publication_publish(actor=world.leader, case_pk=case.pk)


def test_the_page_shows_the_public_version_dates_and_events(world):
    case = penalty_case(world)
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    html = client_for(world.officer).get(url(publication)).content.decode()
    assert 'data-state="published"' in html
    assert publication.due_on.isoformat() in html and "按期公示" in html
    assert 'data-action="publication.publish"' in html
    assert publication.body[:20] in html
    try:
        portal = reverse("portal-decision", args=[publication.pk])
    except NoReverseMatch:
        assert 'data-testid="portal-link"' not in html
    else:
        assert portal in html
    # An officer reads it but does not withdraw (APL Art. 48: the agency's leaders and reviewers).
    assert 'data-testid="withdraw-form"' not in html


def test_a_late_publication_says_so(world):
    """GO118 (六): published after the 7 working days: late."""
    case = penalty_case(world)
    decided_on(case, timezone.localdate() - datetime.timedelta(days=40))
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    assert publication.published_on > publication.due_on
    html = client_for(world.leader).get(url(publication)).content.decode()
    assert 'data-testid="published-late"' in html


def test_record_the_revocation_then_withdraw_with_a_notice(world):
    """APL Art. 48, Art. 85: the revocation starts 3 working days; the withdrawal takes the decision off
    the portal with its notice; the row and its events stay."""
    publication = published(world)
    client = client_for(world.leader)
    today = timezone.localdate()
    response = client.post(
        url(publication),
        {
            "action": "revocation",
            "revocation-revoked_on": today.isoformat(),
            "revocation-reason": WithdrawalReason.REVOKED,
            "revocation-version": publication.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "已登记撤销" in html
    assert rules.withdrawal_due(today).due.isoformat() in html and "第四十八条" in html
    publication.refresh_from_db()
    response = client.post(
        url(publication),
        {"action": "withdraw", "withdraw-notice": NOTICE, "withdraw-version": publication.version},
        follow=True,
    )
    html = response.content.decode()
    assert "已撤回" in html and 'data-state="withdrawn"' in html
    assert NOTICE in html
    assert 'data-testid="portal-link"' not in html and 'data-testid="withdraw-form"' not in html
    assert Publication.objects.get(pk=publication.pk).state == PublicationState.WITHDRAWN
    assert events_of(publication) == 3


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"withdraw-notice": "太短"}, "notice", "至少10个字"),
        ({"withdraw-notice": NOTICE, "withdraw-reason": "revoked"}, "revoked_on", "请填写撤销（变更）日期"),
        (
            {"withdraw-notice": NOTICE, "withdraw-reason": "revoked", "withdraw-revoked_on": "2026-13-45"},
            "revoked_on",
            "撤销（变更）日期格式不正确",
        ),
        ({"withdraw-notice": NOTICE, "withdraw-revoked_on": "2026-01-01"}, "reason", "请选择撤回原因"),
    ],
)
def test_withdraw_errors_are_named_at_the_field(world, data, field, message):
    publication = published(world)
    if field == "notice":
        data = {**data, "withdraw-reason": "revoked", "withdraw-revoked_on": timezone.localdate().isoformat()}
    response = client_for(world.leader).post(url(publication), {"action": "withdraw", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="error-{field}"' in html and message in html
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED


def test_a_revocation_in_the_future_is_named_at_its_field(world):
    publication = published(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(world.leader).post(
        url(publication),
        {
            "action": "revocation",
            "revocation-revoked_on": tomorrow.isoformat(),
            "revocation-reason": "changed",
        },
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()


def test_a_stale_page_is_told_to_reload(world):
    """Concurrent edits never silently overwrite: the form's version no longer matches (409)."""
    publication = published(world)
    stale = publication.version
    publication_record_revocation(
        actor=world.reviewer,
        publication_pk=publication.pk,
        revoked_on=timezone.localdate(),
        reason=WithdrawalReason.CHANGED,
    )
    response = client_for(world.leader).post(
        url(publication), {"action": "withdraw", "withdraw-notice": NOTICE, "withdraw-version": stale}
    )
    assert response.status_code == 409
    assert "请刷新后重试" in response.content.decode()
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED


def test_an_officer_may_not_withdraw_through_the_page(world):
    publication = published(world)
    response = client_for(world.officer).post(
        url(publication),
        {
            "action": "withdraw",
            "withdraw-notice": NOTICE,
            "withdraw-reason": "revoked",
            "withdraw-revoked_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 403
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED


def test_outsiders_get_404_and_other_roles_403(world):
    publication = published(world)
    assert client_for(world.user(RoleCode.TEAM_LEADER, "t1")).get(url(publication)).status_code == 404
    assert client_for(world.user(RoleCode.DISPATCHER, "county")).get(url(publication)).status_code == 403
