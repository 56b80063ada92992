"""Time limits of the penalty procedure: pure functions over dates and amounts (LAW.md sections 1-3, 7, 9).

Working days where APL Art. 85 / ACL Art. 69 say so, calendar days (counted as CPL Art. 85) elsewhere.
Functions return a `zhifa.core.calendar.Deadline` citing its article unless documented otherwise. Periods
left to local rules default to LAW.md's last table; the caller passes the configured value.
"""

from __future__ import annotations

import calendar as _months
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core import calendar as cal
from zhifa.core.calendar import CALENDAR, ONE_DAY, WORKING, Deadline
from zhifa.core.models import CalendarDay

# Local settings (LAW.md, last table): defaults only, the configured value is passed by the caller.
STATEMENT_WORKING_DAYS = 5  # statement and defence after the Art. 44 notice (no national figure)
DECISION_EXTENSION_DAYS = 30  # extension of the APL Art. 60 period with head approval (sector rules)
LEGAL_REVIEW_WORKING_DAYS = 7  # GO118 (十四): agencies set it; local example 7 WD
LEGAL_REVIEW_EXTRA_DAYS = 3  # ... plus 3 WD on approval
FILING_WORKING_DAYS = 15  # APL Art. 54 says "promptly"; 15 WD is market-regulation practice
SEIZURE_DAYS = 30  # ACL Art. 25
SEIZURE_MAX_EXTENSION_DAYS = 30  # ACL Art. 25
SURCHARGE_RATE = Decimal("0.03")  # APL Art. 72(1): 3% of the fine per day
CENT = Decimal("0.01")

OVERDUE, DUE_TODAY, WARNING, OK, DONE = "overdue", "due_today", "warning", "ok", "done"


def _working(start: datetime.date, n: int, basis: str) -> Deadline:
    return cal.deadline(start, n, WORKING, basis)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later, or the month's last day when it has no such day (CPL Art. 85)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def _roll(day: datetime.date) -> datetime.date:
    """CPL Art. 85: a period whose last day is a rest day ends on the next working day."""
    while not cal.is_working_day(day):
        day += ONE_DAY
    return day


def working_days_before(end: datetime.date, n: int) -> datetime.date:
    """The latest day L with `add_working_days(L, n) <= end`: n working days lie in (L, end]."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day, remaining = end, n
    while remaining:
        if cal.is_working_day(day):
            remaining -= 1
        day -= ONE_DAY
    return day


# --- notice, hearing, decision ----------------------------------------------------------------------


def statement_due(notice_served_on: datetime.date, *, working_days: int = STATEMENT_WORKING_DAYS) -> Deadline:
    """End of the statement and defence period after the notice of the intended penalty (APL Art. 44-45).

    No national figure exists; the period is a local setting, default 5 working days (LAW.md last table).
    """
    return _working(notice_served_on, working_days, _("《行政处罚法》第四十四条、第四十五条；期限为本地设定"))


def hearing_request_due(notice_served_on: datetime.date) -> Deadline:
    """Last day for the party to ask for a hearing: 5 working days after the notice (APL Art. 64(1), 85)."""
    return _working(notice_served_on, 5, _("《行政处罚法》第六十四条第（一）项"))


def hearing_notice_latest(hearing_on: datetime.date) -> Deadline:
    """Last day to serve the hearing notice: 7 working days before the hearing (APL Art. 64(2), 85).

    The service day is not counted and the hearing day may be the 7th working day after it (CPL Art. 85),
    so `add_working_days(due, 7) <= hearing_on` and `due` is the latest such day (it may be a rest day).
    """
    due, basis = working_days_before(hearing_on, 7), _("《行政处罚法》第六十四条第（二）项")
    provisional = any(map(cal.is_provisional_year, range(due.year, hearing_on.year + 1)))
    return Deadline(due=due, provisional=provisional, unit=WORKING, days=7, basis=basis)


def decision_due(filed_on: datetime.date, *, extension_days: int = 0, paused_days: int = 0) -> Deadline:
    """Decision within 90 days of filing (APL Art. 60), plus approved extensions and excluded days.

    APL Art. 60 allows other rules to differ: sector rules add an extension with head approval (default
    `DECISION_EXTENSION_DAYS` = 30, a setting) and exclude hearing, testing and suspension time
    (`paused_days`). Calendar days (APL Art. 85 names only 2/3/5/7 days); a last day on a holiday rolls
    over (CPL Art. 85 by analogy, UNCONFIRMED).
    """
    if extension_days < 0 or paused_days < 0:
        raise ValueError("extension_days and paused_days must be >= 0")
    basis = _("《行政处罚法》第六十条")
    if extension_days or paused_days:
        basis += _("（延长%(ext)s日，不计入%(paused)s日）") % {"ext": extension_days, "paused": paused_days}
    return cal.deadline(filed_on, 90 + extension_days + paused_days, CALENDAR, basis, roll_over_holiday=True)


def service_due(decided_on: datetime.date) -> Deadline:
    """Service of the decision on an absent party within 7 working days (APL Art. 61, 85)."""
    return _working(decided_on, 7, _("《行政处罚法》第六十一条"))


def payment_due(served_on: datetime.date) -> Deadline:
    """Payment within 15 days of receiving the decision (APL Art. 67); calendar days, holiday rolled over."""
    return cal.deadline(served_on, 15, CALENDAR, _("《行政处罚法》第六十七条"), roll_over_holiday=True)


def preservation_due(preserved_on: datetime.date) -> Deadline:
    """Handling decision within 7 working days after preservation by registration (APL Art. 56, 85)."""
    return _working(preserved_on, 7, _("《行政处罚法》第五十六条"))


def seizure_due(started_on: datetime.date, *, extended: bool = False) -> Deadline:
    """End of sealing or detention: 30 days, +30 when extended with head approval (ACL Art. 25).

    Calendar days (ACL Art. 69 covers only periods up to 10 days). Not rolled over a holiday: the period
    restricts the party's property, so its end is not pushed back by analogy.
    """
    days = SEIZURE_DAYS + (SEIZURE_MAX_EXTENSION_DAYS if extended else 0)
    return cal.deadline(started_on, days, CALENDAR, _("《行政强制法》第二十五条"), roll_over_holiday=False)


def seizure_extension_allowed(days: int) -> bool:
    """Whether an extension of `days` days is lawful: at most 30 days (ACL Art. 25)."""
    return 0 < days <= SEIZURE_MAX_EXTENSION_DAYS


def legal_review_due(
    submitted_on: datetime.date, *, working_days: int = LEGAL_REVIEW_WORKING_DAYS, extra_days: int = 0
) -> Deadline:
    """Legal review time limit (GO118 (十四): agencies set it; local default 7 WD, +3 WD on approval)."""
    if extra_days < 0:
        raise ValueError("extra_days must be >= 0")
    basis = _("国办发〔2018〕118号第（十四）项；期限为本地设定")
    return _working(submitted_on, working_days + extra_days, basis)


def filing_due(discovered_on: datetime.date, *, working_days: int = FILING_WORKING_DAYS) -> Deadline:
    """Filing decision after a clue is found.

    APL Art. 54 only says "promptly" (及时立案); the 15 working days default is a local setting taken from
    market-regulation practice, not a statutory figure.
    """
    return _working(discovered_on, working_days, _("《行政处罚法》第五十四条；期限为本地设定"))


def withdrawal_due(revoked_on: datetime.date) -> Deadline:
    """Withdrawal of a published decision within 3 working days of its revocation (APL Art. 48, 85)."""
    return _working(revoked_on, 3, _("《行政处罚法》第四十八条"))


# --- execution and remedies -------------------------------------------------------------------------


@dataclass(frozen=True)
class CourtWindow:
    """The period in which an agency without execution power applies to court (ACL Art. 53)."""

    start: datetime.date
    end: datetime.date
    basis: str


def court_application_window(served_on: datetime.date) -> CourtWindow:
    """When to apply to court for compulsory enforcement (ACL Art. 53).

    "自期限届满之日起三个月内": after the reconsideration period (60 days, ARL Art. 20) and the litigation
    period (6 months, ALL Art. 46), both counted from service and rolled over a holiday (CPL Art. 85), have
    passed. `start` is the day after the later expiry E; `end` is E + 3 months (E itself not counted, CPL
    Art. 85) and is not rolled over, so the window never ends later than the law allows.
    """
    review_end = cal.add_calendar_days(served_on, 60, roll_over_holiday=True)
    litigation_end = _roll(_add_months(served_on, 6))
    expiry = max(review_end, litigation_end)
    basis = _("《行政强制法》第五十三条")
    return CourtWindow(start=expiry + ONE_DAY, end=_add_months(expiry, 3), basis=basis)


def limitation_end(
    act_on: datetime.date, *, continuing_until: datetime.date | None = None, art36_harm: bool = False
) -> datetime.date:
    """Last day on which discovery still allows a penalty (APL Art. 36).

    2 years from the act, or from its end when continuing (连续或者继续状态); 5 years when life/health or
    financial safety is involved and harm occurred (`art36_harm`). Feb 29 maps to Feb 28.
    """
    if continuing_until is not None and continuing_until < act_on:
        raise ValueError("continuing_until must not be before act_on")
    base = continuing_until or act_on
    return _add_months(base, 12 * (5 if art36_harm else 2))


def within_limitation(
    act_on: datetime.date,
    discovered_on: datetime.date,
    *,
    continuing_until: datetime.date | None = None,
    art36_harm: bool = False,
) -> bool:
    """Whether a violation discovered on `discovered_on` may still be punished (APL Art. 36)."""
    return discovered_on <= limitation_end(act_on, continuing_until=continuing_until, art36_harm=art36_harm)


Paused = Sequence[tuple[datetime.date, datetime.date | None]]


def surcharge_days(*, due_on: datetime.date, on_date: datetime.date, paused: Paused = ()) -> int:
    """Days after `due_on` up to `on_date` on which the surcharge accrues (APL Art. 72(1), 73).

    Days inside a paused interval (reconsideration or litigation, both ends included; an open interval
    runs to `on_date`) do not count (APL Art. 73).
    """
    if on_date <= due_on:
        return 0
    excluded: set[datetime.date] = set()
    for start, end in paused:
        stop = min(end or on_date, on_date)
        if end is not None and end < start:
            raise ValueError("a paused interval must not end before it starts")
        day = max(start, due_on + ONE_DAY)
        while day <= stop:
            excluded.add(day)
            day += ONE_DAY
    return (on_date - due_on).days - len(excluded)


def surcharge(
    fine: Decimal, *, due_on: datetime.date, on_date: datetime.date, paused: Paused = ()
) -> Decimal:
    """Late-payment surcharge on `on_date`: 3% of the fine per day (APL Art. 72(1)), never above the fine
    (APL Art. 72(1), ACL Art. 45), not accruing during reconsideration or litigation (APL Art. 73).

    Rounded to 0.01 (ROUND_HALF_UP). From the 34th counted day on it equals the fine (34 x 3% > 100%).
    """
    fine = Decimal(fine)
    if fine < 0:
        raise ValueError("fine must be >= 0")
    days = surcharge_days(due_on=due_on, on_date=on_date, paused=paused)
    amount = min(fine * SURCHARGE_RATE * days, fine)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _clock(name: str, default: str) -> datetime.time:
    value = getattr(settings, name, default)
    try:
        return datetime.time.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f'{name} must be "HH:MM", not {value!r}') from exc


def holiday_name(day: datetime.date) -> str | None:
    """The statutory holiday `day` falls in, or None (an ordinary weekend is not a statutory holiday).

    A rest day is a holiday when an administrator entered it with a name, it is a fixed statutory holiday
    (全国年节及纪念日放假办法 Art. 2), part of an announced holiday block in `chinesecalendar`, or a rest
    day on a weekday. Limit: an unnamed weekend inside a block of a year the package lacks is not seen.
    """
    if cal.is_working_day(day):
        return None
    entered = CalendarDay.objects.filter(date=day, is_workday=False).values_list("name", flat=True).first()
    name = entered or cal.statutory_holidays(day.year).get(day)
    if name:
        return name
    try:
        detail = chinese_calendar.get_holiday_detail(day)[1]
    except NotImplementedError:
        detail = None
    if detail:
        return chinese_calendar.Holiday(detail).chinese
    return _("法定节假日") if day.weekday() < 5 else None


def execution_allowed(moment: datetime.datetime, *, emergency: bool = False) -> tuple[bool, str]:
    """Whether compulsory execution may take place at `moment` (ACL Art. 43), with the reason in Chinese.

    The law leaves "night" undefined: it is a setting, `ZHIFA_NIGHT_START`/`ZHIFA_NIGHT_END` ("HH:MM",
    default 22:00-06:00 local time). Emergencies are excepted by Art. 43 itself.
    """
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if emergency:
        return True, _("情况紧急，依《行政强制法》第四十三条可以实施")
    name = holiday_name(local.date())
    if name:
        return False, _("法定节假日（%(name)s）不得实施行政强制执行（《行政强制法》第四十三条）") % {
            "name": name
        }
    start, end = _clock("ZHIFA_NIGHT_START", "22:00"), _clock("ZHIFA_NIGHT_END", "06:00")
    now = local.time()
    night = (now >= start or now < end) if start > end else (start <= now < end)
    if night:
        times = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
        return False, _("夜间（%(start)s至%(end)s）不得实施行政强制执行（《行政强制法》第四十三条）") % times
    return True, _("非夜间且非法定节假日，可以实施（《行政强制法》第四十三条）")


# --- workspace --------------------------------------------------------------------------------------


def warning_level(due: datetime.date, today: datetime.date, *, warn_working_days: int = 2) -> str:
    """ "overdue", "due_today", "warning" (due within `warn_working_days` working days) or "ok"."""
    if today > due:
        return OVERDUE
    if today == due:
        return DUE_TODAY
    return WARNING if cal.working_days_between(today, due) <= warn_working_days else OK


@dataclass(frozen=True)
class DeadlineView:
    """A deadline as the case workspace shows it: label, date with article, and its colour level."""

    key: str
    label: str  # a gettext_lazy string supplied by the caller
    deadline: Deadline
    level: str
    done: bool


def describe(
    key: str, label: str, deadline: Deadline, today: datetime.date, *, done: bool = False
) -> DeadlineView:
    """Build the `DeadlineView` of `deadline` on `today`; a met (done) deadline has level "done"."""
    level = DONE if done else warning_level(deadline.due, today)
    return DeadlineView(key=key, label=label, deadline=deadline, level=level, done=done)
