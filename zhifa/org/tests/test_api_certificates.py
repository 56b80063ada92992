"""The certificate JSON API: filters, history, the public verification and revoking."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from zhifa.core.api_testing import API, ids, token_client
from zhifa.org.models import Certificate, CertificateStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def admin(county):
    return token_client(county.user("admin", "county"))


# --- Certificates ---------------------------------------------------------------------------------


def make_certificate(
    county,
    number: str,
    *,
    valid_to: datetime.date,
    status: str = CertificateStatus.VALID,
    domain: str = "market",
    place: str = "t0",
) -> Certificate:
    cert = Certificate.objects.create(
        number=number,
        holder=county.person("team_leader", place),
        issuer="测试省人民政府",
        valid_from=TODAY - datetime.timedelta(days=400),
        valid_to=valid_to,
        status=status,
    )
    cert.domains.set([county.domains[domain]])
    return cert


def test_certificate_filters(county, admin):
    soon = make_certificate(county, "C-SOON", valid_to=TODAY + datetime.timedelta(days=10))
    lapsed = make_certificate(county, "C-LAPSED", valid_to=TODAY - datetime.timedelta(days=1))
    revoked = make_certificate(
        county,
        "C-REVOKED",
        valid_to=TODAY + datetime.timedelta(days=99),
        status=CertificateStatus.REVOKED,
        domain="ecology",
    )
    expiring = ids(admin.get(f"{API}/certificates", {"expiring_within_days": 30}))
    assert expiring == [soon.pk]
    # A "valid" certificate past its end date counts as expired (APL Art. 42: only valid ones count).
    expired = admin.get(f"{API}/certificates", {"status": "expired"}).json()
    assert [c["id"] for c in expired["items"]] == [lapsed.pk]
    assert expired["items"][0]["status"] == "expired" and expired["items"][0]["recorded_status"] == "valid"
    assert lapsed.pk not in ids(admin.get(f"{API}/certificates", {"status": "valid"}))
    assert ids(admin.get(f"{API}/certificates", {"domain": "ecology"})) == [revoked.pk]
    holder = county.person("officer", "t1")
    assert [c["number"] for c in admin.get(f"{API}/certificates", {"holder": holder.pk}).json()["items"]] == [
        "3501t10001"
    ]
    assert admin.get(f"{API}/certificates", {"status": "bogus"}).status_code == 422


def test_certificate_detail_has_status_history(county):
    from zhifa.org.services.certificates import certificate_suspend

    justice = county.user("justice_bureau", "county")
    cert = Certificate.objects.get(number="3501t10001")
    certificate_suspend(actor=justice, certificate=cert, reason="涉嫌违纪")
    body = token_client(justice).get(f"{API}/certificates/{cert.pk}").json()
    assert body["status"] == "suspended"
    assert body["history"] == [
        {"status": "suspended", "reason": "涉嫌违纪", "effective_date": TODAY.isoformat()}
    ]


VERIFY_KEYS = {"number", "valid", "status", "holder_name", "domains", "valid_from", "valid_to"}


def test_verify_is_public_and_exposes_only_the_listed_keys(county):
    """Issue 2, point 4: valid or not, holder name, domains; nothing else (no ids, phone, agency, history)."""
    response = Client().get(f"{API}/certificates/verify/3501t00001")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == VERIFY_KEYS
    assert body["valid"] is True and body["status"] == "valid" and body["domains"] == ["城市管理"]
    assert body["holder_name"] == county.person("officer", "t0").name


def test_verify_says_invalid_for_a_revoked_or_lapsed_certificate(county):
    make_certificate(
        county, "C-GONE", valid_to=TODAY + datetime.timedelta(days=99), status=CertificateStatus.REVOKED
    )
    make_certificate(county, "C-OLD", valid_to=TODAY - datetime.timedelta(days=1))
    gone = Client().get(f"{API}/certificates/verify/C-GONE").json()
    assert (gone["valid"], gone["status"]) == (False, "revoked")
    old = Client().get(f"{API}/certificates/verify/C-OLD").json()
    assert (old["valid"], old["status"]) == (False, "expired")
    assert set(old) == VERIFY_KEYS


def test_verify_unknown_number_is_404(county):
    response = Client().get(f"{API}/certificates/verify/NOPE-1")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "field": None, "message": "未找到该证件"}


# --- Revoke through the API (needs MANAGE_CERTIFICATES) ---------------------------------------------


def test_justice_bureau_revokes_a_certificate(county):
    cert = Certificate.objects.get(number="3501t10001")
    client = token_client(county.user("justice_bureau", "county"))
    response = client.post(
        f"{API}/certificates/{cert.pk}/revoke", {"reason": "调离执法岗位"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    assert response.json()["history"][-1]["reason"] == "调离执法岗位"
    again = client.post(
        f"{API}/certificates/{cert.pk}/revoke", {"reason": "再次"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"


def test_revoke_out_of_scope_is_404_and_in_scope_without_role_is_403(county):
    t1_cert = Certificate.objects.get(number="3501t10001")
    t0_cert = Certificate.objects.get(number="3501t00001")
    leader = token_client(county.user("team_leader", "t0"))
    body = {"reason": "测试"}
    assert (
        leader.post(
            f"{API}/certificates/{t1_cert.pk}/revoke", body, content_type="application/json"
        ).status_code
        == 404
    )
    refused = leader.post(f"{API}/certificates/{t0_cert.pk}/revoke", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    assert Certificate.objects.get(pk=t0_cert.pk).status == CertificateStatus.VALID


def test_revoke_bad_input_names_the_field(county):
    cert = Certificate.objects.get(number="3501t10001")
    client = token_client(county.user("admin", "county"))
    blank = client.post(
        f"{API}/certificates/{cert.pk}/revoke", {"reason": " "}, content_type="application/json"
    )
    assert blank.status_code == 400 and blank.json()["field"] == "reason"
    stale = client.post(
        f"{API}/certificates/{cert.pk}/revoke",
        {"reason": "调离", "version": 99},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    missing = client.post(f"{API}/certificates/{cert.pk}/revoke", {}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.VALID
