"""Feeds of an area's published decisions: JSON Feed 1.1 and RSS 2.0, with the search page's filters.

The latest FEED_SIZE publications of the published set (selectors.portal_after), newest first; each
item's id and link are the decision's stable absolute URL (settings.ZHIFA_PUBLIC_BASE_URL), its text the
public summary (SAMR Order 45 Art. 4). A bad filter answers 400 with a Chinese message naming it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhifa.disclosure.selectors.portal_after import publication_summary
from zhifa.disclosure.selectors.portal_area import public_area_or_404
from zhifa.disclosure.selectors.portal_search import (
    PortalFilters,
    SearchResult,
    check_choices,
    filter_choices,
    search_publications,
)
from zhifa.disclosure.views.portal_common import portal_cache
from zhifa.org.models import Region

FEED_SIZE = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def absolute(path: str) -> str:
    return settings.ZHIFA_PUBLIC_BASE_URL.rstrip("/") + path


def _published_at(day: datetime.date | None) -> datetime.datetime | None:
    """The publication day as an aware midnight in the site's time zone (the feed formats want a time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _search(request: HttpRequest, adcode: str) -> tuple[Region, PortalFilters, SearchResult | None]:
    area = public_area_or_404(adcode)
    filters = PortalFilters.from_params(request.GET)
    filters.page = 1
    check_choices(filters, *filter_choices(area))
    if filters.errors:
        return area, filters, None
    return area, filters, search_publications(area, filters, 1, page_size=FEED_SIZE)


def _title(area: Region) -> str:
    county = area.parent.name if area.parent_id and area.level != "county" else ""
    return _("%(area)s行政执法决定公示") % {"area": county + area.name}


def _page_url(area: Region, filters: PortalFilters) -> str:
    query = urlencode(filters.as_params())
    return absolute(reverse("portal-decisions", args=[area.adcode])) + (f"?{query}" if query else "")


def _item_title(publication) -> str:
    number = f"（{publication.decision_number}）" if publication.decision_number else ""
    return f"{publication.title}{number}"


@portal_cache
def portal_feed_json(request: HttpRequest, adcode: str) -> HttpResponse:
    area, filters, result = _search(request, adcode)
    if result is None:
        return JsonResponse({"errors": filters.errors}, status=400, json_dumps_params={"ensure_ascii": False})
    items = []
    for p in result.rows:
        url = absolute(reverse("portal-decision", args=[p.pk]))
        published = _published_at(p.published_on)
        item = {"id": url, "url": url, "title": _item_title(p), "content_text": publication_summary(p)}
        if published:
            item["date_published"] = published.isoformat()
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": _title(area),
        "home_page_url": _page_url(area, filters),
        "feed_url": absolute(request.get_full_path()),
        "language": "zh-CN",
        "items": items,
    }
    return JsonResponse(
        feed, content_type="application/feed+json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )


@portal_cache
def portal_feed_rss(request: HttpRequest, adcode: str) -> HttpResponse:
    area, filters, result = _search(request, adcode)
    if result is None:
        return HttpResponse("\n".join(filters.errors), status=400, content_type="text/plain; charset=utf-8")
    feed = Rss201rev2Feed(
        title=_title(area),
        link=_page_url(area, filters),
        description=_("依据国办发〔2018〕118号公开的行政执法决定"),
        language="zh-cn",
        feed_url=absolute(request.get_full_path()),
    )
    for p in result.rows:
        url = absolute(reverse("portal-decision", args=[p.pk]))
        feed.add_item(
            title=_item_title(p),
            link=url,
            description=publication_summary(p),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=_published_at(p.published_on),
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
