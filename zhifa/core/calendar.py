"""The working-day calendar: working days, calendar-day periods and deadlines (LAW.md section 7).

Where a day's status comes from, in order of precedence:

1. a `CalendarDay` row (entered by an administrator from the State Council notice);
2. the `chinesecalendar` package, which carries the official schedules (2004-2026 in 1.11.0) and
   raises `NotImplementedError` for other years;
3. for a year with a *complete* `CalendarYear` table: Monday-Friday work, weekends rest (the listed
   holidays and make-up days are rows, so step 1 already answered for them);
4. otherwise a provisional fallback: weekends plus the fixed statutory holidays of
   全国年节及纪念日放假办法 (rev. 2024-11-10) Art. 2. No swaps (调休) and no substitute days off
   (Art. 6 补假) are guessed: only the State Council notice fixes those days. A deadline that touches
   such a year is marked provisional until the year's table is entered.

Lookups are served from a per-process snapshot of the override tables (two small queries), renewed
after `CACHE_SECONDS` or at once by `clear_calendar_cache()`, which the calendar services call after a
change. List pages can therefore compute deadlines for many rows without a query per row.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import chinese_calendar
from django.conf import settings
from django.utils import timezone
from lunar_python import Lunar, Solar

from zhifa.core.models import CalendarDay, CalendarYear

ONE_DAY = datetime.timedelta(days=1)

Unit = Literal["working", "calendar"]
WORKING: Unit = "working"
CALENDAR: Unit = "calendar"

# --- override snapshot (per process) ------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    expires_at: float  # time.monotonic() after which the tables are read again
    overrides: dict[datetime.date, bool]
    complete_years: frozenset[int]


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


def _cache_seconds() -> float:
    # Holiday tables change about once a year; other processes see a change within this delay.
    return float(getattr(settings, "ZHIFA_CALENDAR_CACHE_SECONDS", 60))


def clear_calendar_cache() -> None:
    """Forget the loaded override tables; the next lookup reads them again."""
    global _snapshot
    with _lock:
        _snapshot = None


def _current() -> _Snapshot:
    global _snapshot
    snap = _snapshot
    if snap is not None and time.monotonic() < snap.expires_at:
        return snap
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    complete = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    snap = _Snapshot(
        expires_at=time.monotonic() + _cache_seconds(), overrides=overrides, complete_years=complete
    )
    with _lock:
        _snapshot = snap
    return snap


# --- built-in sources ----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def package_exceptions(year: int) -> dict[datetime.date, bool] | None:
    """The days of `year` whose status in `chinesecalendar` differs from Mon-Fri work; None if not covered."""
    day = datetime.date(year, 1, 1)
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    result: dict[datetime.date, bool] = {}
    while day.year == year:
        works = chinese_calendar.is_workday(day)
        if works != (day.weekday() < 5):
            result[day] = works
        day += ONE_DAY
    return result


def package_covers(year: int) -> bool:
    """True when the `chinesecalendar` package has the official schedule of `year`."""
    return package_exceptions(year) is not None


def _solar(solar: Solar) -> datetime.date:
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The fixed statutory holidays of `year` (全国年节及纪念日放假办法 Art. 2, rev. 2024-11-10), 13 days.

    New Year Jan 1; Spring Festival 4 days (lunar New Year's eve to lunar 1/3); Qingming 1 day (the
    solar term); Labour Day May 1-2; Dragon Boat lunar 5/5; Mid-Autumn lunar 8/15; National Day
    Oct 1-3. Used only for years with no official table; no 调休 or 补假 is added.
    """
    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): "元旦"}
    new_year = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    for offset in range(-1, 3):  # eve (除夕) through the third day (初三)
        days[new_year + datetime.timedelta(days=offset)] = "春节"
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days[_solar(qingming)] = "清明节"
    days[datetime.date(year, 5, 1)] = "劳动节"
    days[datetime.date(year, 5, 2)] = "劳动节"
    days[_solar(Lunar.fromYmd(year, 5, 5).getSolar())] = "端午节"
    days[_solar(Lunar.fromYmd(year, 8, 15).getSolar())] = "中秋节"
    for day in (1, 2, 3):
        days[datetime.date(year, 10, day)] = "国庆节"
    return dict(sorted(days.items()))


# --- day status ----------------------------------------------------------------------------------


def _as_date(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is a working day (工作日): APL Art. 85, ACL Art. 69. See the module docstring."""
    day = _as_date(day)
    snap = _current()
    override = snap.overrides.get(day)
    if override is not None:
        return override
    weekday = day.weekday() < 5
    package = package_exceptions(day.year)
    if package is not None:
        return package.get(day, weekday)
    if day.year in snap.complete_years:
        return weekday
    return weekday and day not in statutory_holidays(day.year)


def is_provisional_year(year: int) -> bool:
    """True when `year` has neither the package's schedule nor a complete table entered here."""
    return not package_covers(year) and year not in _current().complete_years


def is_provisional(day: datetime.date) -> bool:
    """True when `day`'s status is a guess: its year has no official holiday table yet."""
    return is_provisional_year(_as_date(day).year)


# --- periods -------------------------------------------------------------------------------------


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The day on which a period of `n` working days that begins on `start` ends.

    APL Art. 85 and ACL Art. 69: "days" in those laws are working days, excluding statutory holidays.
    The start day itself is not counted (as for every period, CPL Art. 85); n == 0 returns `start`.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = _as_date(start)
    remaining = n
    while remaining:
        day += ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The number of working days d with a < d <= b; negative (-(count of b < d <= a)) if b < a.

    So `working_days_between(s, add_working_days(s, n)) == n`: the start day is not counted, the end
    day is.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a + ONE_DAY
    while day <= b:
        if is_working_day(day):
            count += 1
        day += ONE_DAY
    return count


def add_calendar_days(start: datetime.date, n: int, *, roll_over_holiday: bool = True) -> datetime.date:
    """The day on which a period of `n` calendar days that begins on `start` ends.

    CPL Art. 85 (applied to reconsideration by ARL Art. 88): the start day is not counted; when the last
    day is a statutory rest day, the period ends on the first working day after it. Applying this to
    APL periods (Art. 60: 90 days; Art. 67: 15 days) and ACL periods is by analogy and UNCONFIRMED
    (LAW.md section 7), hence `roll_over_holiday` lets a caller turn it off.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = _as_date(start) + datetime.timedelta(days=n)
    if roll_over_holiday and n > 0:
        while not is_working_day(day):
            day += ONE_DAY
    return day


@dataclass(frozen=True)
class Deadline:
    """A computed time limit, shown with the article it comes from (DESIGN.md: time limits)."""

    due: datetime.date
    provisional: bool
    unit: Unit
    days: int
    basis: str
    start: datetime.date | None = None

    @property
    def is_working(self) -> bool:
        return self.unit == WORKING


def deadline(
    start: datetime.date, n: int, unit: Unit, basis: str, *, roll_over_holiday: bool = True
) -> Deadline:
    """The deadline `n` working or calendar days after `start`, citing `basis` (e.g. "APL Art. 64").

    `provisional` is True when any day in (start, due] lies in a year without an official holiday
    table: the date may move once the State Council notice for that year is entered.
    """
    start = _as_date(start)
    if unit == WORKING:
        due = add_working_days(start, n)
    elif unit == CALENDAR:
        due = add_calendar_days(start, n, roll_over_holiday=roll_over_holiday)
    else:
        raise ValueError(f"unit must be 'working' or 'calendar', not {unit!r}")
    first_year = (start + ONE_DAY).year if due > start else due.year
    provisional = any(is_provisional_year(year) for year in range(first_year, due.year + 1))
    return Deadline(due=due, provisional=provisional, unit=unit, days=n, basis=basis, start=start)
