"""Staff pages of disclosure, included at /disclosure/: the publication queue, review and withdrawal."""

from django.urls import path

from zhifa.disclosure.views import publication, queue, review

urlpatterns = [
    path("", queue.queue_page, name="disclosure-queue"),
    path("case/<int:case_pk>/", review.review_page, name="disclosure-review"),
    path("<int:pk>/", publication.publication_page, name="disclosure-publication"),
]
