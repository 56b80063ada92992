"""The portal's "after enforcement" pages (事后公开, GO118 (六)): decisions, one decision, withdrawal
notices, annual statistics. No login; thin: find the area (404 for anything but a county or township),
read through selectors.portal_after / portal_search / portal_stats, render in the portal frame.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from zhifa.disclosure.models import PublicationKind
from zhifa.disclosure.selectors import portal_after as sel
from zhifa.disclosure.selectors.portal_area import public_area_or_404
from zhifa.disclosure.selectors.portal_search import (
    COUNT_LIMIT,
    PortalFilters,
    check_choices,
    filter_choices,
    search_publications,
)
from zhifa.disclosure.selectors.portal_stats import area_statistics
from zhifa.disclosure.views.portal_common import portal_cache, portal_context
from zhifa.powers.services.items import PENALTY_TYPES

WITHDRAWN_PER_PAGE = 20


@portal_cache
def portal_decisions(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    filters = PortalFilters.from_params(request.GET)
    agencies, domains = filter_choices(area)
    check_choices(filters, agencies, domains)
    context.update(
        {
            "filters": filters,
            "feed_query": urlencode(filters.as_params()),
            "result": search_publications(area, filters),
            "count_limit": COUNT_LIMIT,
            "agencies": agencies,
            "domains": domains,
            "kinds": PublicationKind.choices,
            "penalty_types": PENALTY_TYPES,
        }
    )
    return render(request, "disclosure/portal/decisions.html", context)


@portal_cache
def portal_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision at its stable URL; 410 with the notice only when withdrawn (APL Art. 48); 404 else."""
    try:
        publication = sel.publication_public_or_404(pk)
    except sel.PublicationGone as gone:
        context = _frame(request, gone.notice.adcode)
        context["notice"] = gone.notice
        return render(request, "disclosure/portal/decision_gone.html", context, status=410)
    context = _frame(request, publication.adcode)
    context.update(
        {
            "publication": publication,
            "kind_label": sel.kind_label(publication.kind),
            "penalty_types": "、".join(str(t) for t in publication.penalty_types or []),
        }
    )
    return render(request, "disclosure/portal/decision.html", context)


def _frame(request: HttpRequest, adcode: str) -> dict:
    """The portal frame of the area a publication belongs to (none when it has no portal)."""
    area = sel.area_of(adcode)
    return portal_context(request, area) if area is not None else {"area": None, "menu": []}


@portal_cache
def portal_withdrawn(request: HttpRequest, adcode: str) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    page = Paginator(sel.area_withdrawal_notices(area), WITHDRAWN_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [sel.notice_of(p) for p in page.object_list]
    context["page"] = page
    return render(request, "disclosure/portal/withdrawn.html", context)


@portal_cache
def portal_stats(request: HttpRequest, adcode: str, year: int | None = None) -> HttpResponse:
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    context["stats"] = area_statistics(area, year, timezone.localdate())
    return render(request, "disclosure/portal/stats.html", context)
