"""Portal pages before enforcement (事前公开, GO118 (四)), the portal index and the area homes; no login."""

from django.urls import path

from zhifa.disclosure.views import portal_before as views

urlpatterns = [
    path("", views.portal_index, name="portal-index"),
    path("<str:adcode>/", views.portal_home, name="portal-home"),
    path("<str:adcode>/agencies/", views.portal_agencies, name="portal-agencies"),
    path("<str:adcode>/powers/", views.portal_powers, name="portal-powers"),
    path("<str:adcode>/officers/", views.portal_officers, name="portal-officers"),
    path("<str:adcode>/procedures/", views.portal_procedures, name="portal-procedures"),
    path("<str:adcode>/guide/", views.portal_guide, name="portal-guide"),
]
