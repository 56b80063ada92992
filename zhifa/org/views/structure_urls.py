"""Organisation structure pages under /org/: overview, the entities of views.structure, and the grid."""

from django.urls import path

from zhifa.org.views import grid
from zhifa.org.views.crud import urls_for
from zhifa.org.views.structure import AGENCY, COMMAND_CENTER, DEPARTMENT, REGION, TEAM, ZONE, overview

urlpatterns = [
    path("", overview, name="org-overview"),
    *urls_for(REGION, "regions/"),
    *urls_for(DEPARTMENT, "departments/"),
    *urls_for(AGENCY, "agencies/"),
    *urls_for(TEAM, "teams/"),
    *urls_for(ZONE, "zones/"),
    *urls_for(COMMAND_CENTER, "command-centers/"),
    path("grid/", grid.grid_list, name="grid-list"),
    path("grid/new/", grid.grid_form, name="grid-create"),
    path("grid/<int:pk>/", grid.grid_detail, name="grid-detail"),
    path("grid/<int:pk>/edit/", grid.grid_form, name="grid-edit"),
    path("grid/<int:pk>/assign/", grid.grid_assign, name="grid-assign"),
]
