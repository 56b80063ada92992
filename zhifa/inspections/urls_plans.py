"""Inspection URLs (joint plans), mounted at /inspections/plans/."""

from django.urls import path

from zhifa.inspections.views import plans

urlpatterns: list = [
    path("", plans.plan_list, name="inspections-plan-list"),
    path("new/", plans.plan_create, name="inspections-plan-create"),
    path("<int:pk>/", plans.plan_detail, name="inspections-plan-detail"),
    path("<int:pk>/confirm/", plans.plan_confirm, name="inspections-plan-confirm"),
    path("<int:pk>/cancel/", plans.plan_cancel, name="inspections-plan-cancel"),
]
