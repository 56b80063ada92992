"""JSON API of cases (issue 5): the list, opening a case, its detail, the actions legal now and taking one.

Thin, like the pages: reads go through the same scoping (another township's case is a 404, identical to
a missing one, never a 403), every change through zhifa.cases.engine.perform or a service, so no guard
can be bypassed over HTTP. Errors have the shared shape of zhifa.api: a refused step is a 400 whose
"errors" list every failed guard (its name in "field", its reason citing the article in "message"); a
step on a case that moved on since it was read is a 409 with code "conflict" and field "version"
(zhifa.api maps a conflict to 409, every other ServiceError to 400); someone who sees the case but
may not take the step gets a 400 with code "not_allowed".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from zhifa.cases.api_acts import router as acts_router
from zhifa.cases.api_schemas import (
    ActionIn,
    ActionOut,
    CaseDetailOut,
    CaseIn,
    CasePageOut,
    FromClueIn,
    clean_payload,
)
from zhifa.cases.engine import available_actions, perform
from zhifa.cases.limits import case_deadlines
from zhifa.cases.models import Case, CaseState, Procedure
from zhifa.cases.policies import can_work_on
from zhifa.cases.selectors.cases import CaseFilters, bounded_count, filtered_cases, page_rows
from zhifa.cases.services.cases import CaseInput, case_open, case_open_from_clue
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.api_common import MAX_ID, Limit, Offset, caller, id_query, text_query
from zhifa.org.models import Agency, Region
from zhifa.org.schemas import ErrorOut
from zhifa.org.scoping import get_visible_or_404, visible
from zhifa.powers.models import PowerItem

router = Router(tags=["cases"])
router.add_router("", acts_router)  # parties, evidence, statements, documents, payments
NOT_FOUND = {404: ErrorOut}
WRITE = {200: CaseDetailOut, 400: ErrorOut, 422: ErrorOut, **NOT_FOUND}
CREATED = {201: CaseDetailOut, 400: ErrorOut, 422: ErrorOut, **NOT_FOUND}
States = Query(None, description="状态，可重复")
CreatedFrom = Query(None, description="登记日期起（含）")
CreatedTo = Query(None, description="登记日期止（含）")


# --- shapes --------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def case_out(
    case: Case, *, first_party: str, party_count: int, lead: str, today: datetime.date
) -> dict[str, Any]:
    """The list shape of a case."""
    return {
        "id": case.pk,
        "code": case.code,
        "procedure": case.procedure,
        "procedure_label": str(case.get_procedure_display()),
        "state": case.state,
        "state_label": str(case.get_state_display()),
        "title": case.title,
        "agency": _ref(case.agency),
        "item": {"code": case.item.code, "name": case.item.name},
        "region": {"adcode": case.region.adcode, "name": case.region.name},
        "team": _ref(case.team),
        "first_party": first_party,
        "party_count": party_count,
        "lead_officer": lead,
        "outcome": case.outcome,
        "created_at": case.created_at,
        "filed_on": case.filed_on,
        "next_due_on": case.next_due_on,
        "next_due_key": case.next_due_key,
        "overdue": case.is_open and case.next_due_on is not None and case.next_due_on < today,
        "version": case.version,
    }


def _party_out(party: Any, personal: bool) -> dict[str, Any]:
    # PIPL Art. 34: personal information only for those whose duty needs it (the case's team).
    person = not party.is_organisation  # an individual business's address is often the owner's home
    return {
        "id": party.pk,
        "kind": party.kind,
        "kind_label": str(party.get_kind_display()),
        "name": party.name,
        "id_type": party.id_type,
        "id_number": party.id_number if personal else None,
        "legal_representative": party.legal_representative,
        "birth_date": party.birth_date if personal else None,
        "address": party.address if personal or not person else None,
        "phone": party.phone if personal else None,
        "e_service_consent": party.e_service_consent,
        "e_service_address": party.e_service_address if personal else None,
        "version": party.version,
    }


def _url(name: str, case: Case, document: Any) -> str | None:
    try:
        return reverse(name, kwargs={"case_pk": case.pk, "doc_pk": document.pk})
    except NoReverseMatch:  # the document pages are mounted by the root URLs
        return None


def document_out(case: Case, document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "doc_type": document.doc_type,
        "doc_type_label": str(document.get_doc_type_display()),
        "number": document.number,
        "title": document.title,
        "issued_on": document.issued_on,
        "sha256": document.sha256,
        "superseded_by": document.superseded_by_id,
        "url": _url("case-document", case, document),
        "pdf_url": _url("case-document-pdf", case, document) if document.file else None,
    }


def case_detail_out(user: Any, case: Case) -> dict[str, Any]:
    """The detail shape: the case with its parties, officers, time limits, documents and steps."""
    today = timezone.localdate()
    personal = can_work_on(user, case)
    parties = list(case.parties.order_by("id"))
    officers = list(case.officers.select_related("person").order_by("withdrawn_on", "role", "id"))
    lead = next((o.person.name for o in officers if o.role == "lead" and o.withdrawn_on is None), "")
    deadlines = [
        {
            "key": view.key,
            "label": str(view.label),
            "due": view.deadline.due,
            "start": view.deadline.start,
            "days": view.deadline.days,
            "unit": str(view.deadline.unit),
            "basis": str(view.deadline.basis),
            "provisional": view.deadline.provisional,
            "level": str(view.level),
            "done": view.done,
        }
        for view in case_deadlines(case, today)
    ]
    first = parties[0].name if parties else ""
    return case_out(case, first_party=first, party_count=len(parties), lead=lead, today=today) | {
        "source": case.source,
        "source_note": case.source_note,
        "clue_id": case.clue_id,
        "facts": case.facts,
        "address": case.address,
        "lng": case.lng,
        "lat": case.lat,
        "act_on": case.act_on,
        "act_continuing_until": case.act_continuing_until,
        "discovered_on": case.discovered_on,
        "art36_harm": case.art36_harm,
        "complex_case": case.complex_case,
        "filing_number": case.filing_number,
        "decision_due_on": case.decision_due_on,
        "extension_days": case.extension_days,
        "paused_days": case.paused_days,
        "intended_types": list(case.intended_types or []),
        "intended_fine": case.intended_fine,
        "intended_confiscation": case.intended_confiscation,
        "hearing_offered": case.hearing_offered,
        "review_tier": case.review_tier,
        "outcome_label": str(case.get_outcome_display()) if case.outcome else "",
        "penalty_types": list(case.penalty_types or []),
        "fine_amount": case.fine_amount,
        "confiscation_amount": case.confiscation_amount,
        "decided_on": case.decided_on,
        "decision_number": case.decision_number,
        "served_on": case.served_on,
        "payment_due_on": case.payment_due_on,
        "paid_amount": case.paid_amount,
        "closed_on": case.closed_on,
        "archived_on": case.archived_on,
        "personal_details": personal,
        "parties": [_party_out(p, personal) for p in parties],
        "officers": [
            {
                "person_id": o.person_id,
                "name": o.person.name,
                "role": o.role,
                "role_label": str(o.get_role_display()),
                "assigned_on": o.assigned_on,
                "no_conflict_declared": o.no_conflict_declared,
                "withdrawn_on": o.withdrawn_on,
            }
            for o in officers
        ],
        "deadlines": deadlines,
        "documents": [document_out(case, d) for d in case.documents.order_by("issued_on", "id")],
        "steps": [
            {
                "action": s.action,
                "from_state": s.from_state,
                "to_state": s.to_state,
                "actor": s.actor_name,
                "note": s.note,
                "at": s.at,
            }
            for s in case.steps.order_by("at", "id")
        ],
    }


# --- input ---------------------------------------------------------------------------------------


def get_case(request: HttpRequest, case_id: int) -> Case:
    """A case the caller may read, else 404 (the same for a missing case and another township's)."""
    if not 1 <= case_id <= MAX_ID:
        raise Http404
    return get_visible_or_404(
        Case.objects.select_related("agency__region", "item__domain", "region", "team"),
        caller(request),
        pk=case_id,
    )


def _item_by_code(code: str) -> PowerItem:
    item = PowerItem.objects.filter(code=code).first()
    if item is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("执法事项不存在。"), field="item")
    return item


# --- endpoints -----------------------------------------------------------------------------------


@router.get("", response=CasePageOut, summary="案件列表")
def list_cases(
    request: HttpRequest,
    agency: int | None = id_query("执法主体ID"),
    state: list[CaseState] | None = States,
    overdue: bool = Query(False, description="只看超过时限的在办案件"),
    item: str | None = text_query("执法事项编码", 40),
    created_from: datetime.date | None = CreatedFrom,
    created_to: datetime.date | None = CreatedTo,
    procedure: Procedure | None = None,
    q: str | None = text_query("案件编号或案由", 50),
    limit: int = Limit,
    offset: int = Offset,
) -> Any:
    user = caller(request)
    item_id = None
    unknown_item = False
    if item:
        item_id = PowerItem.objects.filter(code=item).values_list("pk", flat=True).first()
        unknown_item = item_id is None
    filters = CaseFilters(
        agency=agency,
        states=tuple(state or ()),
        overdue=overdue,
        item=item_id,
        date_from=created_from,
        date_to=created_to,
        text=(q or "").strip(),
        procedure=procedure or "",
        invalid=unknown_item,
    )
    qs = filtered_cases(user, filters)
    count, capped = bounded_count(qs)
    today = timezone.localdate()
    items = [
        case_out(
            case,
            first_party=case.first_party_name or "",
            party_count=case.party_count or 0,
            lead=case.lead_officer_name or "",
            today=today,
        )
        for case in page_rows(qs, offset, limit)
    ]
    return {"count": count, "capped": capped, "items": items}


@router.post("", response=CREATED, summary="登记案源")
def create_case(request: HttpRequest, payload: CaseIn) -> Any:
    user = caller(request)
    agency = visible(Agency.objects.select_related("region"), user).filter(pk=payload.agency_id).first()
    if agency is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("执法主体不存在。"), field="agency_id")
    region = visible(Region.objects.filter(adcode=payload.region), user).first()
    if region is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("区划不存在。"), field="region")
    data = CaseInput(
        agency=agency,
        item=_item_by_code(payload.item),
        region=region,
        title=payload.title,
        act_on=payload.act_on,
        discovered_on=payload.discovered_on,
        source=payload.source,
        procedure=payload.procedure,
        facts=payload.facts,
        address=payload.address,
        lng=payload.lng,
        lat=payload.lat,
        source_note=payload.source_note,
        act_continuing_until=payload.act_continuing_until,
        art36_harm=payload.art36_harm,
        complex_case=payload.complex_case,
    )
    case = case_open(actor=user, data=data)
    return 201, case_detail_out(user, get_case(request, case.pk))


@router.post("/from-clue/{clue_id}", response=CREATED, summary="线索转立案（案源登记）")
def create_from_clue(request: HttpRequest, clue_id: int, payload: FromClueIn) -> Any:
    from zhifa.intake.selectors.clues import clue_detail

    user = caller(request)
    if not 1 <= clue_id <= MAX_ID:
        raise Http404
    clue = clue_detail(user, clue_id)
    item = _item_by_code(payload.item) if payload.item else None
    case = case_open_from_clue(actor=user, clue=clue, item=item, title=payload.title)
    return 201, case_detail_out(user, get_case(request, case.pk))


@router.get("/{case_id}", response={200: CaseDetailOut, **NOT_FOUND}, summary="案件详情")
def get_case_detail(request: HttpRequest, case_id: int) -> Any:
    return case_detail_out(caller(request), get_case(request, case_id))


@router.get("/{case_id}/actions", response={200: list[ActionOut], **NOT_FOUND}, summary="可办理的环节")
def get_actions(request: HttpRequest, case_id: int) -> Any:
    case = get_case(request, case_id)
    return [
        {
            "name": option.name,
            "label": str(option.transition.label),
            "article": str(option.transition.article),
            "form": option.transition.form,
            "allowed": option.allowed,
            "reasons": [str(r) for r in option.reasons],
        }
        for option in available_actions(caller(request), case)
    ]


@router.post("/{case_id}/actions/{name}", response=WRITE, summary="办理环节")
def take_action(request: HttpRequest, case_id: int, name: str, payload: ActionIn) -> Any:
    """Take the step `name` (see GET /actions) with the case's `version` as read. Refusals: 400 with one
    error per failed guard; `conflict` when the case changed meanwhile; `not_allowed` for a role, a
    scope or an assignment that does not permit the step."""
    user = caller(request)
    case = get_case(request, case_id)
    done = perform(
        actor=user,
        case=case,
        action=name[:40],
        version=payload.version,
        payload=clean_payload(payload.payload),
    )
    return 200, case_detail_out(user, get_case(request, done.pk))


__all__ = ["case_detail_out", "document_out", "get_case", "router"]
