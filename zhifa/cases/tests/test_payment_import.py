"""Importing the collecting bank's payment file (APL Art. 67): every problem by row and column before
anything is written, then all rows in one transaction with one record event carrying the file's hash."""

from __future__ import annotations

import datetime
import hashlib
import io

import openpyxl
import pytest
from django.utils import timezone

from zhifa.cases import payment_import as rules
from zhifa.cases.models import CaseState, Payment, PaymentChannel
from zhifa.cases.payment_import import payment_import
from zhifa.cases.services.payment import luhn_digit, payment_notice_issue, payment_record_bank
from zhifa.cases.tests.execution_factories import spot_case
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import RoleCode

HEADER = "缴款码,金额,缴款日期,银行流水号,票据号码"


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\n".join((HEADER, *lines)).encode(encoding)


@pytest.fixture
def notices(world, media):
    """Two simplified cases in execution (fines 150 and 60), each with its payment notice."""
    return [
        payment_notice_issue(actor=world.officer, case=spot_case(world, fine=fine)) for fine in ("150", "60")
    ]


def test_preview_names_every_problem_by_row_and_column(world, notices):
    first, second = notices
    payment_record_bank(
        actor=world.officer,
        case=second.case,
        amount="10",
        paid_on=timezone.localdate(),
        bank_reference="OLD-1",
    )
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    unknown = first.payment_code[:-1] + str((int(first.payment_code[-1]) + 1) % 10)
    never = first.payment_code[:9] + "9999999999"
    never += luhn_digit(never)
    content = _csv(
        f"{first.payment_code},150,{today},BK-1,P1",  # row 2: good
        f"{unknown},150,{today},BK-2,",  # row 3: code's check digit wrong
        f"{second.payment_code},abc,{today},BK-3,",  # row 4: amount not a number
        f"{second.payment_code},0,{today},BK-4,",  # row 5: amount not positive
        f"{second.payment_code},10,2026-13-01,BK-5,",  # row 6: not a date
        f"{second.payment_code},10,{tomorrow},BK-6,",  # row 7: in the future
        f"{second.payment_code},10,{today},BK-1,",  # row 8: flow number twice in the file
        f"{second.payment_code},10,{today},OLD-1,",  # row 9: flow number already recorded
        f"{never},10,{today},BK-9,",  # row 10: well-formed code nobody issued
    )
    result = payment_import(actor=world.leader, filename="bank.csv", content=content, commit=True)
    assert not result.committed
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "缴款码"),
        (4, "金额"),
        (5, "金额"),
        (6, "缴款日期"),
        (7, "缴款日期"),
        (8, "银行流水号"),
        (9, "银行流水号"),
        (10, "缴款码"),
    }
    texts = " ".join(e.text for e in result.errors)
    assert "第8行「银行流水号」：银行流水号与第2行重复" in texts
    assert "第3行「缴款码」" in texts and "校验位不正确" in texts
    assert f"缴款码“{never}”不存在" in texts
    assert Payment.objects.filter(bank_reference="BK-1").count() == 0  # nothing written, not even row 2


def test_commit_writes_every_row_in_one_event_and_moves_paid_cases(world, notices):
    first, second = notices
    today = timezone.localdate().isoformat()
    content = _csv(
        f"{first.payment_code},150.00,{today},BK-1,P1", f"{second.payment_code},20,{today},BK-2,P2"
    )
    preview = payment_import(actor=world.leader, filename="bank.csv", content=content)
    assert preview.ok and not preview.committed and not Payment.objects.exists()
    seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    result = payment_import(actor=world.leader, filename="bank.csv", content=content, commit=True)
    assert result.committed and result.counts == {"payments": 2, "cases": 2, "paid_cases": 1}
    first.case.refresh_from_db()
    second.case.refresh_from_db()
    assert first.case.state == CaseState.EXECUTED
    assert second.case.state == CaseState.EXECUTING and second.case.paid_amount == 20
    sha = hashlib.sha256(content).hexdigest()
    assert set(Payment.objects.values_list("channel", "import_sha256")) == {(PaymentChannel.IMPORT, sha)}
    new = list(Event.objects.filter(seq__gt=seq))
    assert [e.action for e in new] == ["case.payment_import"]
    assert sha in new[0].data and '"transition":"paid"' in new[0].data


def test_reimporting_the_same_file_is_refused(world, notices):
    first, _second = notices
    content = _csv(f"{first.payment_code},50,{timezone.localdate().isoformat()},BK-1,")
    payment_import(actor=world.leader, filename="bank.csv", content=content, commit=True)
    again = payment_import(actor=world.leader, filename="bank.csv", content=content, commit=True)
    assert not again.committed and again.errors[0].column == "银行流水号"
    assert Payment.objects.count() == 1


def test_gbk_csv_and_xlsx_are_read(world, notices):
    first, second = notices
    day = timezone.localdate()
    gbk = _csv(f"{first.payment_code},10,{day:%Y/%m/%d},BK-1,", encoding="gbk")
    assert payment_import(actor=world.leader, filename="bank.csv", content=gbk).ok
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append([second.payment_code, 10.5, datetime.datetime.combine(day, datetime.time()), "BK-2", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = payment_import(actor=world.leader, filename="bank.xlsx", content=buffer.getvalue(), commit=True)
    assert result.committed
    assert Payment.objects.get(bank_reference="BK-2").amount == 10.5


def test_only_leaders_and_administrators_import_and_only_their_own_codes(world, notices):
    first, _second = notices
    content = _csv(f"{first.payment_code},10,{timezone.localdate().isoformat()},BK-1,")
    with pytest.raises(ServiceError) as caught:
        payment_import(actor=world.officer, filename="bank.csv", content=content)
    assert caught.value.code == ErrorCode.NOT_ALLOWED
    assert payment_import(actor=world.county.user(RoleCode.ADMIN, "t0"), filename="b.csv", content=content).ok
    other = payment_import(
        actor=world.county.user(RoleCode.TEAM_LEADER, "t1"), filename="b.csv", content=content
    )
    assert [(e.row, e.column) for e in other.errors] == [(2, "缴款码")]  # another township's code: unknown


def test_a_clash_at_commit_leaves_nothing_written(world, notices, monkeypatch):
    """All or nothing: when the bank's flow number was entered by hand after the check (simulated by a
    check that did not see it), the database's unique constraint refuses the batch and row 2 is not kept
    either."""
    first, second = notices
    payment_record_bank(
        actor=world.officer,
        case=second.case,
        amount="10",
        paid_on=timezone.localdate(),
        bank_reference="RACE",
    )
    lookups = rules._lookups
    monkeypatch.setattr(rules, "_lookups", lambda actor, table: (lookups(actor, table)[0], set()))
    today = timezone.localdate().isoformat()
    content = _csv(f"{first.payment_code},150,{today},BK-1,", f"{second.payment_code},50,{today},RACE,")
    with pytest.raises(ServiceError) as caught:
        payment_import(actor=world.leader, filename="bank.csv", content=content, commit=True)
    assert caught.value.code == ErrorCode.CONFLICT
    first.case.refresh_from_db()
    assert first.case.state == CaseState.EXECUTING and first.case.paid_amount == 0
    assert not Payment.objects.filter(bank_reference="BK-1").exists()
    assert not Event.objects.filter(action="case.payment_import").exists()
