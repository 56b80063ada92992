"""Certificate pages through the Django test client: list, detail, issue, actions, monthly review,
print/PDF, and the public verification page (no login, nothing beyond the listed facts)."""

from __future__ import annotations

import datetime
import re
import zlib

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.core.models import Event
from zhifa.org.models import Certificate, CertificateStatus, PersonStatus, RoleCode

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def justice_client(county) -> Client:
    return client_for(county.user(RoleCode.JUSTICE_BUREAU, "county"))


def cert(number: str = "3501t00001") -> Certificate:
    return Certificate.objects.get(number=number)


def test_list_is_scoped_and_filterable(county):
    client = client_for(county.user(RoleCode.OFFICER, "t0"))
    html = client.get(reverse("certificate-list")).content.decode()
    assert "3501t00001" in html and "3501t10001" not in html
    justice = client_for(county.user(RoleCode.JUSTICE_BUREAU, "county"))
    html = justice.get(reverse("certificate-list"), {"q": "t1"}).content.decode()
    assert "3501t10001" in html and "3501t00001" not in html
    html = justice.get(reverse("certificate-list"), {"domain": "market"}).content.decode()
    assert "3501t00001" not in html
    Certificate.objects.filter(number="3501t10001").update(valid_to=TODAY + 5 * DAY)
    html = justice.get(reverse("certificate-list"), {"expiring": "1"}).content.decode()
    assert "3501t10001" in html and "3501t00001" not in html


@pytest.mark.parametrize(
    "name",
    ["certificate-detail", "certificate-print", "certificate-pdf", "certificate-revoke", "certificate-renew"],
)
def test_another_townships_certificate_by_id_is_404(county, name):
    """Issue 2 point 5: another township's certificate by id gives 404 and no data."""
    client = client_for(county.user(RoleCode.OFFICER, "t0"))
    response = client.get(reverse(name, args=[cert("3501t10001").pk]))
    assert response.status_code == 404
    assert b"3501t10001" not in response.content


def test_another_countys_certificate_is_404_for_the_justice_bureau(county, other_county, justice_client):
    other = Certificate.objects.get(number="3502t00001")
    assert justice_client.get(reverse("certificate-detail", args=[other.pk])).status_code == 404
    assert justice_client.post(reverse("certificate-revoke", args=[other.pk]), {}).status_code == 404


def test_officer_may_see_but_not_manage_own_certificate(county):
    client = client_for(county.user(RoleCode.OFFICER, "t0"))
    pk = cert().pk
    assert client.get(reverse("certificate-detail", args=[pk])).status_code == 200
    assert client.post(reverse("certificate-revoke", args=[pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("certificate-issue")).status_code == 403
    assert client.get(reverse("certificate-review")).status_code == 404  # others: 404


def test_issue_page(county, justice_client):
    holder = county.person(RoleCode.TEAM_LEADER, "t0")
    url = reverse("certificate-issue") + f"?holder={holder.pk}"
    html = justice_client.get(url).content.decode()
    assert f'value="{holder.pk}" selected' in html
    response = justice_client.post(
        url,
        {
            "holder": holder.pk,
            "number": "NEW-1",
            "issuer": "测试省人民政府",
            "domains": [county.domains["urban"].pk],
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY + 365 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Certificate.objects.get(number="NEW-1").holder == holder


def test_issue_page_shows_duplicate_number_on_its_field(county, justice_client):
    holder = county.person(RoleCode.TEAM_LEADER, "t0")
    response = justice_client.post(
        reverse("certificate-issue"),
        {
            "holder": holder.pk,
            "number": "3501t00001",
            "issuer": "省",
            "domains": [county.domains["urban"].pk],
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY + DAY).isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-number"' in html and "证件编号已存在" in html


def test_suspend_reinstate_revoke_through_pages(county, justice_client):
    pk = cert().pk
    for name, status in (
        ("certificate-suspend", "suspended"),
        ("certificate-reinstate", "valid"),
        ("certificate-revoke", "revoked"),
    ):
        url = reverse(name, args=[pk])
        assert justice_client.get(url).status_code == 200
        response = justice_client.post(
            url, {"date": TODAY.isoformat(), "reason": "原因", "version": cert().version}
        )
        assert response.status_code == 302, response.content.decode()[:500]
        assert cert().status == status
    # Revoked: reinstating is refused with a Chinese message, not a 500.
    response = justice_client.post(
        reverse("certificate-reinstate", args=[pk]),
        {"date": TODAY.isoformat(), "reason": "x", "version": cert().version},
    )
    assert response.status_code == 200 and "只有暂扣中的证件可以恢复" in response.content.decode()


def test_renew_and_expire_through_pages(county, justice_client):
    Certificate.objects.filter(number="3501t10001").update(valid_to=TODAY - DAY)
    pk = cert("3501t10001").pk
    response = justice_client.post(
        reverse("certificate-expire", args=[pk]),
        {"version": cert("3501t10001").version, "next": reverse("certificate-review")},
    )
    assert response.status_code == 302 and response.url == reverse("certificate-review")
    assert cert("3501t10001").status == CertificateStatus.EXPIRED
    html = justice_client.get(reverse("certificate-renew", args=[pk])).content.decode()
    assert 'name="valid_to"' in html
    new_end = TODAY + 1000 * DAY
    response = justice_client.post(
        reverse("certificate-renew", args=[pk]),
        {
            "valid_to": new_end.isoformat(),
            "date": TODAY.isoformat(),
            "reason": "",
            "version": cert("3501t10001").version,
        },
    )
    assert response.status_code == 302
    assert (cert("3501t10001").status, cert("3501t10001").valid_to) == ("valid", new_end)


def test_open_redirect_is_refused(county, justice_client):
    pk = cert().pk
    response = justice_client.post(
        reverse("certificate-suspend", args=[pk]),
        {"date": TODAY.isoformat(), "reason": "x", "version": 1, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("certificate-detail", args=[pk])


def test_review_page_lists_reasons_and_actions_with_constant_queries(county, justice_client):
    retired = county.person(RoleCode.OFFICER, "t1")
    Certificate.objects.filter(holder=retired).update(valid_to=TODAY + 3 * DAY)
    retired.status, retired.status_date = PersonStatus.RETIRED, TODAY
    retired.save()
    url = reverse("certificate-review")
    html = justice_client.get(url).content.decode()
    assert 'data-certificate="3501t10001"' in html and "holder_inactive" in html
    assert "3501t00001" not in html
    assert reverse("certificate-revoke", args=[cert("3501t10001").pk]) in html

    def run() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert justice_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = run()
    holder = county.person(RoleCode.TEAM_LEADER, "t0")
    for i in range(15):
        c = Certificate.objects.create(
            number=f"R-{i}", holder=holder, issuer="省", valid_from=TODAY - DAY, valid_to=TODAY + 10 * DAY
        )
        c.domains.set([county.domains["urban"]])
    assert run() == few


def test_expire_overdue_button_is_scoped(county, other_county, justice_client):
    Certificate.objects.filter(number__in=["3501t00001", "3502t00001"]).update(valid_to=TODAY - DAY)
    events = Event.objects.count()
    assert justice_client.post(reverse("certificate-expire-overdue")).status_code == 302
    assert cert("3501t00001").status == "expired"
    assert cert("3502t00001").status == "valid"  # another county's: not touched
    assert Event.objects.count() == events + 1


def test_print_page_has_qr_code_to_public_url(county, justice_client):
    response = justice_client.get(reverse("certificate-print", args=[cert().pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "3501t00001" in html
    assert settings.ZHIFA_PUBLIC_BASE_URL.rstrip("/") + "/verify/3501t00001/" in html
    assert county.person(RoleCode.OFFICER, "t0").name in html and "城市管理" in html


def _pdf_text_blobs(pdf: bytes) -> bytes:
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"".join(out)


def test_pdf_is_a_real_pdf_with_the_number(county, justice_client):
    response = justice_client.get(reverse("certificate-pdf", args=[cert().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and len(pdf) > 1024
    # The number is the document title (PDF metadata) inside a compressed object stream: a literal
    # string when ASCII, else UTF-16 hex. The page text itself is glyph ids of the subset CJK font.
    blobs = _pdf_text_blobs(pdf)
    assert b"(3501t00001)" in blobs or ("feff" + "3501t00001".encode("utf-16-be").hex()).encode() in blobs
    # Chinese text needs an embedded CJK font (fonts-noto-cjk), else it prints as empty boxes.
    assert b"Noto-Sans-CJK-SC" in blobs


def test_verify_form_redirects_to_number_page():
    response = Client().get(reverse("certificate-verify"), {"number": " 3501t00001 "})
    assert response.status_code == 302 and response.url == "/verify/3501t00001/"
    assert Client().get(reverse("certificate-verify")).status_code == 200


def test_verify_shows_only_public_facts(county):
    """GO118 (五) / PIPL Art. 34: valid or not, holder name, domains, validity; nothing else."""
    holder = county.person(RoleCode.OFFICER, "t0")
    holder.phone = "13912345678"
    holder.save()
    response = Client().get(reverse("certificate-verify-number", args=["3501t00001"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-valid="true"' in html and "证件有效" in html
    assert holder.name in html and "城市管理" in html
    assert "13912345678" not in html
    assert holder.agency.name not in html and holder.team.name not in html
    assert "测试省人民政府" not in html  # issuer internals are not shown either
    assert reverse("person-detail", args=[holder.pk]) not in html


def test_verify_revoked_is_red(county):
    justice = county.user(RoleCode.JUSTICE_BUREAU, "county")
    from zhifa.org.services.certificates import certificate_revoke

    certificate_revoke(actor=justice, certificate=cert(), reason="违纪")
    html = Client().get(reverse("certificate-verify-number", args=["3501t00001"])).content.decode()
    assert 'data-valid="false"' in html and "已注销" in html and "违纪" not in html


def test_verify_unknown_number_is_a_friendly_200(db):
    for number in ("NOPE", "x" * 60, "<script>"):
        response = Client().get(reverse("certificate-verify-number", args=[number]))
        assert response.status_code == 200
        assert "未找到该证件" in response.content.decode()
