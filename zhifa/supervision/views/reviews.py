"""The legal review overview (/supervision/reviews/) for the justice bureau, and its per-agency export.

APL Art. 58 and GO118 (十一)-(十四): how many reviews at each tier passed, were sent back or wait, how
long they took against each agency's time limit, which are overdue now, which checks fail most often,
and the live check that no case was decided without a passed review (the engine forbids it).

Reads through zhifa.supervision.selectors.reviews (data scoping: the justice bureau sees its county);
who may open the page: zhifa.supervision.review_policies (others 403). Filters come from the query
string and are validated with Chinese messages naming the field; nothing here writes.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhifa.cases.models import ReviewTier
from zhifa.cases.settings_defaults import DEFAULTS
from zhifa.core.spreadsheets import CSV_TYPE, XLSX_TYPE, Sheet, csv_bytes, xlsx_bytes
from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.models import Agency
from zhifa.supervision.review_policies import can_see_review_overview
from zhifa.supervision.selectors import reviews as sel

# Dates outside this range are refused (they would overflow the time zone arithmetic, and no review
# of Zhifa lies there).
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def _date_field(label: Any) -> forms.DateField:
    # The "invalid" message names the field; it is set per form (ReviewFilterForm.__init__), when the
    # request's language is active.
    return forms.DateField(label=label, required=False, widget=DateInput)


class ReviewFilterForm(StyledForm):
    """The overview's filters: the period (this year by default), the agency and the tier."""

    period_from = _date_field(gettext_lazy("统计期起"))
    period_to = _date_field(gettext_lazy("统计期止"))
    agency = forms.TypedChoiceField(
        label=gettext_lazy("执法主体"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("“执法主体”选择不正确，请从列表中选择。")},
    )
    tier = forms.ChoiceField(
        label=gettext_lazy("审核层级"),
        required=False,
        choices=[("", gettext_lazy("全部层级")), *ReviewTier.choices],
        error_messages={"invalid_choice": gettext_lazy("“审核层级”选择不正确，请从列表中选择。")},
    )

    def __init__(self, *args: Any, agencies: list[Agency], today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.agencies = agencies
        self.fields["agency"].choices = [("", _("全部执法主体")), *((a.pk, a.name) for a in agencies)]
        for name in ("period_from", "period_to"):
            field = self.fields[name]
            field.error_messages["invalid"] = _("“%(label)s”日期格式不正确，请按“年-月-日”填写。") % {
                "label": field.label
            }
        self.fields["period_from"].widget.attrs["data-testid"] = "filter-from"
        self.fields["period_to"].widget.attrs["data-testid"] = "filter-to"
        self.fields["agency"].widget.attrs["data-testid"] = "filter-agency"
        self.fields["tier"].widget.attrs["data-testid"] = "filter-tier"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("period_from", "period_to"):
            day = data.get(name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(
                    name,
                    _("“%(label)s”须在%(first)s至%(last)s之间。")
                    % {"label": self.fields[name].label, "first": FIRST_DAY, "last": LAST_DAY},
                )
        start, end = self.cleaned_data.get("period_from"), self.cleaned_data.get("period_to")
        if start is not None and end is not None and end < start:
            self.add_error("period_to", _("“统计期止”不能早于“统计期起”。"))
        return self.cleaned_data

    def filters(self) -> dict[str, Any]:
        """The selector's arguments (call after is_valid, or on an unbound form for the defaults)."""
        data = self.cleaned_data if self.is_bound else {}
        end = data.get("period_to") or self.today
        return {
            # Only an end given: from the first day of its year.
            "period_from": data.get("period_from") or datetime.date(end.year, 1, 1),
            "period_to": end,
            "agency_id": data.get("agency"),
            "tier": data.get("tier") or None,
            "agencies": self.agencies,
        }


class ExportForm(ReviewFilterForm):
    format = forms.ChoiceField(
        label=gettext_lazy("导出格式"),
        required=False,
        choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")],
        error_messages={"invalid_choice": gettext_lazy("“导出格式”不正确，请选择 xlsx 或 csv。")},
    )


def _form(request: HttpRequest, form_class: type[ReviewFilterForm] = ReviewFilterForm) -> ReviewFilterForm:
    if not can_see_review_overview(request.user):
        raise PermissionDenied
    agencies = sel.overview_agencies(request.user)
    data = request.GET if request.GET else None
    today = timezone.localdate()
    # The inputs show the default period (this year) until the user picks another.
    initial = {"period_from": datetime.date(today.year, 1, 1), "period_to": today}
    return form_class(data, agencies=agencies, today=today, initial=initial)


@login_required
@require_GET
def review_overview_page(request: HttpRequest) -> HttpResponse:
    """The overview: filters, headline figures, tier x outcome, per agency, overdue, sent back, and the
    live check of decisions without a passed review (APL Art. 58)."""
    form = _form(request)
    context: dict[str, Any] = {"form": form, "review_days": DEFAULTS["review_days"]}
    if form.is_bound and not form.is_valid():
        return render(request, "supervision/reviews.html", context, status=400)
    filters = form.filters()
    overview = sel.review_overview(request.user, **filters)
    unreviewed = sel.decided_without_required_review(request.user, agency_id=filters["agency_id"])
    query = request.GET.copy()
    query.pop("format", None)
    context.update(
        {
            "overview": overview,
            "unreviewed": unreviewed,
            "query": query.urlencode(),
            "share_min": sel.REVIEWER_SHARE_MIN,
        }
    )
    return render(request, "supervision/reviews.html", context)


def _dash(value: Any) -> Any:
    return "" if value is None else value


def agency_table(overview: sel.ReviewOverview) -> tuple[list[str], list[list[Any]]]:
    """The per-agency table as the export writes it: headers and rows, a total row last."""
    headers = [
        _("执法主体"),
        _("审核总数"),
        _("审核通过"),
        _("退回补正"),
        _("审核中"),
        _("其中已超期"),
        _("已审结"),
        _("期限内审结"),
        _("期限内审结率（%）"),
        _("用时中位数（工作日）"),
        _("90%用时（工作日）"),
        _("最长用时（工作日）"),
        _("法制审核人员"),
        _("执法人员"),
        _("审核人员占比（%）"),
    ]

    def cells(name: str, figures: sel.Group, staffing: sel.Staffing) -> list[Any]:
        o, t = figures.outcomes, figures.timing
        return [
            name,
            o.total,
            o.passed,
            o.failed,
            o.pending,
            o.overdue,
            t.decided,
            t.within_limit,
            _dash(t.within_share),
            _dash(t.median),
            _dash(t.p90),
            _dash(t.max),
            staffing.reviewers,
            staffing.staff,
            _dash(staffing.share),
        ]

    rows = [cells(r.agency.name, r.figures, r.staffing) for r in overview.agencies]
    rows.append(cells(_("合计"), overview.total, overview.staffing))
    return headers, rows


@login_required
@require_GET
def review_overview_export(request: HttpRequest) -> HttpResponse:
    """The per-agency table as .xlsx (default) or .csv, under the page's filters."""
    form = _form(request, ExportForm)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "review_days": DEFAULTS["review_days"]}
        return render(request, "supervision/reviews.html", context, status=400)
    filters = form.filters()
    overview = sel.review_overview(request.user, **filters)
    headers, rows = agency_table(overview)
    stem = _("法制审核情况_%(start)s_%(end)s") % {
        "start": filters["period_from"].isoformat(),
        "end": filters["period_to"].isoformat(),
    }
    if form.is_bound and form.cleaned_data.get("format") == "csv":
        content, kind, filename = csv_bytes(headers, rows), CSV_TYPE, f"{stem}.csv"
    else:
        sheet = Sheet(title=_("法制审核情况"), headers=headers, rows=rows, widths={0: 30})
        content, kind, filename = xlsx_bytes([sheet]), XLSX_TYPE, f"{stem}.xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=kind)
