"""Document numbers (文号): the template language, templates per agency and document type, issuing."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event, NumberSeries
from zhifa.org.models import Agency, AgencyKind, NumberTemplate, Region, RegionLevel, RoleCode
from zhifa.org.numbering_format import (
    DEFAULT_TEMPLATES,
    FALLBACK_TEMPLATE,
    default_template,
    render_number,
    validate_template,
)
from zhifa.org.services.numbering import issue_document_number, number_template_set

DECISION = "{agency}罚决字〔{year}〕第{seq}号"


class Boom(Exception):
    """Raised inside a transaction to roll it back."""


# --- the template language ---------------------------------------------------------------------------


def test_renders_the_issue_example():
    assert render_number(DECISION, "某综执", 2026, 12) == "某综执罚决字〔2026〕第12号"


def test_sequence_number_has_no_leading_zeros():
    """GB/T 9704-2012 §7.2.4: the sequence number is not padded (1, not 01 or 001)."""
    assert render_number(DECISION, "某综执", 2026, 1) == "某综执罚决字〔2026〕第1号"
    assert render_number(DECISION, "某综执", 2026, 1000) == "某综执罚决字〔2026〕第1000号"


def test_year_comes_from_the_argument():
    assert render_number(DECISION, "某综执", 2027, 3) == "某综执罚决字〔2027〕第3号"


def test_agency_is_optional_and_placeholders_may_appear_anywhere():
    assert render_number("罚〔{year}〕{seq}号（{agency}）", "东湖", 2026, 5) == "罚〔2026〕5号（东湖）"


def test_defaults_per_document_type_and_fallback():
    assert default_template("penalty_decision") == DECISION
    assert (
        render_number(default_template("on_the_spot"), "东湖综执", 2026, 7) == "东湖综执当罚字〔2026〕第7号"
    )
    assert default_template("unknown_type") == FALLBACK_TEMPLATE
    assert render_number(FALLBACK_TEMPLATE, "东湖综执", 2026, 7) == "东湖综执〔2026〕第7号"
    for template in [*DEFAULT_TEMPLATES.values(), FALLBACK_TEMPLATE]:
        assert validate_template(template) == template


@pytest.mark.parametrize(
    ("year", "seq"), [(26, 1), (2026, 0), (2026, -1), (2026, "1"), ("2026", 1), (2026, True)]
)
def test_render_refuses_bad_year_or_sequence(year, seq):
    with pytest.raises(ValueError):
        render_number(DECISION, "某综执", year, seq)


def test_validate_strips_surrounding_spaces():
    assert validate_template("  " + DECISION + " ") == DECISION


@pytest.mark.parametrize(
    ("template", "code", "message"),
    [
        ("", ErrorCode.REQUIRED, "请填写文号模板。"),
        ("   ", ErrorCode.REQUIRED, "请填写文号模板。"),
        ("{agency}罚决字〔{year}〕第{number}号", ErrorCode.INVALID, "未知的占位符：{number}"),
        ("{机关}罚决字〔{year}〕第{seq}号", ErrorCode.INVALID, "未知的占位符：{机关}"),
        ("{agency}罚决字〔{year}〕第{seq:03d}号", ErrorCode.INVALID, "未知的占位符：{seq:03d}"),
        ("{agency.name}罚决字〔{year}〕第{seq}号", ErrorCode.INVALID, "未知的占位符：{agency.name}"),
        ("{}罚决字〔{year}〕第{seq}号", ErrorCode.INVALID, "未知的占位符：{}"),
        ("{agency}罚决字〔{year}〕第号", ErrorCode.INVALID, "必须包含序号占位符 {seq}"),
        ("{agency}罚决字〔2026〕第{seq}号", ErrorCode.INVALID, "必须包含年份占位符 {year}"),
        ("{agency}罚决字〔{year}〕第{seq}-{seq}号", ErrorCode.INVALID, "{seq} 只能出现一次"),
        ("{agency罚决字〔{year}〕第{seq}号", ErrorCode.INVALID, "花括号不成对"),
        ("{agency}罚决字〔{year}〕第seq}号", ErrorCode.INVALID, "花括号不成对"),
        ("{agency}罚决字〔{year}〕第{{seq}}号", ErrorCode.INVALID, "花括号不成对"),
        ("{agency}罚决字〔{year}〕第{seq}号{", ErrorCode.INVALID, "花括号不成对"),
        ("{agency}罚决字({year})第{seq}号", ErrorCode.INVALID, "六角括号"),
        ("{agency}罚决字[{year}]第{seq}号", ErrorCode.INVALID, "六角括号"),
        ("{agency}罚决字【{year}】第{seq}号", ErrorCode.INVALID, "六角括号"),
        ("{agency}" + "字" * 120 + "〔{year}〕第{seq}号", ErrorCode.INVALID, "不能超过120个字符"),
    ],
)
def test_validation_names_the_problem(template, code, message):
    with pytest.raises(ServiceError) as caught:
        validate_template(template)
    assert caught.value.field == "template"
    assert caught.value.code == code
    assert message in caught.value.message


def test_render_refuses_an_invalid_template():
    with pytest.raises(ServiceError):
        render_number("{agency}罚决字〔{year}〕第{seq:03d}号", "某综执", 2026, 1)


# --- setting templates -------------------------------------------------------------------------------


@pytest.fixture
def admin(county):
    return county.user(RoleCode.ADMIN, "t0")


@pytest.fixture
def agency(county):
    return county.township_agencies[0]  # short name 东湖综执


@pytest.mark.django_db
def test_setting_a_template_creates_it_with_one_event(admin, agency):
    before = Event.objects.count()
    record = number_template_set(
        actor=admin, agency=agency, doc_type="penalty_decision", template=" 东湖罚〔{year}〕{seq}号 "
    )
    assert record.template == "东湖罚〔{year}〕{seq}号"
    assert NumberTemplate.objects.get(agency=agency, doc_type="penalty_decision").template == record.template
    events = list(Event.objects.filter(seq__gt=before))
    assert [e.action for e in events] == ["number_template.set"]
    assert events[0].object_id == str(record.pk) and events[0].actor_id == admin.pk
    assert '"before":null' in events[0].data and "东湖罚〔{year}〕{seq}号" in events[0].data


@pytest.mark.django_db
def test_setting_again_replaces_the_template_and_records_before_and_after(admin, agency):
    first = number_template_set(actor=admin, agency=agency, doc_type="penalty_decision", template=DECISION)
    count = Event.objects.count()
    second = number_template_set(
        actor=admin, agency=agency, doc_type="penalty_decision", template="{agency}罚字〔{year}〕{seq}号"
    )
    assert second.pk == first.pk
    assert NumberTemplate.objects.filter(agency=agency).count() == 1
    assert Event.objects.count() == count + 1
    event = Event.objects.last()
    assert DECISION in event.data and "{agency}罚字〔{year}〕{seq}号" in event.data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("doc_type", "template", "field"),
    [
        ("penalty_decision", "{agency}罚决字〔{year}〕第{n}号", "template"),
        ("", DECISION, "doc_type"),
        ("Penalty Decision", DECISION, "doc_type"),
        ("x" * 41, DECISION, "doc_type"),
    ],
)
def test_bad_input_writes_nothing(admin, agency, doc_type, template, field):
    count = Event.objects.count()
    with pytest.raises(ServiceError) as caught:
        number_template_set(actor=admin, agency=agency, doc_type=doc_type, template=template)
    assert caught.value.field == field
    assert not NumberTemplate.objects.exists()
    assert Event.objects.count() == count


# --- issuing numbers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_run_1_2_3_in_the_default_format(agency):
    numbers = [issue_document_number(agency=agency, doc_type="penalty_decision", year=2026) for _ in range(3)]
    assert numbers == [
        "东湖综执罚决字〔2026〕第1号",
        "东湖综执罚决字〔2026〕第2号",
        "东湖综执罚决字〔2026〕第3号",
    ]


@pytest.mark.django_db
def test_the_agency_template_is_used(admin, agency):
    number_template_set(
        actor=admin, agency=agency, doc_type="penalty_decision", template="东综罚〔{year}〕{seq}号"
    )
    assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026) == "东综罚〔2026〕1号"
    # Other document types of the agency keep their defaults.
    assert issue_document_number(agency=agency, doc_type="filing", year=2026) == "东湖综执立字〔2026〕第1号"


@pytest.mark.django_db
def test_series_are_independent_per_agency_type_and_year(county, agency):
    other = county.township_agencies[1]
    assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第1号")
    assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第2号")
    assert (
        issue_document_number(agency=other, doc_type="penalty_decision", year=2026)
        == "西山综执罚决字〔2026〕第1号"
    )
    assert issue_document_number(agency=agency, doc_type="filing", year=2026) == "东湖综执立字〔2026〕第1号"
    assert (
        issue_document_number(agency=agency, doc_type="penalty_decision", year=2027)
        == "东湖综执罚决字〔2027〕第1号"
    )
    assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第3号")
    assert NumberSeries.objects.get(key=f"{agency.pk}:penalty_decision:2026").last == 3


@pytest.mark.django_db
def test_a_rolled_back_document_leaves_no_gap(agency):
    """Gap-free: the number of a document whose transaction fails goes to the next document."""
    assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第1号")
    with pytest.raises(Boom), transaction.atomic():
        assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第2号")
        raise Boom
    assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第2号")


@pytest.mark.django_db
def test_refusals_consume_no_number(agency):
    with pytest.raises(ServiceError) as caught:
        issue_document_number(agency=agency, doc_type="penalty_decision", year=26)
    assert caught.value.field == "year"
    with pytest.raises(ServiceError) as caught:
        issue_document_number(agency=agency, doc_type="罚决", year=2026)
    assert caught.value.field == "doc_type"
    agency.short_name = " "
    with pytest.raises(ServiceError) as caught:
        issue_document_number(agency=agency, doc_type="penalty_decision", year=2026)
    assert caught.value.field == "short_name"
    # A template broken outside the service (e.g. a direct database edit) is caught before numbering.
    NumberTemplate.objects.create(agency=agency, doc_type="filing", template="{agency}立字〔{year}〕第{n}号")
    with pytest.raises(ServiceError) as caught:
        issue_document_number(agency=agency, doc_type="filing", year=2026)
    assert caught.value.field == "template"
    assert not NumberSeries.objects.exists()


@pytest.mark.django_db
def test_a_deactivated_agency_issues_no_numbers(agency):
    agency.is_active = False
    with pytest.raises(ServiceError) as caught:
        issue_document_number(agency=agency, doc_type="penalty_decision", year=2026)
    assert caught.value.code == ErrorCode.NOT_ALLOWED
    assert not NumberSeries.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_issuing_outside_a_transaction_is_refused():
    """A number taken in autocommit could never be given back, so issuing demands the caller's transaction."""
    region = Region.objects.create(adcode="350102001000", name="东湖镇", level=RegionLevel.TOWNSHIP)
    agency = Agency.objects.create(
        name="东湖镇人民政府", short_name="东湖综执", kind=AgencyKind.TOWNSHIP_GOVERNMENT, region=region
    )
    with pytest.raises(RuntimeError):
        issue_document_number(agency=agency, doc_type="penalty_decision", year=2026)
    assert not NumberSeries.objects.exists()
    with transaction.atomic():
        assert issue_document_number(agency=agency, doc_type="penalty_decision", year=2026).endswith("第1号")
