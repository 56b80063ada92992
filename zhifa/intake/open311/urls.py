"""/open311/v2/: every path goes to the one dispatching view, so that every answer is Open311-shaped."""

from django.urls import re_path

from zhifa.intake.open311 import views

app_name = "open311"

urlpatterns = [re_path(r"^(?P<path>[\s\S]*)$", views.endpoint, name="endpoint")]
