"""Portal pages (urls_portal_after)."""

urlpatterns: list = []
