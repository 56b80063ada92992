"""Inspection URLs (visits), mounted at /inspections/visits/."""

from django.urls import path

from zhifa.inspections.views import visits

urlpatterns = [
    path("", visits.visit_list_view, name="inspections-visit-list"),
    path("<int:pk>/", visits.visit_detail_view, name="inspections-visit-detail"),
    path("<int:pk>/start/", visits.visit_start_view, name="inspections-visit-start"),
    path("<int:pk>/check/", visits.visit_check_view, name="inspections-visit-check"),
    path("<int:pk>/findings/", visits.finding_add_view, name="inspections-finding-add"),
    path(
        "<int:pk>/findings/<int:finding_pk>/photos/",
        visits.finding_photo_view,
        name="inspections-finding-photo-add",
    ),
    path(
        "<int:pk>/findings/<int:finding_pk>/clue/", visits.finding_clue_view, name="inspections-finding-clue"
    ),
    path(
        "<int:pk>/findings/<int:finding_pk>/case/", visits.finding_case_view, name="inspections-finding-case"
    ),
    path("<int:pk>/photos/<int:photo_pk>/", visits.finding_photo_file, name="inspections-finding-photo"),
    path("<int:pk>/finish/", visits.visit_finish_view, name="inspections-visit-finish"),
]
