"""Inspection URLs (portal_draws), included at /portal/inspections/draws/; public, no login."""

from django.urls import path

from zhifa.inspections.views import portal_draws as views

urlpatterns = [
    path("", views.portal_draw_list, name="portal-draw-list"),
    path("area/<str:adcode>/", views.portal_draw_area, name="portal-draw-area"),
    path("algorithm.py", views.portal_draw_algorithm, name="portal-draw-algorithm"),
    path("verify_draw.py", views.portal_draw_verifier, name="portal-draw-verifier"),
    path("<int:pk>/", views.portal_draw_detail, name="portal-draw-detail"),
    path("<int:pk>/draw.json", views.portal_draw_json, name="portal-draw-json"),
]
