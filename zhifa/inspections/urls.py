"""Inspection pages under /inspections/; each part owns its own urls module."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifa.inspections.urls_home")),
    path("subjects/", include("zhifa.inspections.urls_subjects")),
    path("catalogue/", include("zhifa.inspections.urls_catalogue")),
    path("draws/", include("zhifa.inspections.urls_draws")),
    path("plans/", include("zhifa.inspections.urls_plans")),
    path("visits/", include("zhifa.inspections.urls_visits")),
]
