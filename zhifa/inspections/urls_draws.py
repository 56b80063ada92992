"""Inspection URLs (draws)."""

urlpatterns: list = []
