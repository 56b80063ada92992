"""Service of case documents (送达): on paper with its proof, or electronically with the party's consent.

- Paper (APL Art. 61; CPL Art. 87-95): direct service signed by the party (Art. 87), by an adult family
  member living with a natural person (Art. 88), lodged at the residence on refusal with a witness or
  a photo/video record (留置送达, Art. 89), by mail on the date of the postal receipt (Art. 91), or by
  public notice, deemed served 30 days after it (Art. 95). Each is recorded with its proof of service
  (送达回证), issued as a document of the case.
- Electronic (APL Art. 61 para 2; CPL Art. 90): only with the party's signed consent (送达地址确认书).
  The officer sends the party a link /s/<token>/ and a 6-digit code, both stored only as SHA-256; the
  time the party opens the document with the code is the time of service (issue 5, point 6).

Serving the decision (penalty or no penalty) takes the engine's system step "serve" in the same
transaction: the case moves to execution, the 15-day payment period runs from the day of service
(APL Art. 67). Service of the notice of intended penalty starts the notice periods; the guards read the
Service rows (zhifa.cases.guards.notice_period_over). One record event per call.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.documents.storage import new_relative_path, sha256_of, write_case_file
from zhifa.cases.engine import perform
from zhifa.cases.limits import refresh_next_due
from zhifa.cases.models import (
    Case,
    CaseDocument,
    CaseState,
    DocType,
    Evidence,
    EvidenceKind,
    Hearing,
    HearingResult,
    Party,
    PartyKind,
    Service,
    ServiceMethod,
)
from zhifa.cases.policies import can_work_on
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.org.scoping import person_of

DECISION_TYPES = frozenset({DocType.PENALTY_DECISION, DocType.NO_PENALTY_DECISION})
PAPER_METHODS = (
    ServiceMethod.DIRECT,
    ServiceMethod.RELATIVE,
    ServiceMethod.LODGED,
    ServiceMethod.MAIL,
    ServiceMethod.PUBLIC_NOTICE,
)
PUBLIC_NOTICE_DAYS = 30  # CPL Art. 95
MAX_CODE_ATTEMPTS = 5
LINK_DAYS_DEFAULT = 30
MAX_PROOF_BYTES = 50 * 1024 * 1024
# Proof files are accepted by their content (signature), never by their name.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


@dataclass(frozen=True)
class ProofUpload:
    """An uploaded proof of service (signed receipt, postal receipt, photo or video of lodged service)."""

    name: str
    content: bytes


def _sniff(content: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in _SIGNATURES:
        if content.startswith(magic):
            return content_type, ext
    if content[4:8] == b"ftyp":  # MP4 / MOV / HEIC family
        brand = content[8:12]
        if brand in (b"heic", b"heix", b"mif1"):
            return "image/heic", "heic"
        return ("video/quicktime", "mov") if brand == b"qt  " else ("video/mp4", "mp4")
    return None


def _refuse(message: str, field: str | None = None, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=field)


def lock_case(actor: Any, case: Case, *, verb: str) -> Case:
    """The case row locked for this transaction, after checking the actor may work on it."""
    if not can_work_on(actor, case):
        raise _refuse(_("无权办理该案件的%(verb)s。") % {"verb": verb}, code=ErrorCode.NOT_ALLOWED)
    locked = Case.objects.select_for_update().select_related("agency__region", "item").get(pk=case.pk)
    if not locked.is_open:
        raise _refuse(_("案件已结案或终结，不能再办理。"), field="case", code=ErrorCode.INVALID_STATE)
    return locked


def _check_target(case: Case, document: CaseDocument, party: Party) -> None:
    document.refresh_from_db(fields=["superseded_by"])
    if document.case_id != case.pk or party.case_id != case.pk:
        raise _refuse(_("文书或当事人不属于本案。"), field="document", code=ErrorCode.NOT_FOUND)
    if document.superseded_by_id is not None:
        raise _refuse(_("该文书已被更正，请送达更正后的文书。"), field="document")
    if document.doc_type == DocType.PROOF_OF_SERVICE:
        raise _refuse(_("送达回证本身不需要送达。"), field="document")
    done = Service.objects.filter(document=document, party=party, served_at__isnull=False).first()
    if done is not None:
        raise _refuse(
            _("该文书已于%(at)s送达%(party)s。")
            % {"at": timezone.localtime(done.served_at).strftime("%Y-%m-%d %H:%M"), "party": party.name},
            field="document",
            code=ErrorCode.DUPLICATE,
        )


def _store_proof(actor: Any, case: Case, upload: ProofUpload, method: str) -> Evidence:
    if not upload.content:
        raise _refuse(_("送达凭证是空文件。"), field="proof")
    if len(upload.content) > MAX_PROOF_BYTES:
        raise _refuse(_("送达凭证过大：最大%(mb)d MB。") % {"mb": MAX_PROOF_BYTES // 2**20}, field="proof")
    kind = _sniff(upload.content)
    if kind is None:
        raise _refuse(_("送达凭证只接受 JPEG、PNG、HEIC 照片，PDF 扫描件或 MP4/MOV 视频。"), field="proof")
    content_type, ext = kind
    relative = new_relative_path(case.pk, f"proof-{timezone.localdate():%Y%m%d}", ext)
    person = person_of(actor)
    evidence = Evidence.objects.create(
        case=case,
        kind=EvidenceKind.DOCUMENTARY if content_type == "application/pdf" else EvidenceKind.AUDIOVISUAL,
        title=_("送达凭证（%(method)s）") % {"method": ServiceMethod(method).label},
        file=relative,
        original_name=(upload.name or "")[:200],
        sha256=sha256_of(upload.content),
        content_type=content_type,
        size=len(upload.content),
        collected_at=timezone.now(),
        place=case.address or case.agency.name,
        collectors=[person.name] if person else [],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    write_case_file(relative, upload.content)
    return evidence


def _proof(
    actor: Any, case: Case, proof: ProofUpload | Evidence | int | None, method: str
) -> Evidence | None:
    if proof is None or proof == "":
        return None
    if isinstance(proof, ProofUpload):
        return _store_proof(actor, case, proof, method)
    pk = proof.pk if isinstance(proof, Evidence) else proof
    try:
        return Evidence.objects.get(case=case, pk=int(pk))
    except (Evidence.DoesNotExist, TypeError, ValueError):
        raise _refuse(_("所选送达凭证不是本案证据。"), field="proof", code=ErrorCode.NOT_FOUND) from None


def _is_audiovisual(evidence: Evidence | None) -> bool:
    if evidence is None:
        return False
    return evidence.kind == EvidenceKind.AUDIOVISUAL or evidence.content_type.startswith(("image/", "video/"))


def _paper_problem(
    party: Party, method: str, recipient: str, witness: str, note: str, proof: Evidence | None
) -> tuple[str, str] | None:
    """What each way of paper service needs (CPL Art. 87-95): (field, message) of the first gap."""
    rules = (
        (method not in PAPER_METHODS, "method", _("请选择送达方式；电子送达请发送电子送达链接。")),
        (
            method in (ServiceMethod.DIRECT, ServiceMethod.RELATIVE, ServiceMethod.MAIL) and not recipient,
            "recipient",
            _("请填写签收人。"),
        ),
        (
            method == ServiceMethod.RELATIVE and party.kind != PartyKind.PERSON,
            "method",
            _(
                "同住成年家属代收仅适用于自然人；法人或其他组织由法定代表人、负责人或办公室、收发部门签收（《民事诉讼法》第八十八条）。"
            ),
        ),
        (
            method == ServiceMethod.LODGED and not note,
            "note",
            _("留置送达须记明拒收事由（《民事诉讼法》第八十九条）。"),
        ),
        (
            method == ServiceMethod.LODGED and not witness and not _is_audiovisual(proof),
            "proof",
            _("留置送达须有见证人签名，或上传拍照、录像等记录送达过程的凭证（《民事诉讼法》第八十九条）。"),
        ),
        (
            method == ServiceMethod.MAIL and proof is None,
            "proof",
            _("邮寄送达须上传邮件回执（以回执上注明的收件日期为送达日期，《民事诉讼法》第九十一条）。"),
        ),
        (
            method == ServiceMethod.PUBLIC_NOTICE and not note,
            "note",
            _("公告送达须说明受送达人下落不明或其他方式无法送达的情况（《民事诉讼法》第九十五条）。"),
        ),
        (
            method == ServiceMethod.PUBLIC_NOTICE and proof is None,
            "proof",
            _("公告送达须上传公告的凭证（《民事诉讼法》第九十五条）。"),
        ),
    )
    return next(((field, message) for failed, field, message in rules if failed), None)


def _consequences(actor: Any, case: Case, document: CaseDocument, served_at: datetime.datetime) -> Case:
    """What the service of `document` sets off, in the caller's transaction (recorded by its event):
    - the decision served: the engine's system step "serve" moves the case to execution, or to executed
      when nothing is to be paid (APL Art. 61, 67);
    - the hearing notice served: the scheduled hearing's notice date (APL Art. 64(2): 7 WD ahead)."""
    served_on = timezone.localdate(served_at)
    if document.doc_type == DocType.HEARING_NOTICE:
        Hearing.objects.filter(
            case=case, result=HearingResult.SCHEDULED, notice_served_on__isnull=True
        ).update(notice_served_on=served_on)
    if document.doc_type not in DECISION_TYPES or case.state != CaseState.DECIDED:
        return case
    return perform(
        actor=actor, case=case, action="serve", system=True, record=False, payload={"served_on": served_on}
    )


def _issue_proof(actor: Any, service: Service, *, witness: str = "", place: str = "") -> CaseDocument:
    from zhifa.cases.documents.issue import issue_document
    from zhifa.cases.documents.text import datetime_text

    document = service.document
    person = person_of(actor)
    extra = {
        "served_document": f"{document.title} {document.number}".strip(),
        "party_names": service.party.name,
        "method": str(ServiceMethod(service.method).label),
        "recipient": service.recipient,
        "served_at": datetime_text(service.served_at),
        "witness": witness,
        "service_place": place,
        "note": service.note,
        "server": person.name if person else _("电子送达系统"),
    }
    return issue_document(
        case=service.case,
        doc_type=DocType.PROOF_OF_SERVICE,
        extra=extra,
        actor=actor,
        on_date=timezone.localdate(service.served_at),
    )


def _after(service: Service, before: str, case: Case, proof_doc: CaseDocument) -> dict[str, Any]:
    evidence = service.proof
    return {
        "service": service.pk,
        "document": service.document_id,
        "doc_type": service.document.doc_type,
        "party": service.party_id,
        "method": service.method,
        "recipient": service.recipient,
        "served_at": service.served_at.isoformat(),
        "proof": evidence.pk if evidence else None,
        "proof_sha256": evidence.sha256 if evidence else "",
        "proof_of_service": proof_doc.pk,
        "transition": "serve" if case.state != before else None,
        "state": case.state,
        "served_on": case.served_on.isoformat() if case.served_on else None,
        "payment_due_on": case.payment_due_on.isoformat() if case.payment_due_on else None,
    }


def service_record(
    *,
    actor: Any,
    document: CaseDocument,
    party: Party,
    method: str,
    recipient: str = "",
    served_at: datetime.datetime,
    proof: ProofUpload | Evidence | int | None = None,
    note: str = "",
    witness: str = "",
    place: str = "",
) -> Service:
    """Record the paper service of `document` on `party` (see the module docstring) with its proof,
    issue the proof of service (送达回证) and, for a decision, take the "serve" step. For public notice
    `served_at` is when the notice was published; the service counts 30 days later (CPL Art. 95).

    Raises ServiceError naming the field: NOT_ALLOWED, REQUIRED, INVALID, DUPLICATE, INVALID_STATE.
    """
    recipient, note, witness, place = (
        s.strip() for s in (recipient or "", note or "", witness or "", place or "")
    )
    if served_at is None:
        raise _refuse(_("请填写送达时间。"), field="served_at", code=ErrorCode.REQUIRED)
    if timezone.is_naive(served_at):
        served_at = timezone.make_aware(served_at)
    if timezone.localdate(served_at) < document.issued_on:
        raise _refuse(_("送达时间不能早于文书日期。"), field="served_at")
    if method == ServiceMethod.PUBLIC_NOTICE:
        served_at += datetime.timedelta(days=PUBLIC_NOTICE_DAYS)
    if served_at > timezone.now():
        if method == ServiceMethod.PUBLIC_NOTICE:
            raise _refuse(
                _("公告送达自公告之日起经过三十日视为送达（《民事诉讼法》第九十五条），请于%(day)s后登记。")
                % {"day": timezone.localdate(served_at).isoformat()},
                field="served_at",
            )
        raise _refuse(_("送达时间不能晚于现在。"), field="served_at")
    if len(recipient) > 50 or len(note) > 300 or len(witness) > 100 or len(place) > 200:
        raise _refuse(_("签收人、见证人、地点或说明过长。"), field="note")
    with transaction.atomic():
        case = lock_case(actor, document.case, verb=_("送达"))
        before = case.state
        _check_target(case, document, party)
        evidence = _proof(actor, case, proof, method)
        problem = _paper_problem(party, method, recipient, witness, note, evidence)
        if problem is not None:
            raise _refuse(
                problem[1],
                field=problem[0],
                code=ErrorCode.INVALID if problem[0] == "method" else ErrorCode.REQUIRED,
            )
        full_note = note if not witness else f"{note}（{_('见证人')}：{witness}）".strip()
        service = Service.objects.create(
            case=case,
            document=document,
            party=party,
            method=method,
            recipient=recipient,
            served_at=served_at,
            proof=evidence,
            note=full_note[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        proof_doc = _issue_proof(actor, service, witness=witness, place=place)
        case = _consequences(actor, case, document, served_at)
        record_event(
            actor=actor,
            action="case.service",
            obj=case,
            before={"state": before},
            after=_after(service, before, case, proof_doc),
        )
        refresh_next_due(case)
    return service
