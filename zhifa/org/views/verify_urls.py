"""Public certificate verification, included at /verify/ (no login)."""

from django.urls import path

from zhifa.org.views import verify

urlpatterns = [
    path("", verify.verify_form_view, name="certificate-verify"),
    path("<str:number>/", verify.verify_number_view, name="certificate-verify-number"),
]
