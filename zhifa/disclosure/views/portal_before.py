"""The portal's index, area homes and "before enforcement" pages (事前公开, GO118 (四)); no login.

Views are thin: find the area (404 for anything but a county or a township), read through
selectors.portal_before, render inside the portal frame (views.portal_common).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from zhifa.disclosure.procedure_chart import all_charts, remedy_notes
from zhifa.disclosure.selectors import portal_before as sel
from zhifa.disclosure.selectors.portal_area import public_area_or_404
from zhifa.disclosure.views.portal_common import AFTER, BEFORE, FEED, portal_cache, portal_context

HOTLINE = "12345"  # 政务服务便民热线


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def complaint_links() -> dict:
    """Where the public reports a problem and follows it (the intake app's public pages), and the hotline."""
    return {"report_url": _url("public-report"), "track_url": _url("public-track"), "hotline": HOTLINE}


@portal_cache
def portal_index(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/portal/index.html", {"counties": sel.portal_counties()})


@portal_cache
def portal_home(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    counts = sel.home_counts(area, timezone.localdate())
    summaries = {
        "portal-agencies": _("执法主体 %(n)d 个") % {"n": counts.agencies},
        "portal-powers": (
            _("各乡镇（街道）以自己名义实施的事项 %(n)d 项")
            if context["is_county"]
            else _("以本乡镇（街道）名义实施的事项 %(n)d 项")
        )
        % {"n": counts.powers},
        "portal-officers": _("持证执法人员 %(n)d 人") % {"n": counts.officers},
        "portal-procedures": _("普通程序、简易程序流程图及时限"),
        "portal-guide": _("投诉举报、收费标准、救济途径"),
    }
    menu = context["menu"]
    context.update(
        {
            "before": [dict(m, summary=summaries.get(m["key"], "")) for m in menu if m["section"] == BEFORE],
            "after": [m for m in menu if m["section"] == AFTER],
            "feeds": [m for m in menu if m["section"] == FEED],
            "counts": counts,
            **complaint_links(),
        }
    )
    return render(request, "disclosure/portal/home.html", context)


@portal_cache
def portal_agencies(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    context["rows"] = sel.agency_rows(area, timezone.localdate())
    return render(request, "disclosure/portal/agencies.html", context)


@portal_cache
def portal_powers(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    today = timezone.localdate()
    if context["is_county"]:
        context["county_powers"] = sel.county_powers(area, context["townships"], today)
    else:
        context["listing"] = sel.township_powers(area, today)
    context["today"] = today
    return render(request, "disclosure/portal/powers.html", context)


@portal_cache
def portal_officers(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    listing = sel.officer_listing(area, request.GET, timezone.localdate())
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "disclosure/portal/_officers_table.html", {"listing": listing})
    else:
        context = portal_context(request, area)
        context["listing"] = listing
        response = render(request, "disclosure/portal/officers.html", context)
    patch_vary_headers(response, ("HX-Request",))  # the same URL answers htmx with the table only
    return response


@portal_cache
def portal_procedures(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    context["charts"] = all_charts(sel.area_settings(area))
    context["remedies"] = remedy_notes()
    return render(request, "disclosure/portal/procedures.html", context)


@portal_cache
def portal_guide(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    context["remedies"] = remedy_notes()
    # Random-check items, draws and joint plans (双随机、一公开, GO118 (四)) from the inspections app;
    # discretion benchmarks (APL Art. 34) come from a module not written yet: until then none.
    from zhifa.inspections.selectors.public import public_inspections  # disclosure may not need it

    context["plans"] = public_inspections(area)
    context["benchmarks"] = []
    context.update(complaint_links())
    return render(request, "disclosure/portal/guide.html", context)
