"""Catalogue pages: lists, forms, the rules page, HTMX lists; the authorization matrix of the pages
(role x object x action), another county's objects by id (404); query counts (issue 7, points 2 and 3).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.inspections.models import FrequencyRule, InspectionItem, Scenario
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def _admin(insp, county=None):
    return (county or insp.county).user(RoleCode.ADMIN, "county")


def _rules(b_ratio: str = "0.3", b_floor: str = "0.1") -> list[dict]:
    return [
        {"risk_level": "A", "mode": "every", "floor": "1"},
        {"risk_level": "B", "mode": "sample", "ratio": b_ratio, "floor": b_floor},
        {"risk_level": "C", "mode": "sample", "ratio": "0.1", "floor": "0.05"},
        {"risk_level": "D", "mode": "sample", "ratio": "0.03", "floor": "0.01"},
    ]


# -- pages ---------------------------------------------------------------------------------------------


def _client(client, user):
    client.force_login(user)
    return client


def test_other_countys_objects_by_id_give_404(client, insp, other_insp):
    _client(client, _admin(insp))
    item, scenario = other_insp.items["M1"], other_insp.scenario
    for name, pk in [
        ("inspections-item-detail", item.pk),
        ("inspections-item-edit", item.pk),
        ("inspections-scenario-detail", scenario.pk),
        ("inspections-scenario-edit", scenario.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in [
        ("inspections-item-rules", item.pk),
        ("inspections-scenario-join", scenario.pk),
        ("inspections-scenario-leave", scenario.pk),
    ]:
        assert client.post(reverse(name, args=[pk]), {"version": 1}).status_code == 404, name
    assert Event.objects.count() == 0


def test_officer_reads_but_may_not_edit(client, insp):
    _client(client, insp.user("market-0"))
    item = insp.items["M1"]
    page = client.get(reverse("inspections-item-detail", args=[item.pk]))
    assert page.status_code == 200 and "制度是否健全" in page.content.decode()
    assert 'data-testid="rules-form"' not in page.content.decode()
    assert (
        'data-testid="join-form"'
        not in client.get(reverse("inspections-scenario-detail", args=[insp.scenario.pk])).content.decode()
    )
    assert client.get(reverse("inspections-item-edit", args=[item.pk])).status_code == 403
    assert client.get(reverse("inspections-item-create")).status_code == 403
    assert client.post(reverse("inspections-item-rules", args=[item.pk]), {"version": 1}).status_code == 403
    assert client.get(reverse("inspections-scenario-create")).status_code == 403
    post = {"department": insp.departments["market"].pk, "items": [item.pk]}
    assert client.post(reverse("inspections-scenario-join", args=[insp.scenario.pk]), post).status_code == 403
    assert Event.objects.count() == 0


def test_grid_worker_sees_no_catalogue(client, insp):
    _client(client, insp.county.user(RoleCode.GRID_WORKER, "t0"))
    assert client.get(reverse("inspections-item-list")).status_code == 403
    assert client.get(reverse("inspections-scenario-list")).status_code == 403


def test_rules_page_shows_floor_error_on_the_field(client, insp):
    _client(client, _admin(insp))
    item = insp.items["M1"]
    page = client.get(reverse("inspections-item-detail", args=[item.pk])).content.decode()
    assert 'name="ratio_B" value="30"' in page and 'name="floor_A" value="100"' in page  # percent, not 3E+1
    post = {
        "version": 1,
        "mode_A": "every",
        "floor_A": "100",
        "mode_B": "sample",
        "ratio_B": "5",
        "floor_B": "10",
    }
    page = client.post(reverse("inspections-item-rules", args=[item.pk]), post)
    assert page.status_code == 200
    assert 'data-testid="error-ratio_B"' in page.content.decode()
    assert item.frequency_rules.get(risk_level="B").ratio == Decimal("0.3")


def test_item_list_filters(client, insp):
    _client(client, insp.user("market-0"))
    url = reverse("inspections-item-list")
    assert client.get(url).content.decode().count("data-item=") == 5
    page = client.get(url, {"department": insp.departments["safety"].pk}).content.decode()
    assert page.count("data-item=") == 2
    assert client.get(url, {"industry": "lodging"}).content.decode().count("data-item=") == 3
    assert client.get(url, {"q": "燃气"}).content.decode().count("data-item=") == 1


def _make_items(insp, n: int) -> None:
    for i in range(n):
        item = InspectionItem.objects.create(
            code=f"Q{i}",
            name=f"事项{i}",
            department=insp.departments["urban"],
            domain=insp.items["U1"].domain,
        )
        item.industries.set([insp.industries["retail"]])
        FrequencyRule.objects.create(item=item, risk_level="A", mode="every")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(client, insp):
    _client(client, insp.user("market-leader"))
    items_url, scenarios_url = reverse("inspections-item-list"), reverse("inspections-scenario-list")
    _make_items(insp, 2)
    few_items, few_scenarios = _count(client, items_url), _count(client, scenarios_url)
    for code in [f"R{i}" for i in range(8)]:
        item = InspectionItem.objects.create(
            code=code, name=code, department=insp.departments["safety"], domain=insp.items["S1"].domain
        )
        item.industries.set([insp.industries["retail"]])
    for i in range(9):
        scenario = Scenario.objects.create(code=f"s{i}", name=f"场景{i}", county=insp.county.county)
        scenario.items.set([insp.items["M2"], insp.items["S2"]])
    assert _count(client, items_url) == few_items
    assert _count(client, scenarios_url) == few_scenarios


PAGE_USERS = {
    "admin": lambda insp, other: _admin(insp),
    "market-leader": lambda insp, other: insp.user("market-leader"),
    "market-0": lambda insp, other: insp.user("market-0"),
    "township-admin": lambda insp, other: insp.county.user(RoleCode.ADMIN, "t0"),
    "other-admin": lambda insp, other: _admin(other),
}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "admin",
            {"edit-M1": 200, "edit-S1": 200, "create": 200, "scenario-edit": 200, "scenario-create": 200},
        ),
        (
            "market-leader",
            {"edit-M1": 200, "edit-S1": 403, "create": 200, "scenario-edit": 403, "scenario-create": 403},
        ),
        (
            "market-0",
            {"edit-M1": 403, "edit-S1": 403, "create": 403, "scenario-edit": 403, "scenario-create": 403},
        ),
        (
            "township-admin",
            {"edit-M1": 403, "edit-S1": 403, "create": 403, "scenario-edit": 403, "scenario-create": 403},
        ),
        (
            "other-admin",
            {"edit-M1": 404, "edit-S1": 404, "create": 200, "scenario-edit": 404, "scenario-create": 200},
        ),
    ],
)
def test_page_matrix(client, insp, other_insp, who, expected):
    _client(client, PAGE_USERS[who](insp, other_insp))
    urls = {
        "edit-M1": reverse("inspections-item-edit", args=[insp.items["M1"].pk]),
        "edit-S1": reverse("inspections-item-edit", args=[insp.items["S1"].pk]),
        "create": reverse("inspections-item-create"),
        "scenario-edit": reverse("inspections-scenario-edit", args=[insp.scenario.pk]),
        "scenario-create": reverse("inspections-scenario-create"),
    }
    got = {name: client.get(url).status_code for name, url in urls.items()}
    assert got == expected
    if got["create"] == 200:  # the departments offered are the user's own county's only
        offered = set(client.get(urls["create"]).context["form"].fields["department"].queryset)
        assert bool(offered & set(insp.departments.values())) == (who != "other-admin")


def test_item_edit_page_saves_checklist_and_refuses_bad_rows(client, insp):
    _client(client, insp.user("market-leader"))
    item = insp.items["M1"]
    url = reverse("inspections-item-edit", args=[item.pk])
    form = client.get(url).context["form"]
    post = {name: form.initial.get(name) for name in ("code", "name", "department", "domain", "minutes")}
    post |= {"power_item": item.power_item.code, "checks": "", "industries": form.initial["industries"]}
    post |= {
        "is_active": "on",
        "version": 1,
        "point": ["进货查验", "索证索票"],
        "basis": ["《食品安全法》第五十三条", ""],
    }
    page = client.post(url, post)
    assert page.status_code == 200 and 'data-testid="error-checklist"' in page.content.decode()
    assert "第2条检查要点的法律依据不能为空" in page.content.decode()
    item.refresh_from_db()
    assert item.version == 1 and len(item.checklist) == 2 and "进货查验" not in str(item.checklist)
    post["basis"] = ["《食品安全法》第五十三条", "《食品安全法》第五十三条"]
    assert client.post(url, post).status_code == 302
    item.refresh_from_db()
    assert [row["point"] for row in item.checklist] == ["进货查验", "索证索票"] and item.version == 2
    page = client.post(url, post)  # the same page again: version 1 is stale
    assert "已被他人修改" in page.content.decode()


def test_scenario_pages_create_and_htmx_list(client, insp):
    _client(client, _admin(insp))
    post = {
        "code": "lodging",
        "name": "宾馆综合查一次",
        "industries": [insp.industries["lodging"].pk],
        "items": [insp.items["M2"].pk, insp.items["S2"].pk],
        "lead_department": insp.departments["safety"].pk,
        "is_active": "on",
    }
    assert client.post(reverse("inspections-scenario-create"), post).status_code == 302
    scenario = Scenario.objects.get(code="lodging")
    assert scenario.county == insp.county.county and scenario.items.count() == 2
    post["items"] = [insp.items["M1"].pk]  # not for lodging
    page = client.post(reverse("inspections-scenario-create"), post | {"code": "x"}).content.decode()
    assert 'data-testid="error-items"' in page and not Scenario.objects.filter(code="x").exists()
    partial = client.get(reverse("inspections-scenario-list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and partial.count("data-scenario=") == 2
