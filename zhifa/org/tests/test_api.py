"""The organisation and certificate JSON API: filters, pagination, geometry, verification, errors."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.api_testing import API, ids, token_client
from zhifa.org.models import (
    GridCell,
    GridLevel,
    Person,
    PersonStatus,
    Role,
    RoleCode,
    Secondment,
)
from zhifa.org.testing import square

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def admin(county):
    return token_client(county.user("admin", "county"))


@pytest.fixture
def officer(county):
    return token_client(county.user("officer", "t0"))


# --- Regions and the directory --------------------------------------------------------------------


def test_regions_filter_by_level_and_parent(county, other_county, officer):
    townships = officer.get(f"{API}/org/regions", {"level": "township"}).json()
    assert [r["adcode"] for r in townships["items"]] == [county.townships[0].adcode]
    children = officer.get(f"{API}/org/regions", {"parent": county.county.adcode}).json()
    assert {r["adcode"] for r in children["items"]} == {t.adcode for t in county.townships}
    one = officer.get(f"{API}/org/regions/{county.townships[1].adcode}").json()
    assert one == {
        "adcode": county.townships[1].adcode,
        "name": "西山街道",
        "level": "street",
        "parent_adcode": county.county.adcode,
    }


def test_bad_query_parameter_is_422_naming_the_field(officer):
    response = officer.get(f"{API}/org/regions", {"parent": "35"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "parent"
    assert [e["field"] for e in body["errors"]] == ["parent"]


def test_directory_endpoints_list_and_get(county, officer):
    departments = officer.get(f"{API}/org/departments").json()
    assert {d["name"] for d in departments["items"]} == {county.department.name, county.justice.name}
    dept = officer.get(f"{API}/org/departments/{county.department.pk}").json()
    assert dept["domains"] == [{"code": "market", "name": "市场监管"}]
    assert dept["agency_id"] == county.department_agency.pk
    agencies = officer.get(f"{API}/org/agencies", {"kind": "township"}).json()
    assert {a["id"] for a in agencies["items"]} == {a.pk for a in county.township_agencies}
    in_t1 = officer.get(f"{API}/org/agencies", {"region": county.townships[1].adcode}).json()
    assert [a["id"] for a in in_t1["items"]] == [county.township_agencies[1].pk]
    assert officer.get(f"{API}/org/agencies/{county.justice_agency.pk}").status_code == 200
    zone = officer.get(f"{API}/org/zones/{county.zone.pk}").json()
    assert [t["adcode"] for t in zone["townships"]] == [county.townships[0].adcode]
    assert zone["leader"]["name"] == "片长" and zone["deputy"] is None
    centers = officer.get(f"{API}/org/command-centers").json()
    assert [c["id"] for c in centers["items"]] == [county.command_center.pk]
    assert officer.get(f"{API}/org/command-centers/{county.command_center.pk}").status_code == 200
    assert ids(officer.get(f"{API}/org/teams")) == [county.teams[0].pk]
    assert (
        officer.get(f"{API}/org/teams/{county.teams[0].pk}").json()["agency"]["id"]
        == county.township_agencies[0].pk
    )


# --- Grid -----------------------------------------------------------------------------------------


def set_bbox(cell: GridCell, min_x: float, min_y: float, max_x: float, max_y: float) -> None:
    GridCell.objects.filter(pk=cell.pk).update(min_x=min_x, min_y=min_y, max_x=max_x, max_y=max_y)


def test_grid_cells_filter_by_region_subtree_level_and_bbox(county, admin):
    t1 = county.townships[1]
    in_t1 = admin.get(f"{API}/org/grid-cells", {"region": t1.adcode}).json()
    assert {c["region"]["adcode"][:9] for c in in_t1["items"]} == {t1.adcode[:9]}
    assert in_t1["count"] == 2  # the township cell and its community cell
    communities = admin.get(f"{API}/org/grid-cells", {"level": GridLevel.COMMUNITY}).json()
    assert {c["id"] for c in communities["items"]} == {c.pk for c in county.grid}
    for cell in GridCell.objects.all():
        x = cell.geometry["coordinates"][0][0][0]
        size = cell.geometry["coordinates"][0][1][0] - x
        set_bbox(cell, x, 0, x + size, size)
    east = admin.get(
        f"{API}/org/grid-cells", {"bbox": "1.2,0.2,1.4,0.4", "level": GridLevel.COMMUNITY}
    ).json()
    assert [c["id"] for c in east["items"]] == [county.grid[1].pk]
    assert east["items"][0]["bbox"] == [1.0, 0.0, 2.0, 1.0]
    outside = admin.get(f"{API}/org/grid-cells", {"bbox": "5,5,6,6"}).json()
    assert outside == {"count": 0, "items": []}


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "2,0,1,1", "nan,0,1,1"])
def test_malformed_bbox_is_400_naming_the_field(admin, bbox):
    response = admin.get(f"{API}/org/grid-cells", {"bbox": bbox})
    assert response.status_code == 400
    assert response.json()["field"] == "bbox"


def test_grid_cell_detail_has_geojson_geometry(county, admin):
    cell = county.grid[0]
    cell.workers.add(county.person("grid_worker", "t0"))
    body = admin.get(f"{API}/org/grid-cells/{cell.pk}").json()
    assert body["geometry"] == square(0, 0, 1)
    assert body["workers"] == [{"id": county.person("grid_worker", "t0").pk, "name": "东湖网格员"}]


def test_locate_returns_the_finest_visible_cell_containing_the_point(county, admin, officer):
    """County (level 1), township (2) and community (3) cells all contain (1.5, 0.5): the community wins."""
    found = admin.get(f"{API}/org/grid-cells/locate", {"lon": 1.5, "lat": 0.5}).json()
    assert found["id"] == county.grid[1].pk and found["geometry"]["type"] == "Polygon"
    # With bounding boxes filled in, the SQL prefilter and shapely agree.
    set_bbox(county.grid[1], 1, 0, 2, 1)
    assert (
        admin.get(f"{API}/org/grid-cells/locate", {"lon": 1.5, "lat": 0.5}).json()["id"] == county.grid[1].pk
    )
    assert (
        officer.get(f"{API}/org/grid-cells/locate", {"lon": 0.5, "lat": 0.5}).json()["id"]
        == county.grid[0].pk
    )
    # A point in t1 is outside the t0 officer's scope: as if there were no cell there.
    assert officer.get(f"{API}/org/grid-cells/locate", {"lon": 1.5, "lat": 0.5}).status_code == 404
    assert admin.get(f"{API}/org/grid-cells/locate", {"lon": 50, "lat": 50}).status_code == 404
    bad = admin.get(f"{API}/org/grid-cells/locate", {"lon": 200, "lat": 0})
    assert bad.status_code == 422 and bad.json()["field"] == "lon"


def test_locate_skips_a_malformed_polygon(county, admin):
    GridCell.objects.filter(pk=county.grid[1].pk).update(geometry={"type": "Polygon", "coordinates": "oops"})
    found = admin.get(f"{API}/org/grid-cells/locate", {"lon": 1.5, "lat": 0.5}).json()
    assert found["level"] == GridLevel.TOWNSHIP


# --- People ---------------------------------------------------------------------------------------


def add_people(county, n: int) -> None:
    role = Role.objects.get(code=RoleCode.OFFICER)
    people = Person.objects.bulk_create(
        Person(
            name=f"批量{i:03d}",
            region=county.townships[0],
            agency=county.township_agencies[0],
            team=county.teams[0],
            phone=f"1380000{i:04d}",
        )
        for i in range(n)
    )
    Person.roles.through.objects.bulk_create(
        Person.roles.through(person_id=p.pk, role_id=role.pk) for p in people
    )


def test_people_filters(county, admin):
    t0 = county.townships[0]
    q = admin.get(f"{API}/org/people", {"q": "网格员"}).json()
    assert {p["id"] for p in q["items"]} == {county.person("grid_worker", p).pk for p in ("t0", "t1")}
    subtree = ids(admin.get(f"{API}/org/people", {"region": t0.adcode, "limit": 100}))
    assert county.person("grid_worker", "t0").pk in subtree  # community under the township
    assert county.person("officer", "t1").pk not in subtree
    assert set(ids(admin.get(f"{API}/org/people", {"team": county.teams[1].pk}))) == {
        county.person(r, "t1").pk for r in ("officer", "team_leader", "legal_reviewer", "admin")
    }
    by_agency = ids(admin.get(f"{API}/org/people", {"agency": county.department_agency.pk}))
    assert set(by_agency) == {county.person("officer", "dept").pk, county.person("zone_leader", "county").pk}
    leaders = admin.get(f"{API}/org/people", {"role": "team_leader"}).json()
    assert {p["id"] for p in leaders["items"]} == {county.person("team_leader", p).pk for p in ("t0", "t1")}
    assert leaders["items"][0]["roles"] == ["team_leader"]
    retired = county.person("officer", "t1")
    Person.objects.filter(pk=retired.pk).update(status=PersonStatus.RETIRED, status_date=TODAY)
    assert ids(admin.get(f"{API}/org/people", {"status": "retired"})) == [retired.pk]
    assert admin.get(f"{API}/org/people", {"status": "gone"}).status_code == 422
    assert admin.get(f"{API}/org/people", {"region": "350199999000"}).json()["field"] == "region"


def test_people_pagination(county, admin):
    add_people(county, 60)
    first = admin.get(f"{API}/org/people").json()
    total = Person.objects.filter(region__adcode__startswith="350102").count()
    assert first["count"] == total and len(first["items"]) == 50
    rest = admin.get(f"{API}/org/people", {"offset": 50, "limit": 100}).json()
    assert len(rest["items"]) == total - 50
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in rest["items"]}
    for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = admin.get(f"{API}/org/people", bad)
        assert response.status_code == 422 and response.json()["field"] == next(iter(bad))


def count_queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("place", [("admin", "county"), ("officer", "t0")])
def test_people_list_queries_do_not_grow_with_the_page_size(county, place):
    """Issue 2 benchmark: the scoped people list costs the same queries for 10 and 100 rows."""
    add_people(county, 120)
    client = token_client(county.user(*place))
    url = f"{API}/org/people"
    client.get(url)  # the token's usage stamp is written on the first request only
    small = count_queries(client, url, {"limit": 10, "region": county.townships[0].adcode})
    large = count_queries(client, url, {"limit": 100, "region": county.townships[0].adcode})
    assert small == large
    assert len(client.get(url, {"limit": 100}).json()["items"]) == 100


def test_person_detail_has_secondments_and_certificates(county, admin):
    person = county.person("officer", "dept")
    Secondment.objects.create(
        person=person,
        from_agency=county.department_agency,
        to_agency=county.township_agencies[1],
        to_team=county.teams[1],
        start_date=TODAY - datetime.timedelta(days=10),
    )
    body = admin.get(f"{API}/org/people/{person.pk}").json()
    assert body["username"] == "3501-officer-dept"
    assert body["secondments"][0]["to_team"]["id"] == county.teams[1].pk
    officer = admin.get(f"{API}/org/people/{county.person('officer', 't0').pk}").json()
    assert officer["certificates"] == ["3501t00001"]


def test_seconded_person_is_visible_in_the_township_while_seconded(county):
    """ "县属乡用" (issue 2, point 3): a seconded department officer is seen by the township."""
    person = county.person("officer", "dept")
    client = token_client(county.user("team_leader", "t1"))
    assert client.get(f"{API}/org/people/{person.pk}").status_code == 404
    Secondment.objects.create(
        person=person,
        from_agency=county.department_agency,
        to_agency=county.township_agencies[1],
        start_date=TODAY,
    )
    assert client.get(f"{API}/org/people/{person.pk}").status_code == 200


# --- Me -------------------------------------------------------------------------------------------


def test_me_shows_person_roles_and_scope(county, officer):
    body = officer.get(f"{API}/me").json()
    assert body["person"]["id"] == county.person("officer", "t0").pk
    assert body["roles"] == ["officer"]
    assert body["scope"]["everything"] is False
    assert [r["adcode"] for r in body["scope"]["regions"]] == [county.townships[0].adcode]
    dept = token_client(county.user("officer", "dept")).get(f"{API}/me").json()
    assert dept["scope"]["regions"] == []
    assert dept["scope"]["agencies"] == [
        {"id": county.department_agency.pk, "name": county.department_agency.name}
    ]


# --- Bad input never gives a 500 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/org/people/abc", 422, "id"),
        ("/org/people/99999999999999999999", 404, None),
        ("/org/people?agency=99999999999999999999", 422, "agency"),
        ("/org/people?offset=99999999999999999999", 422, "offset"),
        ("/certificates?holder=99999999999999999999", 422, "holder"),
        ("/org/people?q=%00", 422, "q"),  # PostgreSQL refuses NUL in text
        ("/certificates?domain=a%00", 422, "domain"),
        ("/certificates/verify/a%00b", 404, None),
        ("/certificates/verify/" + "x" * 300, 404, None),
        ("/org/grid-cells/locate?lon=nan&lat=0", 422, "lon"),
        ("/org/grid-cells?bbox=1e400,0,1e400,1", 200, None),
    ],
)
def test_bad_input_is_a_clear_error_not_a_500(admin, url, status, field):
    response = admin.get(f"{API}{url}")
    assert response.status_code == status
    if status != 200:
        assert response.json()["field"] == field
