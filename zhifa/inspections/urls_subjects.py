"""Inspection URLs (subjects), mounted at /inspections/subjects/."""

from django.urls import path

from zhifa.inspections.views import subjects as views

urlpatterns = [
    path("", views.subject_list_view, name="inspections-subject-list"),
    path("new/", views.subject_create_view, name="inspections-subject-create"),
    path("import/", views.subject_import_view, name="inspections-subject-import"),
    path("import/template/", views.subject_import_template_view, name="inspections-subject-import-template"),
    path("<int:pk>/", views.subject_detail_view, name="inspections-subject-detail"),
    path("<int:pk>/edit/", views.subject_edit_view, name="inspections-subject-edit"),
    path("<int:pk>/conflict/", views.subject_conflict_view, name="inspections-subject-conflict"),
]
