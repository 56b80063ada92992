"""The Django admin: structure objects are saved through their services (one record event each);
certificates are read-only there; people are edited through their services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.org.models import Certificate, Person, Region, RegionLevel, Team, Zone
from zhifa.org.testing import password_hash


@pytest.fixture
def superuser_client(client, county):
    user = get_user_model().objects.create(
        username="root", password=password_hash(), is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def actions() -> list[str]:
    return [e.action for e in Event.objects.order_by("seq")]


def test_every_org_model_has_an_admin_page(superuser_client):
    from zhifa.org import models as org_models

    for name in org_models.__all__:
        model = getattr(org_models, name)
        if not isinstance(model, type) or not hasattr(model, "_meta") or name == "CertificateStatusChange":
            continue
        assert model in admin.site._registry, name
        url = reverse(f"admin:org_{model._meta.model_name}_changelist")
        assert superuser_client.get(url).status_code == 200, url


def test_admin_add_region_writes_one_event(superuser_client, county):
    response = superuser_client.post(
        reverse("admin:org_region_add"),
        {
            "adcode": "350102003000",
            "name": "南湖镇",
            "level": RegionLevel.TOWNSHIP,
            "parent": county.county.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Region.objects.get(adcode="350102003000").name == "南湖镇"
    assert actions() == ["region.create"]


def test_admin_shows_a_service_error_on_its_field_and_writes_nothing(superuser_client, county):
    response = superuser_client.post(
        reverse("admin:org_region_add"),
        {
            "adcode": "350199003000",
            "name": "错镇",
            "level": RegionLevel.TOWNSHIP,
            "parent": county.county.pk,
        },
    )
    assert response.status_code == 200
    assert "开头" in response.context["adminform"].form.errors["adcode"][0]
    assert not Region.objects.filter(adcode="350199003000").exists()
    assert actions() == []


def test_admin_change_team_goes_through_the_service(superuser_client, county):
    team = county.teams[0]
    url = reverse("admin:org_team_change", args=[team.pk])
    form = superuser_client.get(url).context["adminform"].form
    assert form.initial.get("loaded_version", form.fields["loaded_version"].initial) == 1
    response = superuser_client.post(
        url,
        {
            "name": "东湖镇综合行政执法大队",
            "agency": team.agency_id,
            "region": team.region_id,
            "parent": "",
            "loaded_version": 1,
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "东湖镇综合行政执法大队" and team.version == 2
    assert actions() == ["team.update"]
    # The same stale form again: a conflict, shown on the form.
    response = superuser_client.post(
        url,
        {
            "name": "再改",
            "agency": team.agency_id,
            "region": team.region_id,
            "parent": "",
            "loaded_version": 1,
        },
    )
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    assert Team.objects.get(pk=team.pk).name == "东湖镇综合行政执法大队"


def test_admin_zone_change_saves_townships_in_the_event(superuser_client, county):
    zone = county.zone
    response = superuser_client.post(
        reverse("admin:org_zone_change", args=[zone.pk]),
        {
            "name": zone.name,
            "county": county.county.pk,
            "townships": [t.pk for t in county.townships],
            "leader": zone.leader_id,
            "deputy": "",
            "loaded_version": zone.version,
        },
    )
    assert response.status_code == 302
    assert Zone.objects.get(pk=zone.pk).townships.count() == 2
    event = Event.objects.get()
    assert event.action == "zone.update"
    assert f'"townships":[{county.townships[0].pk},{county.townships[1].pk}]' in event.data


def test_admin_delete_goes_through_the_service(superuser_client, county):
    spare = Region.objects.create(
        adcode="350102009000", name="空镇", level=RegionLevel.TOWNSHIP, parent=county.county
    )
    response = superuser_client.post(reverse("admin:org_region_delete", args=[spare.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Region.objects.filter(pk=spare.pk).exists()
    assert actions() == ["region.delete"]


def test_certificates_are_read_only(superuser_client, county):
    person = county.person("officer", "t0")
    cert = Certificate.objects.filter(holder=person).get()
    url = reverse("admin:org_certificate_change", args=[cert.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200  # view only
    assert 'name="_save"' not in response.content.decode()
    assert superuser_client.post(url, {"number": "x"}).status_code == 403
    assert superuser_client.get(reverse("admin:org_certificate_add")).status_code == 403
    assert actions() == []


def test_people_are_saved_through_services_with_status_read_only(superuser_client, county):
    township, agency = county.townships[0], county.township_agencies[0]
    response = superuser_client.post(
        reverse("admin:org_person_add"),
        {"name": "后台新增", "phone": "", "region": township.pk, "agency": agency.pk, "roles": ["officer"]},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(name="后台新增")
    assert list(person.roles.values_list("code", flat=True)) == ["officer"]
    assert actions() == ["person.create"]
    url = reverse("admin:org_person_change", args=[person.pk])
    form = {
        "name": "后台改名",
        "phone": "",
        "region": township.pk,
        "agency": agency.pk,
        "roles": ["officer"],
        "loaded_version": person.version,
        "status": "retired",
    }
    assert superuser_client.post(url, form).status_code == 302
    person.refresh_from_db()
    assert person.name == "后台改名" and person.status == "active"  # status only changes on the page
    assert actions() == ["person.create", "person.update"]
    # A form loaded before that edit is refused: no silent overwrite, nothing written.
    response = superuser_client.post(url, {**form, "name": "过期表单"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.name == "后台改名"
    assert actions() == ["person.create", "person.update"]


def test_admin_lists_are_scoped_for_staff(client, county, other_county):
    staff = county.user("admin", "county")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_team", "change_team"]))
    client.force_login(staff)
    teams = client.get(reverse("admin:org_team_changelist")).context["cl"].result_list
    assert set(teams) == set(county.teams)
    # Another county's team by id: "does not exist" (a redirect to the admin index), no data.
    response = client.get(reverse("admin:org_team_change", args=[other_county.teams[0].pk]))
    assert response.status_code == 302 and other_county.teams[0].name.encode() not in response.content
