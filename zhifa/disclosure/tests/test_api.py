"""The disclosure API (/api/v1/disclosure/...): the queue, the draft, publish, exempt, revocation,
withdrawal and a publication; errors in the shared shape (code, field, message)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from zhifa.core.api_testing import token_client
from zhifa.disclosure import rules
from zhifa.disclosure.models import Publication, PublicationKind, PublicationState
from zhifa.disclosure.services import publication_publish
from zhifa.disclosure.tests.queue_builders import (
    PERSON,
    bulk_decided,
    events_of,
    penalty_case,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


API = "/api/v1/disclosure"
NOTICE = "该处罚决定已被依法撤销，现撤回原公示信息。"


def post(client: Client, path: str, body: dict) -> object:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def test_the_queue_lists_pending_decisions_with_their_due_date(world):
    """GO118 (六): 7 working days for a penalty decision, with the article and a level."""
    case = penalty_case(world)
    response = token_client(world.leader).get(f"{API}/queue")
    assert response.status_code == 200, response.content
    body = response.json()
    row = next(r for r in body["pending"] if r["case_id"] == case.pk)
    assert row["kind"] == PublicationKind.PENALTY and row["case_code"] == case.code
    due = rules.publication_due(PublicationKind.PENALTY, case.decided_on)
    assert row["due"] == {
        "due": due.due.isoformat(),
        "days": 7,
        "unit": str(due.unit),
        "basis": str(due.basis),
        "level": "ok",
        "provisional": due.provisional,
    }
    assert body["withdrawals"] == [] and body["truncated"] is False


def test_queue_filters_and_bad_filters(world):
    bulk_decided(world, 1)
    client = token_client(world.leader)
    assert client.get(f"{API}/queue", {"kind": "other"}).json()["pending"] == []
    assert client.get(f"{API}/queue", {"overdue": "true"}).json()["pending"] == []
    bad = client.get(f"{API}/queue", {"kind": "everything"})
    assert bad.status_code == 422 and bad.json()["field"] == "kind"


def test_the_draft_gives_the_original_only_to_those_who_may_publish(world):
    """PIPL Art. 34: the original, with the party's ID number, for the reviewers only; the redacted text
    and the spans for every queue role of the scope."""
    case = penalty_case(world, person=True)
    leader = token_client(world.leader).get(f"{API}/cases/{case.pk}/draft").json()
    assert PERSON["id_number"] in leader["original"]
    assert PERSON["id_number"] not in leader["body"] and PERSON["name"] not in leader["body"]
    assert leader["required"] is True and leader["kind"] == "penalty" and leader["publication_id"] is None
    assert leader["spans"] and {"start", "end", "kind"} == set(leader["spans"][0])
    first = leader["spans"][0]
    assert leader["original"][first["start"] : first["end"]]
    assert leader["public"]["decision_number"] == case.decision_number
    assert leader["due"]["days"] == 7
    officer = token_client(world.officer).get(f"{API}/cases/{case.pk}/draft").json()
    assert officer["original"] is None and officer["body"] == leader["body"]


def test_publish_with_extra_masks_then_read_it(world):
    case = penalty_case(world)
    client = token_client(world.leader)
    before = events_of()
    response = post(client, f"/cases/{case.pk}/publish", {"extra_masks": ["灭火器"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == PublicationState.PUBLISHED and body["late"] is False
    assert "灭火器" not in body["body"] and body["extra_masks"] == ["灭火器"]
    assert events_of() == before + 1
    read = token_client(world.officer).get(f"{API}/publications/{body['id']}").json()
    assert read["body"] == body["body"] and read["extra_masks"] is None


def test_service_errors_are_400_naming_the_field(world):
    case = penalty_case(world)
    client = token_client(world.leader)
    response = post(client, f"/cases/{case.pk}/publish", {"extra_masks": ["不存在的文字"]})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["field"] == "extra_masks"
    assert "不在决定书原文中" in response.json()["message"]
    assert post(client, f"/cases/{case.pk}/publish", {"extra_masks": ["a\x00b"]}).status_code == 422
    assert not Publication.objects.filter(case=case).exists()
    publication_publish(actor=world.leader, case_pk=case.pk)
    again = post(client, f"/cases/{case.pk}/publish", {})
    assert again.status_code == 400 and again.json()["code"] == "duplicate"


def test_an_officer_gets_not_allowed(world):
    case = penalty_case(world)
    response = post(token_client(world.officer), f"/cases/{case.pk}/publish", {})
    assert response.status_code == 400 and response.json()["code"] == "not_allowed"


def test_exempt(world):
    """OGI Art. 14-15: with its reason; an unknown reason is a 422 naming the field."""
    case = bulk_decided(world, 1)[0]
    client = token_client(world.reviewer)
    bad = post(client, f"/cases/{case.pk}/exempt", {"reason": "because", "note": "说明"})
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    empty = post(client, f"/cases/{case.pk}/exempt", {"reason": "privacy", "note": "  "})
    assert empty.status_code == 400 and empty.json()["field"] == "note"
    done = post(client, f"/cases/{case.pk}/exempt", {"reason": "privacy", "note": "涉及他人隐私。"})
    assert done.status_code == 201 and done.json()["state"] == PublicationState.EXEMPT


def test_revocation_then_withdraw(world):
    """APL Art. 48, Art. 85: the revocation starts the 3-working-day limit; the withdrawal keeps the row."""
    case = bulk_decided(world, 1)[0]
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    client = token_client(world.leader)
    today = timezone.localdate()
    response = post(
        client,
        f"/publications/{publication.pk}/revocation",
        {"revoked_on": today.isoformat(), "reason": "revoked", "version": publication.version},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["withdrawal_due_on"] == rules.withdrawal_due(today).due.isoformat()
    queue = client.get(f"{API}/queue").json()
    assert [w["id"] for w in queue["withdrawals"]] == [publication.pk]

    stale = post(client, f"/publications/{publication.pk}/withdraw", {"notice": NOTICE, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    short = post(client, f"/publications/{publication.pk}/withdraw", {"notice": "短"})
    assert short.status_code == 400 and short.json()["field"] == "notice"
    done = post(
        client, f"/publications/{publication.pk}/withdraw", {"notice": NOTICE, "version": body["version"]}
    )
    assert done.status_code == 200 and done.json()["state"] == PublicationState.WITHDRAWN
    assert done.json()["withdrawal_notice"] == NOTICE and done.json()["portal_url"] is None
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert events_of(publication) == 3


def test_bad_dates_are_422_naming_the_field(world):
    case = bulk_decided(world, 1)[0]
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    response = post(
        token_client(world.leader),
        f"/publications/{publication.pk}/revocation",
        {"revoked_on": "2026-02-30", "reason": "revoked"},
    )
    assert response.status_code == 422 and response.json()["field"] == "revoked_on"
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = post(
        token_client(world.leader),
        f"/publications/{publication.pk}/revocation",
        {"revoked_on": future, "reason": "revoked"},
    )
    assert response.status_code == 400 and response.json()["field"] == "revoked_on"


def test_outsiders_get_the_same_404_as_for_a_missing_object(world):
    case = bulk_decided(world, 1)[0]
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    other = token_client(world.user(RoleCode.TEAM_LEADER, "t1"))
    pairs = [
        (f"/cases/{case.pk}/draft", "/cases/999999/draft"),
        (f"/publications/{publication.pk}", "/publications/999999"),
    ]
    for path, missing in pairs:
        response, absent = other.get(f"{API}{path}"), other.get(f"{API}{missing}")
        assert response.status_code == 404 and response.content == absent.content
    refused = post(other, f"/cases/{case.pk}/exempt", {"reason": "privacy", "note": "说明。"})
    assert refused.status_code == 404


def test_roles_without_the_queue_get_403_and_anonymous_401(world):
    assert token_client(world.user(RoleCode.DISPATCHER, "county")).get(f"{API}/queue").status_code == 403
    response = Client().get(f"{API}/queue")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
