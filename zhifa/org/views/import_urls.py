"""Import pages, mounted at /org/import/."""

from django.urls import path

from zhifa.org.views import imports

urlpatterns = [
    path("", imports.import_index, name="import-index"),
    path("people/", imports.import_people, name="import-people"),
    path("people/template.xlsx", imports.import_template_people, name="import-template-people"),
    path("regions/", imports.import_regions, name="import-regions"),
    path("grid/", imports.import_grid, name="import-grid"),
]
