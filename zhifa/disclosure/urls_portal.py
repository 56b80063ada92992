"""The public portal (no login), at /portal/: before and after enforcement, per county and township.

Before (事前公开): agencies, powers, officers, procedures, guides (urls_portal_before). After (事后公开):
decisions, withdrawal notices, statistics and feeds (urls_portal_after).
"""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifa.disclosure.urls_portal_after")),
    path("", include("zhifa.disclosure.urls_portal_before")),
]
