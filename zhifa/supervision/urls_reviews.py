"""The legal review overview for the justice bureau (included at /supervision/reviews/)."""

from django.urls import path

from zhifa.supervision.views.reviews import review_overview_export, review_overview_page

urlpatterns = [
    path("", review_overview_page, name="supervision-reviews"),
    path("export/", review_overview_export, name="supervision-reviews-export"),
]
