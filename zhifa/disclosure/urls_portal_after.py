"""Portal pages after enforcement (事后公开, GO118 (六)): decisions, withdrawal notices, statistics, feeds.

A decision's URL does not name the area (/portal/decisions/<pk>/): it stays the same whatever the
portal it is reached from, and is the id of the feeds' items.
"""

from django.urls import path

from zhifa.disclosure.views import portal_after as views
from zhifa.disclosure.views import portal_feeds as feeds

urlpatterns = [
    path("decisions/<int:pk>/", views.portal_decision, name="portal-decision"),
    path("<str:adcode>/decisions/", views.portal_decisions, name="portal-decisions"),
    path("<str:adcode>/withdrawn/", views.portal_withdrawn, name="portal-withdrawn"),
    path("<str:adcode>/statistics/", views.portal_stats, name="portal-stats"),
    path("<str:adcode>/statistics/<int:year>/", views.portal_stats, name="portal-stats"),
    path("<str:adcode>/feed.json", feeds.portal_feed_json, name="portal-feed-json"),
    path("<str:adcode>/feed.rss", feeds.portal_feed_rss, name="portal-feed-rss"),
]
