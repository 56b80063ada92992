"""The case file (卷宗): what it must hold for each way a case ends, its binding order, and the archive.

One rule, kept here as data (`RULES`), decides whether a case may be closed and archived (the engine's
`casefile_complete` guard), what a later case-file review checks, and what the workspace shows as
missing. APL Art. 47 requires the whole procedure on record and archived; each requirement cites the
article that makes the document necessary. Documents replaced by a correction (superseded) do not count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.models import (
    Case,
    CaseDocument,
    CaseState,
    DocType,
    Evidence,
    HearingResult,
    Outcome,
    Procedure,
)

EVIDENCE = "evidence"  # a requirement for at least one piece of evidence
SERVICE = "service"  # a requirement that the decision was served (proof of service or an e-service record)
DECISIONS = (
    DocType.PENALTY_DECISION,
    DocType.NO_PENALTY_DECISION,
    DocType.ON_THE_SPOT_DECISION,
    DocType.RECTIFICATION_ORDER,
)


def _filed(case: Case) -> bool:
    return case.filed_on is not None


def _hearing_scheduled(case: Case) -> bool:
    return case.hearings.exists()


def _hearing_held(case: Case) -> bool:
    return case.hearings.filter(result=HearingResult.HELD).exists()


def _discussion_required(case: Case) -> bool:
    from zhifa.cases.review_rules import discussion_required

    return discussion_required(case)


def _extended(case: Case) -> bool:
    return case.extensions.exists()


def _closed(case: Case) -> bool:
    """The closing approval is issued by the closing step itself: required once the case is closed."""
    return case.state in (CaseState.CLOSED, CaseState.ARCHIVED)


@dataclass(frozen=True)
class Requirement:
    """A document (any of `doc_types`), evidence or service the case file must hold, when `when` holds."""

    key: str
    label: str | Promise
    article: str | Promise
    doc_types: tuple[DocType, ...] = ()
    when: Callable[[Case], bool] | None = field(default=None, compare=False)


def _doc(
    doc_type: DocType, article: str | Promise, when: Callable[[Case], bool] | None = None
) -> Requirement:
    return Requirement(doc_type.value, doc_type.label, article, (doc_type,), when)


FILING = _doc(DocType.FILING_APPROVAL, gettext_lazy("《行政处罚法》第五十四条"))
FILING_IF_FILED = _doc(DocType.FILING_APPROVAL, gettext_lazy("《行政处罚法》第五十四条"), _filed)
HAS_EVIDENCE = Requirement(
    EVIDENCE, gettext_lazy("证据材料"), gettext_lazy("《行政处罚法》第四十条、第四十六条")
)
EXTENSION = _doc(DocType.EXTENSION_APPROVAL, gettext_lazy("《行政处罚法》第六十条"), _extended)
REVIEW = _doc(DocType.LEGAL_REVIEW_OPINION, gettext_lazy("《行政处罚法》第五十八条"))
DISCUSSION = _doc(
    DocType.DISCUSSION_MINUTES, gettext_lazy("《行政处罚法》第五十七条第二款"), _discussion_required
)
SERVED = Requirement(
    SERVICE,
    gettext_lazy("送达回证（或电子送达记录）"),
    gettext_lazy("《行政处罚法》第六十一条"),
    (DocType.PROOF_OF_SERVICE,),
)
CLOSING = _doc(DocType.CLOSING_APPROVAL, gettext_lazy("《行政处罚法》第四十七条"), _closed)

# The ways a case ends and what each requires (keys: Outcome values, and "simplified" for an on-the-spot
# penalty under APL Art. 51-52).
SIMPLIFIED = "simplified"
RULES: dict[str, tuple[Requirement, ...]] = {
    Outcome.PENALTY: (
        FILING,
        HAS_EVIDENCE,
        EXTENSION,
        _doc(DocType.NOTICE_OF_INTENDED_PENALTY, gettext_lazy("《行政处罚法》第四十四条、第六十二条")),
        _doc(DocType.HEARING_NOTICE, gettext_lazy("《行政处罚法》第六十四条"), _hearing_scheduled),
        _doc(DocType.HEARING_TRANSCRIPT, gettext_lazy("《行政处罚法》第六十四条、第六十五条"), _hearing_held),
        REVIEW,
        DISCUSSION,
        _doc(DocType.PENALTY_DECISION, gettext_lazy("《行政处罚法》第五十九条")),
        SERVED,
        CLOSING,
    ),
    SIMPLIFIED: (
        _doc(DocType.ON_THE_SPOT_DECISION, gettext_lazy("《行政处罚法》第五十二条")),
        CLOSING,
    ),
    Outcome.NO_PENALTY: (
        FILING,
        HAS_EVIDENCE,
        EXTENSION,
        REVIEW,
        DISCUSSION,
        _doc(DocType.NO_PENALTY_DECISION, gettext_lazy("《行政处罚法》第三十三条、第五十七条")),
        SERVED,
        CLOSING,
    ),
    Outcome.RECTIFICATION: (
        FILING_IF_FILED,
        HAS_EVIDENCE,
        _doc(DocType.RECTIFICATION_ORDER, gettext_lazy("《行政处罚法》第二十八条")),
        SERVED,
        CLOSING,
    ),
    Outcome.REMINDER: (
        _doc(DocType.REMINDER_LETTER, gettext_lazy("国办发〔2022〕27号（柔性执法）")),
        CLOSING,
    ),
    Outcome.TRANSFER: (
        FILING_IF_FILED,
        _doc(DocType.TRANSFER_LETTER, gettext_lazy("《行政处罚法》第二十二条至第二十五条")),
        CLOSING,
    ),
    Outcome.JUDICIARY: (
        FILING_IF_FILED,
        _doc(DocType.TRANSFER_LETTER, gettext_lazy("《行政处罚法》第二十七条")),
        CLOSING,
    ),
    Outcome.TERMINATED: (
        FILING_IF_FILED,
        _doc(DocType.TERMINATION_APPROVAL, gettext_lazy("《行政处罚法》第五十七条"), _filed),
        CLOSING,
    ),
}


def rule_key(case: Case, outcome: str | None = None) -> str | None:
    """Which rule applies: the outcome given, else the case's, else its end state; None if unknown."""
    outcome = outcome or case.outcome
    if not outcome:
        outcome = {CaseState.TERMINATED: Outcome.TERMINATED, CaseState.TRANSFERRED: Outcome.TRANSFER}.get(
            case.state, ""
        )
    if outcome == Outcome.PENALTY and case.procedure == Procedure.SIMPLIFIED:
        return SIMPLIFIED
    return outcome if outcome in RULES else None


def current_documents(case: Case):
    """The case's documents that were not replaced by a correction."""
    return CaseDocument.objects.filter(case=case, superseded_by__isnull=True)


def _served(case: Case) -> bool:
    """A decision was served: an electronic or recorded service of it (CPL Art. 87-90)."""
    return case.services.filter(document__doc_type__in=DECISIONS, served_at__isnull=False).exists()


def required_for(case: Case, outcome: str | None = None) -> list[Requirement]:
    """The requirements that apply to this case now (conditions evaluated)."""
    key = rule_key(case, outcome)
    if key is None:
        return []
    return [r for r in RULES[key] if r.when is None or r.when(case)]


def casefile_problems(case: Case, outcome: str | None = None) -> list[str]:
    """What the case file lacks for the way the case ends (`outcome`, default the case's), in Chinese,
    naming each missing document with its article; empty when complete."""
    key = rule_key(case, outcome)
    if key is None:
        return [_("案件尚未确定处理结果，无法核对卷宗。")]
    present = set(current_documents(case).values_list("doc_type", flat=True))
    problems = []
    for requirement in required_for(case, outcome):
        if requirement.key == EVIDENCE:
            missing = not Evidence.objects.filter(case=case).exists()
        elif requirement.key == SERVICE:
            missing = not (present & set(requirement.doc_types)) and not _served(case)
        else:
            missing = not (present & set(requirement.doc_types))
        if missing:
            is_document = requirement.key not in (EVIDENCE, SERVICE)
            what = f"《{requirement.label}》" if is_document else str(requirement.label)
            problems.append(
                _("卷宗缺少%(what)s（%(article)s）。") % {"what": what, "article": requirement.article}
            )
    return problems


# --- binding order -----------------------------------------------------------------------------------

# The legal binding order (卷内文件排列): cover, index, filing, evidence and records, notice, statement and
# hearing, review, discussion, decision, service, payment, closing.
ORDER: tuple[tuple[str, tuple[DocType, ...]], ...] = (
    ("filing", (DocType.FILING_APPROVAL,)),
    ("evidence", (DocType.INSPECTION_RECORD, DocType.INTERVIEW_RECORD)),
    ("extension", (DocType.EXTENSION_APPROVAL,)),
    ("notice", (DocType.NOTICE_OF_INTENDED_PENALTY,)),
    ("statement", (DocType.HEARING_NOTICE, DocType.HEARING_TRANSCRIPT)),
    ("review", (DocType.LEGAL_REVIEW_OPINION,)),
    ("discussion", (DocType.DISCUSSION_MINUTES,)),
    (
        "decision",
        (
            DocType.PENALTY_DECISION,
            DocType.NO_PENALTY_DECISION,
            DocType.ON_THE_SPOT_DECISION,
            DocType.RECTIFICATION_ORDER,
            DocType.REMINDER_LETTER,
            DocType.TRANSFER_LETTER,
            DocType.TERMINATION_APPROVAL,
        ),
    ),
    ("service", (DocType.PROOF_OF_SERVICE,)),
    ("payment", (DocType.PAYMENT_NOTICE, DocType.ENFORCEMENT_REMINDER)),
    ("closing", (DocType.CLOSING_APPROVAL,)),
)
COVER, INDEX, DOCUMENT, EVIDENCE_LIST, EVIDENCE_ITEM, STATEMENTS = (
    "cover",
    "index",
    "document",
    "evidence_list",
    "evidence",
    "statements",
)


@dataclass
class Entry:
    """One item of the case file in binding order."""

    kind: str
    title: str
    number: str = ""
    date: object = None
    document: CaseDocument | None = None
    evidence: Evidence | None = None


def casefile_order(case: Case) -> list[Entry]:
    """The case file in the legal binding order: cover, index, then the documents by group (each group
    by date), the evidence list with each piece of evidence at the head of the evidence group, and the
    party's statements with the hearing papers."""
    by_type: dict[str, list[CaseDocument]] = {}
    for document in current_documents(case).order_by("issued_on", "id"):
        by_type.setdefault(document.doc_type, []).append(document)
    entries = [Entry(COVER, _("卷宗封面")), Entry(INDEX, _("卷内目录"))]
    for group, doc_types in ORDER:
        if group == "evidence":
            evidence = list(case.evidence.order_by("collected_at", "id"))
            if evidence:
                entries.append(Entry(EVIDENCE_LIST, _("证据材料清单（共%(n)d件）") % {"n": len(evidence)}))
                entries.extend(
                    Entry(EVIDENCE_ITEM, e.title, date=e.collected_at, evidence=e) for e in evidence
                )
        if group == "statement" and case.statements.exists():
            entries.append(Entry(STATEMENTS, _("陈述申辩及复核记录")))
        for doc_type in doc_types:
            entries.extend(
                Entry(DOCUMENT, d.title, d.number, d.issued_on, document=d) for d in by_type.get(doc_type, [])
            )
    return entries


def bind_archive(case: Case) -> tuple[str, str, int]:
    """Bind the case file into one PDF (cover, index with page numbers, every document in binding order,
    the evidence list and statements pages) stored under MEDIA_ROOT/cases/<id>/; returns (path relative
    to MEDIA_ROOT, SHA-256, number of pages). Raises ServiceError if a document's file fails its check."""
    from zhifa.cases.documents.binding import bind

    return bind(case, casefile_order(case))
