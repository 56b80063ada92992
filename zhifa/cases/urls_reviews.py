"""Legal review and collective discussion pages (included by zhifa/cases/urls.py under "cases/")."""

from django.urls import path

from zhifa.cases.views.reviews import case_discussion, review_page, review_queue_page

urlpatterns = [
    path("reviews/", review_queue_page, name="case-review-queue"),
    path("reviews/<int:pk>/", review_page, name="case-review"),
    path("<int:case_pk>/discussion/", case_discussion, name="case-discussion"),
]
