"""Issuing case documents: every type renders to a real PDF with its number, required fields are enforced,
numbers are gap-free, and the decision prints what APL Art. 59 requires."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import transaction

from zhifa.cases.documents import DOC_SPECS, build_fields, document_problems, issue_document
from zhifa.cases.documents.storage import absolute, sha256_of
from zhifa.cases.models import CaseDocument, DocType, Evidence
from zhifa.cases.tests.doc_helpers import (
    DAY,
    StepFailed,
    add_rows,
    build_case,
    issue,
    officer,
    pdf_text,
)
from zhifa.core.errors import ErrorCode, ValidationErrors
from zhifa.core.models import NumberSeries

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^东湖综执[\u4e00-\u9fff]+字〔2026〕第[1-9]\d*号$")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_document_type_has_a_spec_a_template_and_a_number_series_where_numbered():
    assert set(DOC_SPECS) == {t.value for t in DocType}
    from django.template.loader import get_template

    from zhifa.org.numbering_format import DEFAULT_TEMPLATES, DOC_TYPE_LABELS

    for spec in DOC_SPECS.values():
        get_template(spec.template)
        assert spec.required, spec.doc_type
        if spec.number_key:
            assert spec.number_key in DEFAULT_TEMPLATES and spec.number_key in DOC_TYPE_LABELS


@pytest.mark.parametrize("doc_type", [t.value for t in DocType])
def test_every_document_type_renders_to_a_stored_pdf_with_its_hash(county, media, doc_type):
    case = build_case(county)
    add_rows(case, county)
    document = issue(case, doc_type, officer(county))
    spec = DOC_SPECS[doc_type]
    content = absolute(document.file).read_bytes()
    assert content.startswith(b"%PDF-")
    assert document.sha256 == sha256_of(content)
    assert document.file.startswith(f"cases/{case.pk}/") and document.file.endswith(".pdf")
    assert (media / document.file).is_file()
    text = squash(pdf_text(content))
    assert spec.title in text and "东湖镇人民政府" in text
    if spec.number_key:
        assert NUMBER.match(document.number), document.number
        assert squash(document.number) in text
    else:
        assert document.number == ""
    assert document.fields["doc_title"] == spec.title
    assert document.issued_on == DAY and document.title == spec.title


def test_numbers_are_gap_free_per_type_and_year(county, media):
    case = build_case(county)
    actor = officer(county)
    numbers = [issue(case, DocType.PENALTY_DECISION, actor).number for _ in range(3)]
    assert numbers == [f"东湖综执罚决字〔2026〕第{n}号" for n in (1, 2, 3)]
    assert issue(case, DocType.RECTIFICATION_ORDER, actor).number == "东湖综执责改字〔2026〕第1号"
    next_year = issue(case, DocType.PENALTY_DECISION, actor, on_date=DAY.replace(year=2027))
    assert next_year.number == "东湖综执罚决字〔2027〕第1号"


def test_missing_required_fields_are_refused_naming_each_and_consume_nothing(county, media):
    case = build_case(county, facts="")
    Evidence.objects.filter(case=case).delete()
    with pytest.raises(ValidationErrors) as refused:
        issue(case, DocType.PENALTY_DECISION, officer(county))
    errors = {e.field: e for e in refused.value.errors}
    assert set(errors) == {"facts", "evidence"}
    assert errors["facts"].code == ErrorCode.REQUIRED and errors["facts"].message == "「违法事实」不能为空。"
    assert errors["evidence"].message == "「证据」不能为空。"
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not NumberSeries.objects.filter(key__contains="penalty_decision").exists()
    assert not (media / "cases").exists()
    # The caller's fields are named too: a rectification order without requirement and deadline.
    with pytest.raises(ValidationErrors) as refused:
        issue(case, DocType.RECTIFICATION_ORDER, officer(county), extra={})
    assert {e.field for e in refused.value.errors} == {"facts", "requirement", "deadline"}
    assert "「改正期限」不能为空。" in str(refused.value)
    assert document_problems(case, DocType.TERMINATION_APPROVAL) == ["「终止理由」不能为空。"]


def test_rollback_leaves_no_row_no_file_and_no_number(county, media):
    case = build_case(county)
    with pytest.raises(StepFailed), transaction.atomic():
        document = issue_document(
            case=case, doc_type=DocType.PENALTY_DECISION, extra={}, actor=officer(county), on_date=DAY
        )
        assert (media / document.file).is_file()  # readable inside the transaction
        raise StepFailed  # the transition fails after issuing
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not (media / document.file).exists()
    assert list((media / f"cases/{case.pk}").iterdir()) == []
    assert issue(case, DocType.PENALTY_DECISION, officer(county)).number == "东湖综执罚决字〔2026〕第1号"


def test_penalty_decision_prints_remedies_bodies_and_time_limits(county, media, settings):
    """APL Art. 59(5): reconsideration within 60 days to the county government (ARL 2023 Art. 20, 24),
    litigation within 6 months in the county court (ALL Art. 46); payment within 15 days at the bank
    with the payment code (APL Art. 67), surcharge 3% a day (Art. 72)."""
    settings.ZHIFA_FINE_BANK = "测试县农商银行"
    case = build_case(county)
    add_rows(case, county)
    document = issue(case, DocType.PENALTY_DECISION, officer(county))
    text = squash(pdf_text(absolute(document.file).read_bytes()))
    assert "60日内向测试县人民政府申请行政复议" in text
    assert "6个月内依法向测试县人民法院提起行政诉讼" in text
    assert "15日内" in text and "测试县农商银行" in text and "3%加处罚款" in text
    assert case.payment_notices.get().payment_code in text
    assert "罚款人民币5,000.00元（大写：伍仟元整）" in text
    # APL Art. 59 order: party, facts, evidence, basis, decision, performance, remedies, seal and date.
    marks = [
        "东湖包装有限公司",
        "灭火器挪作他用",
        "现场检查笔录",
        "违反了",
        "作出如下行政处罚",
        "15日内",
        "行政复议",
    ]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert text.rindex("东湖镇人民政府") > positions[-1] and text.rindex("2026年7月1日") > positions[-1]
    assert "91350102MA2Y0001XK" in text and "王某某" in text  # organisation: USCC and legal representative
    assert document.fields["remedies"]["reconsideration_days"] == 60
    assert document.fields["remedies"]["litigation_months"] == 6


def test_notice_states_the_rights_and_their_periods(county, media):
    """APL Art. 44-45 (statement and defence, local period default 5 working days) and Art. 63-64 (a
    hearing requested within 5 working days) when the intended penalty qualifies."""
    case = build_case(county, hearing_offered=True, intended_fine=Decimal("20000"))
    text = squash(
        pdf_text(absolute(issue(case, DocType.NOTICE_OF_INTENDED_PENALTY, officer(county)).file).read_bytes())
    )
    assert "有权进行陈述和申辩" in text and "有权要求听证" in text
    assert text.count("5个工作日内") == 2
    assert "罚款人民币20,000.00元" in text
    quiet = build_case(county, code="C2026-0002", hearing_offered=False)
    fields = build_fields(quiet, DocType.NOTICE_OF_INTENDED_PENALTY, on_date=DAY)
    assert fields["rights"]["hearing"] is False and len(fields["rights"]["lines"]) == 1


def test_on_the_spot_decision_prints_officers_certificate_numbers(county, media):
    """APL Art. 52: the officers' certificate numbers, violation, basis, amount, time, place, remedies."""
    case = build_case(county)
    document = issue(case, DocType.ON_THE_SPOT_DECISION, officer(county))
    text = squash(pdf_text(absolute(document.file).read_bytes()))
    for officer_row in document.fields["officers"]:
        assert officer_row["certificates"] and officer_row["certificates"] in text
    assert document.fields["officers"][0]["name"] == officer(county).person.name  # the lead first
    assert "2026年6月20日" in text and "东湖镇工业园1号" in text and "行政复议" in text


def test_legal_review_opinion_lists_the_go118_checklist(county, media):
    """GO118 (十三): every check answered; an unanswered checklist is refused."""
    case = build_case(county)
    add_rows(case, county)
    document = issue(case, DocType.LEGAL_REVIEW_OPINION, officer(county))
    assert len(document.fields["review_checks"]) == 9
    text = squash(pdf_text(absolute(document.file).read_bytes()))
    assert (
        "裁量基准运用是否适当" in text
        and "违法行为是否涉嫌犯罪、需要移送司法机关" in text
        and "不涉嫌犯罪，无需移送" in text
    )
    partial = {"subject": {"passed": True, "opinion": ""}}
    with pytest.raises(ValidationErrors) as refused:
        issue(case, DocType.LEGAL_REVIEW_OPINION, officer(county), extra={"answers": partial})
    assert [e.field for e in refused.value.errors] == ["review_checks"]


def test_extra_adds_fields_but_cannot_replace_the_issuer_or_the_remedies(county, media):
    case = build_case(county)
    fields = build_fields(
        case, DocType.RECTIFICATION_ORDER, {"deadline": DAY, "requirement": " 放回原位 "}, on_date=DAY
    )
    assert fields["deadline"] == "2026年7月1日" and fields["requirement"] == "放回原位"
    for key in ("agency_name", "remedies", "parties", "officers"):
        with pytest.raises(ValueError):
            build_fields(case, DocType.RECTIFICATION_ORDER, {key: "x"}, on_date=DAY)


def test_the_decided_penalty_is_read_from_the_instance_the_engine_holds(county, media):
    """The engine sets the decided values on the locked case before it saves them."""
    case = build_case(county, fine_amount=None, penalty_types=[])
    case.penalty_types, case.fine_amount = ["罚款"], Decimal("1234.5")
    with transaction.atomic():
        document = issue_document(
            case=case, doc_type=DocType.PENALTY_DECISION, actor=officer(county), on_date=DAY
        )
    assert document.fields["penalty"] == "罚款人民币1,234.50元（大写：壹仟贰佰叁拾肆元伍角整）"


@pytest.mark.parametrize(
    ("amount", "upper"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("1000", "壹仟元整"),
        ("1001", "壹仟零壹元整"),
        ("100010.50", "壹拾万零壹拾元伍角整"),
        ("100000000.07", "壹亿元零柒分"),
        ("120003040.10", "壹亿贰仟万零叁仟零肆拾元壹角整"),
    ],
)
def test_capital_numerals(amount, upper):
    from zhifa.cases.documents.text import rmb_upper

    assert rmb_upper(Decimal(amount)) == upper


def test_a_warning_has_no_payment_section(county, media):
    """APL Art. 59(4): the manner and deadline of payment are printed when money is due, not for a warning."""
    case = build_case(county, penalty_types=["警告"], fine_amount=None)
    document = issue(case, DocType.PENALTY_DECISION, officer(county))
    text = squash(pdf_text(absolute(document.file).read_bytes()))
    assert document.fields["payment"] == {} and "15日内" not in text and "警告" in text
    assert "60日内向测试县人民政府申请行政复议" in text


def test_engine_names_for_fields_are_accepted(county, media):
    """The transitions pass rectify_by (ISO date) and to/reason; an explicit value beats a stale row."""
    case = build_case(county)
    order = issue(
        case,
        DocType.RECTIFICATION_ORDER,
        officer(county),
        extra={"requirement": "放回", "rectify_by": "2026-07-15"},
    )
    assert order.fields["deadline"] == "2026年7月15日"
    from zhifa.cases.models import CaseTransfer

    CaseTransfer.objects.create(case=case, to_judiciary="旧机关", reason="旧理由", transferred_on=DAY)
    letter = issue(
        case,
        DocType.TRANSFER_LETTER,
        officer(county),
        extra={"to": "县公安局", "reason": "涉嫌犯罪", "judiciary": True},
    )
    assert letter.fields["transfer_to"] == "县公安局" and letter.fields["transfer_reason"] == "涉嫌犯罪"
    assert "第二十七条" in squash(pdf_text(absolute(letter.file).read_bytes()))
