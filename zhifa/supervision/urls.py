"""Supervisors' pages, included at /supervision/: the full-process record and the legal review overview."""

from django.urls import include, path

urlpatterns = [
    path("record/", include("zhifa.supervision.urls_record")),
    path("reviews/", include("zhifa.supervision.urls_reviews")),
]
