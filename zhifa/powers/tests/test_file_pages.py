"""Import and export pages of power lists: who may use them, the flow, the files they give (issue 3)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.org.models import RoleCode
from zhifa.org.views.imports import SESSION_KEY
from zhifa.powers.models import PowerItem
from zhifa.powers.tests.grant_helpers import make_items, published_list
from zhifa.powers.tests.test_import import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def login(client, county, role=RoleCode.ADMIN, place="county"):
    client.force_login(county.user(role, place))
    return client


@pytest.mark.parametrize(("role", "place"), [(RoleCode.OFFICER, "t0"), (RoleCode.TEAM_LEADER, "t0"),
                                             (RoleCode.JUSTICE_BUREAU, "county")])  # fmt: skip
def test_only_administrators_reach_the_import(client, county, media, role, place):
    login(client, county, role, place)
    assert client.get(reverse("power-item-import")).status_code == 404
    assert client.get(reverse("power-item-import-template")).status_code == 404
    response = client.post(
        reverse("power-item-import"), {"file": SimpleUploadedFile("a.csv", csv_file(row()))}
    )
    assert response.status_code == 404 and not PowerItem.objects.exists()


def test_upload_preview_then_confirm(client, county, media):
    login(client, county)
    html = client.get(reverse("import-index")).content.decode()
    assert reverse("power-item-import") in html and reverse("power-item-import-template") in html
    response = client.post(
        reverse("power-item-import"), {"file": SimpleUploadedFile("清单.csv", csv_file(row()))}
    )
    assert response.status_code == 200 and "校验通过" in response.content.decode()
    assert not PowerItem.objects.exists()
    token = next(iter(client.session[SESSION_KEY]))
    response = client.post(reverse("power-item-import"), {"token": token, "action": "commit"}, follow=True)
    assert "导入成功" in response.content.decode()
    assert PowerItem.objects.get().code == "SC-001"
    assert list(media.iterdir()) == []


def test_broken_file_lists_problems_and_offers_no_confirm(client, county, media):
    login(client, county)
    content = csv_file(row(**{"实施依据": ""}), row(**{"序号": 2}))
    response = client.post(reverse("power-item-import"), {"file": SimpleUploadedFile("清单.csv", content)})
    html = response.content.decode()
    assert "未写入任何数据" in html and "第2行" in html and "实施依据不能为空" in html
    assert "与第2行重复" in html and 'data-testid="confirm"' not in html
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_template_has_every_column_and_an_example(client, county):
    login(client, county)
    response = client.get(reverse("power-item-import-template"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["序号", "事项编码", "事项名称", "职权类型", "执法领域", "实施依据", "原实施主体"]
    assert sheet.cell(row=2, column=2).value == "CF-XF-001"
    assert workbook.worksheets[1].title == "说明"


def test_catalogue_export_follows_the_filters(client, county):
    items = make_items(county, 3)
    PowerItem.objects.filter(pk=items[0].pk).update(name="对占道经营的处罚")
    login(client, county, RoleCode.OFFICER, "t0")  # every user reads the catalogue
    response = client.get(reverse("power-item-export", args=["csv"]) + "?q=占道")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert (
        rows[0][:3] == ["序号", "事项编码", "事项名称"]
        and len(rows) == 2
        and rows[1][2] == "对占道经营的处罚"
    )
    assert client.get(reverse("power-item-export", args=["pdf"])).status_code == 404


def test_grant_list_export_in_published_format(client, county, other_county):
    items = make_items(county, 3)
    gl = published_list(county, {0: items[:2], 1: items[:1]})
    login(client, county)
    response = client.get(reverse("grant-list-export", args=[gl.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == ["序号", "事项名称", "职权类型", "实施依据", "原实施主体", "赋予对象", "备注"]
    assert values[1][0] == 1 and values[1][1] == items[0].name and values[1][5] == "全县各乡镇（街道）"
    assert values[2][1] == items[1].name and values[2][5] == county.townships[0].name
    assert len(values) == 3
    # Another county's administrator cannot reach the version by id.
    client.force_login(other_county.user(RoleCode.ADMIN, "county"))
    assert client.get(reverse("grant-list-export", args=[gl.pk, "xlsx"])).status_code == 404
