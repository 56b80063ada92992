"""Inspection URLs (visits)."""

urlpatterns: list = []
