"""Inspection URLs (catalogue)."""

urlpatterns: list = []
