"""Inspection URLs (home), mounted at /inspections/."""

from django.urls import path

from zhifa.inspections.views import home

urlpatterns: list = [
    path("", home.inspections_home, name="inspections-home"),
]
