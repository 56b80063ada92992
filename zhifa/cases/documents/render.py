"""Rendering a document: its printable A4 HTML page and its PDF (WeasyPrint, CJK fonts from the system).

The page is rendered from the document's frozen fields only, always in Chinese (a legal document does
not follow the reader's interface language). The PDF uses one shared FontConfiguration and one parsed
copy of cases/document.css (GB/T 9704-2012 layout), so that issuing a document inside the engine's
transaction stays short (about 0.1-0.3 s a page).
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from zhifa.cases.documents.registry import spec_for

DOCUMENT_LANGUAGE = "zh-hans"
CSS_PATH = Path(__file__).resolve().parent.parent / "static" / "cases" / "document.css"
_LOCK = threading.Lock()  # WeasyPrint's font configuration is shared; render one PDF at a time per process


def document_context(*, doc_type: str, fields: dict[str, Any], number: str, pdf: bool, **more: Any) -> dict:
    spec = spec_for(doc_type)
    return {"spec": spec, "f": fields, "number": number, "title": spec.title, "pdf": pdf, **more}


def render_html(
    *, doc_type: str, fields: dict[str, Any], number: str = "", pdf: bool = False, **more: Any
) -> str:
    """The document's HTML page (`pdf=True`: without the toolbar and the stylesheet link)."""
    context = document_context(doc_type=doc_type, fields=fields, number=number, pdf=pdf, **more)
    return render_page(spec_for(doc_type).template, context)


def render_page(template: str, context: dict[str, Any]) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(template, context)


@cache
def _weasy() -> tuple[Any, Any]:
    """One FontConfiguration and the parsed stylesheet, made once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return fonts, CSS(string=CSS_PATH.read_text(encoding="utf-8"), font_config=fonts)


def html_to_pdf(html: str, *, title: str = "") -> tuple[bytes, int]:
    """The PDF of `html` with the document stylesheet, and its number of pages."""
    from weasyprint import HTML

    with _LOCK:
        fonts, css = _weasy()
        document = HTML(string=html, base_url=str(CSS_PATH.parent)).render(
            stylesheets=[css], font_config=fonts
        )
        if title:
            document.metadata.title = title
        return document.write_pdf(), len(document.pages)


def render_pdf(*, doc_type: str, fields: dict[str, Any], number: str = "") -> bytes:
    """The PDF of a document from its fields (what issue_document stores)."""
    html = render_html(doc_type=doc_type, fields=fields, number=number, pdf=True)
    pdf, _pages = html_to_pdf(html, title=f"{spec_for(doc_type).title} {number}".strip())
    return pdf
