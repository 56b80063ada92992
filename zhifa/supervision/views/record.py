"""Supervisors' pages of the full-process record (全过程记录, APL Art. 47; GO118 (十) real-time retrieval).

Thin views: the selectors decide who sees what (403 without record pages, 404 outside what the user
supervises) and verify the events. Every view answers GET only: reading the record, and exporting the
case file, changes nothing and writes no record event.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhifa.core.selectors.record import can_view_record
from zhifa.supervision.casefile_export import export_casefile
from zhifa.supervision.selectors.record import case_record, clue_record, record_search


@require_GET
@login_required
def record_search_page(request: HttpRequest) -> HttpResponse:
    """Find a case or clue by its code among those the user supervises (the latest when no code)."""
    result = record_search(request.user, request.GET.get("q", ""))
    return render(request, "supervision/record_search.html", {"result": result})


@require_GET
@login_required
def case_record_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline of one case with each event's check, its documents and evidence with their hashes."""
    record = case_record(request.user, pk)
    context = {"record": record, "case": record.case, "can_verify_chain": can_view_record(request.user)}
    return render(request, "supervision/record_case.html", context)


@require_GET
@login_required
def clue_record_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline of one clue with each event's check, its photos, and the cases opened from it."""
    record = clue_record(request.user, pk)
    context = {"record": record, "clue": record.clue, "can_verify_chain": can_view_record(request.user)}
    return render(request, "supervision/record_clue.html", context)


def attachment_header(code: str) -> str:
    """`attachment` with an ASCII name for old clients and the UTF-8 "<code>-卷宗.pdf" (RFC 6266, 5987)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", code) or "case"
    return f"attachment; filename=\"{fallback}-casefile.pdf\"; filename*=UTF-8''{quote(f'{code}-卷宗.pdf')}"


@require_GET
@login_required
def case_file_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The case file as one PDF (cover, index, documents, evidence, timeline, manifest of hashes).

    A read, not a state change: no record event is written for an export."""
    export = export_casefile(request.user, pk)
    response = HttpResponse(export.content, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(export.case.code)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
