"""Time limits of the penalty procedure on the official 2025/2026 schedules (LAW.md sections 1-3, 7, 9).

Holiday facts used (LAW.md section 7): 2025 Jan 28-Feb 4 off (work Sat Feb 8); May 1-5 off; Oct 1-8 off
(work Sun Sep 28, Sat Oct 11). 2026 Jan 1-3 off (work Sun Jan 4); Feb 15-23 off (work Sat Feb 14 and
Sat Feb 28). The calendar reads its override tables, hence the `db` fixture.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases import deadlines as dl
from zhifa.core.calendar import WORKING, add_working_days, clear_calendar_cache, is_working_day
from zhifa.core.models import CalendarDay

D = datetime.date
DT = datetime.datetime


def days_from(start: datetime.date, n: int) -> datetime.date:
    return start + datetime.timedelta(days=n)


# --- working-day periods (APL Art. 85) -------------------------------------------------------------


def test_hearing_request_spring_festival_2026(db):
    # APL Art. 64(1), Art. 85: 5 WD. Served Fri Feb 13: Sat Feb 14 (make-up day), Feb 24, 25, 26, 27.
    result = dl.hearing_request_due(D(2026, 2, 13))
    assert result.due == D(2026, 2, 27)
    assert (result.unit, result.days, result.start, result.provisional) == (WORKING, 5, D(2026, 2, 13), False)
    assert "第六十四条" in result.basis
    assert dl.hearing_request_due(D(2026, 2, 12)).due == D(2026, 2, 26)


def test_statement_due_default_and_local_setting_over_national_day_2025(db):
    # APL Art. 44-45; the period is a local setting (LAW.md last table), default 5 WD.
    assert dl.statement_due(D(2025, 9, 30)).due == D(2025, 10, 14)  # Oct 9, 10, 11 (Sat), 13, 14
    longer = dl.statement_due(D(2025, 9, 30), working_days=7)
    assert (longer.due, longer.days) == (D(2025, 10, 16), 7)
    assert "本地设定" in longer.basis and "第四十四条" in longer.basis


def test_hearing_notice_latest_before_spring_festival_2026(db):
    # APL Art. 64(2): notice 7 WD before a hearing on Fri Feb 27: Feb 12, 13, 14, 24, 25, 26, 27.
    result = dl.hearing_notice_latest(D(2026, 2, 27))
    assert result.due == D(2026, 2, 11)
    assert (result.unit, result.days, result.provisional) == (WORKING, 7, False)
    assert "第六十四条" in result.basis
    assert add_working_days(D(2026, 2, 11), 7) == D(2026, 2, 27)
    assert add_working_days(D(2026, 2, 12), 7) > D(2026, 2, 27)


def test_hearing_notice_latest_is_the_latest_day_leaving_seven_working_days(db):
    # APL Art. 64(2) over Spring Festival and National Day 2025 and the 2026 New Year make-up day.
    hearing = D(2025, 9, 1)
    while hearing <= D(2026, 3, 31):
        latest = dl.hearing_notice_latest(hearing).due
        assert add_working_days(latest, 7) <= hearing
        assert add_working_days(latest + datetime.timedelta(days=1), 7) > hearing
        hearing += datetime.timedelta(days=1)
    assert dl.working_days_before(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_service_due_national_day_2025(db):
    # APL Art. 61: 7 WD from the decision. Oct 9, 10, 11 (make-up Sat), 13, 14, 15, 16.
    result = dl.service_due(D(2025, 9, 30))
    assert result.due == D(2025, 10, 16)
    assert "第六十一条" in result.basis


def test_preservation_due_spring_festival_2025(db):
    # APL Art. 56: handling decision within 7 WD. Feb 5, 6, 7, 8 (make-up Sat), 10, 11, 12.
    result = dl.preservation_due(D(2025, 1, 27))
    assert result.due == D(2025, 2, 12)
    assert "第五十六条" in result.basis


def test_withdrawal_due_labour_day_2025(db):
    # APL Art. 48, Art. 85: withdraw a publication within 3 WD; May 1-5 off.
    result = dl.withdrawal_due(D(2025, 4, 30))
    assert result.due == D(2025, 5, 8)
    assert "第四十八条" in result.basis


def test_legal_review_due_local_default_and_extension(db):
    # GO118 (十四): agency-set limit, local default 7 WD, +3 WD on approval. Sep 28 (Sun) is a make-up day.
    assert dl.legal_review_due(D(2025, 9, 26)).due == D(2025, 10, 13)
    extended = dl.legal_review_due(D(2025, 9, 26), extra_days=3)
    assert (extended.due, extended.days) == (D(2025, 10, 16), 10)
    assert "118号" in extended.basis
    with pytest.raises(ValueError):
        dl.legal_review_due(D(2025, 9, 26), extra_days=-1)


def test_filing_due_is_a_local_setting_over_new_year_2026(db):
    # APL Art. 54 says "promptly"; 15 WD is a local setting. Jan 1-3 off, Sun Jan 4 is a working day.
    result = dl.filing_due(D(2025, 12, 31))
    assert result.due == D(2026, 1, 22)
    assert "第五十四条" in result.basis and "本地设定" in result.basis
    assert dl.filing_due(D(2025, 12, 31), working_days=3).due == D(2026, 1, 6)


# --- calendar-day periods ---------------------------------------------------------------------------


def test_decision_due_rolls_over_national_day_and_adds_extension_and_pauses(db):
    # APL Art. 60: 90 days from filing; Jul 3 + 90 = Oct 1 (holiday, Oct 1-8) -> Oct 9 (CPL Art. 85 analogy).
    result = dl.decision_due(D(2025, 7, 3))
    assert (result.due, result.days, result.unit) == (D(2025, 10, 9), 90, "calendar")
    assert result.basis == "《行政处罚法》第六十条"
    extended = dl.decision_due(D(2025, 7, 3), extension_days=dl.DECISION_EXTENSION_DAYS)
    assert (extended.due, extended.days) == (D(2025, 10, 31), 120)
    assert "延长30日" in extended.basis
    assert dl.decision_due(D(2025, 7, 3), paused_days=12).due == D(2025, 10, 13)
    with pytest.raises(ValueError):
        dl.decision_due(D(2025, 7, 3), paused_days=-1)


def test_payment_due_fifteen_calendar_days(db):
    # APL Art. 67: 15 days from receipt; Sep 16 + 15 = Oct 1 -> first working day Oct 9.
    assert dl.payment_due(D(2025, 9, 16)).due == D(2025, 10, 9)
    ordinary = dl.payment_due(D(2025, 11, 3))
    assert (ordinary.due, ordinary.days) == (D(2025, 11, 18), 15)
    assert "第六十七条" in ordinary.basis


def test_seizure_thirty_days_plus_at_most_thirty(db):
    # ACL Art. 25: 30 days, extension at most 30; the end is not pushed past a holiday.
    assert dl.seizure_due(D(2025, 9, 1)).due == D(2025, 10, 1)
    extended = dl.seizure_due(D(2025, 9, 1), extended=True)
    assert (extended.due, extended.days) == (D(2025, 10, 31), 60)
    assert "第二十五条" in extended.basis
    assert dl.seizure_extension_allowed(30)
    assert dl.seizure_extension_allowed(1)
    assert not dl.seizure_extension_allowed(31)
    assert not dl.seizure_extension_allowed(0)


def test_court_application_window(db):
    # ACL Art. 53: within 3 months after the review (60 days, ARL Art. 20) and litigation (6 months,
    # ALL Art. 46) periods have passed.
    window = dl.court_application_window(D(2025, 3, 1))
    assert (window.start, window.end) == (D(2025, 9, 2), D(2025, 12, 1))
    assert "第五十三条" in window.basis
    # 6 months from Apr 1 ends Oct 1, a holiday: the party may sue until Oct 9 (CPL Art. 85).
    holiday = dl.court_application_window(D(2025, 4, 1))
    assert (holiday.start, holiday.end) == (D(2025, 10, 10), D(2026, 1, 9))
    # Aug 31 + 6 months = Feb 28, 2026, a make-up working day: no roll-over.
    month_end = dl.court_application_window(D(2025, 8, 31))
    assert (month_end.start, month_end.end) == (D(2026, 3, 1), D(2026, 5, 28))
    with pytest.raises(dataclasses.FrozenInstanceError):
        window.start = D(2025, 1, 1)  # type: ignore[misc]


def test_limitation_two_and_five_years_and_continuing_acts():
    # APL Art. 36: 2 years; 5 years where life/health or financial safety is involved and harm occurred.
    act = D(2023, 3, 10)
    assert dl.limitation_end(act) == D(2025, 3, 10)
    assert dl.within_limitation(act, D(2025, 3, 10))
    assert not dl.within_limitation(act, D(2025, 3, 11))
    assert dl.limitation_end(act, art36_harm=True) == D(2028, 3, 10)
    assert dl.within_limitation(act, D(2027, 6, 1), art36_harm=True)
    # A continuing act counts from its end.
    assert not dl.within_limitation(act, D(2025, 6, 1))
    assert dl.within_limitation(act, D(2025, 6, 1), continuing_until=D(2024, 6, 30))
    assert dl.limitation_end(act, continuing_until=D(2024, 6, 30)) == D(2026, 6, 30)
    assert dl.limitation_end(D(2024, 2, 29)) == D(2026, 2, 28)
    with pytest.raises(ValueError):
        dl.limitation_end(act, continuing_until=D(2023, 3, 9))


# --- surcharge (APL Art. 72-73, ACL Art. 45) --------------------------------------------------------


def test_surcharge_three_percent_per_day_capped_at_the_fine():
    fine, due = Decimal("10000.00"), D(2025, 10, 9)
    assert dl.surcharge(fine, due_on=due, on_date=due) == Decimal("0.00")
    assert dl.surcharge(fine, due_on=due, on_date=days_from(due, 1)) == Decimal("300.00")
    assert dl.surcharge(fine, due_on=due, on_date=days_from(due, 33)) == Decimal("9900.00")
    # From the 34th day on the surcharge equals the fine (APL Art. 72(1), ACL Art. 45).
    assert dl.surcharge(fine, due_on=due, on_date=days_from(due, 34)) == fine
    assert dl.surcharge(fine, due_on=due, on_date=days_from(due, 400)) == fine
    assert dl.surcharge_days(due_on=due, on_date=days_from(due, 34)) == 34
    # ROUND_HALF_UP: 1.50 x 3% = 0.045 -> 0.05.
    assert dl.surcharge(Decimal("1.50"), due_on=due, on_date=days_from(due, 1)) == Decimal("0.05")
    with pytest.raises(ValueError):
        dl.surcharge(Decimal("-1"), due_on=due, on_date=due)


def test_surcharge_paused_during_reconsideration():
    # APL Art. 73: no surcharge accrues during reconsideration or litigation (both ends excluded here).
    fine, due = Decimal("10000.00"), D(2025, 10, 9)
    closed = [(D(2025, 10, 20), D(2025, 11, 5))]  # 17 days
    assert dl.surcharge_days(due_on=due, on_date=D(2025, 11, 10), paused=closed) == 32 - 17
    assert dl.surcharge(fine, due_on=due, on_date=D(2025, 11, 10), paused=closed) == Decimal("4500.00")
    # An open interval (still pending) runs to on_date: only Oct 10-19 count.
    pending = [(D(2025, 10, 20), None)]
    assert dl.surcharge(fine, due_on=due, on_date=D(2026, 3, 1), paused=pending) == Decimal("3000.00")
    # An interval begun before the due date only excludes the days after it.
    early = [(D(2025, 10, 1), D(2025, 10, 12))]
    assert dl.surcharge_days(due_on=due, on_date=D(2025, 10, 15), paused=early) == 3
    with pytest.raises(ValueError):
        dl.surcharge_days(due_on=due, on_date=D(2025, 11, 1), paused=[(D(2025, 10, 20), D(2025, 10, 19))])


intervals = st.lists(
    st.tuples(st.integers(-10, 120), st.one_of(st.none(), st.integers(0, 60))), max_size=3
).map(
    lambda items: [
        (days_from(D(2025, 10, 9), a), None if n is None else days_from(D(2025, 10, 9), a + n))
        for a, n in items
    ]
)


@given(
    fine=st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False),
    offset=st.integers(-5, 150),
    later=st.integers(0, 60),
    paused=intervals,
)
def test_surcharge_never_exceeds_the_fine_and_grows_with_time(fine, offset, later, paused):
    # APL Art. 72(1) / ACL Art. 45: capped at the fine; APL Art. 73 pauses never make it shrink.
    due = D(2025, 10, 9)
    first = dl.surcharge(fine, due_on=due, on_date=days_from(due, offset), paused=paused)
    second = dl.surcharge(fine, due_on=due, on_date=days_from(due, offset + later), paused=paused)
    assert Decimal("0") <= first <= second <= fine
    if dl.surcharge_days(due_on=due, on_date=days_from(due, offset), paused=paused) >= 34:
        assert first == fine


# --- execution (ACL Art. 43) ------------------------------------------------------------------------


def test_execution_refused_on_statutory_holidays_but_not_on_ordinary_weekends(db):
    allowed, reason = dl.execution_allowed(DT(2025, 10, 8, 10))  # last day of the National Day block
    assert not allowed and "国庆节" in reason and "第四十三条" in reason
    assert not dl.execution_allowed(DT(2026, 2, 15, 10))[0]  # Sunday inside the Spring Festival block
    assert dl.execution_allowed(DT(2025, 10, 11, 10))[0]  # make-up Saturday
    assert dl.execution_allowed(DT(2025, 10, 12, 10))[0]  # ordinary Sunday: not a statutory holiday
    allowed, reason = dl.execution_allowed(DT(2025, 10, 13, 10))
    assert allowed and "可以实施" in reason
    # 2027 is not in the package: the fixed statutory holidays still count (Spring Festival, Sat Feb 6).
    assert "春节" in dl.execution_allowed(DT(2027, 2, 6, 10))[1]
    # A weekday rest day an administrator entered with its name.
    CalendarDay.objects.create(date=D(2027, 2, 10), is_workday=False, name="春节（调休）")
    clear_calendar_cache()  # as the calendar services do after a change
    assert dl.execution_allowed(DT(2027, 2, 10, 10)) == (
        False,
        "法定节假日（春节（调休））不得实施行政强制执行（《行政强制法》第四十三条）",
    )
    # ACL Art. 43: emergencies are excepted.
    assert dl.execution_allowed(DT(2025, 10, 8, 23), emergency=True)[0]


def test_execution_refused_at_night(db, settings):
    # ACL Art. 43; "night" is undefined in law: default 22:00-06:00 local time.
    monday = D(2025, 10, 13)

    def at(hour: int, minute: int = 0) -> datetime.datetime:
        return DT.combine(monday, datetime.time(hour, minute))

    allowed, reason = dl.execution_allowed(at(22))
    assert not allowed and "夜间" in reason and "22:00" in reason
    assert not dl.execution_allowed(at(5, 59))[0]
    assert not dl.execution_allowed(at(0))[0]
    assert dl.execution_allowed(at(6))[0]
    assert dl.execution_allowed(at(21, 59))[0]
    # Aware datetimes are judged in local time (Asia/Shanghai): 15:00 UTC is 23:00 there.
    assert not dl.execution_allowed(DT(2025, 10, 13, 15, tzinfo=datetime.UTC))[0]
    assert dl.execution_allowed(DT(2025, 10, 13, 3, tzinfo=datetime.UTC))[0]
    settings.ZHIFA_NIGHT_START, settings.ZHIFA_NIGHT_END = "20:00", "07:00"
    assert not dl.execution_allowed(at(20, 30))[0]
    assert not dl.execution_allowed(at(6, 30))[0]
    settings.ZHIFA_NIGHT_START = "ten pm"
    with pytest.raises(ImproperlyConfigured):
        dl.execution_allowed(at(12))


# --- workspace ---------------------------------------------------------------------------------------


def test_warning_level_counts_working_days(db):
    due = D(2025, 10, 17)  # Friday
    assert dl.warning_level(due, D(2025, 10, 18)) == "overdue"
    assert dl.warning_level(due, due) == "due_today"
    assert dl.warning_level(due, D(2025, 10, 15)) == "warning"  # Oct 16, 17: 2 WD left
    assert dl.warning_level(due, D(2025, 10, 14)) == "ok"
    assert dl.warning_level(due, D(2025, 10, 14), warn_working_days=3) == "warning"
    # Nine calendar days but one working day before Oct 9 (Oct 1-8 off).
    assert dl.warning_level(D(2025, 10, 9), D(2025, 9, 30)) == "warning"
    assert not is_working_day(D(2025, 10, 8))


def test_describe_builds_the_view(db):
    deadline = dl.service_due(D(2025, 9, 30))  # due Oct 16
    label = gettext_lazy("送达期限")
    view = dl.describe("service", label, deadline, D(2025, 10, 20))
    assert (view.key, view.label, view.deadline, view.level, view.done) == (
        "service",
        label,
        deadline,
        "overdue",
        False,
    )
    assert dl.describe("service", label, deadline, D(2025, 10, 20), done=True).level == "done"
    assert dl.describe("service", label, deadline, D(2025, 10, 1)).level == "ok"
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.level = "ok"  # type: ignore[misc]
