"""Capacity assessment pages (承接能力评估), included at /powers/capacity/."""

from django.urls import path

from zhifa.powers.views import capacity

urlpatterns = [
    path("", capacity.capacity_index, name="capacity-index"),
    path("county/<str:adcode>/new/", capacity.capacity_start, name="capacity-start"),
    path("<int:pk>/", capacity.capacity_detail, name="capacity-detail"),
    path("<int:pk>/export.xlsx", capacity.capacity_export, name="capacity-export"),
    path("<int:pk>/township/<str:adcode>/", capacity.capacity_rate, name="capacity-rate"),
    path("<int:pk>/proposal/", capacity.capacity_proposal, name="capacity-proposal"),
    path("<int:pk>/conclude/", capacity.capacity_conclude, name="capacity-conclude"),
]
