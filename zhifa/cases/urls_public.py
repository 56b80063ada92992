"""The party's electronic service page, no login; mounted at /s/ (zhifa.urls)."""

from django.urls import path

from zhifa.cases.views import public_service

urlpatterns = [
    path("<str:token>/", public_service.public_service, name="public-service"),
    path("<str:token>/document.pdf", public_service.public_service_pdf, name="public-service-pdf"),
]
