"""The case file for supervisors as one PDF (卷宗调阅; APL Art. 47; GO118 (九) tamper-proof, (十) retrieval).

Cover, 卷宗目录 (index with page numbers), every current document in the legal binding order
(zhifa.cases.casefile.casefile_order) from its stored PDF checked against its SHA-256
(zhifa.cases.documents.binding.document_pdf), the evidence list and the party's statements (the
archive's own pages), the timeline of record events with each event's check, and a manifest: every
document's and evidence file's SHA-256 with the state of its bytes, every event's seq and hash, the
chain head at export time, the export time and the exporting user.

A document whose file is missing or no longer matches its SHA-256 is never skipped silently: a page in
its place says so, the index and the manifest mark it, and the export still succeeds. Unlike the
archive binding (cases.casefile.bind_archive) nothing is stored: the PDF is returned as bytes.

Exporting is a read, not a state change: it writes no record event (APL Art. 47 records the case's
procedure; reading it is not a step of it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhifa.cases.casefile import DOCUMENT, EVIDENCE_LIST, STATEMENTS, Entry, casefile_order
from zhifa.cases.documents import rows as archive_rows
from zhifa.cases.documents.binding import archive_fields, document_pdf
from zhifa.cases.documents.render import DOCUMENT_LANGUAGE, html_to_pdf, render_page
from zhifa.cases.documents.storage import file_sha256
from zhifa.cases.documents.text import date_text
from zhifa.cases.models import Case
from zhifa.core.errors import ServiceError
from zhifa.core.record import algorithm_name
from zhifa.org.scoping import person_of
from zhifa.supervision.selectors.record import CaseRecord, case_record, chain_head
from zhifa.supervision.selectors.record_files import (
    FILE_STATE_LABELS,
    Budget,
    FileState,
    StoredFile,
    evidence_files,
)

_MAX_ROUNDS = 4


@dataclass
class Part:
    """A run of pages in the file: what the index lists for it."""

    title: str
    content: bytes
    pages: int
    number: str = ""
    date: str = ""
    mark: str = ""  # why a document is not bound as issued, else ""


@dataclass
class CasefileExport:
    case: Case
    content: bytes
    pages: int


def _pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _render(template: str, fields: dict[str, Any], title: str, **more: Any) -> tuple[bytes, int]:
    html = render_page(template, {"f": fields, "title": title, "pdf": True, **more})
    return html_to_pdf(html, title=title)


def _document_part(entry: Entry, fields: dict[str, Any]) -> tuple[Part, StoredFile]:
    """The stored PDF when it matches its SHA-256, else a page saying what is wrong with it."""
    document = entry.document
    date = date_text(entry.date) if entry.date else ""
    try:
        content = document_pdf(document)
        state, actual = FileState.OK, document.sha256
    except (ServiceError, OSError):  # missing, changed, or not readable: never bound
        content = None
        try:
            actual = file_sha256(document.file) if document.file else None
        except (OSError, ValueError):  # unreadable, or a path outside MEDIA_ROOT (not read)
            actual = None
        state = FileState.MISSING if actual is None else FileState.ALTERED
    row = StoredFile(
        "document", document.pk, document.title, document.number, document.issued_on, document.title,
        document.sha256, state, actual or "",
    )  # fmt: skip
    if content is not None:
        return Part(entry.title, content, _pages(content), entry.number, date), row
    mark = str(FILE_STATE_LABELS[state])
    content, pages = _render(
        "supervision/casefile_missing.html", fields, entry.title, document=row, date=date, mark=mark
    )
    return Part(entry.title, content, pages, entry.number, date, mark), row


def _index_rows(parts: list[Part], first_page: int) -> list[dict[str, Any]]:
    rows, page = [], first_page
    for n, part in enumerate(parts, start=1):
        last = page + part.pages - 1
        pages = str(page) if last == page else f"{page}-{last}"
        rows.append(
            {
                "n": n,
                "number": part.number,
                "title": part.title,
                "date": part.date,
                "pages": pages,
                "mark": part.mark,
            }
        )
        page = last + 1
    return rows


def casefile_pdf(record: CaseRecord, *, user: Any) -> tuple[bytes, int]:
    """The PDF of `record`'s case file and its number of pages (see the module docstring)."""
    from pypdf import PdfReader, PdfWriter

    case = record.case
    fields = archive_fields(case)
    parts: list[Part] = []
    documents: list[StoredFile] = []
    for entry in casefile_order(case):
        if entry.kind == DOCUMENT:
            part, row = _document_part(entry, fields)
            parts.append(part)
            documents.append(row)
        elif entry.kind == EVIDENCE_LIST:
            evidence = archive_rows.evidence_rows(case)
            content, pages = _render(
                "cases/documents/archive_evidence.html", fields, entry.title, evidence=evidence
            )
            parts.append(Part(entry.title, content, pages))
        elif entry.kind == STATEMENTS:
            statements = archive_rows.statement_rows(case)
            content, pages = _render(
                "cases/documents/archive_statements.html", fields, entry.title, statements=statements
            )
            parts.append(Part(entry.title, content, pages))
    title = _("执法全过程记录")
    content, pages = _render("supervision/casefile_timeline.html", fields, title, record=record)
    parts.append(Part(title, content, pages))
    # Every evidence file is re-hashed here, whatever the page checked.
    evidence = evidence_files(case, Budget(None))
    person = person_of(user)
    manifest = {
        "documents": documents,
        "evidence": evidence,
        "rows": record.rows,
        "verification": record.verification,
        "head": chain_head(),  # at export time, after everything above was read
        "algorithm": algorithm_name().upper(),
        "exported_at": timezone.localtime(),
        "exporter": getattr(person, "name", "") or user.get_username(),
    }
    title = _("校验清单")
    content, pages = _render("supervision/casefile_manifest.html", fields, title, **manifest)
    parts.append(Part(title, content, pages))

    problems = [row for row in (*documents, *evidence) if not row.ok]
    # The index names page numbers, and the cover the total: render both until their lengths settle.
    cover_pages = index_pages = 1
    for _round in range(_MAX_ROUNDS):
        index_rows = _index_rows(parts, cover_pages + index_pages + 1)
        index_pdf, rendered_index = _render(
            "supervision/casefile_index.html", fields, _("卷宗目录"), entries=index_rows
        )
        total = cover_pages + rendered_index + sum(part.pages for part in parts)
        cover_pdf, rendered_cover = _render(
            "supervision/casefile_cover.html",
            fields,
            _("行政执法案卷"),
            total=total,
            problems=problems,
            **manifest,
        )
        if (rendered_index, rendered_cover) == (index_pages, cover_pages):
            break
        index_pages, cover_pages = rendered_index, rendered_cover
    writer = PdfWriter()
    # Bookmarks (the PDF's outline) name the same parts as the index, at the same pages.
    titles = (_("卷宗封面"), _("卷宗目录"), *(part.title for part in parts))
    for title, content in zip(titles, (cover_pdf, index_pdf, *(part.content for part in parts)), strict=True):
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(content)), import_outline=False)
        writer.add_outline_item(title=title, page_number=start)
    writer.add_metadata({"/Title": f"{case.code} {case.title}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def export_casefile(user: Any, case_pk: Any) -> CasefileExport:
    """The case file of a case `user` supervises as one PDF (403/404 as selectors.record.case_record).

    Everything is read and written in Chinese, the language of the case's documents; the page's file
    check is skipped (budget 0) because the export checks every file itself."""
    with translation.override(DOCUMENT_LANGUAGE):
        record = case_record(user, case_pk, file_budget=0)
        content, pages = casefile_pdf(record, user=user)
    return CasefileExport(record.case, content, pages)
