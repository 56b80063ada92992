"""Certificate services (LAW.md section 5; APL Art. 42, 52, 55, 76(5)): every change writes a history
row and exactly one event; invalid transitions are refused in Chinese and leave nothing behind."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import Certificate, CertificateStatus, CertificateStatusChange, PersonStatus, RoleCode
from zhifa.org.selectors.certificates import (
    REASON_EXPIRING,
    REASON_HOLDER_INACTIVE,
    REASON_OVERDUE,
    certificate_public,
    certificate_review,
)
from zhifa.org.services.certificate_rules import suggested_valid_to
from zhifa.org.services.certificates import (
    certificate_expire,
    certificate_expire_overdue,
    certificate_issue,
    certificate_reinstate,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
)

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def issue(county, justice, number="C-100", holder=None, valid_from=None, valid_to=None, domains=("market",)):
    return certificate_issue(
        actor=justice,
        holder=holder or county.person(RoleCode.TEAM_LEADER, "t0"),
        number=number,
        issuer="测试省人民政府",
        domains=[county.domains[d] for d in domains],
        valid_from=valid_from or TODAY - 10 * DAY,
        valid_to=valid_to or TODAY + 1000 * DAY,
    )


def history(cert) -> list[tuple[str, datetime.date]]:
    return list(
        CertificateStatusChange.objects.filter(certificate=cert)
        .order_by("effective_date", "id")
        .values_list("status", "effective_date")
    )


def test_issue_creates_certificate_history_and_one_event(county, justice):
    events = Event.objects.count()
    cert = issue(county, justice)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    assert list(cert.domains.values_list("code", flat=True)) == ["market"]
    assert history(cert) == [(CertificateStatus.VALID, TODAY - 10 * DAY)]
    assert Event.objects.count() == events + 1
    assert Event.objects.order_by("-seq").first().action == "certificate.issue"


def test_issue_to_an_inactive_person_is_refused(county, justice):
    """APL Art. 42: only staff on an enforcement post hold a certificate."""
    holder = county.person(RoleCode.TEAM_LEADER, "t0")
    holder.status, holder.status_date = PersonStatus.RETIRED, TODAY
    holder.save()
    events = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        issue(county, justice, holder=holder)
    assert (exc.value.code, exc.value.field) == (ErrorCode.INVALID_STATE, "holder")
    assert not Certificate.objects.filter(number="C-100").exists() and Event.objects.count() == events


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"number": "3501t00001"}, "number", ErrorCode.DUPLICATE),
        ({"number": "编号 1"}, "number", ErrorCode.INVALID),
        ({"domains": ()}, "domains", ErrorCode.REQUIRED),
        ({"valid_from": TODAY, "valid_to": TODAY - DAY}, "valid_to", ErrorCode.INVALID),
    ],
)
def test_issue_validation(county, justice, kwargs, field, code):
    count = Certificate.objects.count()
    with pytest.raises(ServiceError) as exc:
        issue(county, justice, **kwargs)
    assert (exc.value.field, exc.value.code) == (field, code)
    assert Certificate.objects.count() == count


def test_suspend_reinstate_revoke_each_write_history_and_one_event(county, justice):
    cert = issue(county, justice)
    for action, expected in (
        (certificate_suspend, "suspended"),
        (certificate_reinstate, "valid"),
        (certificate_revoke, "revoked"),
    ):
        events = Event.objects.count()
        version = cert.version
        action(actor=justice, certificate=cert, reason="原因", version=version)
        cert.refresh_from_db()
        assert cert.status == expected and cert.status_date == TODAY and cert.version == version + 1
        assert history(cert)[-1] == (expected, TODAY)
        assert Event.objects.count() == events + 1
        assert Event.objects.order_by("-seq").first().action.startswith("certificate.")


@pytest.mark.parametrize(
    ("start", "action"),
    [
        ("revoked", certificate_reinstate),
        ("revoked", certificate_suspend),
        ("valid", certificate_reinstate),
        ("expired", certificate_revoke),
        ("suspended", certificate_suspend),
    ],
)
def test_invalid_transitions_are_refused_in_chinese(county, justice, start, action):
    cert = issue(county, justice)
    Certificate.objects.filter(pk=cert.pk).update(status=start)
    cert.refresh_from_db()
    events, rows = Event.objects.count(), CertificateStatusChange.objects.count()
    with pytest.raises(ServiceError) as exc:
        action(actor=justice, certificate=cert, reason="x")
    assert exc.value.code == ErrorCode.INVALID_STATE
    assert "证件" in exc.value.message
    cert.refresh_from_db()
    assert cert.status == start and cert.version == 1
    assert (Event.objects.count(), CertificateStatusChange.objects.count()) == (events, rows)


def test_stale_version_is_a_conflict(county, justice):
    cert = issue(county, justice)
    certificate_suspend(actor=justice, certificate=cert, reason="a", version=1)
    with pytest.raises(ServiceError) as exc:
        certificate_reinstate(actor=justice, certificate=cert, reason="b", version=1)
    assert exc.value.code == ErrorCode.CONFLICT


def test_reason_required_and_date_not_in_future(county, justice):
    cert = issue(county, justice)
    with pytest.raises(ServiceError) as exc:
        certificate_suspend(actor=justice, certificate=cert, reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        certificate_suspend(actor=justice, certificate=cert, reason="x", date=TODAY + DAY)
    assert exc.value.field == "date"
    with pytest.raises(ServiceError) as exc:  # before the issue row: history must stay in order
        certificate_suspend(actor=justice, certificate=cert, reason="x", date=TODAY - 20 * DAY)
    assert exc.value.field == "date"


def test_expire_marks_from_the_day_after_valid_to(county, justice):
    cert = issue(county, justice, valid_from=TODAY - 400 * DAY, valid_to=TODAY - 3 * DAY)
    events = Event.objects.count()
    certificate_expire(actor=justice, certificate=cert)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.EXPIRED and cert.status_date == TODAY - 2 * DAY
    assert history(cert)[-1] == (CertificateStatus.EXPIRED, TODAY - 2 * DAY)
    assert Event.objects.count() == events + 1


def test_expire_refuses_a_certificate_still_in_date(county, justice):
    cert = issue(county, justice)
    with pytest.raises(ServiceError) as exc:
        certificate_expire(actor=justice, certificate=cert)
    assert exc.value.code == ErrorCode.INVALID_STATE


def test_expire_overdue_writes_one_event_per_certificate(county, justice):
    a = issue(county, justice, number="OLD-1", valid_from=TODAY - 400 * DAY, valid_to=TODAY - 1 * DAY)
    b = issue(county, justice, number="OLD-2", valid_from=TODAY - 400 * DAY, valid_to=TODAY - 30 * DAY)
    events = Event.objects.count()
    expired = certificate_expire_overdue(actor=justice, today=TODAY)
    assert sorted(c.number for c in expired) == ["OLD-1", "OLD-2"]
    assert Event.objects.count() == events + 2
    assert set(Certificate.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        "expired"
    }
    assert Certificate.objects.get(number="3501t00001").status == CertificateStatus.VALID


def test_renew_extends_and_revalidates_an_expired_certificate(county, justice):
    """[CERT-LOCAL] re-examination and reissue; the expired days stay expired in the history."""
    cert = issue(county, justice, valid_from=TODAY - 400 * DAY, valid_to=TODAY - 5 * DAY)
    certificate_expire(actor=justice, certificate=cert)
    new_end = suggested_valid_to(TODAY)
    events = Event.objects.count()
    certificate_renew(actor=justice, certificate=cert, valid_to=new_end, reason="复审合格")
    cert.refresh_from_db()
    assert (cert.status, cert.valid_to) == (CertificateStatus.VALID, new_end)
    assert [s for s, _d in history(cert)] == ["valid", "expired", "valid"]
    assert Event.objects.count() == events + 1


def test_renew_needs_a_later_end_date(county, justice):
    cert = issue(county, justice)
    with pytest.raises(ServiceError) as exc:
        certificate_renew(actor=justice, certificate=cert, valid_to=cert.valid_to)
    assert exc.value.field == "valid_to"


def test_suggested_validity_is_five_years_minus_a_day():
    """[CERT-LOCAL] e.g. Hunan card valid 2022-11-01 to 2027-10-31."""
    assert suggested_valid_to(datetime.date(2022, 11, 1)) == datetime.date(2027, 10, 31)
    assert suggested_valid_to(datetime.date(2024, 2, 29)) == datetime.date(2029, 2, 28)


def test_monthly_review_selects_what_needs_action(county, justice):
    """Seed 004: monthly clean-up; expiring within 30 days, overdue, holders no longer active."""
    holder = county.person(RoleCode.TEAM_LEADER, "t0")
    expiring = issue(county, justice, number="SOON", holder=holder, valid_to=TODAY + 20 * DAY)
    issue(county, justice, number="LATER", holder=holder, valid_to=TODAY + 60 * DAY)
    overdue = issue(
        county, justice, number="OVER", holder=holder, valid_from=TODAY - 99 * DAY, valid_to=TODAY - DAY
    )
    retired = county.person(RoleCode.OFFICER, "t1")
    retired.status, retired.status_date = PersonStatus.RETIRED, TODAY - 5 * DAY
    retired.save()  # bypassing the service leaves the certificate valid: exactly what the review must catch
    revoked = issue(county, justice, number="GONE", holder=holder, valid_to=TODAY + 5 * DAY)
    certificate_revoke(actor=justice, certificate=revoked, reason="x")
    items = certificate_review(justice, TODAY)
    by_number = {item.certificate.number: item for item in items}
    assert set(by_number) == {"SOON", "OVER", "3501t10001"}
    assert by_number["3501t10001"].reason_codes == [REASON_HOLDER_INACTIVE]
    assert "revoke" in by_number["3501t10001"].actions and "renew" not in by_number["3501t10001"].actions
    assert by_number["OVER"].reason_codes == [REASON_OVERDUE]
    assert "expire" in by_number["OVER"].actions
    assert by_number["SOON"].reason_codes == [REASON_EXPIRING]
    assert set(by_number["SOON"].actions) == {"renew", "revoke"}
    assert items[0].certificate.number == "3501t10001"  # most urgent first
    assert expiring.pk and overdue.pk


def test_monthly_review_query_count_does_not_grow(county, justice):
    holder = county.person(RoleCode.TEAM_LEADER, "t0")
    for i in range(3):
        issue(county, justice, number=f"A-{i}", holder=holder, valid_to=TODAY + 5 * DAY)
    certificate_review(justice, TODAY)  # the user's scope is computed once and cached
    with CaptureQueriesContext(connection) as few:
        certificate_review(justice, TODAY)
    for i in range(20):
        issue(county, justice, number=f"B-{i}", holder=holder, valid_to=TODAY + 5 * DAY)
    with CaptureQueriesContext(connection) as many:
        items = certificate_review(justice, TODAY)
    assert len(items) == 23
    assert len(many.captured_queries) == len(few.captured_queries)


def test_public_facts_only(county, justice):
    public = certificate_public("3501t00001")
    assert public.is_valid and public.holder_name == county.person(RoleCode.OFFICER, "t0").name
    assert public.domains == ("城市管理",)
    assert certificate_public("NOPE") is None
    cert = Certificate.objects.get(number="3501t00001")
    certificate_revoke(actor=justice, certificate=cert, reason="违纪")
    public = certificate_public("3501t00001")
    assert not public.is_valid and public.status == CertificateStatus.REVOKED
