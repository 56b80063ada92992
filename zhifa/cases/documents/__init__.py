"""Case documents (执法文书): the registry of types, their content, issuing with a number, HTML and PDF.

- `registry.DOC_SPECS`: for every DocType its title, number series, sections and required fields;
- `build_fields(case, doc_type, extra)`: the content assembled from the case (context.py, rows.py);
- `issue_document(*, case, doc_type, extra, actor, on_date)`: numbered, rendered, stored (issue.py);
- `render_html` / `render_pdf`: the GB/T 9704 A4 page and its PDF (render.py).
"""

from zhifa.cases.documents.context import build_fields
from zhifa.cases.documents.issue import document_problems, issue_document
from zhifa.cases.documents.registry import DOC_SPECS, DocSpec, Field, spec_for
from zhifa.cases.documents.render import render_html, render_pdf

__all__ = [
    "DOC_SPECS",
    "DocSpec",
    "Field",
    "build_fields",
    "document_problems",
    "issue_document",
    "render_html",
    "render_pdf",
    "spec_for",
]
