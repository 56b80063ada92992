"""JSON API of a case's sub-resources: parties, evidence (multipart upload), the party's statements and
waivers, the documents and the payments. Mounted under /api/v1/cases/{case_id}/ by zhifa.cases.api.

Every write goes through the services the pages use (zhifa.cases.services.parties, .evidence,
.statements), which check who may work on the case, lock it and write one step and one record event; the
case is first read through scoping, so another township's case is a 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from zhifa.cases.api_schemas import LINE, TEXT
from zhifa.cases.models import EvidenceKind, IdType, PartyKind, StatementKind
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.api_common import MAX_ID, caller
from zhifa.org.schemas import ErrorOut

router = Router(tags=["cases"])
WRITE_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NoFile = File(None, description="证据文件（可选）")


class PartyIn(Schema):
    """A party (APL Art. 59(1)); electronic service needs the signed consent already in the case file
    as evidence (APL Art. 61)."""

    kind: PartyKind
    name: str = Field(..., max_length=100, pattern=LINE)
    id_type: IdType
    id_number: str = Field(..., max_length=40, pattern=LINE)
    address: str = Field(..., max_length=200, pattern=LINE)
    legal_representative: str = Field("", max_length=50, pattern=LINE)
    birth_date: datetime.date | None = None
    phone: str = Field("", max_length=20, pattern=LINE)
    e_service_consent: bool = False
    e_service_address: str = Field("", max_length=120, pattern=LINE)
    consent_evidence_id: int | None = Field(None, ge=1, le=MAX_ID, description="送达地址确认书（本案证据ID）")


class PartyCreatedOut(Schema):
    id: int
    kind: str
    name: str
    case_version: int


class EvidenceForm(Schema):
    """A piece of evidence (APL Art. 46) collected by two or more of the case's officers (Art. 42, 55)."""

    kind: EvidenceKind
    title: str = Field(..., max_length=200, pattern=LINE)
    collected_at: datetime.datetime
    place: str = Field(..., max_length=200, pattern=LINE)
    collector_ids: list[int] = Field(..., min_length=1, max_length=20, description="在场执法人员ID")
    description: str = Field("", max_length=5000, pattern=TEXT)


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    sha256: str
    size: int
    content_type: str
    collected_at: datetime.datetime
    place: str
    collectors: list[dict[str, Any]]


class StatementIn(Schema):
    """What the party said after the notice (APL Art. 45, 62-64): a statement and defence, an express
    waiver, a hearing request or a waiver of the hearing."""

    kind: StatementKind
    content: str = Field("", max_length=20_000, pattern=TEXT)
    received_on: datetime.date


class StatementOut(Schema):
    id: int
    kind: str
    received_on: datetime.date
    content: str


class DocumentListOut(Schema):
    id: int
    doc_type: str
    doc_type_label: str
    number: str
    title: str
    issued_on: datetime.date
    sha256: str
    superseded_by: int | None
    url: str | None
    pdf_url: str | None


class PaymentNoticeOut(Schema):
    id: int
    amount: str
    payment_code: str
    due_on: datetime.date
    issued_at: datetime.datetime


class PaymentOut(Schema):
    id: int
    amount: str
    surcharge: str
    paid_on: datetime.date
    channel: str
    channel_label: str
    receipt_number: str


class PaymentsOut(Schema):
    due: str = Field(..., description="应缴罚没款（元）")
    paid: str
    payment_due_on: datetime.date | None
    notices: list[PaymentNoticeOut]
    payments: list[PaymentOut]


def _case(request: HttpRequest, case_id: int):
    from zhifa.cases.api import get_case

    return get_case(request, case_id)


@router.post("/{case_id}/parties", response={201: PartyCreatedOut, **WRITE_ERRORS}, summary="登记当事人")
def add_party(request: HttpRequest, case_id: int, payload: PartyIn) -> Any:
    from zhifa.cases.services.parties import PartyInput, party_add

    case = _case(request, case_id)
    consent = None
    if payload.consent_evidence_id is not None:
        consent = case.evidence.filter(pk=payload.consent_evidence_id).first()
        if consent is None:
            raise ServiceError(
                ErrorCode.NOT_FOUND, _("送达地址确认书须是本案的材料。"), field="consent_evidence_id"
            )
    data = PartyInput(
        kind=payload.kind,
        name=payload.name,
        id_type=payload.id_type,
        id_number=payload.id_number,
        address=payload.address,
        legal_representative=payload.legal_representative,
        birth_date=payload.birth_date,
        phone=payload.phone,
        e_service_consent=payload.e_service_consent,
        e_service_address=payload.e_service_address,
        consent_evidence=consent,
    )
    party = party_add(actor=caller(request), case=case, data=data)
    case.refresh_from_db(fields=["version"])
    return 201, {"id": party.pk, "kind": party.kind, "name": party.name, "case_version": case.version}


@router.post(
    "/{case_id}/evidence", response={201: EvidenceOut, **WRITE_ERRORS}, summary="登记证据（可上传文件）"
)
def add_evidence(
    request: HttpRequest,
    case_id: int,
    data: Form[EvidenceForm],
    file: UploadedFile | None = NoFile,
) -> Any:
    from zhifa.cases.services.evidence import EvidenceUpload, evidence_add, max_bytes

    case = _case(request, case_id)
    upload = None
    if file is not None:
        if file.size is not None and file.size > max_bytes():
            raise ServiceError(
                ErrorCode.INVALID,
                _("“%(name)s”过大：证据文件最大%(mb)d MB。")
                % {"name": (file.name or "")[-100:], "mb": max_bytes() // 1024 // 1024},
                field="file",
            )
        upload = EvidenceUpload(
            name=file.name or "", content=file.read(), content_type=file.content_type or ""
        )
    evidence = evidence_add(
        actor=caller(request),
        case=case,
        kind=data.kind,
        title=data.title,
        collected_at=data.collected_at,
        place=data.place,
        collector_ids=data.collector_ids,
        description=data.description,
        upload=upload,
    )
    return 201, {
        "id": evidence.pk,
        "kind": evidence.kind,
        "title": evidence.title,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "collected_at": evidence.collected_at,
        "place": evidence.place,
        "collectors": evidence.collectors,
    }


@router.post(
    "/{case_id}/statements",
    response={201: StatementOut, **WRITE_ERRORS},
    summary="登记陈述申辩、放弃或听证申请",
)
def add_statement(request: HttpRequest, case_id: int, payload: StatementIn) -> Any:
    from zhifa.cases.services import statements

    case = _case(request, case_id)
    user = caller(request)
    common = {"actor": user, "case": case, "received_on": payload.received_on, "content": payload.content}
    service = {
        StatementKind.STATEMENT: statements.statement_record,
        StatementKind.WAIVER: statements.statement_waive,
        StatementKind.HEARING_REQUEST: statements.hearing_request,
        StatementKind.HEARING_WAIVER: statements.hearing_waiver,
    }[payload.kind]
    statement = service(**common)
    return 201, {
        "id": statement.pk,
        "kind": statement.kind,
        "received_on": statement.received_on,
        "content": statement.content,
    }


@router.get("/{case_id}/documents", response={200: list[DocumentListOut], 404: ErrorOut}, summary="案件文书")
def list_documents(request: HttpRequest, case_id: int) -> Any:
    from zhifa.cases.api import document_out

    case = _case(request, case_id)
    return [document_out(case, d) for d in case.documents.order_by("issued_on", "id")]


@router.get("/{case_id}/payments", response={200: PaymentsOut, 404: ErrorOut}, summary="缴款通知与缴款记录")
def list_payments(request: HttpRequest, case_id: int) -> Any:
    """Payment kept apart from the decision (APL Art. 67): the notices with their payment codes and
    what the collecting bank confirmed."""
    case = _case(request, case_id)
    due = (case.fine_amount or 0) + (case.confiscation_amount or 0)
    return {
        "due": f"{due:.2f}",
        "paid": f"{case.paid_amount:.2f}",
        "payment_due_on": case.payment_due_on,
        "notices": [
            {
                "id": n.pk,
                "amount": f"{n.amount:.2f}",
                "payment_code": n.payment_code,
                "due_on": n.due_on,
                "issued_at": n.issued_at,
            }
            for n in case.payment_notices.order_by("issued_at", "id")
        ],
        "payments": [
            {
                "id": p.pk,
                "amount": f"{p.amount:.2f}",
                "surcharge": f"{p.surcharge:.2f}",
                "paid_on": p.paid_on,
                "channel": p.channel,
                "channel_label": str(p.get_channel_display()),
                "receipt_number": p.receipt_number,
            }
            for p in case.payments.order_by("paid_on", "id")
        ],
    }
