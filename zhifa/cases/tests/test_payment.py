"""Payment apart from the decision (罚缴分离, APL Art. 67-73): the notice with the non-tax payment code,
the bank's confirmation, cash only where Art. 68-69 allow it, and the surcharge (Art. 72-73)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.cases.models import CaseState, DocType, Payment, PaymentChannel, RemedyKind, RemedyProceeding
from zhifa.cases.selectors.execution import payment_context
from zhifa.cases.services.payment import (
    code_valid,
    luhn_digit,
    payment_notice_issue,
    payment_record_bank,
    payment_record_cash,
)
from zhifa.cases.tests.execution_factories import (
    FINE,
    decided_case,
    document_of,
    events,
    executing_case,
    overdue,
    spot_case,
)
from zhifa.core.calendar import add_working_days
from zhifa.core.errors import ErrorCode, ServiceError


def _bank(world, case, amount, reference, **kwargs):
    values = {
        "actor": world.officer,
        "case": case,
        "amount": amount,
        "paid_on": timezone.localdate(),
        "bank_reference": reference,
        "receipt_number": "FS0001",
    }
    values.update(kwargs)
    return payment_record_bank(**values)


# --- the notice ---------------------------------------------------------------------------------


def test_luhn_check_digit():
    assert luhn_digit("7992739871") == "3"  # the textbook example
    assert code_valid("3501020012345678901"[:19] + luhn_digit("3501020012345678901"[:19]))


def test_notice_carries_a_20_digit_payment_code_and_the_due_date(world, media):
    """APL Art. 67: amount, non-tax payment code and the payment period on the notice."""
    case = spot_case(world, fine="150")
    notice = payment_notice_issue(actor=world.officer, case=case)
    code = notice.payment_code
    year = timezone.localdate().year % 100
    assert len(code) == 20 and code.isdigit() and code_valid(code)
    assert code.startswith(f"{case.agency.region.adcode[:6]}{year:02d}1")
    wrong = code[:-2] + str((int(code[-2]) + 1) % 10) + code[-1]
    assert not code_valid(wrong)
    assert notice.amount == Decimal("150.00") and notice.due_on == case.payment_due_on
    document = document_of(case, DocType.PAYMENT_NOTICE)
    assert document.fields["payment_code"] == code
    with pytest.raises(ServiceError) as caught:
        payment_notice_issue(actor=world.officer, case=case)
    assert caught.value.code == ErrorCode.DUPLICATE
    other = payment_notice_issue(actor=world.officer, case=spot_case(world, fine="100"))
    assert int(other.payment_code[9:19]) == int(code[9:19]) + 1


def test_notice_waits_for_the_decision_to_be_served(world, media):
    case = decided_case(world)
    with pytest.raises(ServiceError) as caught:
        payment_notice_issue(actor=world.officer, case=case)
    assert "第六十七条" in caught.value.message


# --- bank confirmation --------------------------------------------------------------------------


def test_full_payment_moves_the_case_to_executed(world, media):
    case = executing_case(world)
    payment_notice_issue(actor=world.officer, case=case)
    before = len(events(case))
    payment = _bank(world, case, "8000", "BK-1")
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTED and case.paid_amount == FINE
    assert payment.channel == PaymentChannel.BANK and payment.surcharge == 0
    new = events(case)[before:]
    assert [e.action for e in new] == ["case.payment"] and '"transition":"paid"' in new[0].data


def test_partial_payment_leaves_the_case_in_execution(world, media):
    case = executing_case(world)
    payment_notice_issue(actor=world.officer, case=case)
    _bank(world, case, "3000", "BK-1")
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTING and case.paid_amount == Decimal("3000.00")
    _bank(world, case, "5000.00", "BK-2")
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTED


def test_a_bank_flow_number_is_recorded_once(world, media):
    case = executing_case(world)
    payment_notice_issue(actor=world.officer, case=case)
    _bank(world, case, "100", "BK-1")
    with pytest.raises(ServiceError) as caught:
        _bank(world, case, "100", "BK-1")
    assert caught.value.code == ErrorCode.DUPLICATE and caught.value.field == "bank_reference"
    assert Payment.objects.filter(case=case).count() == 1


def test_a_bank_payment_needs_the_notice_and_a_valid_amount_and_date(world, media):
    case = executing_case(world)
    with pytest.raises(ServiceError) as caught:
        _bank(world, case, "100", "BK-1")
    assert "缴款通知书" in caught.value.message
    payment_notice_issue(actor=world.officer, case=case)
    for amount in ("0", "-5", "abc", "1.234"):
        with pytest.raises(ServiceError) as caught:
            _bank(world, case, amount, "BK-1")
        assert caught.value.field == "amount"
    with pytest.raises(ServiceError) as caught:
        _bank(world, case, "100", "BK-1", paid_on=timezone.localdate() + datetime.timedelta(days=1))
    assert caught.value.field == "paid_on"
    assert not Payment.objects.filter(case=case).exists()


def test_late_payment_must_also_cover_the_surcharge(world, media):
    """APL Art. 72: 3% of the fine per day after the due date."""
    case = executing_case(world)
    payment_notice_issue(actor=world.officer, case=case)
    overdue(case, 5)
    _bank(world, case, "8000", "BK-1")
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTING  # 1,200 of surcharge still due
    payment = _bank(world, case, "1200", "BK-2")
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTED and payment.surcharge == Decimal("1200.00")


# --- cash on the spot ---------------------------------------------------------------------------


def test_cash_is_refused_for_a_general_procedure_case(world, media):
    """APL Art. 67: the deciding agency does not collect the fine itself."""
    case = executing_case(world)
    with pytest.raises(ServiceError) as caught:
        payment_record_cash(
            actor=world.officer, case=case, amount="8000", receipt_number="R1", reason="当事人要求"
        )
    assert caught.value.code == ErrorCode.NOT_ALLOWED and "第六十七条" in caught.value.message
    assert not Payment.objects.filter(case=case).exists()


def test_cash_above_100_needs_a_ground_and_its_reason(world, media):
    """APL Art. 68(2), 69: above CNY 100 only when hard to collect or in a remote area, with a reason."""
    case = spot_case(world, fine="150")
    with pytest.raises(ServiceError) as caught:
        payment_record_cash(actor=world.officer, case=case, amount="150", receipt_number="R1")
    assert "第六十八条" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        payment_record_cash(
            actor=world.officer, case=case, amount="150", receipt_number="R1", ground="hard_to_collect"
        )
    assert caught.value.field == "reason"
    assert not Payment.objects.filter(case=case).exists()
    receipt = payment_record_cash(
        actor=world.officer,
        case=case,
        amount="150",
        receipt_number="R1",
        ground="hard_to_collect",
        reason="当事人为外地流动商贩，事后难以执行",
    )
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTED
    assert receipt.payment.channel == PaymentChannel.ON_THE_SPOT
    assert receipt.hand_in_by == add_working_days(timezone.localdate(), 2)  # APL Art. 71


def test_cash_up_to_100_needs_the_official_receipt(world, media):
    """APL Art. 68(1), 70."""
    case = spot_case(world, fine="50")
    with pytest.raises(ServiceError) as caught:
        payment_record_cash(actor=world.officer, case=case, amount="50", receipt_number="")
    assert "第七十条" in caught.value.message
    payment_record_cash(actor=world.officer, case=case, amount="50", receipt_number="R9")
    other = spot_case(world, fine="60")
    with pytest.raises(ServiceError) as caught:
        payment_record_cash(actor=world.officer, case=other, amount="60", receipt_number="R9")
    assert caught.value.code == ErrorCode.DUPLICATE


# --- the surcharge as shown ----------------------------------------------------------------------


def test_surcharge_shown_is_capped_at_the_fine(world, media):
    """APL Art. 72(1): 3% per day, never above the fine."""
    case = overdue(spot_case(world, fine="150"), 40)
    view = payment_context(world.officer, case)["payment"]
    assert view.days_late == 40 and view.surcharge_days == 40
    assert view.surcharge == Decimal("150.00") and view.surcharge_capped
    assert view.total_due == Decimal("300.00") and view.outstanding == Decimal("300.00")


def test_surcharge_does_not_accrue_during_reconsideration(world, media):
    """APL Art. 73: no surcharge while reconsideration or litigation runs."""
    case = overdue(spot_case(world, fine="150"), 40)
    due = case.payment_due_on
    RemedyProceeding.objects.create(
        case=case,
        kind=RemedyKind.RECONSIDERATION,
        started_on=due + datetime.timedelta(days=1),
        ended_on=due + datetime.timedelta(days=30),
        body="测试县人民政府",
    )
    view = payment_context(world.officer, case)["payment"]
    assert view.days_late == 40 and view.surcharge_days == 10
    assert view.surcharge == Decimal("45.00") and not view.surcharge_capped
    assert len(view.paused) == 1
