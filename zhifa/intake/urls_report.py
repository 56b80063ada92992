"""The reporter's pages, included at /intake/: report, my clues, a clue's photos (login required)."""

from django.urls import path

from zhifa.intake.views import mine, photos, report

urlpatterns = [
    path("report/", report.report, name="intake-report"),
    path("report/done/<int:pk>/", report.report_done, name="intake-report-done"),
    path("mine/", mine.mine, name="intake-mine"),
    path("mine/<int:pk>/", mine.mine_detail, name="intake-mine-detail"),
    path("mine/<int:pk>/verify/", mine.mine_verify, name="intake-mine-verify"),
    path("mine/<int:pk>/evaluate/", mine.mine_evaluate, name="intake-mine-evaluate"),
    path("photos/<int:pk>/", photos.clue_photo, name="intake-photo"),
]
