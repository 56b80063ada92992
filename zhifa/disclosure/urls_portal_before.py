"""Portal pages (urls_portal_before)."""

urlpatterns: list = []
