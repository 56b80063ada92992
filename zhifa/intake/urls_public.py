"""The public's pages, no login: /report/ (complaint form) and /track/ (status by tracking code)."""

from django.urls import path

from zhifa.intake.views import public

urlpatterns = [
    path("report/", public.public_report, name="public-report"),
    path("report/done/<str:code>/", public.public_report_done, name="public-report-done"),
    path("track/", public.public_track, name="public-track"),
    path("track/<str:code>/", public.public_track_code, name="public-track-code"),
]
