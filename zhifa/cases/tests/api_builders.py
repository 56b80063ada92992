"""Builders for the case API tests: cases taken through the engine to each stage, and HTTP helpers.

The stages are reached with the real transitions (zhifa.cases.engine.perform, which issues documents
through zhifa.cases.documents.issue_document). What belongs to other services (serving the notice, the
party's waivers, the reviewer's recorded answer) is written directly, as the factories do for parties.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import (
    Case,
    CaseStep,
    DocType,
    ReviewStatus,
    Service,
    ServiceMethod,
    Statement,
    StatementKind,
)
from zhifa.cases.tests.factories import CaseWorld, ready_case
from zhifa.core.api_testing import API
from zhifa.core.models import Event

CASES = f"{API}/cases"


def act(client: Client, case: Case, name: str, payload: dict[str, Any] | None = None, version=None) -> Any:
    """POST a transition through the API with the case's current version (or `version`)."""
    case.refresh_from_db()
    body = {"version": case.version if version is None else version, "payload": payload or {}}
    return client.post(f"{CASES}/{case.pk}/actions/{name}", json.dumps(body), content_type="application/json")


def refusal(response: Any) -> dict[str, str]:
    """{guard or field: its messages, one a line} of a refused step (400 with the shared error shape)."""
    assert response.status_code == 400, response.content
    body = response.json()
    reasons: dict[str, str] = {}
    for error in body.get("errors") or [body]:
        reasons[error["field"]] = "\n".join(filter(None, (reasons.get(error["field"]), error["message"])))
    return reasons


def filed_case(world: CaseWorld, **overrides: Any) -> Case:
    """A case filed with approval (APL Art. 54): INVESTIGATING, with its filing approval issued."""
    case = ready_case(world, **overrides)
    case = perform(actor=world.officer, case=case, action="propose_filing", payload={"note": "符合立案条件"})
    return perform(actor=world.leader, case=case, action="approve_filing", payload={"note": "同意立案"})


def serve_notice(case: Case, *, waiver: bool = True, hearing_waiver: bool = False) -> None:
    """The notice of intended penalty served on the party today, with the party's express waivers."""
    notice = case.documents.filter(doc_type=DocType.NOTICE_OF_INTENDED_PENALTY).latest("id")
    Service.objects.create(
        case=case,
        document=notice,
        party=case.parties.first(),
        method=ServiceMethod.DIRECT,
        recipient="王某",
        served_at=timezone.now(),
    )
    today = timezone.localdate()
    if waiver:
        Statement.objects.create(case=case, kind=StatementKind.WAIVER, received_on=today)
    if hearing_waiver:
        Statement.objects.create(case=case, kind=StatementKind.HEARING_WAIVER, received_on=today)


def notified_case(
    world: CaseWorld,
    *,
    fine: str = "10000",
    types: list[str] | None = None,
    served: bool = True,
    waiver: bool = True,
    **overrides: Any,
) -> Case:
    """A filed case whose notice of intended penalty (APL Art. 44) was issued and, by default, served
    and expressly waived (Art. 45, 62)."""
    case = filed_case(world, **overrides)
    case = perform(
        actor=world.officer,
        case=case,
        action="notify",
        payload={"intended_types": types or ["罚款"], "intended_fine": fine},
    )
    if served:
        serve_notice(case, waiver=waiver, hearing_waiver=waiver and case.hearing_offered)
    case.refresh_from_db()
    return case


def pass_review(world: CaseWorld, case: Case) -> Case:
    """The reviewer's recorded answer "passed" (the review service's part), then "review_pass"."""
    case.refresh_from_db()
    review = case.reviews.order_by("-round", "-id").first()
    review.status = ReviewStatus.PASSED
    review.opinion = "同意"
    review.reviewer = world.reviewer.person
    review.decided_at = timezone.now()
    review.save()
    return perform(actor=world.reviewer, case=case, action="review_pass")


def deciding_case(world: CaseWorld, *, fine: str = "10000", **overrides: Any) -> Case:
    """A case waiting for the decision: notified, waived, reviewed and passed (APL Art. 44-45, 58)."""
    case = notified_case(world, fine=fine, **overrides)
    case = perform(actor=world.officer, case=case, action="submit_review", payload={"note": "提请审核"})
    return pass_review(world, case)


def snapshot(case: Case) -> dict[str, Any]:
    """What a refused or failed step must leave as it was."""
    case.refresh_from_db()
    return {
        "state": case.state,
        "version": case.version,
        "steps": CaseStep.objects.filter(case=case).count(),
        "documents": sorted(case.documents.values_list("pk", flat=True)),
        "events": Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).count(),
        "all_events": Event.objects.count(),
    }
