"""can_enforce(person, domain, on_date): the one check other apps call.

APL Art. 42: administrative penalties are enforced only by staff with enforcement qualification;
APL Art. 76(5): enforcing without a certificate is sanctioned; ACL Art. 18: coercive measures only by
qualified officers. Past dates are answered from the certificate's status history.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.org.enforcement import can_enforce, enforcement_problems
from zhifa.org.models import Certificate, PersonStatus, RoleCode
from zhifa.org.services.certificates import (
    certificate_issue,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
)
from zhifa.org.services.people import person_change_status, secondment_create

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def officer(county):
    return county.person(RoleCode.OFFICER, "t0")  # holds 3501t00001, urban management, valid


def test_valid_certificate_in_its_domain(county, officer):
    """APL Art. 42: a qualified officer with a valid certificate for the domain may enforce."""
    assert can_enforce(officer, county.domains["urban"], TODAY)
    assert can_enforce(officer, "urban", TODAY)  # a domain code works too
    assert enforcement_problems(officer, "urban", TODAY) == []


def test_wrong_domain(county, officer):
    """APL Art. 42: the qualification is for the domains on the certificate only."""
    assert not can_enforce(officer, county.domains["market"], TODAY)
    assert "市场监管" in enforcement_problems(officer, "market", TODAY)[0]


def test_expired_by_date(county, officer):
    """APL Art. 76(5): a certificate past its validity is no certificate, even if still marked valid."""
    cert = Certificate.objects.get(holder=officer)
    assert not can_enforce(officer, "urban", cert.valid_to + DAY)
    assert "不在有效期内" in enforcement_problems(officer, "urban", cert.valid_to + DAY)[0]
    assert can_enforce(officer, "urban", cert.valid_to)  # the last day still counts


def test_not_yet_valid(county, officer):
    """APL Art. 42: before valid_from the officer was not yet qualified."""
    cert = Certificate.objects.get(holder=officer)
    assert not can_enforce(officer, "urban", cert.valid_from - DAY)
    assert can_enforce(officer, "urban", cert.valid_from)


def test_suspended_then_reinstated(county, officer, justice):
    """APL Art. 42 / ACL Art. 18: no enforcement while suspended; past dates answered from history."""
    cert = Certificate.objects.get(holder=officer)
    certificate_suspend(actor=justice, certificate=cert, reason="涉嫌违纪", date=TODAY - 10 * DAY)
    assert not can_enforce(officer, "urban", TODAY)
    assert "暂扣" in enforcement_problems(officer, "urban", TODAY)[0]
    certificate_reinstate(actor=justice, certificate=cert, reason="调查结束", date=TODAY - 3 * DAY)
    assert can_enforce(officer, "urban", TODAY - 11 * DAY)  # before the suspension
    assert not can_enforce(officer, "urban", TODAY - 10 * DAY)  # first day of suspension
    assert not can_enforce(officer, "urban", TODAY - 4 * DAY)  # during the suspension
    assert can_enforce(officer, "urban", TODAY - 3 * DAY)  # reinstated
    assert can_enforce(officer, "urban", TODAY)


def test_revoked(county, officer, justice):
    """APL Art. 76(5): a revoked certificate gives no power from its revocation date on."""
    cert = Certificate.objects.get(holder=officer)
    certificate_revoke(actor=justice, certificate=cert, reason="违纪", date=TODAY - 2 * DAY)
    assert not can_enforce(officer, "urban", TODAY)
    assert can_enforce(officer, "urban", TODAY - 3 * DAY)


def test_status_without_history_rows_applies_from_status_date(county, officer):
    """A certificate written without history (e.g. imported) still answers by its status_date."""
    Certificate.objects.filter(holder=officer).update(status="suspended", status_date=TODAY - 5 * DAY)
    assert not can_enforce(officer, "urban", TODAY)
    assert can_enforce(officer, "urban", TODAY - 6 * DAY)


def test_retired_person(county, officer):
    """APL Art. 42: a retired person is no longer enforcement staff (from the retirement date)."""
    admin = county.user(RoleCode.ADMIN, "county")
    person_change_status(
        actor=admin, person=officer, status=PersonStatus.RETIRED, date=TODAY - DAY, reason="到龄退休"
    )
    officer.refresh_from_db()
    assert not can_enforce(officer, "urban", TODAY)
    problems = enforcement_problems(officer, "urban", TODAY)
    assert any("不在执法岗位" in p for p in problems)
    assert can_enforce(officer, "urban", TODAY - 2 * DAY)  # a past act before retirement was lawful


def test_retired_person_with_certificate_left_valid(county, officer):
    """APL Art. 42: even if a certificate was wrongly left valid, an inactive person may not enforce."""
    officer.status, officer.status_date = PersonStatus.TRANSFERRED, TODAY
    officer.save()
    assert not can_enforce(officer, "urban", TODAY)


def test_seconded_person_still_holds_own_certificate(county, justice):
    """ACL Art. 18 / APL Art. 42: a seconded department officer enforces with their own certificate."""
    person = county.person(RoleCode.OFFICER, "dept")
    certificate_issue(
        actor=justice,
        holder=person,
        number="DEPT-1",
        issuer="测试省人民政府",
        domains=[county.domains["market"]],
        valid_from=TODAY - 30 * DAY,
        valid_to=TODAY + 300 * DAY,
    )
    secondment_create(
        actor=county.user(RoleCode.ADMIN, "county"),
        person=person,
        to_agency=county.township_agencies[0],
        start_date=TODAY - 5 * DAY,
    )
    assert can_enforce(person, "market", TODAY)
    assert not can_enforce(person, "urban", TODAY)


def test_person_without_any_certificate(county):
    """APL Art. 76(5): no certificate, no enforcement."""
    person = county.person(RoleCode.LEGAL_REVIEWER, "t0")
    assert not can_enforce(person, "urban", TODAY)
    assert "未持有" in enforcement_problems(person, "urban", TODAY)[0]
