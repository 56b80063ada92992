"""Importing the subject register (检查对象名录) from .xlsx or .csv (issue 7, point 1).

Follows the org imports (zhifa/org/imports, zhifa/org/services/imports.py): every row is validated
first with the same rules as the subject form (services.subjects.clean_subject); errors name the Excel
row and the column. With `commit=True` and no errors, all rows are created or updated (matched by
统一社会信用代码) in one transaction with one record event "inspections.subject.import" carrying the
counts and the file's SHA-256 (APL Art. 47). With any row error nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.inspections import policies
from zhifa.inspections.models import Subject
from zhifa.inspections.services.subjects import SubjectInput, clean_subject
from zhifa.org.imports.common import Column, ErrorReport, ImportResult, Table, read_table, table_result
from zhifa.org.services.imports import commit_import_batch
from zhifa.org.services.structure_rules import validate_uscc

COLUMNS: tuple[Column, ...] = (
    Column("uscc", N_("统一社会信用代码"), ("uscc", "信用代码"), required=True, help=N_("必填，18位")),
    Column("name", N_("名称"), ("name", "主体名称"), required=True, help=N_("必填")),
    Column("kind", N_("主体类型"), ("kind", "类型"), required=True, help=N_("企业或个体工商户")),
    Column("address", N_("经营地址"), ("address", "地址"), required=True, help=N_("必填")),
    Column("industry", N_("行业"), ("industry",), required=True, help=N_("行业名称或编码")),
    Column("risk_level", N_("风险等级"), ("risk", "risk_level"), help=N_("A、B、C或D，留空为C")),
    Column("township", N_("乡镇（街道）"), ("township", "乡镇", "街道"), help=N_("名称或12位区划代码")),
    Column("lng", N_("经度"), ("lng", "longitude")),
    Column("lat", N_("纬度"), ("lat", "latitude")),
    Column("contact_name", N_("联系人"), ("contact", "contact_name")),
    Column("contact_phone", N_("联系电话"), ("phone", "contact_phone")),
)


@dataclass
class SubjectRow:
    row: int
    values: dict[str, Any]
    current: Subject | None


def validate_subjects(actor: Any, table: Table) -> tuple[list[SubjectRow], ErrorReport]:
    """Check every row; a row's first problem is reported with its Excel row number and column."""
    report = ErrorReport()
    rows: list[SubjectRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in table.rows:
        uscc_text = cells.get("uscc", "")
        try:
            uscc = validate_uscc(uscc_text, "uscc")
        except ServiceError:
            uscc = uscc_text.strip().upper()
        if uscc and uscc in first_row_of:
            report.add(number, table.label("uscc"), _("与第%(row)d行重复") % {"row": first_row_of[uscc]})
            continue
        if uscc:
            first_row_of[uscc] = number
        current = Subject.objects.select_related("township").filter(uscc=uscc).first() if uscc else None
        data = SubjectInput(
            uscc=uscc_text,
            name=cells.get("name", ""),
            kind=cells.get("kind", ""),
            address=cells.get("address", ""),
            industry=cells.get("industry", ""),
            risk_level=cells.get("risk_level", "") or "C",
            township=cells.get("township", ""),
            lng=cells.get("lng", ""),
            lat=cells.get("lat", ""),
            contact_name=cells.get("contact_name", ""),
            contact_phone=cells.get("contact_phone", ""),
        )
        try:
            if current is not None and not policies.can_edit_subjects(actor, current.township):
                raise ServiceError(
                    ErrorCode.NOT_ALLOWED, _("该主体已登记在您管理范围之外的乡镇（街道）"), field="uscc"
                )
            values = clean_subject(actor, data, current=current)
        except ServiceError as exc:
            key = exc.field if exc.field in {c.key for c in COLUMNS} else "uscc"
            report.add(number, table.label(key), exc.message)
            continue
        rows.append(SubjectRow(number, values, current))
    return rows, report


def _write(rows: list[SubjectRow]) -> dict[str, int]:
    created = updated = 0
    for row in rows:
        if row.current is None:
            Subject.objects.create(**row.values)
            created += 1
        else:
            Subject.objects.filter(pk=row.current.pk).update(**row.values, version=F("version") + 1)
            updated += 1
    return {"created": created, "updated": updated}


def import_subjects(*, actor: Any, content: bytes, filename: str, commit: bool) -> ImportResult:
    """Validate (and with `commit`, write) a subject register file; see the module docstring.

    File-level problems raise ServiceError(field="file"); row problems are in `result.errors`.
    """
    if not policies.can_import_subjects(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您没有导入检查对象的权限。"))
    table = read_table(filename, content, COLUMNS)
    rows, report = validate_subjects(actor, table)
    result = table_result("subjects", filename, content, table, report)
    if not commit or not result.ok:
        return result
    return commit_import_batch(
        actor=actor,
        action="inspections.subject.import",
        label=_("检查对象导入：%(name)s") % {"name": filename},
        result=result,
        write=lambda: _write(rows),
        object_type="inspections.import",
    )
