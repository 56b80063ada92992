"""Inspection URLs (plans)."""

urlpatterns: list = []
