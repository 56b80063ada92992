"""Inspection URLs (public)."""

urlpatterns: list = []
