"""Holiday-table pages: the list of years and the edit page of one year (administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhifa.core.errors import ServiceError, ValidationErrors
from zhifa.core.forms.calendar import CalendarYearForm, format_day_lines
from zhifa.core.selectors.calendar import (
    BUILTIN,
    calendar_year_days,
    calendar_year_status,
    calendar_years_overview,
    reference_days,
)
from zhifa.core.services.calendar import MAX_YEAR, MIN_YEAR, calendar_year_save, can_manage_calendar


def _require_manager(request: HttpRequest) -> None:
    # Outsiders get 404, not 403: the page's existence is not their business (DESIGN.md, permissions).
    if not can_manage_calendar(request.user):
        raise Http404


@login_required
def calendar_years(request: HttpRequest) -> HttpResponse:
    """The years with the source of their holiday table."""
    _require_manager(request)
    return render(request, "core/calendar_years.html", {"years": calendar_years_overview()})


@login_required
def calendar_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    """Enter or correct the holiday table of `year` from the State Council notice."""
    _require_manager(request)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    status = calendar_year_status(year)
    if request.method == "POST":
        form = CalendarYearForm(request.POST, year=year)
        if form.is_valid():
            try:
                calendar_year_save(
                    actor=request.user,
                    year=year,
                    notice=form.cleaned_data["notice"],
                    complete=form.cleaned_data["complete"],
                    days=form.cleaned_data["days"],
                    expected_updated_at=form.cleaned_data["updated_at"],
                )
            except ValidationErrors as exc:
                for error in exc.errors:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("%(year)d年节假日安排已保存。") % {"year": year})
                return redirect("calendar-years")
    else:
        calendar_year = status.calendar_year
        form = CalendarYearForm(
            year=year,
            initial={
                "notice": calendar_year.notice if calendar_year else "",
                "complete": calendar_year.complete if calendar_year else False,
                "days": format_day_lines(calendar_year_days(year)),
                "updated_at": calendar_year.updated_at.isoformat() if calendar_year else "",
            },
        )
    return render(
        request,
        "core/calendar_year_edit.html",
        {
            "year": year,
            "status": status,
            "form": form,
            "builtin": status.status == BUILTIN,
            "reference_text": format_day_lines(reference_days(year)),
        },
    )
