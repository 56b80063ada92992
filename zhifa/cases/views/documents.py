"""A case document as a printable A4 page and as its stored PDF, for those who may read the case.

The page is re-rendered from the document's frozen fields; the PDF is the file stored when the document
was issued, served only if its SHA-256 still matches the one recorded (a changed or missing file is
refused, never served). Outsiders get a 404 (zhifa.org.scoping.get_visible_or_404 through the case).
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhifa.cases.documents.render import render_html
from zhifa.cases.documents.storage import absolute, sha256_of
from zhifa.cases.models import CaseDocument
from zhifa.org.scoping import get_visible_or_404

logger = logging.getLogger(__name__)


def readable_document(user, case_pk: int, doc_pk: int) -> CaseDocument:
    """The document if it belongs to the case and the user may read the case; else 404."""
    return get_visible_or_404(CaseDocument.objects.filter(case_id=case_pk), user, pk=doc_pk)


def _case_url(case_pk: int) -> str | None:
    try:
        return reverse("case-detail", args=[case_pk])
    except NoReverseMatch:
        return None


@login_required
@require_GET
def case_document(request: HttpRequest, case_pk: int, doc_pk: int) -> HttpResponse:
    document = readable_document(request.user, case_pk, doc_pk)
    html = render_html(
        doc_type=document.doc_type,
        fields=document.fields,
        number=document.number,
        pdf=False,
        pdf_url=reverse("case-document-pdf", args=[case_pk, doc_pk]) if document.file else None,
        back_url=_case_url(case_pk),
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def case_document_pdf(request: HttpRequest, case_pk: int, doc_pk: int) -> HttpResponse:
    document = readable_document(request.user, case_pk, doc_pk)
    content = None
    if document.file:
        try:
            content = absolute(document.file).read_bytes()
        except (FileNotFoundError, ValueError):
            content = None
    if content is None or sha256_of(content) != document.sha256:
        logger.error("case document %s: file missing or SHA-256 mismatch", document.pk)
        return HttpResponse(
            _("文书文件缺失或已被改动（SHA-256校验不符），不能提供。请联系系统管理员。"),
            status=409,  # an integrity failure is reported, never a server error
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{document.doc_type}-{document.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
