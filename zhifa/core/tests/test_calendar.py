"""The working-day calendar: official 2025/2026 schedules, the 2027 fallback, overrides, periods."""

from __future__ import annotations

import datetime

import pytest

from zhifa.core.calendar import (
    CALENDAR,
    WORKING,
    add_calendar_days,
    add_working_days,
    clear_calendar_cache,
    deadline,
    is_provisional,
    is_working_day,
    package_covers,
    statutory_holidays,
    working_days_between,
)
from zhifa.core.models import CalendarDay, CalendarYear
from zhifa.core.services.calendar import calendar_year_save

pytestmark = pytest.mark.django_db

D = datetime.date


def days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # The override snapshot lives per process; tests roll the database back, so start and end clean.
    clear_calendar_cache()
    yield
    clear_calendar_cache()


# --- official schedules ----------------------------------------------------------------------------

REST_2025 = [
    D(2025, 1, 1),
    *days(D(2025, 1, 28), D(2025, 2, 4)),
    *days(D(2025, 4, 4), D(2025, 4, 6)),
    *days(D(2025, 5, 1), D(2025, 5, 5)),
    *days(D(2025, 5, 31), D(2025, 6, 2)),
    *days(D(2025, 10, 1), D(2025, 10, 8)),
]
WORK_2025 = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]
REST_2026 = [
    *days(D(2026, 1, 1), D(2026, 1, 3)),
    *days(D(2026, 2, 15), D(2026, 2, 23)),
    *days(D(2026, 4, 4), D(2026, 4, 6)),
    *days(D(2026, 5, 1), D(2026, 5, 5)),
    *days(D(2026, 6, 19), D(2026, 6, 21)),
    *days(D(2026, 9, 25), D(2026, 9, 27)),
    *days(D(2026, 10, 1), D(2026, 10, 7)),
]
WORK_2026 = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]


@pytest.mark.parametrize("day", REST_2025)
def test_2025_holidays_are_rest_days(day):
    """APL Art. 85: working days exclude statutory holidays; 2025 schedule (国办发明电〔2024〕12号)."""
    assert not is_working_day(day)
    assert not is_provisional(day)


@pytest.mark.parametrize("day", WORK_2025)
def test_2025_make_up_days_are_working_days(day):
    """2025 notice: weekend make-up days (调休上班) are working days (LAW.md section 7, UNCONFIRMED)."""
    assert day.weekday() >= 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", REST_2026)
def test_2026_holidays_are_rest_days(day):
    """APL Art. 85 / ACL Art. 69; 2026 schedule (State Council notice of 2025-11-04)."""
    assert not is_working_day(day)


@pytest.mark.parametrize("day", WORK_2026)
def test_2026_make_up_days_are_working_days(day):
    """2026 notice: Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10 are make-up working days (调休)."""
    assert day.weekday() >= 5
    assert is_working_day(day)


def test_ordinary_weekdays_and_weekends():
    assert is_working_day(D(2026, 3, 2))  # Monday
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert is_working_day(datetime.datetime(2026, 3, 2, 23, 0))  # a datetime counts as its date


# --- working-day periods -----------------------------------------------------------------------------


def test_add_working_days_across_spring_festival_2026():
    """APL Art. 64: 5 (working) days to request a hearing; the 2026 Spring Festival block is skipped.

    From Fri 2026-02-13: Sat 02-14 works (1), 02-15..02-23 rest, 02-24..02-27 (2..5).
    """
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)


def test_add_working_days_national_day_2025():
    """APL Art. 61: service within 7 working days; Oct 1-8 2025 rest, Sat Oct 11 works."""
    # Oct 9 (1), 10 (2), Sat 11 (3), Sun 12 off, 13 (4), 14 (5), 15 (6), 16 (7)
    assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 16)) == 7


def test_add_working_days_zero_and_negative():
    """The start day is not counted, so zero days end on the start day itself."""
    assert add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 2, 15), -1)


def test_working_days_between_convention():
    """Counts days d with a < d <= b (start day not counted); negative when b is before a."""
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == -5
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert working_days_between(D(2026, 2, 14), D(2026, 2, 23)) == 0  # the holiday block only


@pytest.mark.parametrize("start", [D(2025, 1, 20), D(2025, 9, 26), D(2026, 2, 13), D(2026, 12, 24)])
@pytest.mark.parametrize("n", [1, 3, 5, 7, 10, 20])
def test_add_and_between_agree(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


# --- years without an official table -------------------------------------------------------------


def test_package_coverage():
    assert package_covers(2025) and package_covers(2026)
    assert not package_covers(2027)


def test_fixed_statutory_holidays_are_thirteen_days():
    """全国年节及纪念日放假办法 Art. 2 (rev. 2024-11-10): 1+4+1+2+1+1+3 = 13 days."""
    for year in (2025, 2026, 2027, 2030):
        assert len(statutory_holidays(year)) == 13


@pytest.mark.parametrize("year", [2025, 2026])
def test_fixed_holidays_fall_inside_the_official_schedule(year):
    """The lunar/solar-term computation agrees with the official notices: every fixed holiday is off."""
    for day in statutory_holidays(year):
        assert not is_working_day(day), day


def test_2027_fallback_spring_festival():
    """Lunar New Year 2027 is 02-06: eve to day 3 (02-05..02-08) are statutory holidays (放假办法 Art. 2)."""
    assert statutory_holidays(2027)[D(2027, 2, 5)] == "春节"
    for day in days(D(2027, 2, 5), D(2027, 2, 8)):
        assert not is_working_day(day)
    assert is_working_day(D(2027, 2, 4))
    assert is_working_day(D(2027, 2, 9))
    assert is_provisional(D(2027, 2, 9))
    assert not is_provisional(D(2026, 12, 31))


def test_2027_fallback_other_holidays_and_no_invented_swaps():
    """Fallback: Qingming (solar term, 2027-04-05), Dragon Boat (lunar 5/5 = 06-09), Mid-Autumn (lunar 8/15 =
    09-15), National Day Oct 1-3; no 调休 is guessed, so Mon Oct 4 stays a working day until the notice."""
    for day in (D(2027, 1, 1), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1)):
        assert not is_working_day(day)
    assert is_working_day(D(2027, 10, 4))
    assert is_working_day(D(2027, 4, 6))


def test_deadline_reaching_into_2027_is_provisional():
    """A deadline is provisional when any day of the period lies in a year without a holiday table."""
    late = deadline(D(2026, 12, 28), 5, WORKING, "APL Art. 64")
    assert late.due == D(2027, 1, 5)  # 29, 30, 31, Jan 1 off, Jan 4, Jan 5
    assert late.provisional
    assert late.basis == "APL Art. 64" and late.unit == WORKING and late.days == 5
    early = deadline(D(2026, 12, 1), 5, WORKING, "APL Art. 64")
    assert not early.provisional


def test_complete_override_table_for_2027_is_used_and_not_provisional(django_user_model):
    """Once the administrator enters the State Council notice for 2027 and marks it complete, its days
    (holidays and make-up working days) decide, and deadlines in 2027 are no longer provisional."""
    admin = django_user_model.objects.create_superuser("root", password=None)
    entries = [(day, False, "春节") for day in days(D(2027, 2, 4), D(2027, 2, 12))]
    entries += [(D(2027, 2, 14), True, "春节调休"), (D(2027, 1, 1), False, "元旦")]
    calendar_year_save(actor=admin, year=2027, notice="国办发明电〔2026〕1号", complete=True, days=entries)
    assert not is_provisional(D(2027, 3, 1))
    assert not is_working_day(D(2027, 2, 4))  # listed, although the fallback would work that day
    assert is_working_day(D(2027, 2, 14))  # Sunday make-up day
    assert is_working_day(D(2027, 10, 4))  # not listed: a complete table is trusted over the fallback
    assert is_working_day(D(2027, 9, 15))  # Mid-Autumn not listed in this (test) table
    assert not deadline(D(2026, 12, 28), 5, WORKING, "APL Art. 64").provisional


def test_incomplete_override_table_keeps_fallback_and_provisional(django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=None)
    calendar_year_save(
        actor=admin, year=2027, notice="", complete=False, days=[(D(2027, 2, 14), True, "调休")]
    )
    assert is_working_day(D(2027, 2, 14))
    assert not is_working_day(D(2027, 2, 8))  # still the fallback Spring Festival
    assert is_provisional(D(2027, 2, 14))


def test_override_takes_precedence_over_the_package(django_user_model):
    """A late change to an already published year is entered as an override and wins."""
    admin = django_user_model.objects.create_superuser("root", password=None)
    assert is_working_day(D(2026, 3, 2))
    calendar_year_save(
        actor=admin, year=2026, notice="", complete=False, days=[(D(2026, 3, 2), False, "调整")]
    )
    assert not is_working_day(D(2026, 3, 2))
    assert not is_provisional(D(2026, 3, 2))  # the package still covers 2026


# --- calendar-day periods ----------------------------------------------------------------------------


def test_calendar_period_ending_on_holiday_rolls_to_next_working_day():
    """CPL Art. 85 (by analogy for APL Art. 67, UNCONFIRMED): 15 days from 2026-09-16 end on Oct 1, a
    holiday, so the period ends on the first working day after the block, Thu 2026-10-08."""
    assert add_calendar_days(D(2026, 9, 16), 15) == D(2026, 10, 8)
    assert add_calendar_days(D(2026, 9, 16), 15, roll_over_holiday=False) == D(2026, 10, 1)


def test_calendar_period_ending_on_weekend_or_make_up_day():
    """A period ending on an ordinary Saturday rolls to Monday; on a make-up working Saturday it does not."""
    assert add_calendar_days(D(2026, 3, 6), 15) == D(2026, 3, 23)  # Sat 03-21 -> Mon 03-23
    assert add_calendar_days(D(2026, 9, 25), 15) == D(2026, 10, 10)  # Sat Oct 10 is a working day


def test_ninety_day_decision_period():
    """APL Art. 60: decide within 90 days of filing: a calendar period, start day not counted."""
    result = deadline(D(2026, 1, 5), 90, CALENDAR, "APL Art. 60")
    assert result.due == D(2026, 4, 7)  # 04-05 is a Sunday inside the Qingming block (04-04..04-06) -> 04-07
    assert result.unit == CALENDAR and not result.provisional
    assert deadline(D(2026, 11, 1), 90, CALENDAR, "APL Art. 60").provisional
    with pytest.raises(ValueError):
        deadline(D(2026, 1, 5), 90, "hours", "x")  # type: ignore[arg-type]


# --- performance ---------------------------------------------------------------------------------


def test_many_deadlines_use_a_bounded_number_of_queries(django_assert_max_num_queries):
    """List pages compute deadlines for many rows: the override table is loaded once, not per row."""
    CalendarYear.objects.create(year=2027, complete=False)
    CalendarDay.objects.create(date=D(2027, 1, 4), is_workday=False, name="测试")
    clear_calendar_cache()
    with django_assert_max_num_queries(2):
        results = [
            deadline(D(2026, 12, 1) + datetime.timedelta(days=i), 10, WORKING, "x") for i in range(200)
        ]
    assert len(results) == 200
    assert not is_working_day(D(2027, 1, 4))
