"""Inspection URLs (draws), included at /inspections/draws/."""

from django.urls import path

from zhifa.inspections.views import draws as views

urlpatterns = [
    path("", views.draw_list_view, name="inspections-draw-list"),
    path("new/", views.draw_create_view, name="inspections-draw-create"),
    path("<int:pk>/", views.draw_detail_view, name="inspections-draw-detail"),
    path("<int:pk>/commit/", views.draw_commit_view, name="inspections-draw-commit"),
    path("<int:pk>/run/", views.draw_run_view, name="inspections-draw-run"),
    path("<int:pk>/cancel/", views.draw_cancel_view, name="inspections-draw-cancel"),
]
