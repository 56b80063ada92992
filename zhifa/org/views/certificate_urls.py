"""Certificate pages, included at /certificates/."""

from django.urls import path

from zhifa.org.views import certificate_print, certificates

urlpatterns = [
    path("", certificates.certificate_list_view, name="certificate-list"),
    path("new/", certificates.certificate_issue_view, name="certificate-issue"),
    path("review/", certificates.certificate_review_view, name="certificate-review"),
    path(
        "review/expire-overdue/",
        certificates.certificate_expire_overdue_view,
        name="certificate-expire-overdue",
    ),
    path("<int:pk>/", certificates.certificate_detail_view, name="certificate-detail"),
    path(
        "<int:pk>/suspend/",
        certificates.certificate_action_view,
        {"action": "suspend"},
        name="certificate-suspend",
    ),
    path(
        "<int:pk>/reinstate/",
        certificates.certificate_action_view,
        {"action": "reinstate"},
        name="certificate-reinstate",
    ),
    path(
        "<int:pk>/revoke/",
        certificates.certificate_action_view,
        {"action": "revoke"},
        name="certificate-revoke",
    ),
    path("<int:pk>/renew/", certificates.certificate_renew_view, name="certificate-renew"),
    path("<int:pk>/expire/", certificates.certificate_expire_view, name="certificate-expire"),
    path("<int:pk>/print/", certificate_print.certificate_print_view, name="certificate-print"),
    path("<int:pk>/pdf/", certificate_print.certificate_pdf_view, name="certificate-pdf"),
]
