"""Core pages: each concept has its own urls list, joined here."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifa.core.views.auth_urls")),
    path("calendar/", include("zhifa.core.views.calendar_urls")),
    path("record/", include("zhifa.core.views.record_urls")),
]
