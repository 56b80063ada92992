"""Builders for the document and case-file tests: a case made directly with the ORM (test scaffolding,
not a user's action), with an organisation party, two certified officers, evidence and the rows the
documents read (hearing, review, discussion, extension, transfer, payment notice), and for every
document type the caller's fields it needs (`EXTRA`).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.db import transaction
from django.urls import include, path
from django.utils import timezone

from zhifa.cases.documents import issue_document
from zhifa.cases.documents.checklist import REVIEW_CHECK_KEYS
from zhifa.cases.models import (
    Case,
    CaseDocument,
    CaseOfficer,
    CaseSource,
    CaseTransfer,
    Discussion,
    DocType,
    Evidence,
    EvidenceKind,
    Extension,
    Hearing,
    IdType,
    LegalReview,
    OfficerRole,
    Outcome,
    Party,
    PartyKind,
    PaymentNotice,
    ReviewStatus,
    ReviewTier,
)
from zhifa.org.models import Certificate, RoleCode
from zhifa.org.testing import TestCounty
from zhifa.powers.tests.grant_helpers import make_items

DAY = datetime.date(2026, 7, 1)
# Test-only URLs: the lead includes zhifa.cases.urls_documents under "cases/" in zhifa/urls.py.
urlpatterns = [path("cases/", include("zhifa.cases.urls_documents")), path("", include("zhifa.urls"))]


class StepFailed(Exception):
    """A transition failing after it issued a document (to test the rollback)."""


def officer(county: TestCounty, place: str = "t0"):
    return county.user(RoleCode.OFFICER, place)


def leader(county: TestCounty, place: str = "t0"):
    return county.user(RoleCode.TEAM_LEADER, place)


def build_case(county: TestCounty, *, code: str = "C2026-0001", **overrides) -> Case:
    """A filed general-procedure case of township t0 with its rows (see the module docstring)."""
    item = make_items(county, 1, prefix=f"D{code[-4:]}")[0]
    item.domain = county.domains["urban"]
    item.penalty_types = ["警告", "罚款"]
    item.save(update_fields=["domain", "penalty_types"])
    now = timezone.now()
    values = {
        "code": code,
        "source": CaseSource.INSPECTION,
        "agency": county.township_agencies[0],
        "region": county.townships[0],
        "item": item,
        "title": "擅自挪用消防器材案",
        "facts": "2026年6月20日，当事人将厂区内配置的灭火器挪作他用，致使消防器材不能正常使用。",
        "address": "东湖镇工业园1号",
        "act_on": datetime.date(2026, 6, 20),
        "discovered_on": datetime.date(2026, 6, 22),
        "filed_on": datetime.date(2026, 6, 23),
        "filing_number": "东湖综执立字〔2026〕第1号",
        "intended_types": ["警告", "罚款"],
        "intended_fine": Decimal("5000"),
        "penalty_types": ["警告", "罚款"],
        "fine_amount": Decimal("5000"),
        "decided_on": DAY,
        "outcome": Outcome.PENALTY,
        "decision_number": "东湖综执罚决字〔2026〕第1号",
        "served_on": DAY,
        "created_at": now,
        "updated_at": now,
    }
    values.update(overrides)
    case = Case.objects.create(**values)
    Party.objects.create(
        case=case,
        kind=PartyKind.ORGANISATION,
        name="东湖包装有限公司",
        id_type=IdType.USCC,
        id_number="91350102MA2Y0001XK",
        legal_representative="王某某",
        address="东湖镇工业园1号",
    )
    lead = officer(county).person
    second = leader(county).person
    certificate = Certificate.objects.create(
        number=f"LD{code[-4:]}{case.pk}",
        holder=second,
        issuer="测试省人民政府",
        valid_from=DAY - datetime.timedelta(days=300),
        valid_to=DAY + datetime.timedelta(days=1000),
    )
    certificate.domains.set([county.domains["urban"]])
    for person, role in ((lead, OfficerRole.LEAD), (second, OfficerRole.ASSIST)):
        CaseOfficer.objects.create(
            case=case, person=person, role=role, assigned_on=DAY, no_conflict_declared=True
        )
    for kind, title in (
        (EvidenceKind.INSPECTION_RECORD, "现场检查笔录"),
        (EvidenceKind.AUDIOVISUAL, "现场照片3张"),
    ):
        Evidence.objects.create(
            case=case,
            kind=kind,
            title=title,
            description="灭火器被挪作他用",
            collected_at=now,
            place=case.address,
            collectors=[lead.name, second.name],
            sha256="ab" * 32,
        )
    return case


def add_rows(case: Case, county: TestCounty) -> None:
    """The hearing, review, discussion, extension, transfer and payment notice the documents read."""
    reviewer = county.person(RoleCode.LEGAL_REVIEWER)
    now = timezone.now()
    Hearing.objects.create(
        case=case,
        requested_on=DAY,
        scheduled_at=now + datetime.timedelta(days=10),
        place="东湖镇人民政府三楼听证室",
        chair=reviewer,
        transcript="调查人员陈述案件事实；当事人进行申辩并质证。",
        held_at=now + datetime.timedelta(days=10),
    )
    LegalReview.objects.create(
        case=case,
        tier=ReviewTier.TOWNSHIP,
        status=ReviewStatus.PASSED,
        submitted_at=now,
        due_on=DAY,
        answers={key: {"passed": True, "opinion": "符合"} for key in REVIEW_CHECK_KEYS},
        opinion="事实清楚，证据确凿，同意拟处理意见。",
        reviewer=reviewer,
        decided_at=now,
    )
    Discussion.objects.create(
        case=case,
        held_on=DAY,
        chair="张镇长",
        attendees=["张镇长", {"name": "李某", "role": "副镇长"}],
        conclusion="同意给予警告并处罚款5000元。",
    )
    Extension.objects.create(case=case, days=30, reason="案情复杂，需进一步调查取证。", approved_on=DAY)
    CaseTransfer.objects.create(
        case=case, to_agency=county.department_agency, reason="不属于本机关管辖。", transferred_on=DAY
    )
    PaymentNotice.objects.create(
        case=case, amount=Decimal("5000"), payment_code=f"3501{case.pk:020d}", due_on=DAY, issued_at=now
    )


# The caller's fields each document type needs (what the engine's transitions pass as `extra`).
EXTRA: dict[str, dict] = {
    DocType.FILING_APPROVAL: {
        "opinion": "建议立案调查。",
        "approval_opinion": "同意立案。",
        "approver": "张镇长",
    },
    DocType.INSPECTION_RECORD: {
        "inspected_at": datetime.datetime(2026, 6, 22, 9, 30),
        "inspection_place": "东湖镇工业园1号",
        "content": "厂区东侧灭火器箱内无灭火器，灭火器被放置于仓库用作压货。",
        "present": "王某某（法定代表人）",
    },
    DocType.INTERVIEW_RECORD: {
        "interviewed_at": datetime.datetime(2026, 6, 24, 14, 0),
        "interview_place": "东湖镇综合行政执法队询问室",
        "interviewee": "王某某",
        "content": "问：灭火器为何不在原位？\n答：仓库压货临时挪用。",
    },
    DocType.RECTIFICATION_ORDER: {"requirement": "将灭火器放回原位并保持完好有效。", "deadline": DAY},
    DocType.REMINDER_LETTER: {"content": "请按规定配置并维护消防器材，确保完好有效。"},
    DocType.NOTICE_OF_INTENDED_PENALTY: {},
    DocType.HEARING_NOTICE: {},
    DocType.HEARING_TRANSCRIPT: {},
    DocType.LEGAL_REVIEW_OPINION: {},
    DocType.DISCUSSION_MINUTES: {},
    DocType.PENALTY_DECISION: {},
    DocType.NO_PENALTY_DECISION: {
        "reason": "当事人系初次违法，危害后果轻微并及时改正（《行政处罚法》第三十三条第一款）。"
    },
    DocType.ON_THE_SPOT_DECISION: {},
    DocType.PROOF_OF_SERVICE: {
        "served_document": "行政处罚决定书（东湖综执罚决字〔2026〕第1号）",
        "method": "直接送达",
    },
    DocType.PAYMENT_NOTICE: {},
    DocType.EXTENSION_APPROVAL: {"approval_opinion": "同意延长30日。"},
    DocType.TRANSFER_LETTER: {},
    DocType.TERMINATION_APPROVAL: {"reason": "违法事实不能成立。"},
    DocType.ENFORCEMENT_REMINDER: {"deadline": DAY + datetime.timedelta(days=10)},
    DocType.CLOSING_APPROVAL: {"summary": "罚款已缴清，案件执行完毕。"},
}


def issue(
    case: Case, doc_type: str, actor, extra: dict | None = None, on_date: datetime.date = DAY
) -> CaseDocument:
    """Issue one document in its own transaction (as the engine's transition would)."""
    with transaction.atomic():
        return issue_document(
            case=case,
            doc_type=doc_type,
            extra=EXTRA[doc_type] if extra is None else extra,
            actor=actor,
            on_date=on_date,
        )


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pypdf), for checking what a rendered document says."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
