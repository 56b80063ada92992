"""Staff pages of disclosure, included at /disclosure/: the publication queue, review and withdrawal."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
