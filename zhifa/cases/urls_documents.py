"""Case documents: the printable page and the stored PDF (included by the root URLs under "cases/")."""

from django.urls import path

from zhifa.cases.views.documents import case_document, case_document_pdf

urlpatterns = [
    path("<int:case_pk>/documents/<int:doc_pk>/", case_document, name="case-document"),
    path("<int:case_pk>/documents/<int:doc_pk>/pdf/", case_document_pdf, name="case-document-pdf"),
]
