"""Writes to the working-day calendar: the holiday table of a year (LAW.md section 7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhifa.core.calendar import clear_calendar_cache
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import CalendarDay, CalendarYear
from zhifa.core.record import record_event

MIN_YEAR = 2000
MAX_YEAR = 2100
NOTICE_MAX_LENGTH = CalendarYear._meta.get_field("notice").max_length
NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length

DayEntry = tuple[datetime.date, bool, str]


def can_manage_calendar(user: Any) -> bool:
    """Superusers and active people with the "admin" role enter holiday tables.

    Mirrors org.policies Action.MANAGE_CALENDAR; core may not import org (DESIGN.md, layout).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    person = getattr(user, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
    if person is None or person.status != "active":
        return False
    return person.roles.filter(code="admin").exists()


def _validate(year: int, notice: str, days: Iterable[DayEntry]) -> list[DayEntry]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError(
            ErrorCode.INVALID,
            _("年度必须在%(min)d至%(max)d之间。") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    if len(notice) > NOTICE_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID, _("通知文号不能超过%(max)d个字。") % {"max": NOTICE_MAX_LENGTH}, field="notice"
        )
    errors: list[ServiceError] = []
    seen: set[datetime.date] = set()
    entries: list[DayEntry] = []
    for day, is_workday, name in days:
        label = day.isoformat()
        if day.year != year:
            errors.append(
                ServiceError(
                    ErrorCode.INVALID,
                    _("日期%(date)s不在%(year)d年内。") % {"date": label, "year": year},
                    field="days",
                )
            )
        elif day in seen:
            errors.append(
                ServiceError(ErrorCode.DUPLICATE, _("日期%(date)s重复。") % {"date": label}, field="days")
            )
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(
                ServiceError(
                    ErrorCode.INVALID,
                    _("日期%(date)s的名称不能超过%(max)d个字。") % {"date": label, "max": NAME_MAX_LENGTH},
                    field="days",
                )
            )
        seen.add(day)
        entries.append((day, bool(is_workday), name.strip()))
    if errors:
        raise ValidationErrors(errors)
    return sorted(entries)


def _day_list(rows: Iterable[CalendarDay]) -> list[list[Any]]:
    return [[row.date.isoformat(), row.is_workday, row.name] for row in rows]


@transaction.atomic
def calendar_year_save(
    *,
    actor: Any,
    year: int,
    notice: str,
    complete: bool,
    days: Iterable[DayEntry],
    expected_updated_at: datetime.datetime | None = None,
) -> CalendarYear:
    """Replace the holiday table of `year` with `days` (date, is_workday, name) in one step.

    `days` lists the days that differ from Monday-Friday work: holidays (放假) and make-up working days
    (调休上班) from the State Council notice. `complete` says the table is the whole notice: deadlines
    reaching into the year stop being provisional. A year the `chinesecalendar` package covers may
    still be overridden (e.g. a late change). `expected_updated_at` (the value the editor loaded)
    guards against overwriting a concurrent edit. `actor` None means the system (management commands).
    Writes one record event "calendar_year.save" with the table before and after.
    """
    if actor is not None and not can_manage_calendar(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有系统管理员可以录入节假日安排。"))
    notice = (notice or "").strip()
    entries = _validate(year, notice, days)
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    existing = CalendarDay.objects.filter(date__range=(start, end)).order_by("date")
    if calendar_year is None:
        if expected_updated_at is not None:
            raise ServiceError(ErrorCode.CONFLICT, _("该年度的节假日安排已被他人修改，请重新打开后再录入。"))
        before = None
        calendar_year = CalendarYear(year=year)
    else:
        if expected_updated_at is not None and calendar_year.updated_at != expected_updated_at:
            raise ServiceError(ErrorCode.CONFLICT, _("该年度的节假日安排已被他人修改，请重新打开后再录入。"))
        before = {
            "notice": calendar_year.notice,
            "complete": calendar_year.complete,
            "days": _day_list(existing),
        }
    calendar_year.notice = notice
    calendar_year.complete = bool(complete)
    calendar_year.entered_by = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            calendar_year.save()
    except IntegrityError as exc:  # another administrator created the same year at the same moment
        raise ServiceError(
            ErrorCode.CONFLICT, _("该年度的节假日安排已被他人修改，请重新打开后再录入。")
        ) from exc
    existing.delete()
    rows = CalendarDay.objects.bulk_create(
        [CalendarDay(date=day, is_workday=is_workday, name=name) for day, is_workday, name in entries]
    )
    after = {"notice": calendar_year.notice, "complete": calendar_year.complete, "days": _day_list(rows)}
    record_event(actor=actor, action="calendar_year.save", obj=calendar_year, before=before, after=after)
    # This process sees the change at once; other processes after ZHIFA_CALENDAR_CACHE_SECONDS.
    clear_calendar_cache()
    transaction.on_commit(clear_calendar_cache)
    return calendar_year
