"""The public portal's index, area homes and "before enforcement" pages (GO118 (四)): no login, limited
to the area, public fields only, a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from zhifa.cases.models import CaseState, Procedure
from zhifa.cases.procedure import TRANSITIONS
from zhifa.core.calendar import clear_calendar_cache
from zhifa.disclosure.procedure_chart import main_line
from zhifa.disclosure.views.portal_common import PORTAL_MAX_AGE, portal_context
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Certificate,
    CertificateStatus,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
    RoleCode,
    Team,
)
from zhifa.org.testing import TestCounty as World
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, PowerItem, PowerType

pytestmark = pytest.mark.django_db

PAGES = (
    "portal-home",
    "portal-agencies",
    "portal-powers",
    "portal-officers",
    "portal-procedures",
    "portal-guide",
)
AFTER = ("portal-decisions", "portal-withdrawn", "portal-stats", "portal-feed-json", "portal-feed-rss")
PHONE = "13912345678"
ID_NUMBER = "350102199001011234"


def today() -> datetime.date:
    return timezone.localdate()


def certify(person: Person, number: str, domain, **fields) -> Certificate:
    start, end = today() - datetime.timedelta(days=100), today() + datetime.timedelta(days=1000)
    values = {"issuer": "测试省人民政府", "valid_from": start, "valid_to": end, **fields}
    certificate = Certificate.objects.create(number=number, holder=person, **values)
    certificate.domains.set([domain])
    return certificate


def officer(world: World, name: str, agency: Agency | None = None, **fields) -> Person:
    agency = agency or world.township_agencies[0]
    return Person.objects.create(name=name, region=agency.region, agency=agency, **fields)


def grant(world: World) -> tuple[GrantList, list[PowerItem]]:
    """A published list in force: two items granted to t0 (one claimed), one to t1 (claimed)."""
    items = [
        PowerItem.objects.create(
            code=f"PT{i}",
            name=f"对占道经营行为{i}的处罚",
            power_type=PowerType.PENALTY,
            domain=world.domains["urban"],
            original_subject="县城市管理局",
            basis_text=f"《城市市容和环境卫生管理条例》第{30 + i}条",
        )
        for i in range(3)
    ]
    grant_list = GrantList.objects.create(
        county=world.county,
        number=1,
        title="测试县赋权清单",
        status=GrantListStatus.PUBLISHED,
        effective_from=today() - datetime.timedelta(days=30),
        document="测政〔2026〕1号",
    )
    t0, t1 = world.townships
    for item, township in ((items[0], t0), (items[1], t0), (items[2], t1)):
        GrantEntry.objects.create(grant_list=grant_list, item=item, township=township)
    claimed_by = world.user(RoleCode.TEAM_LEADER, "t0")
    for item, township in ((items[0], t0), (items[2], t1)):
        Claim.objects.create(
            grant_list=grant_list,
            township=township,
            item=item,
            claimed_on=today() - datetime.timedelta(days=20),
            claimed_by=claimed_by,
        )
    return grant_list, items


def url(name: str, area: Region) -> str:
    return reverse(name, args=[area.adcode])


# --- every page, no login, cache headers ----------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("place", ["county", "township"])
def test_every_page_answers_without_login_for_a_county_and_a_township(client, county, name, place):
    """GO118 (四): ex-ante disclosure is public; no login wall, no staff navigation."""
    grant(county)
    area = county.county if place == "county" else county.townships[0]
    response = client.get(url(name, area))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{area.name} · 行政执法公示" in html
    assert 'data-testid="main-nav"' not in html and "/login/" not in html
    assert response["Cache-Control"] == f"public, max-age={PORTAL_MAX_AGE}"
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "Cookie" in response["Vary"]


def test_the_index_lists_each_county_with_its_townships(client, county, other_county):
    response = client.get(reverse("portal-index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age={PORTAL_MAX_AGE}"
    for world in (county, other_county):
        assert f'href="{url("portal-home", world.county)}"' in html
        for township in world.townships:
            assert f'href="{url("portal-home", township)}"' in html
    assert url("portal-home", county.communities[0]) not in html  # villages have no portal


@pytest.mark.parametrize("name", PAGES)
def test_anything_but_a_county_or_a_township_is_404(client, county, name):
    province = Region.objects.create(adcode="350000000000", name="测试省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        adcode="350100000000", name="测试市", level=RegionLevel.CITY, parent=province
    )
    orphan = Region.objects.create(adcode="350102888000", name="无上级镇", level=RegionLevel.TOWNSHIP)
    codes = [
        orphan.adcode,  # a township without its county
        county.communities[0].adcode,  # a village
        "350102999000",  # a code of nothing
        province.adcode,
        city.adcode,
    ]
    for code in codes:
        assert client.get(reverse(name, args=[code])).status_code == 404, code
    for malformed in ("abc", "35010200100", "3501020010000", "35010200100x"):
        assert client.get(reverse(name, args=["0" * 12]).replace("0" * 12, malformed)).status_code == 404


def test_a_signed_in_visitor_gets_a_private_response(client, county):
    """The session cookie refreshed on every response must never be stored by a shared cache."""
    client.force_login(county.user(RoleCode.OFFICER))
    response = client.get(url("portal-home", county.county))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_portal_context_gives_the_frame_the_after_pages_share(rf, county):
    request = rf.get("/")
    context = portal_context(request, county.townships[1])
    assert context["area"] == county.townships[1] and context["county"] == county.county
    assert context["townships"] == county.townships and context["is_county"] is False
    keys = [m["key"] for m in context["menu"]]
    assert keys[:6] == list(PAGES)
    for name in AFTER:
        try:
            reverse(name, args=[county.county.adcode])
        except NoReverseMatch:
            assert name not in keys
        else:
            assert name in keys


# --- the home page ------------------------------------------------------------------------------


def test_home_shows_the_before_sections_with_counts_and_how_to_complain(client, county):
    grant(county)
    response = client.get(url("portal-home", county.townships[0]))
    html = response.content.decode()
    for name in PAGES[1:]:
        assert f'href="{url(name, county.townships[0])}"' in html
    assert "以本乡镇（街道）名义实施的事项 1 项" in html
    assert "持证执法人员 1 人" in html  # the t0 officer of build_test_county
    assert "执法主体 2 个" in html  # the township government and the market department
    assert f'href="{reverse("public-report")}"' in html and f'href="{reverse("public-track")}"' in html
    assert "12345" in html


def test_a_county_home_links_to_its_townships_portals(client, county):
    html = client.get(url("portal-home", county.county)).content.decode()
    for township in county.townships:
        assert f'href="{url("portal-home", township)}"' in html
    assert "各乡镇（街道）以自己名义实施的事项 0 项" in html


def test_home_links_to_an_after_page_only_once_it_exists(client, county):
    html = client.get(url("portal-home", county.county)).content.decode()
    for name in AFTER:
        try:
            link = url(name, county.county)
        except NoReverseMatch:
            assert f'data-key="{name}"' not in html
        else:
            assert f'href="{link}"' in html


def _dummy(request, adcode):  # pragma: no cover - only reversed
    raise AssertionError


# A site where, of the after pages, only a stand-in for the decisions exists.
urlpatterns = [
    path("portal/", include("zhifa.disclosure.urls_portal_before")),
    path("portal/<str:adcode>/decisions-test/", _dummy, name="portal-decisions"),
    path("grants/", include("zhifa.powers.urls_public")),
    path("", include("zhifa.intake.urls_public")),
    path("", include("zhifa.org.urls")),
]


@pytest.mark.urls(__name__)
def test_home_and_menu_link_to_exactly_the_after_pages_that_resolve(client, county):
    html = client.get(f"/portal/{county.county.adcode}/").content.decode()
    assert html.count(f'href="/portal/{county.county.adcode}/decisions-test/"') == 2  # menu and tile
    for name in AFTER[1:]:
        assert f'data-portal-nav="{name}"' not in html and f'data-key="{name}"' not in html


# --- agencies ------------------------------------------------------------------------------------


def test_agencies_of_a_county_and_of_a_township(client, county, other_county):
    """APL Art. 39: the implementing body is published; a township sees its own government and the
    county departments that keep the powers it has not taken on (APL Art. 22-24)."""
    county.department_agency.uscc = "11350102MB0000000X"
    county.department_agency.save()
    for agency in (other_county.department_agency, *other_county.township_agencies):
        agency.name = f"外县{agency.name}"
        agency.save()
    grant(county)
    html = client.get(url("portal-agencies", county.county)).content.decode()
    for agency in (county.department_agency, county.justice_agency, *county.township_agencies):
        assert agency.name in html
    assert "11350102MB0000000X" in html and county.teams[0].name in html
    assert "外县" not in html
    html = client.get(url("portal-agencies", county.townships[0])).content.decode()
    assert county.township_agencies[0].name in html and county.department_agency.name in html
    assert county.township_agencies[1].name not in html
    assert county.justice_agency.name not in html  # no enforcement domain
    # The township government's domains are those of the items it exercises today.
    assert "城市管理" in html and "市场监管" in html


# --- officers (持证上岗) ---------------------------------------------------------------------------


def test_officers_show_public_fields_only(client, county):
    """GO118 (五) 持证上岗: who enforces is public; PIPL Art. 34: never a phone, an ID or a user name."""
    person = county.person(RoleCode.OFFICER, "t0")
    person.phone = PHONE
    person.save()
    certificate = person.certificates.get()
    certificate.status_reason = f"身份证号{ID_NUMBER}"
    certificate.save()
    for area in (county.county, county.townships[0]):
        html = client.get(url("portal-officers", area)).content.decode()
        assert person.name in html and certificate.number in html and "测试省人民政府" in html
        assert certificate.valid_to.isoformat() in html
        for secret in (PHONE, ID_NUMBER, person.user.username):
            assert secret not in html
    for name in PAGES:
        html = client.get(url(name, county.townships[0])).content.decode()
        assert PHONE not in html and ID_NUMBER not in html and person.user.username not in html


def test_only_certificates_valid_today_held_by_staff_on_the_post_appear(client, county):
    """APL Art. 42, 76(5); LAW.md section 5: expired, suspended or revoked certificates, or holders who
    left the post, are not published as enforcing staff."""
    urban = county.domains["urban"]
    past = today() - datetime.timedelta(days=1)
    cases = {
        "有效人员": {},
        "过期人员": {"valid_to": past},
        "过期未标人员": {"status": CertificateStatus.EXPIRED, "valid_to": past},
        "暂扣人员": {"status": CertificateStatus.SUSPENDED},
        "注销人员": {"status": CertificateStatus.REVOKED},
        "未生效人员": {"valid_from": today() + datetime.timedelta(days=1)},
    }
    for i, (name, fields) in enumerate(cases.items()):
        certify(officer(county, name), f"T{i:05d}", urban, **fields)
    retired = officer(county, "退休人员", status=PersonStatus.RETIRED, status_date=past)
    certify(retired, "T99999", urban)
    html = client.get(url("portal-officers", county.townships[0])).content.decode()
    assert "有效人员" in html
    for name in [*list(cases)[1:], "退休人员"]:
        assert name not in html


def test_officers_of_another_area_do_not_appear(client, county, other_county):
    html = client.get(url("portal-officers", county.townships[0])).content.decode()
    assert county.person(RoleCode.OFFICER, "t0").name in html
    assert county.person(RoleCode.OFFICER, "t1").certificates.get().number not in html  # other township
    assert other_county.person(RoleCode.OFFICER, "t0").certificates.get().number not in html


def test_officers_filter_by_agency_and_domain(client, county):
    market = officer(county, "市监执法员", county.department_agency)
    certify(market, "M00001", county.domains["market"])
    page = url("portal-officers", county.townships[0])
    township_officer = county.person(RoleCode.OFFICER, "t0").name
    html = client.get(page, {"agency": county.department_agency.pk}).content.decode()
    assert "市监执法员" in html and township_officer not in html
    html = client.get(page, {"domain": "urban"}).content.decode()
    assert "市监执法员" not in html and township_officer in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"agency": "abc"}, "执法主体："),
        ({"agency": "999999"}, "执法主体："),
        ({"domain": "nope"}, "执法领域："),
    ],
)
def test_a_bad_filter_names_the_field_and_shows_everyone(client, county, params, message):
    response = client.get(url("portal-officers", county.townships[0]), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and county.person(RoleCode.OFFICER, "t0").name in html


def test_an_agency_of_another_county_is_not_a_filter(client, county, other_county):
    response = client.get(
        url("portal-officers", county.county), {"agency": other_county.township_agencies[0].pk}
    )
    assert "执法主体：" in response.content.decode()
    assert (
        other_county.person(RoleCode.OFFICER, "t0").certificates.get().number not in response.content.decode()
    )


def test_officers_page_through_and_answer_htmx_with_the_table(client, county):
    for i in range(25):
        certify(officer(county, f"分页人员{i:02d}"), f"P{i:05d}", county.domains["urban"])
    page = url("portal-officers", county.townships[0])
    first = client.get(page).content.decode()
    assert 'data-testid="pagination"' in first and first.count('data-testid="officer-row"') == 20
    second = client.get(page, {"page": 2}, headers={"HX-Request": "true"})
    html = second.content.decode()
    assert html.count('data-testid="officer-row"') == 6 and "<html" not in html
    assert "HX-Request" in second["Vary"]
    restore = client.get(
        page, {"page": 2}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()  # htmx restoring history needs the whole page
    assert client.get(page, {"page": "x"}).status_code == 200


def _queries(client, path: str) -> int:
    clear_calendar_cache()  # the working-day tables are cached per process: count them every time
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_officers_query_count_does_not_grow_with_rows(client, county):
    page = url("portal-officers", county.county)
    for i in range(10):
        certify(officer(county, f"人员{i}"), f"Q{i:05d}", county.domains["urban"])
    ten = _queries(client, page)
    for i in range(10, 50):
        agency = county.township_agencies[i % 2]
        certify(officer(county, f"人员{i}", agency), f"Q{i:05d}", county.domains["market"])
    assert _queries(client, page) == ten


def _grow(world: World, grant_list: GrantList, n: int) -> None:
    """n more townships (each with its government, team, a certified officer, a granted and claimed
    item) and n more teams, officers and claimed items in t0."""
    claimed_by = world.user(RoleCode.TEAM_LEADER, "t0")
    for i in range(n):
        township = Region.objects.create(
            adcode=f"350102{200 + i:03d}000", name=f"新镇{i}", level=RegionLevel.TOWNSHIP, parent=world.county
        )
        agency = Agency.objects.create(
            name=f"新镇{i}人民政府", short_name="新", kind=AgencyKind.TOWNSHIP_GOVERNMENT, region=township
        )
        for place, gov in ((township, agency), (world.townships[0], world.township_agencies[0])):
            Team.objects.create(name=f"{place.name}队{i}", agency=gov, region=place)
            certify(officer(world, f"{place.name}员{i}", gov), f"G{place.pk}{i:04d}", world.domains["urban"])
            item = PowerItem.objects.create(
                code=f"G{place.pk}-{i}",
                name=f"新增事项{place.pk}-{i}",
                power_type=PowerType.INSPECTION,
                domain=world.domains["urban"],
                original_subject="县城市管理局",
                basis_text="某条例",
            )
            GrantEntry.objects.create(grant_list=grant_list, item=item, township=place)
            Claim.objects.create(
                grant_list=grant_list, township=place, item=item, claimed_on=today(), claimed_by=claimed_by
            )


@pytest.mark.parametrize("name", ["portal-index", *PAGES])
def test_the_other_pages_query_count_does_not_grow_with_rows(client, county, name):
    grant_list, _items = grant(county)
    areas = (county.county, county.townships[0])
    path = (lambda area: reverse(name)) if name == "portal-index" else (lambda area: url(name, area))
    before = [_queries(client, path(area)) for area in areas]
    _grow(county, grant_list, 8)
    assert [_queries(client, path(area)) for area in areas] == before


# --- powers ---------------------------------------------------------------------------------------


def test_township_powers_in_force_with_a_link_to_the_versions(client, county):
    """APL Art. 24: the grant decision is published; the township's claimed items in force today."""
    _list, items = grant(county)
    html = client.get(url("portal-powers", county.townships[0])).content.decode()
    assert "测政〔2026〕1号" in html
    claimed = html.split('data-testid="powers-claimed"')[1].split("</table>")[0]
    assert items[0].name in claimed and items[1].name not in claimed
    unclaimed = html.split('data-testid="powers-unclaimed"')[1].split("</table>")[0]
    assert items[1].name in unclaimed
    assert items[2].name not in html  # granted to the other township
    assert f'href="{reverse("grants-public-township", args=[county.townships[0].adcode])}"' in html


def test_county_powers_count_claimed_items_per_township(client, county):
    _list, items = grant(county)
    html = client.get(url("portal-powers", county.county)).content.decode()
    for township in county.townships:
        assert f'href="{url("portal-powers", township)}"' in html
    rows = html.split('data-testid="powers-township"')[1:]
    assert [r.split('data-testid="claimed-count">')[1].split("<")[0] for r in rows] == ["1", "1"]
    for item in items:
        assert item.code in html


def test_powers_without_a_list_in_force(client, county):
    for area in (county.county, county.townships[0]):
        assert 'data-testid="powers-none"' in client.get(url("portal-powers", area)).content.decode()


# --- procedures -----------------------------------------------------------------------------------


def _forward(procedure: str) -> list:
    """The definition's forward moves of `procedure` that a case can reach from its first state: some
    target comes after some reachable source in CaseState's order."""
    order = list(CaseState)
    moves = [t for t in TRANSITIONS if procedure in t.procedures]
    reached, frontier = set(), {CaseState.SOURCE}
    while frontier:
        reached |= frontier
        frontier = {d for t in moves for s in t.sources if s in reached for d in t.targets} - reached
    return [
        t
        for t in moves
        if any(s in reached and order.index(d) > order.index(s) for s in t.sources for d in t.targets)
    ]


@pytest.mark.parametrize("procedure", Procedure.values)
def test_procedures_show_every_forward_step_of_the_definition_with_its_article(client, county, procedure):
    """GO118 (四): procedures and flowcharts with time limits; APL Art. 39. Derived from
    zhifa.cases.procedure, so the published chart cannot drift from the engine."""
    html = client.get(url("portal-procedures", county.townships[0])).content.decode()
    chart = html.split(f'data-testid="chart-{procedure}"')[1].split("</section>")[0]
    for transition in _forward(procedure):
        assert f'data-move="{transition.name}"' in chart, transition.name
        assert str(transition.label) in chart and str(transition.article) in chart, transition.name
    steps = [part.split('"')[0] for part in chart.split('data-step="')[1:]]
    order = [s.value for s in CaseState]
    assert steps == sorted(steps, key=order.index) and steps[0] == CaseState.SOURCE
    assert steps[-1] not in {s.value for t in TRANSITIONS if procedure in t.procedures for s in t.sources}
    assert steps == main_line(procedure)


def test_the_general_chart_runs_from_source_to_archive_with_time_limits_and_rights(client, county):
    """APL Art. 44-45, 63-64 (statement, defence, hearing free of charge), Art. 60 (90 days), Art. 61
    (7 working days), ARL Art. 20 (60 days), ALL Art. 46 (6 months)."""
    html = client.get(url("portal-procedures", county.county)).content.decode()
    chart = html.split('data-testid="chart-general"')[1].split("</section>")[0]
    for state in (CaseState.FILING, CaseState.INVESTIGATING, CaseState.NOTIFIED, CaseState.REVIEW):
        assert f'data-step="{state}"' in chart
    for text in (
        "90日",
        "《行政处罚法》第六十条",
        "5个工作日",
        "《行政处罚法》第六十四条第（一）项",
        "7个工作日",
        "听证不收取任何费用",
        "陈述、申辩",
        "60日",
        "《行政复议法》第二十条",
        "6个月",
        "《行政诉讼法》第四十六条",
    ):
        assert text in chart, text
    optional = [
        p.split('"')[0] for p in chart.split('zf-flow-optional" data-testid="flow-step" data-step="')[1:]
    ]
    assert CaseState.HEARING in optional and CaseState.DISCUSSION in optional
    assert CaseState.REVIEW not in optional


def test_procedures_show_the_area_settings(client, county):
    """LAW.md last table: periods left to local rules are shown with the area's value."""
    from zhifa.cases.models import ProcedureSetting

    ProcedureSetting.objects.create(
        key="statement_days", value="7", agency=county.township_agencies[0], source="本镇规定"
    )
    html = client.get(url("portal-procedures", county.townships[0])).content.decode()
    notified = html.split('data-step="notified"')[1].split("</li>")[0]
    assert "7个工作日" in notified and "本地规定：本镇规定" in notified
    other = client.get(url("portal-procedures", county.townships[1])).content.decode()
    assert "5个工作日" in other.split('data-step="notified"')[1].split("</li>")[0]


def test_procedures_name_no_internal_role(client, county):
    html = client.get(url("portal-procedures", county.county)).content.decode()
    main = html.split('data-testid="portal-main"')[1]
    for label in ("指挥调度员", "法制审核员", "系统管理员", "网格员", "片长"):
        assert label not in main


# --- guide ----------------------------------------------------------------------------------------


def test_guide_complaints_fees_rights_and_remedies(client, county):
    """APL Art. 63 (hearing free), Art. 67 (fines to the bank), ARL Art. 20 (60 days), ALL Art. 46
    (6 months); random inspections and benchmarks are not published yet: "暂无"."""
    html = client.get(url("portal-guide", county.townships[0])).content.decode()
    assert f'href="{reverse("public-report")}"' in html and f'href="{reverse("public-track")}"' in html
    assert "12345" in html and "不收取任何费用" in html and "《行政处罚法》第六十三条第二款" in html
    assert (
        "60日" in html
        and "《行政复议法》第二十条" in html
        and "6个月" in html
        and "《行政诉讼法》第四十六条" in html
    )
    for testid in ("portal-plans", "portal-benchmarks"):
        section = html.split(f'data-testid="{testid}"')[1].split("</section>")[0]
        assert "暂无" in section
