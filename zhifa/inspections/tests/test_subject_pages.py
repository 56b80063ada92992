"""Subject pages (issue 7, point 1): list and filters, detail, create/edit, import, recusal, who may what."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.inspections.models import InspectorConflict, Subject, Visit, VisitResult, VisitState
from zhifa.inspections.testing import uscc_for
from zhifa.org.models import RoleCode
from zhifa.org.views.imports import SESSION_KEY

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "名称", "主体类型", "经营地址", "行业", "风险等级", "乡镇（街道）"]


def xlsx(*rows: list) -> bytes:
    """A real workbook with the import's header row and `rows`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_row(n: int, name: str = "新开饭店", township: str = "东湖镇") -> list:
    return [uscc_for(5000 + n), name, "企业", "东湖镇新街1号", "餐饮", "B", township]


def form_data(insp, **changes) -> dict:
    data = {
        "uscc": uscc_for(4242),
        "name": "湖畔餐厅",
        "kind": "enterprise",
        "industry": insp.industries["catering"].pk,
        "risk_level": "A",
        "address": "东湖镇湖滨路8号",
        "township": insp.county.townships[0].pk,
        "lng": "",
        "lat": "",
        "contact_name": "李四",
        "contact_phone": "13900000000",
    }
    return data | changes


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def upload(client, filename: str, content: bytes):
    return client.post(reverse("inspections-subject-import"), {"file": SimpleUploadedFile(filename, content)})


def confirm(client, token: str, action: str = "commit"):
    return client.post(reverse("inspections-subject-import"), {"token": token, "action": action}, follow=True)


def as_user(client, user):
    client.force_login(user)
    return client


def admin(insp, place="t0"):
    return insp.county.user(RoleCode.ADMIN, place)


# --- list -------------------------------------------------------------------------------------------


def test_list_shows_the_county_with_count_and_risk_badges(client, insp, other_insp):
    html = as_user(client, insp.county.user(RoleCode.OFFICER, "t0")).get(reverse("inspections-subject-list"))
    text = html.content.decode()
    assert html.status_code == 200
    assert "共 10 个检查对象" in text
    assert "东湖饭店" in text and "西山酒家" in text  # the whole county's register (directory data)
    assert other_insp.subjects[0].uscc not in text  # never another county's
    assert '<span class="badge text-bg-danger" data-testid="risk-A"' in text
    assert '<span class="badge text-bg-success" data-testid="risk-D"' in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "饭店"}, {"东湖饭店"}),
        ({"q": "wrongname"}, set()),
        ({"risk_level": "A"}, {"东湖饭店", "东湖宾馆", "西山酒家"}),
        ({"risk_level": "Z"}, set()),
        ({"kind": "individual", "township": "T0"}, {"东湖饭店", "东湖小吃店", "东湖便利店"}),
        ({"industry": "lodging"}, {"东湖宾馆", "西山旅馆"}),
        ({"industry": "lodging", "township": "T1"}, {"西山旅馆"}),
        ({"township": "999999999999"}, set()),
    ],
)
def test_list_filters(client, insp, params, expected):
    params = dict(params)
    if params.get("industry") in insp.industries:
        params["industry"] = insp.industries[params["industry"]].pk
    if params.get("township") in ("T0", "T1"):
        params["township"] = insp.county.townships[int(params["township"][1])].pk
    as_user(client, admin(insp))
    response = client.get(reverse("inspections-subject-list"), params)
    names = {s.name for s in response.context["page"].object_list}
    assert names == expected


def test_list_finds_by_uscc_and_paginates(client, insp):
    as_user(client, admin(insp))
    subject = insp.subjects[3]
    response = client.get(reverse("inspections-subject-list"), {"q": subject.uscc.lower()})
    assert [s.pk for s in response.context["page"].object_list] == [subject.pk]
    for n in range(3):
        Subject.objects.create(
            uscc=uscc_for(7000 + n),
            name=f"新店{n}",
            kind="enterprise",
            address="x",
            industry=insp.industries["retail"],
            township=insp.county.townships[0],
        )
    response = client.get(reverse("inspections-subject-list"), {"page_size": "10", "page": "2"})
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 3
    assert 'data-testid="pagination"' in response.content.decode()


def test_htmx_request_gets_only_the_results(client, insp):
    as_user(client, admin(insp))
    response = client.get(reverse("inspections-subject-list"), {"risk_level": "D"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "东湖便利店" in text and "<html" not in text and "subject-filters" not in text


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("inspections-subject-list"), {"page_size": "100"}).status_code == 200
    return len(captured.captured_queries)


def test_list_query_count_does_not_grow_with_rows(client, insp):
    as_user(client, admin(insp))
    Subject.objects.exclude(pk__in=[s.pk for s in insp.subjects[:2]]).delete()
    two = _list_queries(client)
    for n in range(8):
        Subject.objects.create(
            uscc=uscc_for(8000 + n),
            name=f"加店{n}",
            kind="enterprise",
            address="x",
            industry=insp.industries["retail" if n % 2 else "lodging"],
            township=insp.county.townships[n % 2],
            grid_cell=insp.county.grid[n % 2],
        )
    assert Subject.objects.count() == 10
    assert _list_queries(client) == two


# --- detail -----------------------------------------------------------------------------------------


def test_detail_shows_facts_position_visits_and_recusals(client, insp):
    subject = insp.subjects[0]
    Visit.objects.create(
        code="V-TEST-1",
        subject=subject,
        agency=insp.agencies["market"],
        planned_on=datetime.date(2026, 3, 2),
        state=VisitState.DONE,
        result=VisitResult.RECTIFY,
        rectify_by=datetime.date(2026, 4, 1),
    )
    InspectorConflict.objects.create(person=insp.officers["market"][0], subject=subject, reason="配偶经营")
    response = as_user(client, admin(insp)).get(reverse("inspections-subject-detail", args=[subject.pk]))
    text = response.content.decode()
    assert subject.uscc in text and "东湖镇人民路1号" in text
    assert insp.county.grid[0].name in text and "0.5, 0.5" in text
    assert (
        "V-TEST-1" in text and "2026-03-02" in text and "责令限期整改" in text and "2026-04-01前整改" in text
    )
    assert "配偶经营" in text and insp.officers["market"][0].name in text
    assert reverse("inspections-subject-edit", args=[subject.pk]) in text


# --- authorisation matrix ---------------------------------------------------------------------------


def _user(insp, other_insp, who):
    return {
        "officer-t0": lambda: insp.county.user(RoleCode.OFFICER, "t0"),
        "admin-t0": lambda: admin(insp, "t0"),
        "leader-t0": lambda: insp.county.user(RoleCode.TEAM_LEADER, "t0"),
        "admin-county": lambda: insp.county.user(RoleCode.ADMIN, "county"),
        "dept-leader": lambda: insp.user("market-leader"),
        "grid-worker": lambda: insp.county.user(RoleCode.GRID_WORKER, "t0"),
        "other-admin": lambda: other_insp.county.user(RoleCode.ADMIN, "county"),
    }[who]()


# (who, subject index: 0 in 东湖镇 / 6 in 西山街道, view, expected status)
MATRIX = [
    ("officer-t0", 0, "detail", 200),
    ("officer-t0", 6, "detail", 200),
    ("officer-t0", 0, "edit", 403),
    ("officer-t0", None, "create", 403),
    ("officer-t0", None, "import", 403),
    ("officer-t0", None, "import-template", 403),
    ("officer-t0", 0, "conflict", 200),
    ("admin-t0", 0, "edit", 200),
    ("admin-t0", 6, "edit", 403),
    ("admin-t0", None, "create", 200),
    ("admin-t0", None, "import", 200),
    ("leader-t0", 0, "edit", 200),
    ("leader-t0", 6, "edit", 403),
    ("admin-county", 6, "edit", 200),
    ("dept-leader", None, "create", 403),
    ("dept-leader", 0, "edit", 403),
    ("grid-worker", None, "list", 404),
    ("grid-worker", 0, "detail", 404),
    ("other-admin", 0, "detail", 404),
    ("other-admin", 0, "edit", 404),
    ("other-admin", 0, "conflict", 404),
]


@pytest.mark.parametrize(("who", "index", "view", "status"), MATRIX)
def test_authorisation_matrix(client, insp, other_insp, who, index, view, status):
    as_user(client, _user(insp, other_insp, who))
    args = [insp.subjects[index].pk] if index is not None else []
    assert client.get(reverse(f"inspections-subject-{view}", args=args)).status_code == status


def test_forbidden_edit_post_changes_nothing(client, insp, other_insp):
    subject = insp.subjects[6]  # 西山街道
    as_user(client, admin(insp, "t0"))
    data = form_data(insp, uscc=subject.uscc, name="改名", version=1)
    assert client.post(reverse("inspections-subject-edit", args=[subject.pk]), data).status_code == 403
    as_user(client, other_insp.county.user(RoleCode.ADMIN, "county"))
    assert client.post(reverse("inspections-subject-edit", args=[subject.pk]), data).status_code == 404
    subject.refresh_from_db()
    assert subject.name == "西山酒家" and subject.version == 1


def test_create_form_offers_only_own_townships(client, insp):
    response = as_user(client, admin(insp, "t0")).get(reverse("inspections-subject-create"))
    choices = list(response.context["form"].fields["township"].queryset)
    assert choices == [insp.county.townships[0]]


# --- create and edit --------------------------------------------------------------------------------


def test_create_shows_uscc_error_on_its_field_then_saves(client, insp):
    as_user(client, admin(insp))
    url = reverse("inspections-subject-create")
    valid = uscc_for(4242)
    wrong = valid[:-1] + ("1" if valid[-1] == "0" else "0")  # a wrong check character
    response = client.post(url, form_data(insp, uscc=wrong))
    assert response.status_code == 200
    assert f"统一社会信用代码“{wrong}”无效" in response.context["form"].errors["uscc"][0]
    assert 'data-testid="error-uscc"' in response.content.decode()
    assert not Subject.objects.filter(name="湖畔餐厅").exists()
    response = client.post(url, form_data(insp, name=""))
    assert "name" in response.context["form"].errors
    response = client.post(url, form_data(insp))
    subject = Subject.objects.get(name="湖畔餐厅")
    assert response.status_code == 302 and response.url == reverse(
        "inspections-subject-detail", args=[subject.pk]
    )
    assert Event.objects.filter(action="inspections.subject.create").count() == 1


def test_create_with_position_places_subject_in_its_grid(client, insp):
    as_user(client, admin(insp))
    client.post(reverse("inspections-subject-create"), form_data(insp, township="", lng="0.25", lat="0.75"))
    subject = Subject.objects.get(name="湖畔餐厅")
    assert subject.township == insp.county.townships[0] and subject.grid_cell == insp.county.grid[0]


def test_create_position_in_other_township_is_refused_on_field(client, insp):
    as_user(client, admin(insp))
    response = client.post(reverse("inspections-subject-create"), form_data(insp, lng="1.5", lat="0.5"))
    assert "township" in response.context["form"].errors  # 西山街道's position, 东湖镇 chosen
    assert not Subject.objects.filter(name="湖畔餐厅").exists()


def test_edit_saves_and_refuses_a_stale_version(client, insp):
    subject = insp.subjects[0]
    as_user(client, admin(insp))
    url = reverse("inspections-subject-edit", args=[subject.pk])
    form = client.get(url).context["form"]
    assert form.initial["uscc"] == subject.uscc and form.initial["version"] == 1
    data = form_data(insp, uscc=subject.uscc, name="东湖大饭店", version=1)
    assert client.post(url, data).status_code == 302
    subject.refresh_from_db()
    assert subject.name == "东湖大饭店" and subject.version == 2
    response = client.post(url, data | {"name": "旧页面的修改"})
    assert "已被他人修改" in response.content.decode()
    subject.refresh_from_db()
    assert subject.name == "东湖大饭店"


# --- import -----------------------------------------------------------------------------------------


def test_import_with_a_bad_row_writes_nothing_and_names_row_and_column(client, insp, media):
    as_user(client, admin(insp))
    bad = good_row(2, "坏行")
    bad[0] = "123"
    content = xlsx(good_row(1), bad)
    response = upload(client, "名录.xlsx", content)
    text = response.content.decode()
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "统一社会信用代码")]
    assert "第3行" in text and "无效" in text and 'data-testid="confirm"' not in text
    assert not Subject.objects.filter(name="新开饭店").exists()
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]


def test_import_preview_then_confirm_writes_all_rows(client, insp, media):
    as_user(client, admin(insp))
    content = xlsx(good_row(1), good_row(2, "新开茶馆"))
    response = upload(client, "名录.xlsx", content)
    assert "校验通过" in response.content.decode() and not Subject.objects.filter(name="新开饭店").exists()
    token = response.context["token"]
    response = confirm(client, token, "commit")
    assert "导入成功" in response.content.decode() and "新增2条" in response.content.decode()
    assert Subject.objects.filter(name__in=["新开饭店", "新开茶馆"]).count() == 2
    assert Event.objects.filter(action="inspections.subject.import").count() == 1
    assert list(media.iterdir()) == []
    # The token is spent: replaying the confirm writes nothing more.
    response = confirm(client, token, "commit")
    assert "已失效" in response.content.decode()
    assert Event.objects.filter(action="inspections.subject.import").count() == 1


def test_import_cancel_and_wrong_type(client, insp, media):
    as_user(client, admin(insp))
    response = upload(client, "名录.xlsx", xlsx(good_row(1)))
    token = response.context["token"]
    response = confirm(client, token, "cancel")
    assert "已取消导入" in response.content.decode() and not Subject.objects.filter(name="新开饭店").exists()
    response = upload(client, "a.pdf", b"%PDF")
    assert "不支持的文件类型" in response.content.decode()


def test_import_row_in_other_township_is_refused(client, insp, media):
    as_user(client, admin(insp, "t0"))
    content = xlsx(good_row(1, township="西山街道"))
    response = upload(client, "a.xlsx", content)
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "乡镇（街道）")]


def test_template_download_imports_back(client, insp, media):
    as_user(client, admin(insp, "t0"))
    response = client.get(reverse("inspections-subject-import-template"))
    content = b"".join(response.streaming_content)
    assert (
        response["Content-Disposition"].startswith("attachment")
        and ".xlsx" in response["Content-Disposition"]
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:3] == ["统一社会信用代码", "名称", "主体类型"] and "说明" in book.sheetnames
    assert book.worksheets[0].cell(row=2, column=7).value == "东湖镇"
    # The example row is valid: the template re-imports cleanly.
    response = upload(client, "t.xlsx", content)
    assert response.context["result"].ok


# --- recusal ----------------------------------------------------------------------------------------


def test_officer_declares_for_himself_only(client, insp):
    officer = insp.officers["market"][0]
    colleague = insp.officers["market"][1]
    subject = insp.subjects[1]
    as_user(client, officer.user)
    url = reverse("inspections-subject-conflict", args=[subject.pk])
    assert list(client.get(url).context["form"].fields["person"].queryset) == [officer]
    response = client.post(url, {"person": colleague.pk, "reason": "亲属"})
    assert "person" in response.context["form"].errors
    assert not InspectorConflict.objects.exists()
    response = client.post(url, {"person": officer.pk, "reason": ""})
    assert "reason" in response.context["form"].errors
    assert client.post(url, {"person": officer.pk, "reason": "曾在该店任职"}).status_code == 302
    assert InspectorConflict.objects.get().person == officer
    assert Event.objects.filter(action="inspections.conflict.declare").count() == 1
    response = client.post(url, {"person": officer.pk, "reason": "再次登记"})
    assert "已登记" in response.content.decode() and InspectorConflict.objects.count() == 1


def test_team_leader_declares_for_his_agency(client, insp):
    leader = insp.user("market-leader")
    subject = insp.subjects[2]
    as_user(client, leader)
    url = reverse("inspections-subject-conflict", args=[subject.pk])
    people = set(client.get(url).context["form"].fields["person"].queryset)
    assert set(insp.officers["market"]) <= people
    assert not people & set(insp.officers["safety"])
    client.post(url, {"person": insp.officers["market"][1].pk, "reason": "股东"})
    assert InspectorConflict.objects.get().person == insp.officers["market"][1]
    text = client.get(reverse("inspections-subject-detail", args=[subject.pk])).content.decode()
    assert "股东" in text
