"""What every portal page shares: the area's frame (header, breadcrumb, menu) and the cache headers.

The portal (GO118: 谁执法谁公示, one unified platform) is public: no login, no staff navigation. Its
pages extend templates/disclosure/portal/base.html and take their frame from `portal_context`; the
"after enforcement" pages (another module) use both the same way. A menu entry appears only when its
URL name resolves, so the portal never links to a page that does not exist yet (as zhifa/nav.py does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhifa.disclosure.selectors.portal_area import county_of, is_county, townships_of
from zhifa.org.models import Region

# Public pages change slowly (a decision is published within days, GO118 (六)); five minutes of caching
# lets a proxy or the browser absorb the traffic of a province's portal.
PORTAL_MAX_AGE = 300

BEFORE = "before"
AFTER = "after"
FEED = "feed"


@dataclass(frozen=True)
class PortalLink:
    url_name: str
    label: Promise
    icon: str
    section: str


PORTAL_LINKS: tuple[PortalLink, ...] = (
    PortalLink("portal-home", _("公示首页"), "bi-house", ""),
    # GO118 (四): ex-ante disclosure.
    PortalLink("portal-agencies", _("执法主体"), "bi-building", BEFORE),
    PortalLink("portal-powers", _("执法职权"), "bi-journal-text", BEFORE),
    PortalLink("portal-officers", _("执法人员"), "bi-person-badge", BEFORE),
    PortalLink("portal-procedures", _("执法流程"), "bi-diagram-3", BEFORE),
    PortalLink("portal-guide", _("办事指南"), "bi-info-circle", BEFORE),
    # GO118 (四)(六): random-check tasks, their committed pools and seed, and their results.
    PortalLink("portal-draw-area", _("双随机抽查"), "bi-shuffle", BEFORE),
    # GO118 (六): ex-post disclosure (pages of zhifa.disclosure.urls_portal_after).
    PortalLink("portal-decisions", _("执法决定"), "bi-file-earmark-text", AFTER),
    PortalLink("portal-withdrawn", _("撤回公告"), "bi-arrow-counterclockwise", AFTER),
    PortalLink("portal-stats", _("执法统计"), "bi-bar-chart", AFTER),
    PortalLink("portal-feed-json", _("数据接口（JSON）"), "bi-braces", FEED),
    PortalLink("portal-feed-rss", _("RSS订阅"), "bi-rss", FEED),
)
SECTION_LABELS = {BEFORE: _("事前公开"), AFTER: _("事后公开"), FEED: _("订阅")}


def portal_url(url_name: str, area: Region) -> str | None:
    """The URL of the area's page `url_name`, or None while that page does not exist."""
    try:
        return reverse(url_name, args=[area.adcode])
    except NoReverseMatch:
        return None


def portal_menu(request: HttpRequest, area: Region) -> list[dict]:
    """The area's portal pages that exist, each with its section and whether it is the current page."""
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    menu = []
    for link in PORTAL_LINKS:
        url = portal_url(link.url_name, area)
        if url is None:
            continue
        menu.append(
            {
                "key": link.url_name,
                "label": link.label,
                "url": url,
                "icon": link.icon,
                "section": link.section,
                "section_label": SECTION_LABELS.get(link.section, ""),
                "active": link.url_name == current,
            }
        )
    return menu


def portal_context(request: HttpRequest, region: Region) -> dict:
    """The frame of a portal page for `region` (from selectors.portal_area.public_area_or_404).

    area: the county or township; county: its county; townships: the county's townships and streets;
    menu: the existing portal pages (key, label, url, icon, section, section_label, active); current:
    the active menu entry (or None); is_county.
    """
    county = county_of(region)
    menu = portal_menu(request, region)
    return {
        "area": region,
        "county": county,
        "is_county": is_county(region),
        "townships": townships_of(county),
        "menu": menu,
        "current": next((m for m in menu if m["active"]), None),
    }


def portal_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let browsers and proxies keep a portal page for PORTAL_MAX_AGE seconds.

    Only anonymous requests are marked public: a signed-in visitor's response carries a refreshed session
    cookie (SESSION_SAVE_EVERY_REQUEST), which a shared cache must never store and hand to others, so
    theirs is private. The page depends on the language (cookie or Accept-Language), hence Vary.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=PORTAL_MAX_AGE)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped
