"""Payment pages: the workspace section with the surcharge, the bank entry, the cash form only where the
law allows it (no page marks a general-procedure fine as received, APL Art. 67), the import page for
leaders and administrators, outsiders 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import CaseState, Payment
from zhifa.cases.services.payment import payment_notice_issue
from zhifa.cases.tests.execution_factories import executing_case, overdue, spot_case
from zhifa.org.models import RoleCode


def _page(client, case) -> str:
    response = client.get(reverse("case-payment", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_outsiders_get_404_on_the_payment_pages(client, world, media):
    case = spot_case(world)
    client.force_login(world.county.user(RoleCode.OFFICER, "t1"))
    assert client.get(reverse("case-payment", args=[case.pk])).status_code == 404
    for name in ("case-payment-notice", "case-payment-bank", "case-payment-cash"):
        assert client.post(reverse(name, args=[case.pk]), {"amount": "50"}).status_code == 404
    assert not Payment.objects.exists()


def test_the_import_page_is_for_leaders_and_administrators(client, world, media):
    client.force_login(world.officer)
    assert client.get(reverse("payment-import")).status_code == 404
    client.force_login(world.leader)
    assert client.get(reverse("payment-import")).status_code == 200
    client.force_login(world.county.user(RoleCode.ADMIN, "t0"))
    assert client.get(reverse("payment-import")).status_code == 200


def test_a_general_case_has_no_cash_form_and_cash_is_refused(client, world, media):
    case = executing_case(world)
    client.force_login(world.officer)
    html = _page(client, case)
    assert 'data-testid="payment-bank-form"' in html and 'data-testid="payment-cash-form"' not in html
    data = {"amount": "8000", "receipt_number": "R1", "ground": "", "reason": "当事人要求当场缴纳"}
    response = client.post(reverse("case-payment-cash", args=[case.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="cash-error"' in html
    assert "执法人员不得自行收缴（《行政处罚法》第六十七条）" in html
    assert not Payment.objects.filter(case=case).exists()


def test_notice_then_bank_entry_execute_the_case(client, world, media):
    case = executing_case(world)
    client.force_login(world.officer)
    assert client.post(reverse("case-payment-notice", args=[case.pk])).status_code == 302
    notice = case.payment_notices.get()
    assert notice.payment_code in _page(client, case)
    data = {
        "amount": "8000.00",
        "paid_on": timezone.localdate().isoformat(),
        "bank_reference": "BK-100",
        "receipt_number": "FS1",
    }
    response = client.post(reverse("case-payment-bank", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTED
    again = client.post(reverse("case-payment-bank", args=[case.pk]), data)
    assert again.status_code == 400 and "不能登记缴款" in again.content.decode()


def test_the_section_shows_the_capped_surcharge_with_its_articles(client, world, media):
    case = overdue(spot_case(world, fine="150"), 40)
    client.force_login(world.officer)
    html = _page(client, case)
    assert 'data-testid="pay-days-late">40<' in html
    assert 'data-testid="pay-surcharge" data-days="40">150.00' in html
    assert 'data-testid="pay-capped"' in html and "第七十二条" in html and "第七十三条" in html
    assert 'data-testid="payment-cash-form"' in html  # simplified procedure


def test_upload_preview_and_confirm_the_bank_file(client, world, media):
    notice = payment_notice_issue(actor=world.officer, case=spot_case(world, fine="150"))
    today = timezone.localdate().isoformat()
    content = (
        f"缴款码,金额,缴款日期,银行流水号,票据号码\n{notice.payment_code},150,{today},BK-1,P1\n".encode()
    )
    client.force_login(world.leader)
    url = reverse("payment-import")
    bad = content + f"{notice.payment_code},x,{today},BK-2,\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("bank.csv", bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="3" data-column="金额"' in html and 'data-testid="confirm-form"' not in html
    response = client.post(url, {"file": SimpleUploadedFile("bank.csv", content)})
    assert response.status_code == 200 and not Payment.objects.exists()
    token = response.context["token"]
    done = client.post(url, {"token": token, "action": "commit"})
    assert done.status_code == 302
    notice.case.refresh_from_db()
    assert notice.case.state == CaseState.EXECUTED and Payment.objects.count() == 1


@pytest.mark.parametrize("fine", ["50"])
def test_cash_on_the_spot_from_the_page(client, world, media, fine):
    case = spot_case(world, fine=fine)
    client.force_login(world.officer)
    data = {"amount": fine, "receipt_number": "R77", "ground": "", "reason": ""}
    response = client.post(reverse("case-payment-cash", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTED
