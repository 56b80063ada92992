"""Issuing a case document: check its required fields, take its number, render and store its PDF.

`issue_document` is a step of the caller's service (the engine's transition), not a service of its
own: it runs inside the caller's transaction and writes no record event (the transition does). The
number (文号) is taken from the agency's gap-free series in that transaction, and the PDF file is
removed again if the transaction rolls back (storage.write_case_file), so a refused or failed step
leaves neither a number consumed nor a file behind.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhifa.cases.documents.context import build_fields
from zhifa.cases.documents.registry import DocSpec, spec_for
from zhifa.cases.documents.render import render_pdf
from zhifa.cases.documents.storage import new_relative_path, sha256_of, write_case_file
from zhifa.cases.documents.text import blank
from zhifa.cases.models import Case, CaseDocument
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.org.scoping import person_of
from zhifa.org.services.numbering import issue_document_number

TITLE_MAX_LENGTH = CaseDocument._meta.get_field("title").max_length


def missing_fields(spec: DocSpec, fields: dict[str, Any]) -> list[ServiceError]:
    """One REQUIRED error per empty required field, named by its Chinese label."""
    return [
        ServiceError(
            ErrorCode.REQUIRED, _("「%(label)s」不能为空。") % {"label": field.label}, field=field.key
        )
        for field in spec.required
        if blank(fields.get(field.key))
    ]


def document_problems(
    case: Case, doc_type: str, extra: dict[str, Any] | None = None, *, on_date: datetime.date | None = None
) -> list[str]:
    """What is missing before a `doc_type` document of `case` could be issued (for the workspace)."""
    fields = build_fields(case, doc_type, extra, on_date=on_date)
    return [error.message for error in missing_fields(spec_for(doc_type), fields)]


def issue_document(
    *,
    case: Case,
    doc_type: str,
    extra: dict[str, Any] | None = None,
    actor: Any,
    on_date: datetime.date,
) -> CaseDocument:
    """Issue a `doc_type` document of `case` dated `on_date` and return its row.

    Must run inside the caller's `transaction.atomic()` (RuntimeError otherwise). Raises ValidationErrors
    with a REQUIRED error naming every empty required field (nothing is numbered or written then).
    Numbered types take the next number of the agency's series for the year of `on_date`
    (zhifa.org.services.numbering, e.g. 东湖综执罚决字〔2026〕第1号). The PDF is stored under
    MEDIA_ROOT/cases/<case id>/ with its SHA-256 on the row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_document must run inside the caller's transaction")
    spec = spec_for(doc_type)
    fields = build_fields(case, spec.doc_type, extra, on_date=on_date)
    if person := person_of(actor):
        fields.setdefault("handled_by", person.name)
    errors = missing_fields(spec, fields)
    if errors:
        raise ValidationErrors(errors)
    number = ""
    if spec.number_key:
        number = issue_document_number(agency=case.agency, doc_type=spec.number_key, year=on_date.year)
    pdf = render_pdf(doc_type=spec.doc_type, fields=fields, number=number)
    relative = new_relative_path(case.pk, f"{on_date:%Y%m%d}-{spec.doc_type.value}")
    document = CaseDocument.objects.create(
        case=case,
        doc_type=spec.doc_type,
        number=number,
        title=spec.title[:TITLE_MAX_LENGTH],
        fields=fields,
        file=relative,
        sha256=sha256_of(pdf),
        issued_on=on_date,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    write_case_file(relative, pdf)
    return document
