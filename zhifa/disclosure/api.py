"""JSON API of the publication duties (issue 6): the queue, a case's redacted draft, publishing, "not
published", recording a revocation and withdrawing.

Thin, like the pages: reads go through the same scoping (another township's case or publication is a
404, identical to a missing one), every change through zhifa.disclosure.services, so the rules hold over
HTTP too: masks only add (GO118 "作适当处理"), 7 / 20 working days (GO118 (六)), withdrawal within 3
working days with a public notice (APL Art. 48, Art. 85). Errors have the shared shape of zhifa.api: a
refused step is a 400 with code, field and a Chinese message; a publication changed since it was read is
a 400 "conflict"; a role that may read but not act gets a 400 "not_allowed"; a role without the queue a
403. The original text of a decision is only given to those who may publish it (PIPL Art. 34).
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from zhifa.cases.deadlines import warning_level
from zhifa.cases.models import Case
from zhifa.core.calendar import Deadline
from zhifa.disclosure import rules, services
from zhifa.disclosure.api_schemas import (
    DraftOut,
    ExemptIn,
    PublicationOut,
    PublishIn,
    QueueOut,
    RevocationIn,
    WithdrawIn,
)
from zhifa.disclosure.drafting import build_draft
from zhifa.disclosure.models import Publication, PublicationKind
from zhifa.disclosure.policies import can_publish, can_see_queue, can_withdraw
from zhifa.disclosure.selectors.queue import publication_or_404, publication_queue, publishable_case_or_404
from zhifa.disclosure.views.publication import portal_url
from zhifa.org.api_common import MAX_ID, caller, id_query
from zhifa.org.schemas import ErrorOut

router = Router(tags=["disclosure"])
NOT_FOUND = {403: ErrorOut, 404: ErrorOut}
WRITE = {200: PublicationOut, 400: ErrorOut, 422: ErrorOut, **NOT_FOUND}
CREATED = {201: PublicationOut, 400: ErrorOut, 422: ErrorOut, **NOT_FOUND}
KindQuery = Query(None, description="penalty（处罚决定）或 other（其他执法决定）")
OverdueQuery = Query(False, description="只看已超期")


# --- shapes --------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def due_out(deadline: Deadline, today: datetime.date) -> dict[str, Any]:
    return {
        "due": deadline.due,
        "days": deadline.days,
        "unit": str(deadline.unit),
        "basis": str(deadline.basis),
        "level": warning_level(deadline.due, today),
        "provisional": deadline.provisional,
    }


def row_out(publication: Publication, level: str = "") -> dict[str, Any]:
    return {
        "id": publication.pk,
        "case_id": publication.case_id,
        "kind": publication.kind,
        "state": publication.state,
        "state_label": str(publication.get_state_display()),
        "decision_number": publication.decision_number,
        "title": publication.title,
        "agency": _ref(publication.agency),
        "published_on": publication.published_on,
        "revoked_on": publication.revoked_on,
        "withdrawal_reason": publication.withdrawal_reason,
        "withdrawal_due_on": publication.withdrawal_due_on,
        "level": level,
    }


def publication_out(user: Any, publication: Publication) -> dict[str, Any]:
    """A publication as staff see it: the public fields, its dates and state; the reviewer's extra masks
    only for those who may withdraw it (they say what the public must not read)."""
    late = bool(publication.published_on and publication.published_on > publication.due_on)
    return {
        "id": publication.pk,
        "case_id": publication.case_id,
        "case_code": publication.case.code if publication.case_id else "",
        "kind": publication.kind,
        "kind_label": str(publication.get_kind_display()),
        "state": publication.state,
        "state_label": str(publication.get_state_display()),
        "agency": _ref(publication.agency),
        "decision_number": publication.decision_number,
        "decided_on": publication.decided_on,
        "title": publication.title,
        "party_kind": publication.party_kind,
        "party_name": publication.party_name,
        "party_uscc": publication.party_uscc,
        "violation": publication.violation,
        "penalty_types": list(publication.penalty_types or []),
        "penalty_text": publication.penalty_text,
        "fine_amount": publication.fine_amount,
        "body": publication.body,
        "due_on": publication.due_on,
        "published_on": publication.published_on,
        "late": late,
        "expires_on": publication.expires_on,
        "revoked_on": publication.revoked_on,
        "withdrawal_reason": publication.withdrawal_reason,
        "withdrawal_due_on": publication.withdrawal_due_on,
        "withdrawn_at": publication.withdrawn_at,
        "withdrawal_notice": publication.withdrawal_notice,
        "exempt_reason": publication.exempt_reason,
        "exempt_note": publication.exempt_note,
        "extra_masks": list(publication.extra_masks) if can_withdraw(user, publication) else None,
        "portal_url": portal_url(publication),
        "version": publication.version,
    }


# --- reads ---------------------------------------------------------------------------------------


def _reader(request: HttpRequest) -> Any:
    """The caller, when their role works with the queue (team leaders, legal reviewers, officers, the
    justice bureau, administrators); else 403."""
    user = caller(request)
    if not can_see_queue(user):
        raise PermissionDenied
    return user


def _case(request: HttpRequest, case_pk: int) -> Case:
    if not 1 <= case_pk <= MAX_ID:
        raise Http404
    case = publishable_case_or_404(caller(request), case_pk)
    _reader(request)
    return case


def _publication(request: HttpRequest, pk: int) -> Publication:
    if not 1 <= pk <= MAX_ID:
        raise Http404
    publication = publication_or_404(caller(request), pk)
    _reader(request)
    return publication


@router.get("/queue", response={200: QueueOut, 403: ErrorOut}, summary="公示待办")
def get_queue(
    request: HttpRequest,
    agency: int | None = id_query("执法主体ID"),
    kind: Literal["penalty", "other"] | None = KindQuery,
    overdue: bool = OverdueQuery,
) -> Any:
    """Decisions to publish and publications to withdraw in the caller's scope, what is due first."""
    user = _reader(request)
    today = timezone.localdate()
    queue = publication_queue(user, today, agency_id=agency, kind=kind or "", overdue_only=overdue)
    return {
        "pending": [
            {
                "case_id": row.case.pk,
                "case_code": row.case.code,
                "title": row.case.title,
                "agency": _ref(row.case.agency),
                "outcome": row.case.outcome,
                "outcome_label": str(row.case.get_outcome_display()),
                "kind": row.kind,
                "kind_label": str(PublicationKind(row.kind).label),
                "decided_on": row.decided_on,
                "due": due_out(row.due, today),
            }
            for row in queue.pending
        ],
        "withdrawals": [row_out(row.publication, row.level) for row in queue.withdrawals],
        "truncated": queue.truncated,
    }


@router.get("/cases/{case_pk}/draft", response={200: DraftOut, **NOT_FOUND}, summary="公示稿（遮盖后）")
def get_draft(request: HttpRequest, case_pk: int) -> Any:
    """The case's decision as it would be published today: public fields, redacted text, the masked
    spans (positions in the original); the original only for those who may publish it."""
    case = _case(request, case_pk)
    user = caller(request)
    today = timezone.localdate()
    draft = build_draft(case)
    public = draft.public
    handled = Publication.objects.filter(case=case).order_by("-id").values_list("pk", flat=True).first()
    return {
        "case_id": case.pk,
        "case_code": case.code,
        "required": draft.duty.required,
        "reason": str(draft.duty.reason),
        "kind": draft.duty.kind,
        "due": due_out(draft.due, today) if draft.due else None,
        "publication_id": handled,
        "public": {
            "kind": public["kind"],
            "decision_number": public["decision_number"],
            "decided_on": public["decided_on"],
            "title": public["title"],
            "party_kind": public["party_kind"],
            "party_name": public["party_name"],
            "party_uscc": public["party_uscc"],
            "violation": public["violation"],
            "penalty_types": public["penalty_types"],
            "penalty_text": public["penalty_text"],
            "fine_amount": public["fine_amount"],
            "agency": _ref(public["agency"]),
            "region": public["adcode"],
            "expires_on": rules.expires_on(today, years=public["years"]),
        },
        "body": draft.redacted.text,
        "spans": [{"start": s.start, "end": s.end, "kind": s.kind} for s in draft.redacted.spans],
        "original": draft.original if can_publish(user, case) else None,
    }


@router.get("/publications/{pk}", response={200: PublicationOut, **NOT_FOUND}, summary="公示信息")
def get_publication(request: HttpRequest, pk: int) -> Any:
    publication = _publication(request, pk)
    return publication_out(caller(request), publication)


# --- writes --------------------------------------------------------------------------------------


@router.post("/cases/{case_pk}/publish", response=CREATED, summary="公示")
def publish(request: HttpRequest, case_pk: int, payload: PublishIn) -> Any:
    """Publish the case's decision, redacted, with the caller's extra masks (strings of the original:
    masks only add). Refused when already handled, not required by law, or a personal identifier is
    left in the text."""
    case = _case(request, case_pk)
    user = caller(request)
    done = services.publication_publish(actor=user, case_pk=case.pk, extra_masks=payload.extra_masks)
    return 201, publication_out(user, publication_or_404(user, done.pk))


@router.post("/cases/{case_pk}/exempt", response=CREATED, summary="不予公开")
def exempt(request: HttpRequest, case_pk: int, payload: ExemptIn) -> Any:
    """Record that the decision stays unpublished, with the legal reason (OGI Art. 14-15)."""
    case = _case(request, case_pk)
    user = caller(request)
    done = services.publication_exempt(
        actor=user, case_pk=case.pk, reason=str(payload.reason), note=payload.note
    )
    return 201, publication_out(user, publication_or_404(user, done.pk))


@router.post("/publications/{pk}/revocation", response=WRITE, summary="登记撤销（变更）")
def record_revocation(request: HttpRequest, pk: int, payload: RevocationIn) -> Any:
    """The decision was revoked or changed on `revoked_on`: withdraw within 3 working days (APL Art. 48,
    Art. 85)."""
    publication = _publication(request, pk)
    user = caller(request)
    services.publication_record_revocation(
        actor=user,
        publication_pk=publication.pk,
        revoked_on=payload.revoked_on,
        reason=str(payload.reason),
        version=payload.version,
    )
    return 200, publication_out(user, publication_or_404(user, pk))


@router.post("/publications/{pk}/withdraw", response=WRITE, summary="撤回")
def withdraw(request: HttpRequest, pk: int, payload: WithdrawIn) -> Any:
    """Withdraw with a public notice (APL Art. 48); `revoked_on` and `reason` when the revocation was
    not recorded before. The publication and its record stay."""
    publication = _publication(request, pk)
    user = caller(request)
    services.publication_withdraw(
        actor=user,
        publication_pk=publication.pk,
        notice=payload.notice,
        reason=str(payload.reason or ""),
        revoked_on=payload.revoked_on,
        version=payload.version,
    )
    return 200, publication_out(user, publication_or_404(user, pk))


__all__ = ["router"]
