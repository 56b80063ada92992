"""The generated demo county (`load_demo`, issue 2 point 9) and the province generator (Benchmark)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from shapely.geometry import shape

from zhifa.core.models import Event
from zhifa.org.generate.demo import DEMO_ADCODE, DEMO_PASSWORD, DEMO_USERS, SUPERUSER, load_demo
from zhifa.org.generate.province import ProvinceSize, generate_province
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    Department,
    DepartmentKind,
    GridCell,
    GridLevel,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
    Secondment,
    Zone,
)
from zhifa.org.scoping import role_codes

PREFIX = DEMO_ADCODE[:6]


def model_counts() -> dict[str, int]:
    """Rows of every org and core model, and of users: what a second load must not change."""
    counted = [
        *apps.get_app_config("org").get_models(),
        *apps.get_app_config("core").get_models(),
        get_user_model(),
    ]
    return {model._meta.label: model.objects.count() for model in counted}


@pytest.fixture
def demo(db):
    result = load_demo()
    assert result.created
    return result


def test_load_demo_twice_changes_nothing(db):
    """Idempotent (issue 2 point 1): the second run finds the county by its code and writes nothing."""
    out = io.StringIO()
    # The cases demo has its own idempotency test (zhifa/cases/tests/test_seed_cases.py).
    call_command("load_demo", "--without-cases", stdout=out)
    first = model_counts()
    call_command("load_demo", "--without-cases", stdout=out)
    assert model_counts() == first
    assert "已存在" in out.getvalue()
    assert Event.objects.filter(action="region.generate", object_id=DEMO_ADCODE).count() == 1


def test_load_demo_is_all_or_nothing(county):
    """One transaction: a failure half-way (a grid code already taken) leaves no demo row and no event."""
    GridCell.objects.create(
        code=f"{PREFIX}001000", name="占用", level=GridLevel.DISTRICT, region=county.county
    )
    events = Event.objects.count()
    with pytest.raises(IntegrityError):
        load_demo()
    assert not Region.objects.filter(adcode__startswith=PREFIX).exists()
    assert not get_user_model().objects.filter(username__startswith="demo_").exists()
    assert Event.objects.count() == events


def test_demo_structure_counts(demo):
    """12 townships and streets, 16 departments with an agency each, an agency per township, 4 zones."""
    townships = Region.objects.filter(parent__adcode=DEMO_ADCODE)
    assert townships.count() == 12
    assert set(townships.values_list("level", flat=True)) == {RegionLevel.TOWNSHIP, RegionLevel.STREET}
    communities = Region.objects.filter(parent__in=townships)
    assert 8 * 12 <= communities.count() <= 12 * 12
    assert all(8 <= t.children.count() <= 12 for t in townships)
    departments = Department.objects.filter(region__adcode=DEMO_ADCODE)
    assert departments.count() == 16
    assert departments.filter(kind=DepartmentKind.JUSTICE_BUREAU).count() == 1
    assert departments.filter(kind=DepartmentKind.STAFFING_OFFICE).count() == 1
    assert not departments.filter(name__contains="公安").exists()
    assert Agency.objects.filter(region__adcode__startswith=PREFIX).count() == 16 + 12
    zones = Zone.objects.filter(county__adcode=DEMO_ADCODE)
    assert zones.count() == 4
    assert sum(z.townships.count() for z in zones) == 12
    assert all(z.leader and z.deputy and z.leader.agency.department_id for z in zones)
    assert demo.counts["org.numbertemplate"] >= 3
    event = Event.objects.get(action="region.generate", object_id=DEMO_ADCODE)
    counts = json.loads(event.data)["after"]["counts"]
    assert counts["org.person"] == Person.objects.filter(region__adcode__startswith=PREFIX).count()


def test_demo_grid_levels_and_polygons(demo):
    """Five levels with hundreds of micro grids; every polygon is valid, and every child lies inside its
    parent (within 1e-6 degrees, ~0.1 m)."""
    cells = GridCell.objects.filter(region__adcode__startswith=PREFIX)
    per_level = {level: cells.filter(level=level).count() for level in GridLevel}
    assert per_level[GridLevel.DISTRICT] == 1
    assert per_level[GridLevel.TOWNSHIP] == 12
    assert per_level[GridLevel.COMMUNITY] == Region.objects.filter(parent__parent__adcode=DEMO_ADCODE).count()
    assert per_level[GridLevel.ZONE_GRID] >= 2 * per_level[GridLevel.COMMUNITY]
    assert 500 <= per_level[GridLevel.MICRO_GRID] <= 1200
    assert not cells.filter(level__gt=GridLevel.DISTRICT, parent__isnull=True).exists()
    micro = cells.filter(level=GridLevel.MICRO_GRID)
    assert not micro.filter(workers__isnull=True).exists(), "every micro grid has a grid worker"
    cells = {c.pk: c for c in GridCell.objects.filter(region__adcode__startswith=PREFIX)}
    shapes = {pk: shape(c.geometry) for pk, c in cells.items()}
    for pk, cell in cells.items():
        polygon = shapes[pk]
        assert polygon.geom_type == "Polygon" and polygon.is_valid and polygon.area > 0, cell.code
        assert (cell.min_x, cell.min_y) <= (cell.max_x, cell.max_y)
        assert 117 < polygon.centroid.x < 120 and 25 < polygon.centroid.y < 28  # Fujian
        if cell.parent_id is not None:
            assert polygon.within(shapes[cell.parent_id].buffer(1e-6)), cell.code
    townships = [s for pk, s in shapes.items() if cells[pk].level == GridLevel.TOWNSHIP]
    county_area = next(s for pk, s in shapes.items() if cells[pk].level == GridLevel.DISTRICT).area
    assert sum(t.area for t in townships) == pytest.approx(county_area, rel=0.02), "townships tile the county"


def test_demo_certificates(demo):
    """About 90 certified officers; some expire within 30 days; one revoked for cause with its reason and
    status change; a retired officer's certificate revoked with the retirement (issue 2 point 4)."""
    today = datetime.date.today()
    certificates = Certificate.objects.filter(holder__region__adcode__startswith=PREFIX)
    holders = certificates.values("holder").distinct().count()
    assert 85 <= holders <= 95
    valid = certificates.filter(status=CertificateStatus.VALID)
    assert valid.filter(valid_to__gte=today, valid_to__lte=today + datetime.timedelta(days=30)).count() >= 4
    assert not valid.filter(valid_to__lt=today).exists()
    assert all(
        c.valid_to == c.valid_from.replace(year=c.valid_from.year + 5) - datetime.timedelta(days=1)
        for c in valid
        if (c.valid_from.month, c.valid_from.day) != (2, 29)
    )
    assert len(set(valid.values_list("valid_from", flat=True))) > 30, "issue dates vary"
    revoked = certificates.filter(status=CertificateStatus.REVOKED)
    for_cause = revoked.filter(holder__status=PersonStatus.ACTIVE)
    assert for_cause.count() == 1
    cert = for_cause.get()
    assert cert.status_reason and cert.status_date
    change = CertificateStatusChange.objects.get(certificate=cert)
    assert (change.status, change.reason, change.effective_date) == (
        cert.status,
        cert.status_reason,
        cert.status_date,
    )
    retired = Person.objects.get(region__adcode__startswith=PREFIX, status=PersonStatus.RETIRED)
    assert revoked.filter(holder=retired, status_date=retired.status_date).exists()
    assert not certificates.filter(holder=retired, status=CertificateStatus.VALID).exists()
    assert (
        Secondment.objects.filter(
            person__region__adcode=DEMO_ADCODE, to_agency__region__parent__adcode=DEMO_ADCODE
        ).count()
        == 2
    )


def test_demo_users_log_in_with_the_demo_password(demo):
    """One account per role (plus a superuser) logs in through the login page with the printed password.

    All demo accounts share one password hash (Argon2 is slow by design), so logging in as two of them
    and comparing the stored hashes proves the password for all.
    """
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[u for _r, u in DEMO_USERS])}
    superuser = get_user_model().objects.get(username=SUPERUSER)
    assert len(users) == len(DEMO_USERS)
    for role, username in DEMO_USERS:
        assert users[username].is_active and users[username].password == superuser.password, username
        assert role in role_codes(users[username]), username
    for username in ("demo_officer", SUPERUSER):
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
    assert superuser.is_superuser
    first_town = users["demo_officer"].person.region
    assert users["demo_team_leader"].person.region == first_town
    assert users["demo_legal_reviewer"].person.region == first_town
    assert users["demo_grid_worker"].person.region.parent == first_town
    assert users["demo_dispatcher"].person.command_center is not None
    assert users["demo_zone_leader"].person.zones_led.exists()
    assert (
        Person.objects.filter(
            region__adcode__startswith=PREFIX, roles__code="grid_worker", user__isnull=False
        ).count()
        == 30
    )


def test_demo_logins_prints_each_role(db, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "load_demo" in out.getvalue(), "without the demo it says how to load it"
    call_command("load_demo", "--without-cases", stdout=out)
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for _role, username in DEMO_USERS:
        assert username in text
    assert DEMO_PASSWORD in text and "http://127.0.0.1:8123/" in text


def test_generate_province_tiny(db):
    """The province generator hits its totals exactly, with one record event."""
    size = ProvinceSize(townships=14, grid_cells=1500, people=300, certificates=380, code="36")
    result = generate_province(size, seed=3)
    assert len(result.counties) == 1
    assert (
        Region.objects.filter(
            adcode__startswith="36", level__in=(RegionLevel.TOWNSHIP, RegionLevel.STREET)
        ).count()
        == 14
    )
    assert GridCell.objects.filter(region__adcode__startswith="36").count() == 1500
    assert set(GridCell.objects.values_list("level", flat=True)) == set(GridLevel.values)
    assert Person.objects.filter(region__adcode__startswith="36").count() == 300
    assert Certificate.objects.filter(holder__region__adcode__startswith="36").count() == 380
    cell = GridCell.objects.filter(level=GridLevel.MICRO_GRID).select_related("parent").first()
    assert shape(cell.geometry).is_valid and shape(cell.geometry).within(
        shape(cell.parent.geometry).buffer(1e-9)
    )
    assert Event.objects.filter(action="region.generate", object_id="360000000000").count() == 1
    with pytest.raises(ValueError):
        generate_province(size)
