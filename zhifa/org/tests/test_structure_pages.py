"""Organisation and grid pages: scoped reads (404 outside the scope), edits (403 without the right),
forms through the services, constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.org.models import Agency, AgencyKind, GridCell, GridLevel, Region, RegionLevel, RoleCode, Team
from zhifa.org.testing import square


@pytest.fixture
def admin_client(client, county):
    client.force_login(county.user(RoleCode.ADMIN, "county"))
    return client


def login(client, county, role, place="t0"):
    client.force_login(county.user(role, place))
    return client


def add_township(county, n: int) -> Region:
    township = Region.objects.create(
        adcode=f"350102{n:03d}000", name=f"新镇{n}", level=RegionLevel.TOWNSHIP, parent=county.county
    )
    agency = Agency.objects.create(
        name=f"新镇{n}人民政府", short_name=f"新{n}", kind=AgencyKind.TOWNSHIP_GOVERNMENT, region=township
    )
    Team.objects.create(name=f"新镇{n}综合行政执法队", agency=agency, region=township)
    GridCell.objects.create(
        code=f"N{n}",
        name=f"新镇{n}网格",
        level=GridLevel.TOWNSHIP,
        region=township,
        parent=GridCell.objects.get(code="3501G"),
    )
    return township


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_lists_townships_with_agency_team_zone_and_counts(admin_client, county):
    response = admin_client.get(reverse("org-overview"))
    assert response.status_code == 200
    html = response.content.decode()
    row = county.townships[0]
    assert f'data-township="{row.adcode}"' in html
    assert (
        county.township_agencies[0].name in html and county.teams[0].name in html and county.zone.name in html
    )
    data = response.context["data"]
    first = data.townships[0]
    assert first.people == 5 and first.grid_cells == 2  # 4 staff + 1 grid worker; township + community cell


def test_overview_query_count_does_not_grow_with_townships(admin_client, county):
    url = reverse("org-overview")
    before = count_queries(admin_client, url)
    for n in range(10, 15):
        add_township(county, n)
    assert count_queries(admin_client, url) == before


def test_list_query_counts_do_not_grow_with_rows(admin_client, county):
    urls = [
        reverse(name)
        for name in (
            "region-list",
            "department-list",
            "agency-list",
            "team-list",
            "zone-list",
            "command-center-list",
            "grid-list",
        )
    ]
    before = [count_queries(admin_client, url) for url in urls]
    for n in range(10, 15):
        add_township(county, n)
    assert [count_queries(admin_client, url) for url in urls] == before


@pytest.mark.parametrize("name", ["region", "department", "agency", "team", "zone", "command-center"])
def test_list_detail_and_edit_pages_render_for_an_administrator(admin_client, county, name):
    response = admin_client.get(reverse(f"{name}-list"))
    assert response.status_code == 200
    obj = response.context["page"].object_list[0]
    for view in ("detail", "edit"):
        assert admin_client.get(reverse(f"{name}-{view}", args=[obj.pk])).status_code == 200
    assert admin_client.get(reverse(f"{name}-create")).status_code == 200


def test_menu_links_to_the_organisation_and_the_grid(client, county):
    login(client, county, RoleCode.OFFICER)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("org-overview")}"' in html and f'href="{reverse("grid-list")}"' in html


def test_another_townships_team_and_grid_cell_give_404(client, county):
    login(client, county, RoleCode.OFFICER, "t0")
    other_team, other_cell = county.teams[1], county.grid[1]
    for url in (
        reverse("team-detail", args=[other_team.pk]),
        reverse("team-edit", args=[other_team.pk]),
        reverse("grid-detail", args=[other_cell.pk]),
        reverse("grid-edit", args=[other_cell.pk]),
        reverse("grid-assign", args=[other_cell.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert other_team.name.encode() not in response.content
    assert client.get(reverse("team-detail", args=[county.teams[0].pk])).status_code == 200
    assert client.get(reverse("grid-detail", args=[county.grid[0].pk])).status_code == 200
    listed = client.get(reverse("team-list")).content.decode()
    assert county.teams[0].name in listed and other_team.name not in listed


def test_another_county_is_404_even_for_its_directory(client, county, other_county):
    login(client, county, RoleCode.ADMIN, "county")
    assert client.get(reverse("region-detail", args=[other_county.townships[0].pk])).status_code == 404
    assert client.get(reverse("zone-edit", args=[other_county.zone.pk])).status_code == 404


def test_visible_but_not_allowed_is_403(client, county):
    login(client, county, RoleCode.OFFICER, "t0")
    assert client.get(reverse("team-edit", args=[county.teams[0].pk])).status_code == 403
    assert client.get(reverse("team-create")).status_code == 403
    assert client.post(reverse("grid-assign", args=[county.grid[0].pk]), {}).status_code == 403
    # A township administrator reads the county directory but changes only their own township.
    login(client, county, RoleCode.ADMIN, "t0")
    assert client.get(reverse("region-detail", args=[county.county.pk])).status_code == 200
    assert client.get(reverse("region-edit", args=[county.county.pk])).status_code == 403
    assert client.get(reverse("region-edit", args=[county.townships[0].pk])).status_code == 200
    assert client.get(reverse("zone-edit", args=[county.zone.pk])).status_code == 403
    assert not Event.objects.exists()


def test_create_a_team_through_the_page(admin_client, county):
    response = admin_client.post(
        reverse("team-create"),
        {
            "name": "东湖镇综合执法二中队",
            "agency": county.township_agencies[0].pk,
            "region": "",
            "parent": "",
        },
    )
    team = Team.objects.get(name="东湖镇综合执法二中队")
    assert response.status_code == 302 and response["Location"] == reverse("team-detail", args=[team.pk])
    assert team.region == county.townships[0]
    assert [e.action for e in Event.objects.all()] == ["team.create"]


def test_edit_with_a_stale_version_shows_the_conflict_and_changes_nothing(admin_client, county):
    team = county.teams[0]
    data = {"name": "新名称", "agency": team.agency_id, "region": team.region_id, "parent": "", "version": 1}
    Team.objects.filter(pk=team.pk).update(version=2)  # someone else saved meanwhile
    response = admin_client.post(reverse("team-edit", args=[team.pk]), data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    team.refresh_from_db()
    assert team.name != "新名称" and not Event.objects.exists()


def test_bad_region_code_is_shown_on_the_field(admin_client, county):
    response = admin_client.post(
        reverse("region-create"),
        {
            "adcode": "350199001000",
            "name": "错镇",
            "level": RegionLevel.TOWNSHIP,
            "parent": county.county.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["adcode"][0].startswith("区划代码“350199001000”应以上级区划")
    assert 'data-testid="error-adcode"' in response.content.decode()
    assert not Region.objects.filter(adcode="350199001000").exists() and not Event.objects.exists()


def test_zone_edit_through_the_page(admin_client, county):
    zone = county.zone
    response = admin_client.post(
        reverse("zone-edit", args=[zone.pk]),
        {
            "name": "东西片区",
            "county": county.county.pk,
            "townships": [t.pk for t in county.townships],
            "leader": zone.leader_id,
            "deputy": county.person(RoleCode.OFFICER, "dept").pk,
            "version": zone.version,
        },
    )
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.name == "东西片区" and zone.townships.count() == 2
    assert [e.action for e in Event.objects.all()] == ["zone.update"]


def test_grid_list_filters_by_region_and_level(admin_client, county):
    url = reverse("grid-list")
    cells = admin_client.get(url, {"level": GridLevel.COMMUNITY}).context["page"].object_list
    assert {c.pk for c in cells} == {c.pk for c in county.grid}
    cells = admin_client.get(url, {"region": county.townships[1].pk}).context["page"].object_list
    assert {c.code for c in cells} == {"3501G1", "3501G1C"}
    assert admin_client.get(url, {"level": "x", "region": "y"}).status_code == 200


def test_grid_detail_has_a_map_with_the_cell_and_its_children(admin_client, county, settings):
    settings.ZHIFA_MAP_TILE_URL = ""
    township_cell = county.grid[0].parent
    response = admin_client.get(reverse("grid-detail", args=[township_cell.pk]))
    html = response.content.decode()
    assert 'id="grid-map"' in html and "vendor/leaflet/leaflet.js" in html and "L.tileLayer(tileUrl" in html
    features = response.context["map_data"]["features"]
    assert [f["properties"]["role"] for f in features] == ["cell", "child"]
    assert features[1]["properties"]["url"] == reverse("grid-detail", args=[county.grid[0].pk])


def test_grid_create_under_a_parent_and_assign(admin_client, county):
    parent = county.grid[0]
    form = admin_client.get(reverse("grid-create"), {"parent": parent.pk}).context["form"]
    assert form.initial["level"] == GridLevel.ZONE_GRID
    response = admin_client.post(
        f"{reverse('grid-create')}?parent={parent.pk}",
        {
            "code": "3501G0C-Z9",
            "name": "九号片区网格",
            "level": GridLevel.ZONE_GRID,
            "region": parent.region_id,
            "parent": parent.pk,
            "geometry": '{"type": "Polygon", "coordinates": [[[0,0],[0.5,0],[0.5,0.5],[0,0]]]}',
        },
    )
    cell = GridCell.objects.get(code="3501G0C-Z9")
    assert response.status_code == 302 and cell.max_x == 0.5
    worker = county.person(RoleCode.GRID_WORKER, "t0")
    response = admin_client.post(
        reverse("grid-assign", args=[cell.pk]),
        {"leader": "", "workers": [worker.pk], "version": cell.version},
    )
    assert response.status_code == 302
    assert list(cell.workers.all()) == [worker]
    assert [e.action for e in Event.objects.order_by("seq")] == ["grid_cell.create", "grid_cell.assign"]


def test_grid_form_shows_a_self_intersecting_polygon_error(admin_client, county):
    parent = county.grid[0]
    response = admin_client.post(
        f"{reverse('grid-create')}?parent={parent.pk}",
        {
            "code": "BAD",
            "name": "坏网格",
            "level": GridLevel.ZONE_GRID,
            "region": parent.region_id,
            "parent": parent.pk,
            "geometry": '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
        },
    )
    assert response.status_code == 200
    assert "自相交" in response.context["form"].errors["geometry"][0]
    assert not GridCell.objects.filter(code="BAD").exists()


def test_district_cell_create_page_for_the_county(admin_client, county):
    response = admin_client.post(
        reverse("grid-create"),
        {
            "code": "3501X",
            "name": "测试县网格二",
            "level": GridLevel.DISTRICT,
            "region": county.county.pk,
            "geometry": square(0, 0, 1),
        },
    )
    assert response.status_code == 200  # a dict is not GeoJSON text
    response = admin_client.post(
        reverse("grid-create"),
        {
            "code": "3501X",
            "name": "测试县网格二",
            "level": GridLevel.DISTRICT,
            "region": county.county.pk,
            "geometry": "",
        },
    )
    assert response.status_code == 302 and GridCell.objects.get(code="3501X").parent is None
