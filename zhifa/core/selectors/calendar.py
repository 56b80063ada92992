"""Reads of the working-day calendar for the administration pages.

The holiday tables are national reference data: no data scoping applies; the pages themselves are
restricted to administrators (services.calendar.can_manage_calendar).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from zhifa.core.calendar import package_covers, statutory_holidays
from zhifa.core.models import CalendarDay, CalendarYear

FIRST_LISTED_YEAR = 2025

BUILTIN = "builtin"  # the chinesecalendar package has the official schedule
ENTERED = "entered"  # an administrator entered the complete table
MISSING = "missing"  # neither: deadlines reaching into the year are provisional

_HOLIDAY_CHINESE = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}


@dataclass(frozen=True)
class YearStatus:
    year: int
    status: str
    calendar_year: CalendarYear | None
    override_count: int

    @property
    def provisional(self) -> bool:
        return self.status == MISSING


def _status(year: int, calendar_year: CalendarYear | None) -> str:
    if package_covers(year):
        return BUILTIN
    if calendar_year is not None and calendar_year.complete:
        return ENTERED
    return MISSING


def calendar_years_overview(today: datetime.date | None = None) -> list[YearStatus]:
    """Every year from 2025 to next year (and any later year with a table), with its status. Two queries."""
    today = today or timezone.localdate()
    entered = {row.year: row for row in CalendarYear.objects.select_related("entered_by__person")}
    counts = dict(
        CalendarDay.objects.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    )
    last = max([today.year + 1, *entered.keys(), *counts.keys()])
    return [
        YearStatus(
            year=year,
            status=_status(year, entered.get(year)),
            calendar_year=entered.get(year),
            override_count=counts.get(year, 0),
        )
        for year in range(FIRST_LISTED_YEAR, last + 1)
    ]


def calendar_year_status(year: int) -> YearStatus:
    """The status of one year (one or two queries)."""
    calendar_year = CalendarYear.objects.filter(year=year).select_related("entered_by__person").first()
    count = CalendarDay.objects.filter(date__year=year).count()
    return YearStatus(
        year=year, status=_status(year, calendar_year), calendar_year=calendar_year, override_count=count
    )


def calendar_year_days(year: int) -> list[tuple[datetime.date, bool, str]]:
    """The entered override rows of `year` as (date, is_workday, name), by date."""
    return list(
        CalendarDay.objects.filter(date__year=year).order_by("date").values_list("date", "is_workday", "name")
    )


def reference_days(year: int) -> list[tuple[datetime.date, bool, str]]:
    """What the calendar uses for `year` without overrides, as (date, is_workday, name).

    For a year the package covers: its holidays and make-up working days. Otherwise the fixed statutory
    holidays (全国年节及纪念日放假办法 Art. 2) with no swaps: a starting point, not the notice.
    """
    if not package_covers(year):
        return [(day, False, name) for day, name in statutory_holidays(year).items()]
    result = []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        on_holiday, english = chinese_calendar.get_holiday_detail(day)
        if english:  # a named holiday or a make-up working day (weekends without a name are skipped)
            name = _HOLIDAY_CHINESE.get(english, english)
            result.append((day, not on_holiday, name if on_holiday else f"{name}调休"))
        day += datetime.timedelta(days=1)
    return result
