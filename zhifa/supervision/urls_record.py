"""The full-process record for supervisors, mounted at /supervision/record/ (read-only: every URL is GET)."""

from django.urls import path

from zhifa.supervision.views import record

urlpatterns = [
    path("", record.record_search_page, name="supervision-record"),
    path("case/<int:pk>/", record.case_record_page, name="supervision-case-record"),
    path("case/<int:pk>/casefile.pdf", record.case_file_pdf, name="supervision-case-file"),
    path("clue/<int:pk>/", record.clue_record_page, name="supervision-clue-record"),
]
