"""People pages through the Django test client: scoping (another township's person by id gives 404),
permissions (visible but not allowed gives 403), forms with Chinese errors, and the list's query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.core.models import Event
from zhifa.org.models import Certificate, CertificateStatus, Person, PersonStatus, Role, RoleCode
from zhifa.org.selectors.people import person_list

TODAY = timezone.localdate()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_people(county, n: int) -> None:
    """n extra people in township 0, each with a role and a certificate."""
    region, agency, team = county.townships[0], county.township_agencies[0], county.teams[0]
    people = Person.objects.bulk_create(
        [Person(name=f"批量{i:03d}", region=region, agency=agency, team=team) for i in range(n)]
    )
    officer = Role.objects.get(code=RoleCode.OFFICER)
    Person.roles.through.objects.bulk_create([Person.roles.through(person=p, role=officer) for p in people])
    Certificate.objects.bulk_create(
        [
            Certificate(
                number=f"BULK{i:04d}",
                holder=p,
                issuer="省政府",
                valid_from=TODAY,
                valid_to=TODAY + datetime.timedelta(days=100),
            )
            for i, p in enumerate(people)
        ]
    )


def test_person_list_query_count_does_not_depend_on_page_size(county):
    """Issue 2 benchmark: the scoped people list costs the same queries for 10 and 100 rows."""
    make_people(county, 110)
    user = county.user(RoleCode.ADMIN, "county")
    person_list(user, page_size=10)  # the user's scope is computed once and cached

    def run(size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = person_list(user, region=county.townships[0].adcode, page_size=size)
            rows = list(page.object_list)
            seen = [
                (
                    list(person.roles.all()),
                    [c.status for c in person.certificate_list],
                    person.region.name,
                    person.agency.name,
                    person.team.name,
                )
                for person in rows
            ]
        assert len(rows) == len(seen) == size
        return len(ctx.captured_queries)

    assert run(10) == run(100)


def test_person_list_page_query_count_does_not_depend_on_page_size(county):
    make_people(county, 110)
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    url = reverse("person-list")
    client.get(url)

    def run(size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"page_size": size})
        assert response.status_code == 200
        assert response.content.decode().count("data-person=") == size
        return len(ctx.captured_queries)

    assert run(10) == run(100)


def test_page_size_is_clamped(county):
    make_people(county, 30)
    user = county.user(RoleCode.ADMIN, "county")
    assert person_list(user, page_size=5).paginator.per_page == 50
    assert person_list(user, page_size=1000).paginator.per_page == 50
    assert person_list(user, page_size="x").paginator.per_page == 50
    assert person_list(user, page_size=10).paginator.per_page == 10


def test_person_list_filters_and_scoping(county):
    officer = county.user(RoleCode.OFFICER, "t0")
    page = person_list(officer)
    names = {p.name for p in page.object_list}
    assert county.person(RoleCode.OFFICER, "t0").name in names
    assert county.person(RoleCode.OFFICER, "t1").name not in names  # another township
    admin = county.user(RoleCode.ADMIN, "county")
    t1 = county.townships[1].adcode
    assert {p.region_id for p in person_list(admin, region=t1).object_list} == {county.townships[1].pk} | {
        county.communities[1].pk
    }
    assert [p.name for p in person_list(admin, q="3501t10001").object_list] == [
        county.person(RoleCode.OFFICER, "t1").name
    ]
    assert {p.pk for p in person_list(admin, role=RoleCode.JUSTICE_BUREAU).object_list} == {
        county.person(RoleCode.JUSTICE_BUREAU, "county").pk
    }
    assert list(person_list(admin, status="bogus").object_list) == []
    assert list(person_list(admin, region="999999999999").object_list) == []


def test_person_list_page_renders_filters_badges_and_htmx_partial(county):
    client = client_for(county.user(RoleCode.OFFICER, "t0"))
    response = client.get(reverse("person-list"), {"q": county.person(RoleCode.OFFICER, "t0").name})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and "zf-status-active" in html and "zf-status-valid" in html
    assert "table-responsive" in html
    partial = client.get(reverse("person-list"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="people-table"' in partial and "<html" not in partial


@pytest.mark.parametrize("name", ["person-detail", "person-edit", "person-status", "secondment-create"])
def test_another_townships_person_by_id_is_404(county, name):
    """Issue 2 point 5: reaching another township's objects by id gives 404, not 403, and no data."""
    other = county.person(RoleCode.OFFICER, "t1")
    client = client_for(county.user(RoleCode.TEAM_LEADER, "t0"))
    response = client.get(reverse(name, args=[other.pk]))
    assert response.status_code == 404
    assert other.name not in response.content.decode()


def test_another_countys_person_is_404_even_for_an_admin(county, other_county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    other = other_county.person(RoleCode.OFFICER, "t0")
    assert client.get(reverse("person-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("person-edit", args=[other.pk]), {"name": "x"}).status_code == 404


def test_visible_but_not_allowed_is_403(county):
    client = client_for(county.user(RoleCode.OFFICER, "t0"))
    me = county.person(RoleCode.TEAM_LEADER, "t0")
    assert client.get(reverse("person-detail", args=[me.pk])).status_code == 200
    assert client.get(reverse("person-edit", args=[me.pk])).status_code == 403
    assert client.post(reverse("person-status", args=[me.pk]), {}).status_code == 403
    assert client.get(reverse("person-create")).status_code == 403


def test_detail_shows_roles_certificates_and_history(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    person = county.person(RoleCode.OFFICER, "t0")
    html = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert "3501t00001" in html and "执法人员" in html and reverse("person-edit", args=[person.pk]) in html


def test_create_shows_chinese_field_errors_and_writes_nothing(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    events = Event.objects.count()
    response = client.post(reverse("person-create"), {"name": "", "phone": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-name"' in html and "这个字段是必填项" in html
    assert 'data-testid="error-region"' in html
    assert Event.objects.count() == events


def test_create_and_edit_through_pages(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    response = client.post(
        reverse("person-create"),
        {
            "name": "新同事",
            "phone": "13800000000",
            "region": county.townships[0].pk,
            "team": county.teams[0].pk,
            "roles": [RoleCode.OFFICER],
        },
    )
    person = Person.objects.get(name="新同事")
    assert response.status_code == 302 and response.url == reverse("person-detail", args=[person.pk])
    form = {
        "name": "新同事改",
        "region": county.townships[0].pk,
        "team": county.teams[0].pk,
        "roles": [RoleCode.OFFICER],
        "version": person.version,
    }
    assert client.post(reverse("person-edit", args=[person.pk]), form).status_code == 302
    person.refresh_from_db()
    assert person.name == "新同事改" and person.version == 2


def test_stale_edit_form_shows_conflict(county):
    """DESIGN.md: concurrent edits never silently overwrite each other."""
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    person = county.person(RoleCode.OFFICER, "t0")
    form = {
        "name": "甲",
        "region": person.region_id,
        "agency": person.agency_id,
        "team": person.team_id,
        "version": 1,
    }
    assert client.post(reverse("person-edit", args=[person.pk]), form).status_code == 302
    response = client.post(reverse("person-edit", args=[person.pk]), form | {"name": "乙"})
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后重试" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "甲"


def test_status_page_lists_certificates_to_revoke_and_retires(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    person = county.person(RoleCode.OFFICER, "t0")
    url = reverse("person-status", args=[person.pk])
    html = client.get(url).content.decode()
    assert "3501t00001" in html and 'data-testid="to-revoke"' in html
    response = client.post(
        url,
        {
            "status": PersonStatus.RETIRED,
            "date": TODAY.isoformat(),
            "reason": "到龄",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    assert Certificate.objects.get(number="3501t00001").status == CertificateStatus.REVOKED


def test_secondment_pages(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    person = county.person(RoleCode.OFFICER, "dept")
    response = client.post(
        reverse("secondment-create", args=[person.pk]),
        {
            "from_agency": county.department_agency.pk,
            "to_agency": county.township_agencies[0].pk,
            "to_team": county.teams[0].pk,
            "start_date": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    secondment = person.secondments.get()
    html = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert county.township_agencies[0].name in html
    response = client.post(
        reverse("secondment-end", args=[person.pk, secondment.pk]), {"end_date": TODAY.isoformat()}
    )
    assert response.status_code == 302
    secondment.refresh_from_db()
    assert secondment.end_date == TODAY
