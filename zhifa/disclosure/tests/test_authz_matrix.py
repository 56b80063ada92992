"""The publication duties' authorization matrix: role x object x action, through the pages AND the API.

Outcomes, written out rather than computed from the scoping code so that the table checks it:
- "ok": the action goes through (queue: the case is listed);
- "absent": the queue opens but does not list another scope's case;
- "not_allowed": the caller reads the object but may not act (page 403, API 400 "not_allowed"):
  GO118 (三) 谁执法谁公示 and APL Art. 48: the deciding agency's team leaders and legal reviewers;
- "403": the role has no part in publication (the queue's roles: officers, team leaders, legal
  reviewers, the justice bureau, administrators);
- "404": an outsider, the same answer as for an id that does not exist;
- "login": anonymous (page: to the login page; API: 401).

The three objects (a decided case of township t0, one of township t1, one of another county) each
with a published decision of the same place for the withdrawal actions are built once for the module
inside a transaction rolled back at the end; each test runs in its own savepoint, and each channel in
a savepoint of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.tests.doc_helpers import build_case
from zhifa.core.api_testing import token_client
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.services import publication_publish
from zhifa.org import testing as org_testing
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db

API = "/api/v1/disclosure"
OFFICER, LEADER, REVIEWER = RoleCode.OFFICER, RoleCode.TEAM_LEADER, RoleCode.LEGAL_REVIEWER
ROLES = [
    (OFFICER, "t0"),
    (LEADER, "t0"),
    (REVIEWER, "t0"),
    (LEADER, "t1"),
    (RoleCode.DISPATCHER, "county"),
    (RoleCode.GRID_WORKER, "t0"),
    (RoleCode.ZONE_LEADER, "county"),
    (RoleCode.JUSTICE_BUREAU, "county"),
    (RoleCode.ADMIN, "county"),
    ("anonymous", ""),
]
OBJECTS = ["t0", "t1", "other_county"]
ACTIONS = ["queue", "review", "publish", "exempt", "revocation", "withdraw"]
COUNTY_WIDE = {
    (RoleCode.DISPATCHER, "county"),
    (RoleCode.JUSTICE_BUREAU, "county"),
    (RoleCode.ADMIN, "county"),
}
# Who reads each object: its township's staff, the zone leader of the zone holding t0, and the
# county-wide roles; not a grid worker (their community only), nobody of another county.
READERS = {
    "t0": {(OFFICER, "t0"), (LEADER, "t0"), (REVIEWER, "t0"), (RoleCode.ZONE_LEADER, "county"), *COUNTY_WIDE},
    "t1": {(LEADER, "t1"), *COUNTY_WIDE},
    "other_county": set(),
}
QUEUE_ROLES = {OFFICER, LEADER, REVIEWER, RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN}
# GO118 (三): the deciding agency publishes and withdraws, through its team leaders and legal reviewers.
PUBLISHERS = {"t0": {(LEADER, "t0"), (REVIEWER, "t0")}, "t1": {(LEADER, "t1")}, "other_county": set()}


def expected(role: tuple[str, str], obj: str, action: str) -> str:
    if role[0] == "anonymous":
        return "login"
    if action == "queue":
        if role[0] not in QUEUE_ROLES:
            return "403"
        return "ok" if role in READERS[obj] else "absent"
    if role not in READERS[obj]:
        return "404"
    if role[0] not in QUEUE_ROLES:
        return "403"
    if action == "review":
        return "ok"
    return "ok" if role in PUBLISHERS[obj] else "not_allowed"


@dataclass
class Matrix:
    county: org_testing.TestCounty
    other: org_testing.TestCounty
    cases: dict[str, Case]
    publications: dict[str, Publication]

    def user(self, role: tuple[str, str]) -> Any:
        return None if role[0] == "anonymous" else self.county.user(*role)


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        county = org_testing.build_test_county()
        other = org_testing.build_test_county(prefix="3502")
        t1 = {"agency": county.township_agencies[1], "region": county.townships[1]}
        cases = {
            "t0": build_case(county, code="C2026-0001"),
            "t1": build_case(county, code="C2026-0003", **t1),
            "other_county": build_case(other, code="C2026-0005"),
        }
        published = {
            "t0": (build_case(county, code="C2026-0002"), county.user(LEADER, "t0")),
            "t1": (build_case(county, code="C2026-0004", **t1), county.user(LEADER, "t1")),
            "other_county": (build_case(other, code="C2026-0006"), other.user(LEADER, "t0")),
        }
        publications = {
            obj: publication_publish(actor=actor, case_pk=case.pk) for obj, (case, actor) in published.items()
        }
        yield Matrix(county, other, cases, publications)
        transaction.set_rollback(True)


# --- the two channels -------------------------------------------------------------------------------------


def _page_client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(action: str) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate().isoformat()
    return {
        "publish": ("review", {"action": "publish", "extra_masks": ""}),
        "exempt": (
            "review",
            {"action": "exempt", "exempt-reason": "privacy", "exempt-note": "涉及他人隐私。"},
        ),
        "revocation": (
            "publication",
            {"action": "revocation", "revocation-revoked_on": today, "revocation-reason": "revoked"},
        ),
        "withdraw": (
            "publication",
            {
                "action": "withdraw",
                "withdraw-notice": "原处罚决定已被依法撤销，撤回原公示信息。",
                "withdraw-revoked_on": today,
                "withdraw-reason": "revoked",
            },
        ),
    }[action]


def page_request(m: Matrix, role: tuple[str, str], obj: str, action: str) -> Any:
    client = _page_client(m.user(role))
    case, publication = m.cases[obj], m.publications[obj]
    if action == "queue":
        return client.get(reverse("disclosure-queue"))
    if action == "review":
        return client.get(reverse("disclosure-review", args=[case.pk]))
    target, data = _form(action)
    if target == "review":
        return client.post(reverse("disclosure-review", args=[case.pk]), data)
    return client.post(reverse("disclosure-publication", args=[publication.pk]), data)


def api_request(m: Matrix, role: tuple[str, str], obj: str, action: str, *, missing: bool = False) -> Any:
    user = m.user(role)
    client = Client() if user is None else token_client(user)
    case_pk = 999_999 if missing else m.cases[obj].pk
    pub_pk = 999_999 if missing else m.publications[obj].pk
    today = timezone.localdate().isoformat()
    requests = {
        "queue": ("get", "/queue", None),
        "review": ("get", f"/cases/{case_pk}/draft", None),
        "publish": ("post", f"/cases/{case_pk}/publish", {"extra_masks": []}),
        "exempt": ("post", f"/cases/{case_pk}/exempt", {"reason": "privacy", "note": "涉及他人隐私。"}),
        "revocation": (
            "post",
            f"/publications/{pub_pk}/revocation",
            {"revoked_on": today, "reason": "revoked"},
        ),
        "withdraw": (
            "post",
            f"/publications/{pub_pk}/withdraw",
            {"notice": "原处罚决定已被依法撤销，撤回原公示信息。", "revoked_on": today, "reason": "revoked"},
        ),
    }
    method, path, body = requests[action]
    if method == "get":
        return client.get(f"{API}{path}")
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def done(m: Matrix, obj: str, action: str) -> bool:
    """Whether the action changed the database as it should."""
    case, publication = m.cases[obj], m.publications[obj]
    publication.refresh_from_db()
    if action == "publish":
        return Publication.objects.filter(case=case, state=PublicationState.PUBLISHED).exists()
    if action == "exempt":
        return Publication.objects.filter(case=case, state=PublicationState.EXEMPT).exists()
    if action == "revocation":
        return publication.revoked_on is not None and publication.state == PublicationState.PUBLISHED
    if action == "withdraw":
        return publication.state == PublicationState.WITHDRAWN
    return True


def untouched(m: Matrix, obj: str) -> bool:
    publication = Publication.objects.get(pk=m.publications[obj].pk)
    return not Publication.objects.filter(case=m.cases[obj]).exists() and (
        publication.state,
        publication.revoked_on,
        publication.version,
    ) == (PublicationState.PUBLISHED, None, 1)


def check_page(m: Matrix, role: tuple[str, str], obj: str, action: str, outcome: str) -> None:
    response = page_request(m, role, obj, action)
    marker = f'data-code="{m.cases[obj].code}"'
    if outcome == "login":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif outcome in ("ok", "absent") and action == "queue":
        assert response.status_code == 200
        assert (marker in response.content.decode()) == (outcome == "ok")
    elif outcome == "ok" and action == "review":
        assert response.status_code == 200 and m.cases[obj].code in response.content.decode()
    elif outcome == "ok":
        assert response.status_code == 302, response.content.decode()[:3000]
        assert done(m, obj, action)
    else:
        assert response.status_code == {"404": 404, "403": 403, "not_allowed": 403}[outcome]
        if outcome == "404":
            assert m.cases[obj].code not in response.content.decode()
    if outcome != "ok" or action in ("queue", "review"):
        assert untouched(m, obj)


def check_api(m: Matrix, role: tuple[str, str], obj: str, action: str, outcome: str) -> None:
    response = api_request(m, role, obj, action)
    if outcome == "login":
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    elif action == "queue" and outcome in ("ok", "absent"):
        assert response.status_code == 200
        listed = m.cases[obj].pk in [row["case_id"] for row in response.json()["pending"]]
        assert listed == (outcome == "ok")
    elif outcome == "ok":
        assert response.status_code in (200, 201), response.content
        assert done(m, obj, action)
    elif outcome == "404":
        missing = api_request(m, role, obj, action, missing=True)
        assert response.status_code == 404 and response.content == missing.content
    elif outcome == "403":
        assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    else:
        assert response.status_code == 400 and response.json()["code"] == "not_allowed", response.content
    if outcome != "ok" or action in ("queue", "review"):
        assert untouched(m, obj)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: "-".join(r).strip("-"))
def test_role_object_action(matrix, role, obj, action):
    outcome = expected(role, obj, action)
    for check in (check_page, check_api):
        with transaction.atomic():
            check(matrix, role, obj, action, outcome)
            transaction.set_rollback(True)
