"""The inspections overview (/inspections/): statistics of a period and region, and the way in.

Issue 7 point 7. Figures come from selectors.statistics, which reads through data scoping.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.inspections import policies
from zhifa.inspections.selectors import plans as plan_sel
from zhifa.inspections.selectors import statistics as sel


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
def inspections_home(request: HttpRequest) -> HttpResponse:
    """Period statistics (default: this calendar year, the user's county) and links to the parts."""
    if not policies.can_see(request.user):
        raise PermissionDenied
    regions = sel.statistics_regions(request.user)
    if not regions:
        raise PermissionDenied
    by_code = {r.adcode: r for r in regions}
    region = by_code.get(request.GET.get("region", ""), regions[0])
    default_start, default_end = sel.default_period(timezone.localdate())
    start = _date(request.GET.get("start")) or default_start
    end = _date(request.GET.get("end")) or default_end
    error = None
    if end < start:
        error = _("统计期间止不能早于期间起，已按本年度统计。")
        start, end = default_start, default_end
    context = {
        "stats": sel.period_statistics(request.user, region, start, end),
        "regions": regions,
        "region": region,
        "start": start,
        "end": end,
        "error": error,
        "recent_plans": list(plan_sel.plans_visible(request.user)[:5]),
    }
    return render(request, "inspections/home.html", context)
