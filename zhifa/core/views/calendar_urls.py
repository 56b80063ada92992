"""Holiday-table pages, mounted at /calendar/."""

from django.urls import path

from zhifa.core.views import calendar

urlpatterns = [
    path("", calendar.calendar_years, name="calendar-years"),
    path("<int:year>/", calendar.calendar_year_edit, name="calendar-year-edit"),
]
