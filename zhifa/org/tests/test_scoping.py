"""Data scoping: one function decides what each role reads (DESIGN.md, Rules; issue 2 point 5)."""

from __future__ import annotations

import datetime

import pytest

from zhifa.org.models import Certificate, GridCell, Person, Region, RoleCode, Secondment, Team
from zhifa.org.scoping import get_visible_or_404, scope_for, visible

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_township_officer_sees_own_township_people_only(county):
    user = county.user(RoleCode.OFFICER, "t0")
    people = visible(Person.objects.all(), user)
    assert people.filter(region__in=[county.townships[0], county.communities[0]]).exists()
    assert not people.filter(region=county.townships[1]).exists()
    assert not people.filter(region=county.county).exists()


def test_department_sees_its_own_agency_not_townships(county):
    user = county.user(RoleCode.OFFICER, "dept")
    people = visible(Person.objects.all(), user)
    assert set(people.values_list("agency_id", flat=True)) == {county.department_agency.pk}


def test_justice_bureau_and_admin_see_whole_county_but_not_another(county, other_county):
    for role in (RoleCode.JUSTICE_BUREAU, RoleCode.ADMIN):
        user = county.user(role, "county")
        certs = visible(Certificate.objects.all(), user)
        assert certs.count() == 2
        assert not visible(Person.objects.filter(region__adcode__startswith="3502"), user).exists()


def test_zone_leader_sees_zone_townships(county):
    user = county.user(RoleCode.ZONE_LEADER, "county")
    teams = visible(Team.objects.all(), user)
    assert names(teams) == {county.teams[0].name}


def test_county_dispatcher_sees_county_grid(county):
    user = county.user(RoleCode.DISPATCHER, "county")
    assert (
        visible(GridCell.objects.all(), user).count()
        == GridCell.objects.filter(code__startswith="3501").count()
    )


def test_grid_worker_sees_own_community_only(county):
    user = county.user(RoleCode.GRID_WORKER, "t0")
    cells = visible(GridCell.objects.all(), user)
    assert set(cells.values_list("region_id", flat=True)) == {county.communities[0].pk}


def test_directory_is_county_wide(county, other_county):
    user = county.user(RoleCode.OFFICER, "t0")
    regions = visible(Region.objects.all(), user)
    assert regions.filter(pk=county.townships[1].pk).exists()  # the county's directory
    assert not regions.filter(pk=other_county.townships[0].pk).exists()


def test_seconded_person_acts_for_township_while_seconded(county):
    """A department officer seconded (下沉) to a township sees it and is seen by it, while seconded."""
    dept_user = county.user(RoleCode.OFFICER, "dept")
    township_user = county.user(RoleCode.OFFICER, "t1")
    today = datetime.date.today()
    secondment = Secondment.objects.create(
        person=dept_user.person,
        from_agency=county.department_agency,
        to_agency=county.township_agencies[1],
        to_team=county.teams[1],
        start_date=today - datetime.timedelta(days=1),
    )
    assert visible(Team.objects.filter(pk=county.teams[1].pk), dept_user).exists()
    assert visible(Person.objects.filter(pk=dept_user.person.pk), township_user).exists()
    assert county.township_agencies[1].pk in scope_for(dept_user).agency_ids
    secondment.end_date = today - datetime.timedelta(days=1)
    secondment.start_date = today - datetime.timedelta(days=10)
    secondment.save()
    for user in (dept_user, township_user):
        user._zhifa_scope = None
        del user._zhifa_scope
    assert not visible(Team.objects.filter(pk=county.teams[1].pk), dept_user).exists()
    assert not visible(Person.objects.filter(pk=dept_user.person.pk), township_user).exists()


def test_inactive_person_and_anonymous_see_nothing(county):
    from django.contrib.auth.models import AnonymousUser

    user = county.user(RoleCode.OFFICER, "t0")
    user.person.status = "retired"
    user.person.save()
    assert not visible(Person.objects.all(), user).exists()
    assert not visible(Person.objects.all(), AnonymousUser()).exists()


def test_get_visible_or_404_hides_other_township(county):
    from django.http import Http404

    user = county.user(RoleCode.OFFICER, "t0")
    other = county.person(RoleCode.OFFICER, "t1")
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), user, pk=other.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), user, pk="not-a-number")
    assert get_visible_or_404(Person.objects.all(), user, pk=user.person.pk) == user.person
