"""The case file rule (卷宗): required documents per way a case ends, the binding order, the bound archive."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import transaction
from django.utils import timezone

from zhifa.cases.casefile import (
    COVER,
    DOCUMENT,
    EVIDENCE_ITEM,
    EVIDENCE_LIST,
    INDEX,
    STATEMENTS,
    bind_archive,
    casefile_order,
    casefile_problems,
)
from zhifa.cases.models import (
    CaseDocument,
    CaseState,
    DocType,
    Evidence,
    Hearing,
    HearingResult,
    Outcome,
    Procedure,
    Service,
    ServiceMethod,
    Statement,
)
from zhifa.cases.tests.doc_helpers import DAY, build_case, issue, leader, officer
from zhifa.core.errors import ServiceError

pytestmark = pytest.mark.django_db


def missing(case, outcome=None) -> list[str]:
    """The names of what is missing: 《title》 for documents, else the label."""
    names = []
    for problem in casefile_problems(case, outcome):
        found = re.match(r"卷宗缺少《(.+?)》", problem) or re.match(r"卷宗缺少(.+?)（《", problem)
        names.append(found.group(1))
    return names


def test_penalty_case_requires_the_general_procedure_documents(county, media):
    """APL Art. 54 (filing), 44 (notice), 58 (review), 59 (decision), 61 (service), 47 (closing)."""
    case = build_case(county)
    assert missing(case) == [
        "立案审批表",
        "行政处罚事先告知书",
        "法制审核意见书",
        "行政处罚决定书",
        "送达回证（或电子送达记录）",
    ]
    actor = officer(county)
    for doc_type in (DocType.FILING_APPROVAL, DocType.NOTICE_OF_INTENDED_PENALTY, DocType.PENALTY_DECISION):
        issue(case, doc_type, actor)
    from zhifa.cases.documents.checklist import REVIEW_CHECK_KEYS

    answers = {key: {"passed": True, "opinion": ""} for key in REVIEW_CHECK_KEYS}
    issue(
        case,
        DocType.LEGAL_REVIEW_OPINION,
        actor,
        extra={
            "answers": answers,
            "review_result": "审核通过",
            "review_opinion": "同意",
            "review_tier": "乡镇主审",
        },
    )
    assert missing(case) == ["送达回证（或电子送达记录）"]
    issue(case, DocType.PROOF_OF_SERVICE, actor)
    assert casefile_problems(case) == []
    # The closing approval is issued by the closing step: required once the case is closed (Art. 47).
    case.state = CaseState.CLOSED
    assert casefile_problems(case) == ["卷宗缺少《结案审批表》（《行政处罚法》第四十七条）。"]
    issue(case, DocType.CLOSING_APPROVAL, actor)
    assert casefile_problems(case) == []


def test_a_hearing_a_major_case_and_an_extension_add_their_documents(county, media):
    """APL Art. 64-65 (hearing notice and transcript), Art. 57 para 2 (collective discussion), Art. 60."""
    case = build_case(county, complex_case=True)
    Hearing.objects.create(
        case=case, requested_on=DAY, scheduled_at=timezone.now(), place="听证室", chair=leader(county).person
    )
    names = missing(case)
    assert "听证通知书" in names and "听证笔录" not in names and "集体讨论记录" in names
    Hearing.objects.update(result=HearingResult.HELD)
    case.extensions.create(days=30, reason="复杂", approved_on=DAY)
    names = missing(case)
    assert {"听证通知书", "听证笔录", "集体讨论记录", "延长办案期限审批表"} <= set(names)


def test_electronic_service_of_the_decision_counts_as_service(county, media):
    """CPL Art. 90: the recorded time the party opened the document is the service."""
    case = build_case(county)
    decision = issue(case, DocType.PENALTY_DECISION, officer(county))
    assert "送达回证（或电子送达记录）" in missing(case)
    Service.objects.create(
        case=case,
        document=decision,
        party=case.parties.get(),
        method=ServiceMethod.ELECTRONIC,
        served_at=timezone.now(),
    )
    assert "送达回证（或电子送达记录）" not in missing(case)


def test_evidence_is_required_for_penalty_no_penalty_and_rectification(county, media):
    """APL Art. 40, 46: no decision on unclear facts; the rectification order rests on what was found."""
    case = build_case(county)
    Evidence.objects.filter(case=case).delete()
    for outcome in (Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.RECTIFICATION):
        assert "证据材料" in missing(case, outcome), outcome
    for outcome in (Outcome.REMINDER, Outcome.TRANSFER, Outcome.TERMINATED):
        assert "证据材料" not in missing(case, outcome), outcome


@pytest.mark.parametrize(
    ("outcome", "filed", "expected"),
    [
        (
            Outcome.NO_PENALTY,
            True,
            ["立案审批表", "法制审核意见书", "不予行政处罚决定书", "送达回证（或电子送达记录）"],
        ),
        (Outcome.RECTIFICATION, False, ["责令改正通知书", "送达回证（或电子送达记录）"]),
        (Outcome.RECTIFICATION, True, ["立案审批表", "责令改正通知书", "送达回证（或电子送达记录）"]),
        (Outcome.REMINDER, False, ["行政执法提示函"]),
        (Outcome.TRANSFER, False, ["案件移送函"]),
        (Outcome.JUDICIARY, True, ["立案审批表", "案件移送函"]),
        (Outcome.TERMINATED, False, []),
        (Outcome.TERMINATED, True, ["立案审批表", "终止调查审批表"]),
    ],
)
def test_each_way_a_case_ends_has_its_required_documents(county, media, outcome, filed, expected):
    case = build_case(county, outcome=outcome, filed_on=DAY if filed else None)
    assert missing(case) == expected
    assert missing(case, outcome) == expected


def test_the_simplified_procedure_needs_the_on_the_spot_decision(county, media):
    """APL Art. 51-52: the pre-printed, numbered decision handed over on the spot is the case file."""
    case = build_case(county, procedure=Procedure.SIMPLIFIED, filed_on=None)
    Evidence.objects.filter(case=case).delete()
    assert missing(case) == ["当场行政处罚决定书"]
    issue(case, DocType.ON_THE_SPOT_DECISION, officer(county))
    assert casefile_problems(case) == []


def test_a_case_without_an_outcome_cannot_be_checked_and_end_states_imply_one(county, media):
    case = build_case(county, outcome="")
    assert casefile_problems(case) == ["案件尚未确定处理结果，无法核对卷宗。"]
    case.state = CaseState.TRANSFERRED
    assert missing(case) == ["立案审批表", "案件移送函"]


def test_a_superseded_document_does_not_count(county, media):
    case = build_case(county, outcome=Outcome.REMINDER)
    letter = issue(case, DocType.REMINDER_LETTER, officer(county))
    assert casefile_problems(case) == []
    replacement = issue(case, DocType.FILING_APPROVAL, officer(county))
    CaseDocument.objects.filter(pk=letter.pk).update(superseded_by=replacement)
    assert missing(case) == ["行政执法提示函"]


def _full_case(county):
    case = build_case(county)
    actor = officer(county)
    Statement.objects.create(case=case, kind="statement", received_on=DAY, content="已整改", adopted=False)
    # Issued out of order on purpose: the binding order is the legal one, not the order of issue.
    for doc_type in (
        DocType.PROOF_OF_SERVICE,
        DocType.PENALTY_DECISION,
        DocType.INSPECTION_RECORD,
        DocType.NOTICE_OF_INTENDED_PENALTY,
        DocType.FILING_APPROVAL,
    ):
        issue(case, doc_type, actor)
    return case


def test_the_binding_order_is_the_legal_order(county, media):
    case = _full_case(county)
    entries = casefile_order(case)
    assert [e.kind for e in entries] == [
        COVER,
        INDEX,
        DOCUMENT,
        EVIDENCE_LIST,
        EVIDENCE_ITEM,
        EVIDENCE_ITEM,
        DOCUMENT,
        DOCUMENT,
        STATEMENTS,
        DOCUMENT,
        DOCUMENT,
    ]
    titles = [e.title for e in entries if e.kind == DOCUMENT]
    assert titles == [
        "立案审批表",
        "现场检查（勘验）笔录",
        "行政处罚事先告知书",
        "行政处罚决定书",
        "送达回证",
    ]
    assert entries[3].title == "证据材料清单（共2件）"


def test_the_archive_binds_cover_index_and_every_document_in_order(county, media):
    from pypdf import PdfReader

    case = _full_case(county)
    with transaction.atomic():
        path, sha256, pages = bind_archive(case)
    content = (media / path).read_bytes()
    from zhifa.cases.documents.storage import sha256_of

    assert content.startswith(b"%PDF-") and sha256_of(content) == sha256
    assert path.startswith(f"cases/{case.pk}/archive-")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == pages
    page_text = [re.sub(r"\s+", "", p.extract_text() or "") for p in reader.pages]
    assert "行政处罚案卷" in page_text[0] and f"共{pages}页" in page_text[0]
    assert "卷内目录" in page_text[1]
    index = page_text[1]
    titles = [
        "立案审批表",
        "证据材料清单",
        "现场检查（勘验）笔录",
        "行政处罚事先告知书",
        "陈述申辩及复核记录",
        "行政处罚决定书",
        "送达回证",
    ]
    positions = [index.index(t) for t in titles]
    assert positions == sorted(positions)
    # Where each part really starts in the bound file, in order after the cover and the index...
    firsts, page = [], 2
    for title in titles:
        page = next(
            n
            for n in range(page + 1, pages + 1)
            if page_text[n - 1].startswith("东湖镇人民政府" + title) or page_text[n - 1].startswith(title)
        )
        firsts.append(page)
    # ...is what the index says (first-last page of each entry).
    undated = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", "", index)
    for n, title in enumerate(titles):
        last = (firsts[n + 1] if n + 1 < len(titles) else pages + 1) - 1
        ref = str(firsts[n]) if last == firsts[n] else f"{firsts[n]}-{last}"
        after = undated[undated.index(title) + len(title) :]
        after = after[after.index("）") + 1 :] if title == "证据材料清单" else after
        assert after.startswith(ref), (title, ref, after[:12])


def test_a_changed_document_file_stops_the_binding(county, media):
    case = _full_case(county)
    decision = case.documents.get(doc_type=DocType.PENALTY_DECISION)
    (media / decision.file).write_bytes(b"%PDF-1.7 forged")
    with pytest.raises(ServiceError) as refused, transaction.atomic():
        bind_archive(case)
    assert "行政处罚决定书" in refused.value.message and "SHA-256" in refused.value.message
    assert not list((media / f"cases/{case.pk}").glob("archive-*"))


def test_the_dates_of_the_case_file_are_the_document_dates(county, media):
    case = build_case(county)
    issue(case, DocType.FILING_APPROVAL, officer(county), on_date=datetime.date(2026, 6, 23))
    entry = next(e for e in casefile_order(case) if e.kind == DOCUMENT)
    assert entry.date == datetime.date(2026, 6, 23) and entry.number == "东湖综执立字〔2026〕第1号"
