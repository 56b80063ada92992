"""Inspection URLs (public, no login), mounted at /v/: the page a visit's QR code opens."""

from django.urls import path

from zhifa.inspections.views import public

urlpatterns = [
    path("<str:code>/", public.public_visit_view, name="inspections-public-visit"),
]
