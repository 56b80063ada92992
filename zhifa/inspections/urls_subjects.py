"""Inspection URLs (subjects)."""

urlpatterns: list = []
