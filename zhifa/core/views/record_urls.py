"""Record pages, mounted at /record/ (read-only: there is no URL that changes an event)."""

from django.urls import path

from zhifa.core.views import record

urlpatterns = [
    path("", record.record_list, name="record-list"),
    path("verify/", record.record_verify, name="record-verify"),
]
