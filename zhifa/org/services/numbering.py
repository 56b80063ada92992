"""Document numbers (文号): templates per agency and document type, and issuing numbers.

A number is unique and gap-free per agency, document type and year (core.numbering); its text comes
from the agency's template for the document type, or the default for that type (org.numbering_format).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.numbering import allocate
from zhifa.core.record import record_event, snapshot
from zhifa.org.models import Agency, NumberTemplate
from zhifa.org.numbering_format import default_template, render_number, validate_template

TEMPLATE_FIELDS = ("agency", "doc_type", "template")
DOC_TYPE_MAX_LENGTH = NumberTemplate._meta.get_field("doc_type").max_length
_DOC_TYPE = re.compile(r"^[a-z][a-z0-9_]*$")


def _clean_doc_type(doc_type: str) -> str:
    doc_type = (doc_type or "").strip()
    if not doc_type:
        raise ServiceError(ErrorCode.REQUIRED, _("请选择文书类型。"), field="doc_type")
    if len(doc_type) > DOC_TYPE_MAX_LENGTH or not _DOC_TYPE.match(doc_type):
        raise ServiceError(ErrorCode.INVALID, _("文书类型编码无效。"), field="doc_type")
    return doc_type


def series_key(agency: Agency, doc_type: str, year: int) -> str:
    """The NumberSeries key: one gap-free series per agency, document type and year."""
    return f"{agency.pk}:{doc_type}:{year}"


def effective_template(agency: Agency, doc_type: str) -> str:
    """The agency's template for `doc_type`, or the default for that type when it has set none."""
    template = (
        NumberTemplate.objects.filter(agency=agency, doc_type=doc_type)
        .values_list("template", flat=True)
        .first()
    )
    return template or default_template(doc_type)


def number_template_set(*, actor: Any, agency: Agency, doc_type: str, template: str) -> NumberTemplate:
    """Set (create or replace) the agency's document-number template for a document type.

    The template is validated (placeholders {agency}, {year}, {seq}; 〔{year}〕; see numbering_format);
    numbers already issued keep their text. Writes one record event "number_template.set".
    """
    doc_type = _clean_doc_type(doc_type)
    template = validate_template(template)
    with transaction.atomic():
        existing = NumberTemplate.objects.select_for_update().filter(agency=agency, doc_type=doc_type).first()
        if existing is None:
            before = None
            try:
                with transaction.atomic():  # savepoint: a concurrent creator must not break our transaction
                    record = NumberTemplate.objects.create(
                        agency=agency, doc_type=doc_type, template=template
                    )
            except IntegrityError:
                raise ServiceError(
                    ErrorCode.CONFLICT,
                    _("该文书类型的文号模板刚被他人设置，请刷新后重试。"),
                    field="template",
                ) from None
        else:
            record = existing
            before = snapshot(record, TEMPLATE_FIELDS)
            record.template = template
            record.save(update_fields=["template"])
        record_event(
            actor=actor,
            action="number_template.set",
            obj=record,
            before=before,
            after=snapshot(record, TEMPLATE_FIELDS),
        )
    return record


def issue_document_number(*, agency: Agency, doc_type: str, year: int) -> str:
    """Take the next number of the agency's series for `doc_type` and `year` and return its text.

    Not a service of its own: call it inside the transaction of the service that issues the document
    (which writes the record event), so the number is consumed only if that document is saved
    (gap-free). Concurrent callers of the same series wait for each other and never share a number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue_document_number must run inside the caller's transaction")
    doc_type = _clean_doc_type(doc_type)
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ServiceError(ErrorCode.INVALID, _("年份无效。"), field="year")
    # A deactivated agency is no longer a legal subject in whose name decisions are issued.
    if not agency.is_active:
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("执法主体已停用，不能编发文号。"), field="agency")
    template = effective_template(agency, doc_type)
    validate_template(template)  # a template edited outside the service must not consume a number
    if "{agency}" in template and not agency.short_name.strip():
        raise ServiceError(ErrorCode.INVALID, _("执法主体未设置简称，无法生成文号。"), field="short_name")
    return render_number(template, agency.short_name, year, allocate(series_key(agency, doc_type, year)))
