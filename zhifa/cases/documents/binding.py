"""Binding the archive (案卷装订): cover, index with page numbers, then every document's stored PDF in
the legal order (zhifa.cases.casefile.casefile_order), with generated pages for the evidence list and
the party's statements. Documents are bound from their stored files, each checked against its SHA-256
first, so the archive holds exactly what was issued and served (APL Art. 47; GO118 (九) tamper-proof).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.documents import rows
from zhifa.cases.documents.context import county_of
from zhifa.cases.documents.render import html_to_pdf, render_page
from zhifa.cases.documents.storage import absolute, new_relative_path, sha256_of, write_case_file
from zhifa.cases.documents.text import date_text
from zhifa.cases.models import Case, CaseDocument
from zhifa.core.errors import ErrorCode, ServiceError

_MAX_INDEX_ROUNDS = 4


def _page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def document_pdf(document: CaseDocument) -> bytes:
    """The stored PDF of an issued document, refused when missing or changed since it was issued."""
    content = None
    if document.file:
        try:
            content = absolute(document.file).read_bytes()
        except (FileNotFoundError, ValueError):
            content = None
    if content is None or sha256_of(content) != document.sha256:
        raise ServiceError(
            ErrorCode.INVALID,
            _("《%(title)s》%(number)s的文件缺失或校验不符（SHA-256），不能装订。")
            % {"title": document.title, "number": document.number},
            field="documents",
        )
    return content


def archive_fields(case: Case) -> dict[str, Any]:
    agency = case.agency
    return {
        "agency_name": agency.name,
        "county_name": county_of(agency).name,
        "case_code": case.code,
        "cause": case.title,
        "party_names": "、".join(case.parties.order_by("id").values_list("name", flat=True)),
        "filing_number": case.filing_number,
        "decision_number": case.decision_number,
        "outcome_label": str(case.get_outcome_display()) if case.outcome else "",
        "filed_on": date_text(case.filed_on),
        "closed_on": date_text(case.closed_on),
        "date_text": date_text(timezone.localdate()),
        "seal": agency.name,
    }


def _page(template: str, fields: dict[str, Any], title: str, **more: Any) -> tuple[bytes, int]:
    html = render_page(template, {"f": fields, "title": title, "pdf": True, **more})
    return html_to_pdf(html, title=title)


def bind(case: Case, entries: list) -> tuple[str, str, int]:
    """See zhifa.cases.casefile.bind_archive."""
    from pypdf import PdfReader, PdfWriter

    from zhifa.cases.casefile import DOCUMENT, EVIDENCE_LIST, STATEMENTS

    fields = archive_fields(case)
    parts: list[tuple[Any, bytes, int]] = []
    for entry in entries:
        if entry.kind == DOCUMENT:
            content = document_pdf(entry.document)
            parts.append((entry, content, _page_count(content)))
        elif entry.kind == EVIDENCE_LIST:
            content, pages = _page(
                "cases/documents/archive_evidence.html",
                fields,
                entry.title,
                evidence=rows.evidence_rows(case),
            )
            parts.append((entry, content, pages))
        elif entry.kind == STATEMENTS:
            content, pages = _page(
                "cases/documents/archive_statements.html",
                fields,
                entry.title,
                statements=rows.statement_rows(case),
            )
            parts.append((entry, content, pages))
    index_pages = 1
    for _round in range(_MAX_INDEX_ROUNDS):
        index_rows, page = [], 2 + index_pages  # page 1 is the cover
        for n, (entry, _content, pages) in enumerate(parts, start=1):
            last = page + pages - 1
            index_rows.append(
                {
                    "n": n,
                    "number": entry.number,
                    "title": entry.title,
                    "date": date_text(entry.date) if entry.date else "",
                    "pages": str(page) if last == page else f"{page}-{last}",
                }
            )
            page = last + 1
        index_pdf, rendered = _page(
            "cases/documents/archive_index.html", fields, _("卷内目录"), entries=index_rows
        )
        if rendered == index_pages:
            break
        index_pages = rendered
    total = 1 + index_pages + sum(pages for _entry, _content, pages in parts)
    cover_pdf, cover_pages = _page(
        "cases/documents/archive_cover.html", fields, _("行政处罚案卷"), total=total
    )
    if cover_pages != 1:
        raise RuntimeError("the archive cover must fit on one page")
    writer = PdfWriter()
    for content in (cover_pdf, index_pdf, *(content for _entry, content, _pages in parts)):
        writer.append(PdfReader(io.BytesIO(content)))
    if len(writer.pages) != total:
        raise RuntimeError(f"bound {len(writer.pages)} pages, expected {total}")
    writer.add_metadata({"/Title": f"{case.code} {case.title}"})
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    relative = new_relative_path(case.pk, f"archive-{timezone.localdate():%Y%m%d}")
    write_case_file(relative, data)
    return relative, sha256_of(data), total
