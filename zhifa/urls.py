"""Root URLs. Each app owns its own urls module; the API lives under /api/v1/."""

from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from zhifa.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("zhifa.intake.open311.urls")),
    path("powers/items/", include("zhifa.powers.urls_items")),
    path("powers/grants/", include("zhifa.powers.urls_grants")),
    path("powers/capacity/", include("zhifa.powers.urls_capacity")),
    path("grants/", include("zhifa.powers.urls_public")),
    path("intake/", include("zhifa.intake.urls_report")),
    path("intake/", include("zhifa.intake.urls_command")),
    path("cases/", include("zhifa.cases.urls")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("v/", include("zhifa.inspections.urls_public")),
    path("disclosure/", include("zhifa.disclosure.urls")),
    path("portal/inspections/", include("zhifa.inspections.urls_portal")),
    path("portal/", include("zhifa.disclosure.urls_portal")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("", include("zhifa.intake.urls_public")),
    path("", include("zhifa.core.urls")),
    path("", include("zhifa.org.urls")),
    # Public pages of cases (electronic service): guarded while being written (the lead removes it).
    *([path("s/", include("zhifa.cases.urls_public"))] if find_spec("zhifa.cases.urls_public") else []),
]
