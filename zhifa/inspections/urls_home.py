"""Inspection URLs (home)."""

urlpatterns: list = []
