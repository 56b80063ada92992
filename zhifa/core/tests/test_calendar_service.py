"""Entering a year's holiday table: the line parser and the `calendar_year_save` service."""

from __future__ import annotations

import datetime
import json

import pytest

from zhifa.core.calendar import clear_calendar_cache, is_working_day
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.forms.calendar import format_day_lines, parse_day_lines
from zhifa.core.models import CalendarDay, CalendarYear, Event
from zhifa.core.services.calendar import calendar_year_save

D = datetime.date


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", password=None)


# --- parser ----------------------------------------------------------------------------------------


def test_parse_lines_with_ranges_and_make_up_days():
    text = "# 2027\n2027-01-01 放假 元旦\n\n2027-02-06..2027-02-12 放假 春节\n2027-02-14\u3000上班 春节调休\n"
    entries = parse_day_lines(text, 2027)
    assert entries[0] == (D(2027, 1, 1), False, "元旦")
    assert [e[0] for e in entries[1:8]] == [D(2027, 2, 6) + datetime.timedelta(days=i) for i in range(7)]
    assert entries[-1] == (D(2027, 2, 14), True, "春节调休")
    assert len(entries) == 9


def test_parse_accepts_other_range_marks_and_no_name():
    assert parse_day_lines("2027-10-01至2027-10-03 休", 2027) == [
        (D(2027, 10, day), False, "") for day in (1, 2, 3)
    ]
    assert parse_day_lines("2027/9/26 work", 2027) == [(D(2027, 9, 26), True, "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-02-30 放假 春节", "第1行：日期“2027-02-30”无效"),
        ("2027-01-01 放假\n2027-02-06..2027-02-01 放假", "第2行：区间的结束日期早于开始日期"),
        ("2028-01-01 放假 元旦", "第1行：日期不在2027年内"),
        ("2027-01-01 请假 元旦", "第1行：“请假”应为“放假”或“上班”"),
        ("2027-01-01", "第1行：应为“日期 放假/上班 名称”"),
        ("2027-01-01..2027-03-01 放假", "第1行：区间超过31天"),
        ("2027-02-06..2027-02-08 放假\n\n2027-02-07 上班", "第3行：日期2027-02-07与第1行重复"),
    ],
)
def test_parse_errors_name_the_line_in_chinese(text, expected):
    with pytest.raises(ValidationErrors) as info:
        parse_day_lines(text, 2027)
    assert expected in info.value.message
    assert all(error.field == "days" for error in info.value.errors)


def test_parse_reports_every_wrong_line():
    with pytest.raises(ValidationErrors) as info:
        parse_day_lines("2027-01-01 放假\nfoo 放假\n2027-02-01 上班\nbar", 2027)
    assert [e.message.split("：")[0] for e in info.value.errors] == ["第2行", "第4行"]


def test_format_round_trip():
    text = "2027-01-01 放假 元旦\n2027-02-05..2027-02-11 放假 春节\n2027-02-14 上班 春节调休"
    assert format_day_lines(parse_day_lines(text, 2027)) == text


# --- service ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_save_creates_rows_and_one_record_event(admin):
    """Every change writes one record event with before/after (APL Art. 47 full-process record)."""
    year = calendar_year_save(
        actor=admin,
        year=2027,
        notice="国办发明电〔2026〕7号",
        complete=True,
        days=[(D(2027, 1, 1), False, "元旦"), (D(2027, 2, 14), True, "春节调休")],
    )
    assert year.entered_by == admin and year.complete
    assert list(CalendarDay.objects.values_list("date", "is_workday", "name")) == [
        (D(2027, 1, 1), False, "元旦"),
        (D(2027, 2, 14), True, "春节调休"),
    ]
    events = Event.objects.filter(action="calendar_year.save")
    assert events.count() == 1
    data = json.loads(events.get().data)
    assert data["before"] is None
    assert data["after"]["days"] == [["2027-01-01", False, "元旦"], ["2027-02-14", True, "春节调休"]]


@pytest.mark.django_db
def test_save_replaces_the_year_and_keeps_other_years(admin):
    CalendarDay.objects.create(date=D(2026, 3, 2), is_workday=False, name="其他年度")
    calendar_year_save(
        actor=admin, year=2027, notice="", complete=False, days=[(D(2027, 1, 1), False, "元旦")]
    )
    assert is_working_day(D(2027, 1, 4))
    calendar_year_save(
        actor=admin, year=2027, notice="新", complete=True, days=[(D(2027, 1, 4), False, "补假")]
    )
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [D(2027, 1, 4)]
    assert CalendarDay.objects.filter(date=D(2026, 3, 2)).exists()
    assert not is_working_day(D(2027, 1, 4))  # the service cleared the cache itself
    last = json.loads(Event.objects.filter(action="calendar_year.save").order_by("-seq").first().data)
    assert last["before"] == {"notice": "", "complete": False, "days": [["2027-01-01", False, "元旦"]]}
    assert last["after"]["notice"] == "新"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "code"),
    [
        ([(D(2028, 1, 1), False, "")], ErrorCode.INVALID),
        ([(D(2027, 1, 1), False, ""), (D(2027, 1, 1), True, "")], ErrorCode.DUPLICATE),
        ([(D(2027, 1, 1), False, "长" * 61)], ErrorCode.INVALID),
    ],
)
def test_save_rejects_bad_days_and_writes_nothing(admin, days, code):
    with pytest.raises(ValidationErrors) as info:
        calendar_year_save(actor=admin, year=2027, notice="", complete=True, days=days)
    assert info.value.errors[0].code == code
    assert info.value.errors[0].field == "days"
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    assert not Event.objects.filter(action="calendar_year.save").exists()


@pytest.mark.django_db
def test_save_rejects_bad_year_and_non_admin(admin, django_user_model):
    with pytest.raises(ServiceError) as info:
        calendar_year_save(actor=admin, year=1999, notice="", complete=True, days=[])
    assert info.value.field == "year"
    clerk = django_user_model.objects.create_user("clerk", password=None)
    with pytest.raises(ServiceError) as info:
        calendar_year_save(actor=clerk, year=2027, notice="", complete=True, days=[])
    assert info.value.code == ErrorCode.NOT_ALLOWED
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_concurrent_edit_is_refused(admin):
    """Concurrent edits never silently overwrite each other (DESIGN.md)."""
    first = calendar_year_save(actor=admin, year=2027, notice="a", complete=False, days=[])
    loaded = first.updated_at
    calendar_year_save(
        actor=admin, year=2027, notice="b", complete=False, days=[], expected_updated_at=loaded
    )
    with pytest.raises(ServiceError) as info:
        calendar_year_save(
            actor=admin, year=2027, notice="c", complete=True, days=[], expected_updated_at=loaded
        )
    assert info.value.code == ErrorCode.CONFLICT
    assert CalendarYear.objects.get(year=2027).notice == "b"
