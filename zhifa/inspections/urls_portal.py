"""Inspection URLs (portal)."""

from django.urls import include, path

urlpatterns: list = [
    path("draws/", include("zhifa.inspections.urls_portal_draws")),
]
