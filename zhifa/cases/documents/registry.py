"""The case documents (执法文书): for each DocType its title, number series, content and required fields.

A `DocSpec` says what a document is made of: the `sections` that `build_fields` assembles from the case
(zhifa.cases.documents.context), the fields that must not be empty before it may be issued (each with
its Chinese label, named in the refusal), the number series (文号) where the document is numbered
(zhifa.org.numbering_format.DEFAULT_TEMPLATES) and the article that requires it. The content and its
order follow the law: APL Art. 59 for decisions (party, facts and evidence, type and basis, manner and
deadline of performance, remedies with body and time limit, agency, date, seal), Art. 44 for the notice,
Art. 52 for the on-the-spot decision, Art. 64 for hearings, ACL Art. 35 for the reminder (催告书).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import DocType


@dataclass(frozen=True)
class Field:
    """A field of a document's content: its key in CaseDocument.fields and its Chinese label."""

    key: str
    label: str | Promise


@dataclass(frozen=True)
class DocSpec:
    doc_type: DocType
    number_key: str | None  # the numbering series (文号), None when the document has no number
    sections: tuple[str, ...]  # what build_fields assembles (see context.SECTIONS)
    required: tuple[Field, ...]
    article: str | Promise
    # Other names the callers use for a field (extra key -> field key), filling it when it is empty.
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return str(self.doc_type.label)

    @property
    def template(self) -> str:
        return f"cases/documents/{self.doc_type.value}.html"


# Fields shared by several documents.
PARTIES = Field("parties", _("当事人"))
FACTS = Field("facts", _("违法事实"))
EVIDENCE = Field("evidence", _("证据"))
BASIS = Field("basis_text", _("法律依据"))
OFFICERS = Field("officers", _("执法人员"))
REMEDIES = Field("remedies", _("救济途径和期限"))
PENALTY = Field("penalty", _("处罚内容"))
CAUSE = Field("cause", _("案由"))

_SPECS = (
    DocSpec(
        DocType.FILING_APPROVAL,
        "filing",
        ("parties", "basis", "officers"),
        (CAUSE, Field("source_label", _("案件来源")), FACTS, BASIS, OFFICERS),
        _("《行政处罚法》第五十四条"),
    ),
    DocSpec(
        DocType.INSPECTION_RECORD,
        None,
        ("parties", "officers"),
        (
            Field("inspected_at", _("检查时间")),
            Field("inspection_place", _("检查地点")),
            Field("content", _("检查情况")),
            OFFICERS,
        ),
        _("《行政处罚法》第四十六条、第五十五条"),
    ),
    DocSpec(
        DocType.INTERVIEW_RECORD,
        None,
        ("parties", "officers"),
        (
            Field("interviewed_at", _("询问时间")),
            Field("interview_place", _("询问地点")),
            Field("interviewee", _("被询问人")),
            Field("content", _("询问内容")),
            OFFICERS,
        ),
        _("《行政处罚法》第五十五条"),
    ),
    DocSpec(
        DocType.RECTIFICATION_ORDER,
        "rectification_order",
        ("parties", "basis", "remedies"),
        (
            PARTIES,
            FACTS,
            BASIS,
            Field("requirement", _("改正要求")),
            Field("deadline", _("改正期限")),
            REMEDIES,
        ),
        _("《行政处罚法》第二十八条"),
        (("rectify_by", "deadline"),),
    ),
    DocSpec(
        DocType.REMINDER_LETTER,
        "reminder_letter",
        ("parties", "basis"),
        (PARTIES, FACTS, Field("content", _("提示事项"))),
        _("国办发〔2022〕27号（柔性执法）"),
    ),
    DocSpec(
        DocType.NOTICE_OF_INTENDED_PENALTY,
        "notice_of_intended_penalty",
        ("parties", "evidence", "basis", "intended", "rights"),
        (
            PARTIES,
            FACTS,
            EVIDENCE,
            BASIS,
            Field("intended_penalty", _("拟处罚内容")),
            Field("rights", _("陈述、申辩、听证权利")),
        ),
        _("《行政处罚法》第四十四条、第四十五条、第六十三条、第六十四条"),
    ),
    DocSpec(
        DocType.HEARING_NOTICE,
        "hearing_notice",
        ("parties", "intended", "hearing"),
        (
            PARTIES,
            Field("hearing_time", _("听证时间")),
            Field("hearing_place", _("听证地点")),
            Field("hearing_chair", _("听证主持人")),
        ),
        _("《行政处罚法》第六十四条"),
        (("scheduled_at", "hearing_time"), ("place", "hearing_place"), ("chair", "hearing_chair")),
    ),
    DocSpec(
        DocType.HEARING_TRANSCRIPT,
        None,
        ("parties", "officers", "hearing"),
        (
            Field("hearing_time", _("听证时间")),
            Field("hearing_place", _("听证地点")),
            Field("hearing_chair", _("听证主持人")),
            Field("transcript", _("听证记录")),
        ),
        _("《行政处罚法》第六十四条第八项、第六十五条"),
    ),
    DocSpec(
        DocType.LEGAL_REVIEW_OPINION,
        None,
        ("parties", "basis", "intended", "decided", "review"),
        (
            Field("review_tier", _("审核层级")),
            Field("review_checks", _("审核要点")),
            Field("review_result", _("审核结论")),
            Field("review_opinion", _("审核意见")),
        ),
        _("《行政处罚法》第五十八条；国办发〔2018〕118号（十三）"),
    ),
    DocSpec(
        DocType.DISCUSSION_MINUTES,
        None,
        ("parties", "intended", "discussion"),
        (
            Field("discussion_date", _("讨论日期")),
            Field("discussion_chair", _("主持人")),
            Field("attendees", _("参加人员")),
            Field("conclusion", _("讨论结论")),
        ),
        _("《行政处罚法》第五十七条第二款"),
        (("chair", "discussion_chair"), ("held_on", "discussion_date")),
    ),
    DocSpec(
        DocType.PENALTY_DECISION,
        "penalty_decision",
        ("parties", "evidence", "basis", "decided", "statements", "payment", "remedies"),
        (PARTIES, FACTS, EVIDENCE, BASIS, PENALTY, REMEDIES),
        _("《行政处罚法》第五十九条"),
    ),
    DocSpec(
        DocType.NO_PENALTY_DECISION,
        "no_penalty_decision",
        ("parties", "evidence", "basis", "remedies"),
        (PARTIES, FACTS, EVIDENCE, BASIS, Field("reason", _("不予处罚的理由和依据")), REMEDIES),
        _("《行政处罚法》第三十三条、第五十七条第一款第二项"),
    ),
    DocSpec(
        DocType.ON_THE_SPOT_DECISION,
        "on_the_spot",
        ("parties", "basis", "decided", "officers", "payment", "remedies"),
        (
            PARTIES,
            FACTS,
            BASIS,
            PENALTY,
            Field("act_time", _("违法时间")),
            Field("place", _("违法地点")),
            OFFICERS,
            REMEDIES,
        ),
        _("《行政处罚法》第五十一条、第五十二条"),
    ),
    DocSpec(
        DocType.PROOF_OF_SERVICE,
        None,
        ("parties",),
        (PARTIES, Field("served_document", _("送达文书")), Field("method", _("送达方式"))),
        _("《行政处罚法》第六十一条；《民事诉讼法》第八十七条"),
    ),
    DocSpec(
        DocType.PAYMENT_NOTICE,
        None,
        ("parties", "decided", "payment", "payment_notice"),
        (
            PARTIES,
            Field("payment_code", _("缴款码")),
            Field("payment_amount", _("应缴金额")),
            Field("payment_due", _("缴款期限")),
        ),
        _("《行政处罚法》第六十七条"),
    ),
    DocSpec(
        DocType.EXTENSION_APPROVAL,
        None,
        ("parties", "extension"),
        (CAUSE, Field("extension_days", _("延长天数")), Field("extension_reason", _("延长理由"))),
        _("《行政处罚法》第六十条"),
        (("days", "extension_days"), ("reason", "extension_reason"), ("opinion", "extension_reason")),
    ),
    DocSpec(
        DocType.TRANSFER_LETTER,
        "transfer_letter",
        ("parties", "evidence", "basis", "transfer"),
        (CAUSE, Field("transfer_to", _("移送机关")), Field("transfer_reason", _("移送理由"))),
        _("《行政处罚法》第二十二条至第二十五条、第二十七条"),
        (("to", "transfer_to"), ("to_judiciary", "transfer_to"), ("reason", "transfer_reason")),
    ),
    DocSpec(
        DocType.TERMINATION_APPROVAL,
        None,
        ("parties",),
        (CAUSE, Field("reason", _("终止理由"))),
        _("《行政处罚法》第五十七条"),
    ),
    DocSpec(
        DocType.ENFORCEMENT_REMINDER,
        "enforcement_reminder",
        ("parties", "decided", "execution", "payment"),
        (
            PARTIES,
            Field("decision_number", _("处罚决定书文号")),
            Field("outstanding", _("未履行金额")),
            Field("deadline", _("履行期限")),
        ),
        _("《行政强制法》第三十五条"),
    ),
    DocSpec(
        DocType.CLOSING_APPROVAL,
        "closing_approval",
        ("parties", "decided", "execution"),
        (CAUSE, Field("outcome_label", _("处理结果"))),
        _("《行政处罚法》第四十七条"),
    ),
)

DOC_SPECS: dict[str, DocSpec] = {spec.doc_type.value: spec for spec in _SPECS}


def spec_for(doc_type: str) -> DocSpec:
    """The DocSpec of `doc_type`; ValueError for an unknown type (a programming error)."""
    try:
        return DOC_SPECS[DocType(doc_type).value]
    except (KeyError, ValueError):
        raise ValueError(f"unknown document type {doc_type!r}") from None
