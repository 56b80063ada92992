"""Inspection URLs (portal_draws)."""

urlpatterns: list = []
