"""Power catalogue pages through the test client: search and filters, constant query count, detail with
structured basis and range, and editing only for administrators (with Chinese errors on the field)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem, PowerType


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(county) -> list[PowerItem]:
    urban, market = county.domains["urban"], county.domains["market"]
    return [
        PowerItem.objects.create(
            code="XF-060",
            name="对损坏、挪用消防设施、器材的行政处罚",
            power_type=PowerType.PENALTY,
            domain=urban,
            original_subject="县消防救援大队",
            basis_text="《中华人民共和国消防法》第六十条第一款第三项",
            basis_refs=[{"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 3}],
            keywords="灭火器",
            penalty_types=["罚款"],
            fine_min=Decimal("5000"),
            fine_max=Decimal("50000"),
        ),
        PowerItem.objects.create(
            code="YY-038",
            name="对使用禁用的渔具进行捕捞的行政处罚",
            power_type=PowerType.PENALTY,
            domain=market,
            original_subject="县农业农村局",
            basis_text="《中华人民共和国渔业法》第三十八条",
            keywords="渔具 电鱼",
        ),
        PowerItem.objects.create(
            code="SC-JC-001",
            name="对食品生产经营的监督检查",
            power_type=PowerType.INSPECTION,
            domain=market,
            original_subject="县市场监督管理局",
            basis_text="《中华人民共和国食品安全法》第一百一十条",
            is_active=False,
        ),
    ]


def codes(response) -> list[str]:
    return [item.code for item in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["SC-JC-001", "XF-060", "YY-038"]),
        ("q=灭火器", ["XF-060"]),  # keywords
        ("q=yy-0", ["YY-038"]),  # code, any case
        ("q=渔业法", ["YY-038"]),  # basis text
        ("q=行政处罚 消防", ["XF-060"]),  # every word must match
        ("power_type=inspection", ["SC-JC-001"]),
        ("domain=market", ["SC-JC-001", "YY-038"]),
        ("domain=market&power_type=penalty", ["YY-038"]),
        ("active=0", ["SC-JC-001"]),
        ("power_type=bogus", []),  # an unknown filter value matches nothing
        ("domain=nowhere", []),
    ],
)
def test_list_search_and_filters(county, items, query, expected):
    response = client_for(county.user(RoleCode.OFFICER)).get(f"{reverse('power-item-list')}?{query}")
    assert response.status_code == 200
    assert codes(response) == expected


def test_every_logged_in_role_reads_the_catalogue(county, items):
    """The catalogue is public reference data: not scoped by township."""
    for role, place in (
        (RoleCode.GRID_WORKER, "t1"),
        (RoleCode.OFFICER, "dept"),
        (RoleCode.DISPATCHER, "county"),
    ):
        client = client_for(county.user(role, place))
        assert len(codes(client.get(reverse("power-item-list")))) == 3
        assert client.get(reverse("power-item-detail", args=[items[0].pk])).status_code == 200


def test_anonymous_is_sent_to_login(db):
    response = Client().get(reverse("power-item-list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_query_count_does_not_depend_on_page_size(county):
    market = county.domains["market"]
    PowerItem.objects.bulk_create(
        [
            PowerItem(
                code=f"B{i:04d}",
                name=f"事项{i}",
                power_type=PowerType.PENALTY,
                domain=market,
                original_subject="县市场监督管理局",
                basis_text="《中华人民共和国食品安全法》第一百二十二条",
            )
            for i in range(120)
        ]
    )
    client = client_for(county.user(RoleCode.OFFICER))
    url = reverse("power-item-list")
    client.get(url)

    def run(size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{url}?page_size={size}&domain=market")
        assert len(codes(response)) == size
        assert response.content.decode().count("县市场监督管理局") >= size
        return len(ctx.captured_queries)

    assert run(10) == run(100)


def test_htmx_request_gets_only_the_results(county, items):
    client = client_for(county.user(RoleCode.OFFICER))
    response = client.get(reverse("power-item-list") + "?q=灭火器", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="item-table"' in body and "<html" not in body


def test_bad_paging_parameters_do_not_fail(county, items):
    client = client_for(county.user(RoleCode.OFFICER))
    for query in ("page=abc", "page=999", "page_size=xyz", "page_size=100000", "page=-1"):
        assert client.get(f"{reverse('power-item-list')}?{query}").status_code == 200


def test_detail_shows_structured_basis_and_statutory_range(county, items):
    response = client_for(county.user(RoleCode.OFFICER)).get(reverse("power-item-detail", args=[items[0].pk]))
    body = response.content.decode()
    assert "《中华人民共和国消防法》第六十条第一款第（三）项" in body
    assert "5000 元以上 50000 元以下" in body.replace(",", "")
    assert 'data-testid="item-edit"' not in body  # an officer may not edit


def test_missing_item_is_404(county):
    assert (
        client_for(county.user(RoleCode.OFFICER)).get(reverse("power-item-detail", args=[999999])).status_code
        == 404
    )


def test_non_admin_cannot_create_or_edit(county, items):
    client = client_for(county.user(RoleCode.TEAM_LEADER))
    assert client.get(reverse("power-item-create")).status_code == 403
    assert client.post(reverse("power-item-edit", args=[items[0].pk]), {"name": "x"}).status_code == 403
    items[0].refresh_from_db()
    assert items[0].version == 1


def form_data(**overrides) -> dict:
    data = {
        "code": "ZY-001",
        "name": "对在城市人行道上擅自摆摊设点的行政处罚",
        "power_type": "penalty",
        "original_subject": "县城市管理局",
        "basis_text": "《城市市容和环境卫生管理条例》第三十六条",
        "basis_refs": '[{"law": "城市市容和环境卫生管理条例", "article": 36}]',
        "penalty_types": ["警告", "罚款"],
        "fine_min": "",
        "fine_max": "",
        "is_active": "on",
    }
    return data | overrides


def test_admin_creates_then_edits_an_item(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    response = client.post(reverse("power-item-create"), form_data(domain=county.domains["urban"].pk))
    item = PowerItem.objects.get(code="ZY-001")
    assert response.status_code == 302 and response["Location"] == reverse(
        "power-item-detail", args=[item.pk]
    )
    assert item.basis_refs == [{"law": "城市市容和环境卫生管理条例", "article": 36}]
    assert item.penalty_types == ["警告", "罚款"] and item.domain == county.domains["urban"]
    edit = reverse("power-item-edit", args=[item.pk])
    assert 'value="1"' in client.get(edit).content.decode()  # the loaded version
    response = client.post(edit, form_data(name="新名称", version=1))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "新名称" and item.version == 2
    assert Event.objects.filter(action__startswith="power_item.").count() == 2


def test_form_shows_service_errors_on_their_fields(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    response = client.post(
        reverse("power-item-create"),
        form_data(fine_min="900", fine_max="100", basis_refs='[{"law": "条例"}]', code="坏 编码"),
    )
    assert response.status_code == 200 and not PowerItem.objects.exists()
    form = response.context["form"]
    assert form.errors["fine_min"] == ["罚款下限不能大于罚款上限"]
    assert "事项编码" in form.errors["code"][0]
    assert "“条”必须是正整数" in form.errors["basis_refs"][0]


def test_bad_json_in_basis_refs_is_a_form_error(county):
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    response = client.post(reverse("power-item-create"), form_data(basis_refs="{not json"))
    assert response.context["form"].errors["basis_refs"] == ["依据条款不是有效的 JSON"]


def test_stale_edit_is_refused_with_a_message(county, items):
    """Concurrent edits never silently overwrite each other (DESIGN.md: optimistic concurrency)."""
    client = client_for(county.user(RoleCode.ADMIN, "county"))
    edit = reverse("power-item-edit", args=[items[1].pk])
    base = form_data(code="YY-038", power_type="penalty", penalty_types=[])
    assert client.post(edit, base | {"name": "第一人", "version": 1}).status_code == 302
    response = client.post(edit, base | {"name": "第二人", "version": 1})
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后重试" in response.content.decode()
    items[1].refresh_from_db()
    assert items[1].name == "第一人"
