"""Importing the collecting bank's payment file (APL Art. 67): its columns, the check of every row before
anything is written, and the service `payment_import` that writes all rows or none.

The bank reports each payment with the non-tax payment code (缴款码), the amount, the day of payment,
its own flow number (银行流水号, unique: a payment is never counted twice) and the receipt number. A
code is looked up only among the payment notices the importer may act on (org.scoping.editable): another
agency's code is "unknown", exactly like a mistyped one. Problems are reported by row and column, in
Chinese (the reading and reporting helpers are the organisation imports', zhifa.org.imports.common).
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from zhifa.cases.models import Case, Payment, PaymentChannel, PaymentNotice
from zhifa.cases.services.payment import PAYABLE_STATES, apply_payment, code_valid, parse_amount
from zhifa.cases.services.service import refresh_next_due
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import ObjectRef, record_event
from zhifa.org.imports.common import (
    Column,
    ErrorReport,
    ImportResult,
    Table,
    chunks,
    read_table,
    table_result,
)
from zhifa.org.models import RoleCode
from zhifa.org.scoping import editable, has_role

COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        N_("缴款码"),
        ("payment code", "payment_code", "非税收入缴款码", "缴款识别码"),
        required=True,
        help=N_("必填，20位非税收入缴款码"),
    ),
    Column("amount", N_("金额"), ("amount", "缴款金额", "实缴金额"), required=True, help=N_("必填，单位元")),
    Column(
        "paid_on",
        N_("缴款日期"),
        ("paid on", "paid_on", "date", "交易日期", "入账日期"),
        required=True,
        help=N_("必填，如 2026-07-01"),
    ),
    Column(
        "bank_reference",
        N_("银行流水号"),
        ("bank reference", "bank_reference", "流水号", "交易流水号"),
        required=True,
        help=N_("必填，唯一"),
    ),
    Column("receipt_number", N_("票据号码"), ("receipt", "receipt_number", "票据号"), help=N_("选填")),
)

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def may_import(actor: Any) -> bool:
    """Team leaders and administrators import the bank's files (for the cases in their own scope)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_superuser or has_role(actor, RoleCode.TEAM_LEADER, RoleCode.ADMIN)


def parse_day(text: str) -> datetime.date | None:
    """2026-07-01, 2026/7/1, 2026.7.1, 2026年7月1日, 20260701 (a time after the date is ignored)."""
    match = _DATE.match(text) or _COMPACT.match(text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass(frozen=True)
class PaymentRow:
    """A checked row, ready to be written."""

    number: int
    notice: PaymentNotice
    amount: Decimal
    paid_on: datetime.date
    bank_reference: str
    receipt_number: str


def _lookups(actor: Any, table: Table) -> tuple[dict[str, PaymentNotice], set[str]]:
    codes = sorted({values["code"].replace(" ", "") for _n, values in table.rows if values["code"]})
    references = sorted({values["bank_reference"] for _n, values in table.rows if values["bank_reference"]})
    notices: dict[str, PaymentNotice] = {}
    for part in chunks(codes):
        query = (
            editable(PaymentNotice.objects.all(), actor).filter(payment_code__in=part).select_related("case")
        )
        notices.update({n.payment_code: n for n in query})
    known: set[str] = set()
    for part in chunks(references):
        known.update(Payment.objects.filter(bank_reference__in=part).values_list("bank_reference", flat=True))
    return notices, known


def validate_payments(actor: Any, table: Table) -> tuple[list[PaymentRow], ErrorReport]:
    """Check every row (code known and payable, amount, date, flow number unique in the file and in the
    database); returns the good rows and the report of every problem."""
    report = ErrorReport()
    notices, known = _lookups(actor, table)
    today = timezone.localdate()
    seen: dict[str, int] = {}
    rows: list[PaymentRow] = []
    for number, values in table.rows:
        errors_before = len(report.errors)
        code = values["code"].replace(" ", "")
        notice = notices.get(code)
        if not code:
            report.add(number, table.label("code"), _("缴款码不能为空。"))
        elif not code_valid(code):
            report.add(
                number, table.label("code"), _("缴款码“%(code)s”格式或校验位不正确。") % {"code": code}
            )
        elif notice is None:
            report.add(
                number, table.label("code"), _("缴款码“%(code)s”不存在或不属于本单位。") % {"code": code}
            )
        elif notice.case.state not in PAYABLE_STATES:
            report.add(
                number,
                table.label("code"),
                _("案件%(case)s当前处于“%(state)s”，不能登记缴款。")
                % {"case": notice.case.code, "state": notice.case.get_state_display()},
            )
        amount = parse_amount(values["amount"])
        if amount is None:
            report.add(number, table.label("amount"), _("金额须为大于0、最多两位小数的数字。"))
        paid_on = parse_day(values["paid_on"])
        if paid_on is None:
            report.add(
                number, table.label("paid_on"), _("“%(value)s”不是日期。") % {"value": values["paid_on"]}
            )
        elif paid_on > today:
            report.add(number, table.label("paid_on"), _("缴款日期不能晚于今天。"))
        elif notice is not None and paid_on < timezone.localdate(notice.issued_at):
            report.add(number, table.label("paid_on"), _("缴款日期早于缴款通知书开具日期。"))
        reference = values["bank_reference"]
        if not reference:
            report.add(number, table.label("bank_reference"), _("银行流水号不能为空。"))
        elif len(reference) > 64:
            report.add(number, table.label("bank_reference"), _("银行流水号过长（最多64位）。"))
        elif reference in seen:
            report.add(
                number,
                table.label("bank_reference"),
                _("银行流水号与第%(n)d行重复。") % {"n": seen[reference]},
            )
        elif reference in known:
            report.add(number, table.label("bank_reference"), _("该银行流水号已登记，不能重复入账。"))
        seen.setdefault(reference, number)
        receipt = values.get("receipt_number", "")
        if len(receipt) > 40:
            report.add(number, table.label("receipt_number"), _("票据号码过长（最多40位）。"))
        if len(report.errors) == errors_before:
            rows.append(PaymentRow(number, notice, amount, paid_on, reference, receipt))
    return rows, report


def payment_import(*, actor: Any, filename: str, content: bytes, commit: bool = False) -> ImportResult:
    """Import the collecting bank's file (.xlsx, or .csv in UTF-8 or GBK): every row checked first
    (validate_payments); with `commit` and no error, all rows are written in one transaction
    with one record event carrying the file's SHA-256 (all or nothing). Returns the ImportResult."""
    if not may_import(actor):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有执法队长和管理员可以导入银行缴款文件。"))
    table = read_table(filename, content, COLUMNS)
    rows, report = validate_payments(actor, table)
    result = table_result("payments", filename, content, table, report)
    if not commit or not result.ok:
        return result

    result.batch_id = uuid.uuid4().hex
    written: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            for row in rows:
                locked = Case.objects.select_for_update().get(pk=row.notice.case_id)
                applied = apply_payment(
                    actor,
                    locked,
                    notice=row.notice,
                    amount=row.amount,
                    paid_on=row.paid_on,
                    channel=PaymentChannel.IMPORT,
                    bank_reference=row.bank_reference,
                    receipt_number=row.receipt_number,
                    import_sha256=result.sha256,
                )
                refresh_next_due(applied.case)
                written.append(
                    {
                        "row": row.number,
                        "case": locked.code,
                        "payment": applied.payment.pk,
                        "amount": str(row.amount),
                        "bank_reference": row.bank_reference,
                        "transition": "paid" if applied.transition else None,
                    }
                )
            result.counts = {
                "payments": len(written),
                "cases": len({w["case"] for w in written}),
                "paid_cases": sum(1 for w in written if w["transition"]),
            }
            result.committed = True
            record_event(
                actor=actor,
                action="case.payment_import",
                obj=ObjectRef("cases.payment_import", result.batch_id, filename[:100]),
                after={
                    "filename": filename,
                    "file_sha256": result.sha256,
                    "rows": result.total,
                    "counts": result.counts,
                    "payments": written,
                },
            )
    except IntegrityError:
        result.committed = False
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("导入期间数据已被他人修改（如银行流水号已登记），未写入任何数据，请重新上传校验。"),
            field="file",
        ) from None
    return result
