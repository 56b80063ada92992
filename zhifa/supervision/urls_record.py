"""Supervision pages (urls_record)."""

urlpatterns: list = []
