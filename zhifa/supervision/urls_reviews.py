"""Supervision pages (urls_reviews)."""

urlpatterns: list = []
