"""People services: create, update (optimistic concurrency), status change with certificate revocation,
secondments. Each write leaves the expected database state and exactly one record event."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    Person,
    PersonStatus,
    RoleCode,
    Secondment,
)
from zhifa.org.scoping import visible
from zhifa.org.services.certificates import certificate_suspend
from zhifa.org.services.people import (
    person_change_status,
    person_create,
    person_update,
    secondment_create,
    secondment_end,
)

TODAY = timezone.localdate()


@pytest.fixture
def admin(county):
    return county.user(RoleCode.ADMIN, "county")


def last_event() -> Event:
    return Event.objects.order_by("-seq").first()


def test_person_create_writes_person_and_one_event(county, admin):
    before = Event.objects.count()
    person = person_create(
        actor=admin,
        name="王五",
        region=county.townships[0],
        phone="138-0000-0001",
        team=county.teams[0],
        roles=[RoleCode.OFFICER],
    )
    person.refresh_from_db()
    assert person.status == PersonStatus.ACTIVE
    assert person.agency == county.township_agencies[0]  # a team implies its agency
    assert list(person.roles.values_list("code", flat=True)) == [RoleCode.OFFICER]
    assert Event.objects.count() == before + 1
    event = last_event()
    assert (event.action, event.object_id, event.actor_id) == ("person.create", str(person.pk), admin.pk)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " "}, "name"),
        ({"phone": "电话"}, "phone"),
        ({"roles": ["nope"]}, "roles"),
    ],
)
def test_person_create_rejects_bad_input_and_writes_nothing(county, admin, kwargs, field):
    people, events = Person.objects.count(), Event.objects.count()
    args = {"name": "赵六", "region": county.townships[0]} | kwargs
    with pytest.raises(ServiceError) as exc:
        person_create(actor=admin, **args)
    assert exc.value.field == field
    assert (Person.objects.count(), Event.objects.count()) == (people, events)


def test_person_create_team_of_another_agency_is_refused(county, admin):
    with pytest.raises(ServiceError) as exc:
        person_create(
            actor=admin,
            name="赵六",
            region=county.townships[0],
            agency=county.township_agencies[0],
            team=county.teams[1],
        )
    assert exc.value.field == "team"


def test_person_update_bumps_version_and_writes_one_event(county, admin):
    person = county.person(RoleCode.OFFICER, "t0")
    events = Event.objects.count()
    updated = person_update(
        actor=admin,
        person=person,
        version=person.version,
        name="新名字",
        region=person.region,
        phone="13900000000",
        agency=person.agency,
        team=person.team,
        roles=[RoleCode.OFFICER, RoleCode.TEAM_LEADER],
    )
    person.refresh_from_db()
    assert person.name == "新名字" and person.phone == "13900000000"
    assert person.version == updated.version == 2
    assert set(person.roles.values_list("code", flat=True)) == {RoleCode.OFFICER, RoleCode.TEAM_LEADER}
    assert Event.objects.count() == events + 1
    event = last_event()
    assert event.action == "person.update"
    assert '"version":1' in event.data and '"version":2' in event.data


def test_concurrent_edit_is_refused_not_overwritten(county, admin):
    """DESIGN.md: concurrent edits never silently overwrite each other."""
    person = county.person(RoleCode.OFFICER, "t0")
    loaded_version = person.version
    person_update(
        actor=admin,
        person=person,
        version=loaded_version,
        name="甲改",
        region=person.region,
        agency=person.agency,
        team=person.team,
    )
    events = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        person_update(
            actor=admin,
            person=person,
            version=loaded_version,
            name="乙改",
            region=person.region,
            agency=person.agency,
            team=person.team,
        )
    assert exc.value.code == ErrorCode.CONFLICT
    assert "已被他人修改" in exc.value.message
    person.refresh_from_db()
    assert person.name == "甲改" and person.version == 2
    assert Event.objects.count() == events


def test_retiring_revokes_certificates_in_the_same_transaction(county, admin):
    """LAW.md section 5 [CERT-LOCAL]: cancel the certificate on retirement, in one transaction, one event."""
    person = county.person(RoleCode.OFFICER, "t0")
    valid = Certificate.objects.get(holder=person)
    suspended = Certificate.objects.create(
        number="S-1",
        holder=person,
        issuer="省政府",
        valid_from=TODAY,
        valid_to=TODAY + datetime.timedelta(days=100),
    )
    certificate_suspend(actor=admin, certificate=suspended, reason="调查中")
    expired = Certificate.objects.create(
        number="E-1",
        holder=person,
        issuer="省政府",
        status="expired",
        valid_from=TODAY - datetime.timedelta(days=900),
        valid_to=TODAY - datetime.timedelta(days=100),
    )
    events = Event.objects.count()
    day = TODAY - datetime.timedelta(days=1)
    person_change_status(
        actor=admin,
        person=person,
        status=PersonStatus.RETIRED,
        date=day,
        reason="到龄退休",
        version=person.version,
    )
    person.refresh_from_db()
    assert (person.status, person.status_date) == (PersonStatus.RETIRED, day)
    for cert in (valid, suspended):
        cert.refresh_from_db()
        assert cert.status == CertificateStatus.REVOKED
        assert "到龄退休" in cert.status_reason
        change = CertificateStatusChange.objects.filter(certificate=cert).order_by("-id").first()
        assert change.status == CertificateStatus.REVOKED
    expired.refresh_from_db()
    assert expired.status == CertificateStatus.EXPIRED  # not live: left alone
    assert Event.objects.count() == events + 1
    event = last_event()
    assert event.action == "person.change_status"
    data = json.loads(event.data)
    assert data["after"]["revoked_certificates"] == sorted([valid.number, "S-1"])
    assert data["before"]["status"] == PersonStatus.ACTIVE


def test_status_change_rolls_back_entirely_on_error(county, admin):
    person = county.person(RoleCode.OFFICER, "t0")
    events = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        person_change_status(
            actor=admin,
            person=person,
            status=PersonStatus.TRANSFERRED,
            date=TODAY,
            reason="调往他县",
            version=person.version + 5,
        )
    assert exc.value.code == ErrorCode.CONFLICT
    person.refresh_from_db()
    assert person.status == PersonStatus.ACTIVE and person.version == 1
    assert Certificate.objects.get(holder=person).status == CertificateStatus.VALID
    assert Event.objects.count() == events


def test_status_change_needs_reason_and_a_real_change(county, admin):
    person = county.person(RoleCode.OFFICER, "t0")
    with pytest.raises(ServiceError) as exc:
        person_change_status(actor=admin, person=person, status=PersonStatus.RETIRED, date=TODAY, reason="")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        person_change_status(actor=admin, person=person, status=PersonStatus.ACTIVE, date=TODAY, reason="")
    assert exc.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError) as exc:
        person_change_status(
            actor=admin,
            person=person,
            status=PersonStatus.RETIRED,
            date=TODAY + datetime.timedelta(days=3),
            reason="x",
        )
    assert exc.value.field == "date"


def test_transfer_ends_running_secondment(county, admin):
    person = county.person(RoleCode.OFFICER, "dept")
    secondment = secondment_create(
        actor=admin,
        person=person,
        to_agency=county.township_agencies[0],
        start_date=TODAY - datetime.timedelta(days=30),
    )
    person_change_status(
        actor=admin, person=person, status=PersonStatus.TRANSFERRED, date=TODAY, reason="调离"
    )
    secondment.refresh_from_db()
    assert secondment.end_date == TODAY


def test_secondment_makes_person_visible_to_the_township_while_active(county, admin):
    """Issue 2 point 3: a seconded person ("县属乡用") belongs to both and acts for the township."""
    person = county.person(RoleCode.OFFICER, "dept")
    township_officer = county.user(RoleCode.OFFICER, "t1")
    assert not visible(Person.objects.filter(pk=person.pk), township_officer).exists()
    events = Event.objects.count()
    secondment = secondment_create(
        actor=admin,
        person=person,
        to_agency=county.township_agencies[1],
        to_team=county.teams[1],
        start_date=TODAY,
        note="下沉",
    )
    assert Event.objects.count() == events + 1 and last_event().action == "secondment.create"
    assert secondment.from_agency == county.department_agency
    assert visible(Person.objects.filter(pk=person.pk), township_officer).exists()
    secondment_end(actor=admin, secondment=secondment, end_date=TODAY - datetime.timedelta(days=0))
    assert Event.objects.count() == events + 2 and last_event().action == "secondment.end"
    secondment.refresh_from_db()
    assert secondment.end_date == TODAY


def test_secondment_after_end_is_no_longer_visible(county, admin):
    person = county.person(RoleCode.OFFICER, "dept")
    secondment_create(
        actor=admin,
        person=person,
        to_agency=county.township_agencies[1],
        start_date=TODAY - datetime.timedelta(days=60),
        end_date=TODAY - datetime.timedelta(days=1),
    )
    township_officer = county.user(RoleCode.OFFICER, "t1")
    assert not visible(Person.objects.filter(pk=person.pk), township_officer).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to_agency_index": None}, "to_agency"),
        ({"end_offset": -5}, "end_date"),
        ({"team_index": 0}, "to_team"),
    ],
)
def test_secondment_validation(county, admin, kwargs, field):
    person = county.person(RoleCode.OFFICER, "dept")
    to_agency = (
        county.department_agency if kwargs.get("to_agency_index", 1) is None else county.township_agencies[1]
    )
    end = TODAY + datetime.timedelta(days=kwargs["end_offset"]) if "end_offset" in kwargs else None
    team = county.teams[kwargs["team_index"]] if "team_index" in kwargs else None
    events = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        secondment_create(
            actor=admin, person=person, to_agency=to_agency, to_team=team, start_date=TODAY, end_date=end
        )
    assert exc.value.field == field
    assert Secondment.objects.count() == 0 and Event.objects.count() == events


def test_overlapping_secondments_are_refused(county, admin):
    person = county.person(RoleCode.OFFICER, "dept")
    secondment_create(actor=admin, person=person, to_agency=county.township_agencies[0], start_date=TODAY)
    with pytest.raises(ServiceError) as exc:
        secondment_create(
            actor=admin,
            person=person,
            to_agency=county.township_agencies[1],
            start_date=TODAY + datetime.timedelta(days=10),
        )
    assert exc.value.code == ErrorCode.CONFLICT


def test_person_create_with_login_account(county):
    """A person created with a user name gets a login account (Argon2 hash), in the same single event."""
    from zhifa.core.models import Event
    from zhifa.org.services.people import person_create

    admin = county.user(RoleCode.ADMIN, "county")
    before = Event.objects.count()
    person = person_create(
        actor=admin,
        name="新同事",
        region=county.townships[0],
        agency=county.township_agencies[0],
        roles=["officer"],
        username="new.officer",
        password="Tough-Pass-2026!",
    )
    assert person.user.username == "new.officer"
    assert person.user.password.startswith("argon2$") and person.user.check_password("Tough-Pass-2026!")
    assert Event.objects.count() == before + 1
    assert "Tough-Pass" not in Event.objects.latest("seq").data


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("bad name!", "", "username"), ("ok.name", "123", "password"), ("", "Tough-Pass-2026!", "username")],
)
def test_person_create_account_errors_name_the_field_and_write_nothing(county, username, password, field):
    from django.contrib.auth import get_user_model

    from zhifa.core.errors import ServiceError
    from zhifa.org.models import Person
    from zhifa.org.services.people import person_create

    admin = county.user(RoleCode.ADMIN, "county")
    users, people = get_user_model().objects.count(), Person.objects.count()
    with pytest.raises(ServiceError) as exc:
        person_create(
            actor=admin,
            name="新同事",
            region=county.townships[0],
            agency=county.township_agencies[0],
            username=username,
            password=password,
        )
    assert exc.value.field == field
    assert get_user_model().objects.count() == users and Person.objects.count() == people


def test_person_create_refuses_taken_user_name(county):
    from zhifa.core.errors import ServiceError
    from zhifa.org.services.people import person_create

    taken = county.user(RoleCode.OFFICER, "t0").username.upper()
    with pytest.raises(ServiceError, match="已存在"):
        person_create(
            actor=county.user(RoleCode.ADMIN, "county"),
            name="重名",
            region=county.townships[0],
            agency=county.township_agencies[0],
            username=taken,
        )
