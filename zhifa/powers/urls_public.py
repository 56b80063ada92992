"""Public disclosure of granted powers, included at /grants/ (no login)."""

from django.urls import path

from zhifa.powers.views import public

urlpatterns = [
    path("", public.public_index, name="grants-public"),
    path("<str:adcode>/", public.public_township, name="grants-public-township"),
    path("<str:adcode>/v/<int:number>/", public.public_township_version, name="grants-public-version"),
]
