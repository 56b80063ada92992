"""Import pages: upload, preview or error table, confirm, commit; administrators only (issue 2, point 3)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.org.models import GridCell, Person, Region, RoleCode
from zhifa.org.views.imports import SESSION_KEY

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"

GOOD = "用户名,姓名,执法主体,角色\nzhang3,张三,东湖镇人民政府,执法人员\nli4,李四,县市监,执法人员、队长\n"
BAD = "用户名,姓名,手机,执法主体,角色\nzhang3,,123,东湖镇人民政府,执法人员\nli4,李四,,不存在的局,执法人员\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


@pytest.fixture
def admin_client(client, county):
    client.force_login(county.user(RoleCode.ADMIN, "county"))
    return client


def upload(client, url_name: str, name: str, content: bytes):
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("role", "place"),
    [
        (RoleCode.OFFICER, "t0"),
        (RoleCode.JUSTICE_BUREAU, "county"),
        (RoleCode.TEAM_LEADER, "t0"),
        (RoleCode.DISPATCHER, "county"),
    ],
)
def test_non_administrators_get_404(client, county, role, place):
    client.force_login(county.user(role, place))
    for url_name in (
        "import-index",
        "import-people",
        "import-regions",
        "import-grid",
        "import-template-people",
    ):
        assert client.get(reverse(url_name)).status_code == 404, url_name


def test_non_administrator_cannot_post_an_upload(client, county, media):
    client.force_login(county.user(RoleCode.JUSTICE_BUREAU, "county"))
    assert upload(client, "import-people", "p.csv", GOOD.encode()).status_code == 404
    assert not Person.objects.filter(name="张三").exists()


def test_anonymous_is_sent_to_login(client, county):
    response = client.get(reverse("import-people"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_index_lists_the_three_imports(admin_client):
    html = admin_client.get(reverse("import-index")).content.decode()
    for url_name in ("import-people", "import-regions", "import-grid", "import-template-people"):
        assert reverse(url_name) in html


def test_upload_preview_confirm_commit_people(admin_client, media):
    response = upload(admin_client, "import-people", "人员.csv", GOOD.encode("gbk"))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-preview"' in html and "zhang3" in html
    assert not Person.objects.filter(name="张三").exists()  # the dry run writes nothing
    token = next(iter(admin_client.session[SESSION_KEY]))
    assert len(list(media.iterdir())) == 1

    events = Event.objects.count()
    response = admin_client.post(reverse("import-people"), {"token": token, "action": "commit"}, follow=True)
    assert "导入成功" in response.content.decode()
    assert Person.objects.filter(name__in=["张三", "李四"]).count() == 2
    assert Event.objects.count() == events + 1
    assert list(media.iterdir()) == []  # the kept upload is deleted after the commit
    assert token not in admin_client.session.get(SESSION_KEY, {})

    # Posting the same confirmation again does nothing more.
    response = admin_client.post(reverse("import-people"), {"token": token, "action": "commit"}, follow=True)
    assert "上传的文件已失效" in response.content.decode()
    assert Event.objects.count() == events + 1


def test_errors_are_listed_per_row_and_nothing_is_kept(admin_client, media):
    response = upload(admin_client, "import-people", "people.csv", BAD.encode())
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html and 'data-testid="confirm-form"' not in html
    assert "第2行" in html and "应为11位手机号码" in html and "未找到执法主体“不存在的局”" in html
    assert not admin_client.session.get(SESSION_KEY)
    assert not media.exists() or list(media.iterdir()) == []
    assert not Person.objects.filter(name="李四").exists()


def test_commit_validates_again(admin_client, media, county):
    upload(admin_client, "import-people", "people.csv", GOOD.encode())
    token = next(iter(admin_client.session[SESSION_KEY]))
    # Meanwhile someone takes one of the usernames: the commit refuses the whole file.
    from zhifa.org.testing import make_person

    make_person(username="zhang3", name="抢先", region=county.townships[0], roles=[])
    response = admin_client.post(reverse("import-people"), {"token": token, "action": "commit"})
    html = response.content.decode()
    assert "用户名“zhang3”已存在" in html
    assert not Person.objects.filter(name="李四").exists()
    assert list(media.iterdir()) == []


def test_cancel_deletes_the_upload(admin_client, media):
    upload(admin_client, "import-people", "people.csv", GOOD.encode())
    token = next(iter(admin_client.session[SESSION_KEY]))
    response = admin_client.post(reverse("import-people"), {"token": token, "action": "cancel"}, follow=True)
    assert "已取消导入" in response.content.decode()
    assert list(media.iterdir()) == [] and not Person.objects.filter(name="张三").exists()


def test_a_token_from_the_session_cannot_name_another_file(admin_client, media):
    response = admin_client.post(
        reverse("import-people"), {"token": "../../settings", "action": "commit"}, follow=True
    )
    assert "上传的文件已失效" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.txt", b"hello", "不支持的文件类型"),
        ("people.xlsx", b"PK\x03\x04garbage", "无法读取该 Excel 文件"),
        ("people.csv", b"", "文件是空的"),
        ("people.csv", "姓名\n张三\n".encode(), "缺少必需的列"),
    ],
)
def test_bad_files_give_a_clear_message_not_a_500(admin_client, media, name, content, message):
    response = upload(admin_client, "import-people", name, content)
    assert response.status_code == 200 and message in response.content.decode()


def test_missing_file_is_a_form_error(admin_client, media):
    response = admin_client.post(reverse("import-people"), {})
    assert response.status_code == 200 and 'data-testid="file-error"' in response.content.decode()


def test_regions_and_grid_pages_commit(admin_client, media, county):
    text = "区划代码,名称,层级\n350102003000,南岭镇,镇\n"
    upload(admin_client, "import-regions", "regions.csv", text.encode())
    token = next(iter(admin_client.session[SESSION_KEY]))
    admin_client.post(reverse("import-regions"), {"token": token, "action": "commit"})
    assert Region.objects.get(adcode="350102003000").parent == county.county

    response = upload(admin_client, "import-grid", "grid.geojson", (DATA / "grid_ok.geojson").read_bytes())
    assert 'data-testid="import-preview"' in response.content.decode()
    token = next(iter(admin_client.session[SESSION_KEY]))
    admin_client.post(reverse("import-grid"), {"token": token, "action": "commit"})
    assert GridCell.objects.filter(code__startswith="3501G0C-Z1").count() == 3


def test_people_template_has_the_headers_and_an_example_from_the_county(admin_client, county):
    response = admin_client.get(reverse("import-template-people"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("用户名", "姓名", "手机", "执法主体")
    assert county.township_agencies[0].name in rows[1]
