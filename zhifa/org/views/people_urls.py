"""People pages, included at /org/people/."""

from django.urls import path

from zhifa.org.views import people

urlpatterns = [
    path("", people.person_list_view, name="person-list"),
    path("new/", people.person_create_view, name="person-create"),
    path("<int:pk>/", people.person_detail_view, name="person-detail"),
    path("<int:pk>/edit/", people.person_edit_view, name="person-edit"),
    path("<int:pk>/status/", people.person_status_view, name="person-status"),
    path("<int:pk>/secondments/new/", people.secondment_create_view, name="secondment-create"),
    path("<int:pk>/secondments/<int:secondment_id>/end/", people.secondment_end_view, name="secondment-end"),
]
