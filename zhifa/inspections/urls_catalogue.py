"""Inspection URLs (catalogue), mounted at /inspections/catalogue/: items and scenarios (issue 7, 2-3)."""

from django.urls import path
from django.views.generic import RedirectView

from zhifa.inspections.views import catalogue as views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inspections-item-list"), name="inspections-catalogue-home"),
    path("items/", views.item_list_view, name="inspections-item-list"),
    path("items/new/", views.item_create_view, name="inspections-item-create"),
    path("items/<int:pk>/", views.item_detail_view, name="inspections-item-detail"),
    path("items/<int:pk>/edit/", views.item_edit_view, name="inspections-item-edit"),
    path("items/<int:pk>/rules/", views.item_rules_view, name="inspections-item-rules"),
    path("scenarios/", views.scenario_list_view, name="inspections-scenario-list"),
    path("scenarios/new/", views.scenario_create_view, name="inspections-scenario-create"),
    path("scenarios/<int:pk>/", views.scenario_detail_view, name="inspections-scenario-detail"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit_view, name="inspections-scenario-edit"),
    path("scenarios/<int:pk>/join/", views.scenario_join_view, name="inspections-scenario-join"),
    path("scenarios/<int:pk>/leave/", views.scenario_leave_view, name="inspections-scenario-leave"),
]
