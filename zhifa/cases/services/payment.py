"""Payment of fines apart from the decision (罚缴分离, APL Art. 67-73).

- The payment notice (缴款通知书) gives the amount, the non-tax payment code (非税收入缴款码) and the due
  date: 15 days from service of the decision (Art. 67) unless a postponement set another.
- Money counts as received only on the collecting bank's confirmation: entered by hand
  (`payment_record_bank`) or imported from the bank's file (zhifa.cases.payment_import, all or nothing).
- Cash on the spot only in the simplified procedure where Art. 68-69 allow it, with an official receipt
  (Art. 70); the officer hands the cash in within 2 working days (Art. 71). No path lets an officer mark
  a general-procedure fine as received.
- When the payments cover fine, confiscation and the surcharge due on the day of payment (3% of the fine
  per day, capped at the fine, not accruing during reconsideration or litigation: Art. 72-73), the
  engine's system step "paid" moves the case to executed, in the same transaction.

Payments are never edited or deleted and are always positive: a wrong bank entry is corrected by the
bank's own correction procedure, not here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases import deadlines, rules
from zhifa.cases.engine import perform
from zhifa.cases.models import (
    Case,
    CaseState,
    DocType,
    Outcome,
    Payment,
    PaymentChannel,
    PaymentNotice,
    Procedure,
)
from zhifa.cases.services.service import lock_case, refresh_next_due
from zhifa.core.calendar import add_working_days
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.numbering import allocate
from zhifa.core.record import record_event

CENT = Decimal("0.01")
PAYABLE_STATES = (CaseState.EXECUTING, CaseState.ENFORCEMENT)
# 非税收入缴款码: county code (6) + year (2) + kind "1" (罚没收入) + sequence (10) + Luhn check digit = 20.
CODE_LENGTH = 20
PENALTY_KIND = "1"
CASH_GROUNDS = {
    "": gettext_lazy("《行政处罚法》第六十八条第（一）项"),
    "hard_to_collect": gettext_lazy("《行政处罚法》第六十八条第（二）项"),
    "remote": gettext_lazy("《行政处罚法》第六十九条"),
}


def _refuse(message: str, field: str | None = None, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=field)


# --- the payment code ---------------------------------------------------------------------------


def luhn_digit(body: str) -> str:
    """The Luhn (mod 10) check digit of a string of digits."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def code_valid(code: str) -> bool:
    """A 20-digit payment code whose last digit is the Luhn check digit of the others."""
    return len(code) == CODE_LENGTH and code.isdigit() and luhn_digit(code[:-1]) == code[-1]


def new_payment_code(case: Case, year: int) -> str:
    """The next payment code of the case's county and year (gap-free series, taken in the transaction)."""
    region = case.agency.region.adcode[:6]
    yy = f"{year % 100:02d}"
    sequence = allocate(f"nontax:{region}:{yy}")
    if sequence >= 10**10:
        raise RuntimeError("payment code sequence exhausted")
    body = f"{region}{yy}{PENALTY_KIND}{sequence:010d}"
    return body + luhn_digit(body)


# --- amounts ------------------------------------------------------------------------------------


def principal(case: Case) -> Decimal:
    """Fine plus confiscated amount of the decision."""
    return (case.fine_amount or Decimal(0)) + (case.confiscation_amount or Decimal(0))


def paused_intervals(case: Case) -> list[tuple[datetime.date, datetime.date | None]]:
    """The reconsideration and litigation periods of the case: no surcharge accrues then (APL Art. 73)."""
    return list(case.remedies.order_by("started_on").values_list("started_on", "ended_on"))


def surcharge_on(case: Case, on_date: datetime.date) -> Decimal:
    """The late-payment surcharge due on `on_date` (APL Art. 72-73; zhifa.cases.deadlines.surcharge)."""
    if case.payment_due_on is None or not case.fine_amount:
        return Decimal("0.00")
    return deadlines.surcharge(
        case.fine_amount, due_on=case.payment_due_on, on_date=on_date, paused=paused_intervals(case)
    )


def parse_amount(value: Any) -> Decimal | None:
    """A positive amount with at most two decimals, else None."""
    text = str(value or "").strip().replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT) or amount >= 10**12:
        return None
    return amount.quantize(CENT)


# --- the notice ---------------------------------------------------------------------------------


def payment_notice_issue(*, actor: Any, case: Case) -> PaymentNotice:
    """Issue the payment notice of a served penalty decision with a fine or confiscation (APL Art. 67):
    amount, the non-tax payment code, the due date; the notice document is issued with it."""
    from zhifa.cases.documents.issue import issue_document

    with transaction.atomic():
        case = lock_case(actor, case, verb=_("缴款通知"))
        amount = principal(case)
        if case.outcome != Outcome.PENALTY or amount <= 0:
            raise _refuse(_("本案没有需缴纳的罚没款。"), field="case", code=ErrorCode.INVALID_STATE)
        if case.state not in PAYABLE_STATES or case.served_on is None:
            raise _refuse(
                _(
                    "处罚决定书送达后方可开具缴款通知书（缴款期限自收到决定书之日起计算，《行政处罚法》第六十七条）。"
                ),
                field="case",
                code=ErrorCode.INVALID_STATE,
            )
        existing = case.payment_notices.first()
        if existing is not None:
            raise _refuse(
                _("本案已开具缴款通知书（缴款码%(code)s）。") % {"code": existing.payment_code},
                field="case",
                code=ErrorCode.DUPLICATE,
            )
        today = timezone.localdate()
        due_on = case.payment_due_on or deadlines.payment_due(case.served_on).due
        notice = PaymentNotice.objects.create(
            case=case,
            amount=amount,
            payment_code=new_payment_code(case, today.year),
            due_on=due_on,
            issued_at=timezone.now(),
        )
        document = issue_document(case=case, doc_type=DocType.PAYMENT_NOTICE, actor=actor, on_date=today)
        record_event(
            actor=actor,
            action="case.payment_notice",
            obj=case,
            after={
                "notice": notice.pk,
                "payment_code": notice.payment_code,
                "amount": str(amount),
                "due_on": due_on.isoformat(),
                "document": document.pk,
            },
        )
    return notice


# --- payments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    payment: Payment
    case: Case
    paid_total: Decimal
    required: Decimal
    transition: bool


def apply_payment(
    actor: Any,
    case: Case,
    *,
    notice: PaymentNotice | None,
    amount: Decimal,
    paid_on: datetime.date,
    channel: str,
    bank_reference: str | None = None,
    receipt_number: str = "",
    import_sha256: str = "",
) -> Applied:
    """Write one payment on a locked case (a step of the caller's transaction, no event of its own):
    the payment row with its surcharge part, the case's paid total, and the "paid" step once fine,
    confiscation and surcharge due are covered (APL Art. 67, 72)."""
    previous = case.payments.aggregate(total=Sum("amount"), surcharge=Sum("surcharge"), last=Max("paid_on"))
    paid_before = previous["total"] or Decimal(0)
    settled_on = max(paid_on, previous["last"] or paid_on)
    surcharge_due = surcharge_on(case, settled_on)
    to_principal = min(amount, max(principal(case) - paid_before, Decimal(0)))
    surcharge_part = min(amount - to_principal, max(surcharge_due - (previous["surcharge"] or 0), Decimal(0)))
    payment = Payment.objects.create(
        case=case,
        notice=notice,
        amount=amount,
        surcharge=surcharge_part,
        paid_on=paid_on,
        channel=channel,
        bank_reference=bank_reference or None,
        receipt_number=receipt_number,
        import_sha256=import_sha256,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    paid_total = paid_before + amount
    Case.objects.filter(pk=case.pk).update(paid_amount=paid_total)
    case.refresh_from_db()
    required = principal(case) + surcharge_due
    transition = case.state in PAYABLE_STATES and paid_total >= required
    if transition:
        case = perform(actor=actor, case=case, action="paid", system=True, record=False)
    return Applied(payment, case, paid_total, required, transition)


def _record(actor: Any, applied: Applied, before: str, **extra: Any) -> None:
    payment = applied.payment
    record_event(
        actor=actor,
        action="case.payment",
        obj=applied.case,
        before={"state": before},
        after={
            "payment": payment.pk,
            "channel": payment.channel,
            "amount": str(payment.amount),
            "surcharge": str(payment.surcharge),
            "paid_on": payment.paid_on.isoformat(),
            "bank_reference": payment.bank_reference,
            "receipt_number": payment.receipt_number,
            "paid_total": str(applied.paid_total),
            "required": str(applied.required),
            "transition": "paid" if applied.transition else None,
            "state": applied.case.state,
            **extra,
        },
    )


def _check_paid_on(paid_on: Any, notice: PaymentNotice | None) -> datetime.date:
    if not isinstance(paid_on, datetime.date):
        raise _refuse(_("请填写正确的缴款日期。"), field="paid_on", code=ErrorCode.REQUIRED)
    if paid_on > timezone.localdate():
        raise _refuse(_("缴款日期不能晚于今天。"), field="paid_on")
    if notice is not None and paid_on < timezone.localdate(notice.issued_at):
        raise _refuse(_("缴款日期不能早于缴款通知书开具日期。"), field="paid_on")
    return paid_on


def _notice_for(actor: Any, case: Case | None, payment_code: str) -> PaymentNotice:
    from zhifa.org.scoping import editable

    code = (payment_code or "").replace(" ", "").strip()
    if code:
        notice = editable(PaymentNotice.objects.all(), actor).filter(payment_code=code).first()
        if notice is None or (case is not None and notice.case_id != case.pk):
            raise _refuse(_("缴款码不存在。"), field="payment_code", code=ErrorCode.NOT_FOUND)
        return notice
    if case is None:
        raise _refuse(_("请填写缴款码。"), field="payment_code", code=ErrorCode.REQUIRED)
    notice = case.payment_notices.order_by("-issued_at").first()
    if notice is None:
        raise _refuse(_("请先开具缴款通知书。"), field="payment_code", code=ErrorCode.INVALID_STATE)
    return notice


def payment_record_bank(
    *,
    actor: Any,
    case: Case | None = None,
    payment_code: str = "",
    amount: Any,
    paid_on: datetime.date,
    bank_reference: str,
    receipt_number: str = "",
) -> Payment:
    """Record the collecting bank's confirmation of a payment, entered by hand (APL Art. 67). The bank's
    flow number is unique: the same confirmation is never counted twice."""
    reference = (bank_reference or "").strip()
    receipt = (receipt_number or "").strip()
    value = parse_amount(amount)
    if value is None:
        raise _refuse(_("金额须为大于0、最多两位小数的数字。"), field="amount")
    if not reference:
        raise _refuse(_("请填写银行流水号。"), field="bank_reference", code=ErrorCode.REQUIRED)
    if len(reference) > 64 or len(receipt) > 40:
        raise _refuse(_("银行流水号或票据号码过长。"), field="bank_reference")
    notice = _notice_for(actor, case, payment_code)
    paid_on = _check_paid_on(paid_on, notice)
    try:
        with transaction.atomic():
            locked = lock_case(actor, notice.case, verb=_("缴款登记"))
            if locked.state not in PAYABLE_STATES:
                raise _refuse(
                    _("案件当前处于“%(state)s”，不能登记缴款。") % {"state": locked.get_state_display()},
                    field="case",
                    code=ErrorCode.INVALID_STATE,
                )
            if Payment.objects.filter(bank_reference=reference).exists():
                raise _refuse(
                    _("该银行流水号已登记，不能重复入账。"), field="bank_reference", code=ErrorCode.DUPLICATE
                )
            before = locked.state
            applied = apply_payment(
                actor,
                locked,
                notice=notice,
                amount=value,
                paid_on=paid_on,
                channel=PaymentChannel.BANK,
                bank_reference=reference,
                receipt_number=receipt,
            )
            _record(actor, applied, before, payment_code=notice.payment_code)
            refresh_next_due(applied.case)
    except IntegrityError:
        raise _refuse(
            _("该银行流水号已登记，不能重复入账。"), field="bank_reference", code=ErrorCode.DUPLICATE
        ) from None
    return applied.payment


@dataclass(frozen=True)
class CashReceipt:
    """A cash payment on the spot and the day by which the cash must reach the agency (APL Art. 71)."""

    payment: Payment
    hand_in_by: datetime.date


def cash_problems(case: Case, *, ground: str = "", reason: str = "") -> list[str]:
    """Why cash may not be taken on the spot for `case` (APL Art. 67-69); empty when it may."""
    if case.procedure != Procedure.SIMPLIFIED:
        return [
            _(
                "普通程序案件的罚款由当事人到指定银行或通过电子支付系统缴纳，执法人员不得自行收缴（《行政处罚法》第六十七条）。"
            )
        ]
    if ground not in CASH_GROUNDS:
        return [_("当场收缴的情形不正确。")]
    fine = case.fine_amount or Decimal(0)
    allowed = rules.cash_allowed(
        simplified=True, fine=fine, hard_to_collect=ground == "hard_to_collect", remote=ground == "remote"
    )
    if not allowed:
        return [
            _(
                "罚款超过%(limit)s元，只有不当场收缴事后难以执行（《行政处罚法》第六十八条第（二）项）或在边远、水上、交通不便地区当事人提出（第六十九条）时才能当场收缴，并须写明理由。"
            )
            % {"limit": rules.CASH_ON_THE_SPOT_LIMIT}
        ]
    if ground and not reason.strip():
        return [_("请写明当场收缴的理由（%(article)s）。") % {"article": CASH_GROUNDS[ground]}]
    return []


def payment_record_cash(
    *, actor: Any, case: Case, amount: Any, receipt_number: str, reason: str = "", ground: str = ""
) -> CashReceipt:
    """Record a fine collected in cash on the spot, only where APL Art. 68-69 allow it (see
    `cash_problems`), with the official receipt's number (Art. 70); the officer hands the cash to the
    agency within 2 working days (Art. 71: the agency pays it into the bank within 2 more)."""
    receipt = (receipt_number or "").strip()
    reason = (reason or "").strip()
    value = parse_amount(amount)
    with transaction.atomic():
        locked = lock_case(actor, case, verb=_("当场收缴"))
        problems = cash_problems(locked, ground=ground, reason=reason)
        if problems:
            raise _refuse(problems[0], field="reason" if ground else "case", code=ErrorCode.NOT_ALLOWED)
        if locked.state not in PAYABLE_STATES:
            raise _refuse(
                _("案件当前处于“%(state)s”，不能登记缴款。") % {"state": locked.get_state_display()},
                field="case",
                code=ErrorCode.INVALID_STATE,
            )
        if value is None:
            raise _refuse(_("金额须为大于0、最多两位小数的数字。"), field="amount")
        outstanding = principal(locked) - locked.paid_amount
        if value > outstanding:
            raise _refuse(_("金额超过未缴罚款%(n)s元。") % {"n": outstanding}, field="amount")
        if not receipt:
            raise _refuse(
                _("当场收缴罚款须出具专用票据，请填写票据号码（《行政处罚法》第七十条）。"),
                field="receipt_number",
                code=ErrorCode.REQUIRED,
            )
        clash = Q(channel=PaymentChannel.ON_THE_SPOT, receipt_number=receipt, case__agency=locked.agency_id)
        if len(receipt) > 40 or Payment.objects.filter(clash).exists():
            raise _refuse(_("该票据号码已使用。"), field="receipt_number", code=ErrorCode.DUPLICATE)
        today = timezone.localdate()
        before = locked.state
        applied = apply_payment(
            actor,
            locked,
            notice=None,
            amount=value,
            paid_on=today,
            channel=PaymentChannel.ON_THE_SPOT,
            receipt_number=receipt,
        )
        hand_in_by = add_working_days(today, 2)
        _record(actor, applied, before, ground=ground, reason=reason, hand_in_by=hand_in_by.isoformat())
        refresh_next_due(applied.case)
    return CashReceipt(applied.payment, hand_in_by)
