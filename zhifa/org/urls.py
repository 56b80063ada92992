"""Organisation pages: each concept has its own urls list, joined here."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifa.org.views.home_urls")),
    path("org/import/", include("zhifa.org.views.import_urls")),
    path("org/people/", include("zhifa.org.views.people_urls")),
    path("org/numbering/", include("zhifa.org.views.numbering_urls")),
    path("org/", include("zhifa.org.views.structure_urls")),
    path("certificates/", include("zhifa.org.views.certificate_urls")),
    path("verify/", include("zhifa.org.views.verify_urls")),
]
