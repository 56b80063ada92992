"""The public's pages (no login): report with a tracking code, follow the status, evaluate; abuse limits."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.intake.models import Clue, ClueSource, ClueStatus
from zhifa.intake.services.photos import PhotoUpload
from zhifa.intake.services.report import clue_report_public
from zhifa.intake.tests.helpers import INSIDE_T0, clue_input
from zhifa.intake.tests.test_report_pages import JPEG, drive_to
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
REPORT = "/report/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The per-IP counters live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def public_data(world, **overrides) -> dict:
    data = {
        "category": world.category.pk,
        "text": "小区门口烧烤摊油烟很大，晚上营业到凌晨",
        "region": world.county.townships[0].pk,
        "lat": "",
        "lng": "",
        "reporter_name": "",
        "reporter_phone": "",
        "client_key": str(uuid.uuid4()),
        "website": "",
    }
    data.update(overrides)
    return data


def test_public_form_needs_no_login_and_has_a_honeypot(world, client):
    response = client.get(REPORT)
    page = response.content.decode()
    assert response.status_code == 200 and 'name="csrfmiddlewaretoken"' in page
    assert 'name="website"' in page and 'class="zf-hp"' in page
    assert world.county.townships[1].name in page and 'accept="image/*"' in page
    assert response["X-Robots-Tag"].startswith("noindex")


def test_public_reports_and_gets_a_tracking_code(world, client, media):
    data = public_data(
        world,
        reporter_name="李女士",
        reporter_phone="13900002222",
        photos=[SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg")],
    )
    response = client.post(REPORT, data)
    clue = Clue.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/report/done/{clue.tracking_code}/"
    assert clue.source == ClueSource.PUBLIC and clue.reported_by is None
    assert clue.township == world.county.townships[0] and clue.reporter_phone == "13900002222"
    assert clue.photos.count() == 1 and clue.client_key == "public:" + data["client_key"]
    done = client.get(response["Location"]).content.decode()
    assert clue.tracking_code in done and f"/track/{clue.tracking_code}/" in done


def test_public_position_places_the_clue_and_retry_returns_the_same_code(world, client):
    data = public_data(world, region="", lng=INSIDE_T0[0], lat=INSIDE_T0[1])
    first = client.post(REPORT, data, HTTP_ACCEPT="application/json")
    again = client.post(REPORT, data, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and again.status_code == 200 and first.json() == again.json()
    clue = Clue.objects.get()
    assert clue.grid_cell == world.micro[0] and first.json()["url"].endswith(f"/{clue.tracking_code}/")


def test_public_errors_per_field_and_no_place_at_all(world, client):
    response = client.post(
        REPORT, public_data(world, region="", text="", category=""), HTTP_ACCEPT="application/json"
    )
    errors = response.json()["errors"]
    assert response.status_code == 400 and "至少" in errors["text"][0] and "类别" in errors["category"][0]
    nowhere = client.post(REPORT, public_data(world, region=""), HTTP_ACCEPT="application/json")
    assert "请选择事发乡镇" in nowhere.json()["errors"]["region"][0]
    assert Clue.objects.count() == 0


def test_a_staff_key_never_answers_the_public_form(world, client):
    key = str(uuid.uuid4())
    staff = clue_input(world, client_key=key)
    from zhifa.intake.services.report import clue_report

    staff_clue = clue_report(actor=world.user(RoleCode.GRID_WORKER, "t0"), data=staff)
    response = client.post(REPORT, public_data(world, client_key=key), HTTP_ACCEPT="application/json")
    assert response.status_code == 201 and staff_clue.tracking_code not in response.json()["url"]
    assert Clue.objects.count() == 2


def test_honeypot_creates_nothing(world, client):
    response = client.post(REPORT, public_data(world, website="http://spam.example"))
    assert response.status_code == 400 and "提交失败" in response.content.decode()
    assert Clue.objects.count() == 0


def test_csrf_is_checked(world):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(REPORT, public_data(world)).status_code == 403
    assert Clue.objects.count() == 0


def test_rate_limit_per_address(world, settings):
    settings.ZHIFA_PUBLIC_REPORTS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(2):
        assert client.post(REPORT, public_data(world), HTTP_ACCEPT="application/json").status_code == 201
    blocked = client.post(REPORT, public_data(world), HTTP_ACCEPT="application/json")
    assert blocked.status_code == 429 and "每小时最多提交2条" in blocked.json()["errors"]["__all__"][0]
    page = client.post(REPORT, public_data(world))
    assert page.status_code == 429 and "提交过于频繁" in page.content.decode()
    assert Clue.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.8")
    assert other.post(REPORT, public_data(world), HTTP_ACCEPT="application/json").status_code == 201


def test_attempts_with_mistakes_are_limited_too(world, settings):
    settings.ZHIFA_PUBLIC_REPORTS_PER_HOUR = 1
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(3):
        assert client.post(REPORT, public_data(world, text="短")).status_code == 400
    assert client.post(REPORT, public_data(world)).status_code == 429


def test_behind_the_proxy_the_forwarded_address_counts(world, settings):
    settings.ZHIFA_PUBLIC_REPORTS_PER_HOUR = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    post = {"HTTP_ACCEPT": "application/json"}
    assert proxy.post(REPORT, public_data(world), HTTP_X_FORWARDED_FOR="1.2.3.4", **post).status_code == 201
    assert proxy.post(REPORT, public_data(world), HTTP_X_FORWARDED_FOR="1.2.3.4", **post).status_code == 429
    assert proxy.post(REPORT, public_data(world), HTTP_X_FORWARDED_FOR="5.6.7.8", **post).status_code == 201


# --- tracking ------------------------------------------------------------------------------------


def public_clue(world, **overrides) -> Clue:
    values = {
        "source": ClueSource.PUBLIC,
        "region": world.county.townships[0],
        "reporter_name": "李女士",
        "reporter_phone": "13900002222",
        "photos": [PhotoUpload("a.jpg", JPEG)],
    }
    values.update(overrides)
    return clue_report_public(data=clue_input(world, **values))


def test_track_form_normalises_the_code(world, client):
    clue = public_clue(world)
    response = client.get("/track/", {"code": " " + clue.tracking_code.lower() + " "})
    assert response.status_code == 302 and response["Location"] == f"/track/{clue.tracking_code}/"
    assert client.get(f"/track/{clue.tracking_code.lower()}/").status_code == 302
    missing = client.get("/track/ZZZZZZZZZZ/")
    assert missing.status_code == 404 and "查询码不存在" in missing.content.decode()


def test_status_page_shows_no_personal_data_of_anyone(world, client, media):
    clue = drive_to(world, public_clue(world), ClueStatus.CLOSED)
    page = client.get(f"/track/{clue.tracking_code}/").content.decode()
    assert "已结案" in page and world.category.name in page
    for label in ("上报", "派遣", "签收", "处置", "反馈", "核查通过", "结案"):
        assert label in page
    people = [
        world.county.person(role, place).name
        for role, place in (
            (RoleCode.DISPATCHER, "county"),
            (RoleCode.OFFICER, "t0"),
        )
    ]
    secrets = [
        "李女士",
        "13900002222",
        clue.text,
        "调度员内部意见",
        "执法队内部记录",
        "反馈内容",
        "/intake/photos/",
        "<img",
        *people,
    ]
    for secret in secrets:
        assert secret not in page, secret
    assert 'data-testid="public-evaluate-form"' in page


def test_public_evaluates_once_after_closing(world, client, media):
    clue = public_clue(world)
    open_page = client.get(f"/track/{clue.tracking_code}/").content.decode()
    assert "待派遣" in open_page and 'data-testid="public-evaluate-form"' not in open_page
    drive_to(world, clue, ClueStatus.CLOSED)
    url = f"/track/{clue.tracking_code}/"
    assert "评价须为1至5星" in client.post(url, {"rating": "9"}).content.decode()
    response = client.post(url, {"rating": "5", "comment": "很快就处理了"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.rating == 5 and clue.rating_comment == "很快就处理了"
    after = client.get(url).content.decode()
    assert 'data-testid="public-rating"' in after and 'data-testid="public-evaluate-form"' not in after
    assert client.post(url, {"rating": "1"}).status_code == 400
    clue.refresh_from_db()
    assert clue.rating == 5


def test_a_staff_clue_cannot_be_evaluated_by_its_tracking_code(world, client):
    from zhifa.intake.services.report import clue_report

    staff = clue_report(actor=world.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(world))
    drive_to(world, staff, ClueStatus.CLOSED)
    url = f"/track/{staff.tracking_code}/"
    assert 'data-testid="public-evaluate-form"' not in client.get(url).content.decode()
    assert client.post(url, {"rating": "1"}).status_code == 400
    staff.refresh_from_db()
    assert staff.rating is None


def test_guessing_codes_is_limited(world, settings):
    settings.ZHIFA_PUBLIC_REPORTS_PER_HOUR = 1  # three unknown codes an hour
    clue = public_clue(world)
    client = Client(REMOTE_ADDR="10.0.0.10")
    for n in range(3):
        assert client.get(f"/track/ZZZZZZZZZ{n}/").status_code == 404
    blocked = client.get(f"/track/{clue.tracking_code}/")
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.11").get(f"/track/{clue.tracking_code}/").status_code == 200


def test_confirmation_page_shows_the_code_big(world, client):
    clue = public_clue(world)
    page = client.get(f"/report/done/{clue.tracking_code}/").content.decode()
    code = re.search(r'data-testid="tracking-code">([^<]+)<', page).group(1)
    assert code == clue.tracking_code and "李女士" not in page
    assert client.get("/report/done/ZZZZZZZZZZ/").status_code == 404
