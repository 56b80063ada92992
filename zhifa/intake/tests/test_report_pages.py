"""The staff report page, "my clues" (verify, evaluate) and the scoped photo view."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.intake.models import Clue, CluePhoto, ClueSource, ClueStatus, ClueStep, StepKind
from zhifa.intake.services import dispatch, loop
from zhifa.intake.services.photos import MAX_PHOTO_BYTES, PhotoUpload
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.helpers import INSIDE_T0, INSIDE_T1, clue_input
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
REPORT = "/intake/report/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(world, point=INSIDE_T0, **overrides) -> dict:
    data = {
        "category": world.category.pk,
        "text": "菜市场门口有商贩占道经营，堵塞通道",
        "address": "东湖路12号",
        "lng": point[0] if point else "",
        "lat": point[1] if point else "",
        "client_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def drive_to(world, clue: Clue, status: str) -> Clue:
    """Take a clue round the loop up to `status` (fed_back, closed) through the services."""
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    officer = world.user(RoleCode.OFFICER, "t0")
    clue = dispatch.clue_classify(actor=dispatcher, clue=clue, items=[world.claimed])
    clue = dispatch.clue_dispatch(actor=dispatcher, clue=clue, note="请尽快核实处理（调度员内部意见）")
    clue = loop.clue_accept(actor=officer, clue=clue)
    clue = loop.clue_handle(
        actor=officer,
        clue=clue,
        result="rectified",
        note="已责令摊主当场搬离（执法队内部记录）",
        photos=[PhotoUpload("after.jpg", JPEG + b"after")],
    )
    clue = loop.clue_feedback(actor=officer, clue=clue, note="已处置完毕，请核查（反馈内容）")
    if status == ClueStatus.FED_BACK:
        return clue
    clue = loop.clue_verify(actor=dispatcher, clue=clue, passed=True)
    return loop.clue_close(actor=dispatcher, clue=clue)


# --- the report form -----------------------------------------------------------------------------


def test_grid_worker_form_is_a_phone_form_with_camera_map_and_key(world, settings):
    settings.ZHIFA_MAP_TILE_URL = "http://tiles.intranet/{z}/{x}/{y}.png"
    page = client_for(world.user(RoleCode.GRID_WORKER, "t0")).get(REPORT).content.decode()
    assert re.search(r'<input type="file" name="photos"[^>]*accept="image/\*"', page)
    assert 'capture="environment"' in page and " multiple" in page
    assert 'data-tile-url="http://tiles.intranet/{z}/{x}/{y}.png"' in page
    key = re.search(r'name="client_key" value="([^"]+)"', page).group(1)
    assert uuid.UUID(key)
    # A grid worker reports grid patrols: no source, priority or caller fields.
    assert 'type="hidden" name="source" value="grid"' in page and 'data-auto-locate="1"' in page
    assert 'name="priority"' not in page and 'name="reporter_phone"' not in page
    outlines = re.search(r'id="report-outlines"[^>]*>(.*?)</script>', page).group(1)
    assert {f["properties"]["code"] for f in json.loads(outlines)["features"]} >= {world.micro[0].code}
    # A fresh key each time the empty form is served.
    again = client_for(world.user(RoleCode.GRID_WORKER, "t0")).get(REPORT).content.decode()
    assert key not in again


def test_grid_worker_reports_with_photo_and_position(world, media):
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    client = client_for(worker)
    data = form_data(world, photos=[SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg")])
    response = client.post(REPORT, data)
    clue = Clue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "intake-report-done", args=[clue.pk]
    )
    assert clue.source == ClueSource.GRID and clue.reported_by == worker
    assert clue.grid_cell == world.micro[0] and clue.township == world.county.townships[0]
    assert clue.address == "东湖路12号" and clue.client_key == data["client_key"]
    photo = CluePhoto.objects.get(clue=clue)
    assert (media / photo.file).read_bytes() == JPEG
    done = client.get(response["Location"]).content.decode()
    assert clue.code in done and reverse("intake-mine-detail", args=[clue.pk]) in done


def test_retry_with_the_same_key_returns_the_same_clue(world, media):
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    data = form_data(world)
    first = client.post(REPORT, data, HTTP_ACCEPT="application/json")
    assert first.status_code == 201
    again = client.post(REPORT, data, HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json() == first.json()
    assert Clue.objects.count() == 1 and first.json()["code"] == Clue.objects.get().code


def test_a_key_used_by_someone_else_creates_nothing(world):
    data = form_data(world)
    client_for(world.user(RoleCode.GRID_WORKER, "t0")).post(REPORT, data)
    response = client_for(world.user(RoleCode.GRID_WORKER, "t1")).post(REPORT, data)
    assert response.status_code == 400 and "已提交过" in response.content.decode()
    assert Clue.objects.count() == 1


def test_service_errors_come_back_per_field_in_chinese(world, media):
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    bad = form_data(
        world,
        category="",
        text="短",
        photos=[SimpleUploadedFile("notes.txt", b"hello", content_type="image/jpeg")],
    )
    response = client.post(REPORT, bad, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "有效的线索类别" in errors["category"][0]
    assert "至少" in errors["text"][0]
    assert "不是照片" in errors["photos"][0]
    # Without the script: the page again, each message next to its field, what was typed kept.
    page = client.post(REPORT, bad).content.decode()
    text_error = re.search(r'data-testid="error-text">(.*?)</div>\s*</div>', page, re.S).group(1)
    assert "至少" in text_error and "短</textarea>" in page
    assert Clue.objects.count() == 0


def test_implausible_position_and_too_large_photo(world, media):
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    far = client.post(REPORT, form_data(world, point=(2.35, 48.85)), HTTP_ACCEPT="application/json")
    assert far.status_code == 400 and far.json()["errors"]["lat"]
    half = client.post(REPORT, form_data(world, lng=""), HTTP_ACCEPT="application/json")
    assert "同时提供" in half.json()["errors"]["lat"][0]
    big = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * MAX_PHOTO_BYTES, content_type="image/jpeg")
    large = client.post(REPORT, form_data(world, photos=[big]), HTTP_ACCEPT="application/json")
    assert "过大" in large.json()["errors"]["photos"][0]
    assert Clue.objects.count() == 0


def test_dispatcher_types_a_hotline_entry_for_a_township(world):
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    client = client_for(dispatcher)
    page = client.get(REPORT).content.decode()
    for name in ("source", "priority", "reporter_name", "reporter_phone", "region"):
        assert f'name="{name}"' in page
    assert world.county.townships[1].name in page
    assert 'data-auto-locate=""' in page  # the desk's position is not the incident's
    data = form_data(
        world,
        point=None,
        source=ClueSource.HOTLINE_12345,
        priority="urgent",
        reporter_name="王先生",
        reporter_phone="13800001111",
        region=world.county.townships[1].pk,
    )
    response = client.post(REPORT, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 201, response.content
    clue = Clue.objects.get()
    assert clue.source == ClueSource.HOTLINE_12345 and clue.priority == "urgent"
    assert clue.township == world.county.townships[1] and clue.reporter_phone == "13800001111"
    # The command centre goes on from the confirmation to the clue's dispatch.
    assert f"/intake/clues/{clue.pk}/" in client.get(response.json()["url"]).content.decode()
    # A grid worker cannot slip a source in.
    worker = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    sneaky = worker.post(REPORT, form_data(world, source=ClueSource.HOTLINE), HTTP_ACCEPT="application/json")
    assert sneaky.status_code == 400 and "source" in sneaky.json()["errors"]


def test_who_may_open_the_report_page(world, client):
    assert client.get(REPORT).status_code == 302  # login first
    assert client_for(world.user(RoleCode.JUSTICE_BUREAU, "county")).get(REPORT).status_code == 403
    officer_page = client_for(world.user(RoleCode.OFFICER, "t0")).get(REPORT).content.decode()
    assert 'value="inspection"' in officer_page and 'value="hotline"' not in officer_page


def test_navigation_and_home_offer_reporting_to_grid_workers(world):
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    home = client.get("/").content.decode()
    assert 'data-testid="home-report"' in home and f'href="{REPORT}"' in home
    assert 'data-nav="clue-report"' in home and 'data-nav="clue-mine"' in home
    justice = client_for(world.user(RoleCode.JUSTICE_BUREAU, "county")).get("/").content.decode()
    assert 'data-nav="clue-report"' not in justice and 'data-testid="home-report"' not in justice


# --- my clues ------------------------------------------------------------------------------------


def reported(world, role=RoleCode.GRID_WORKER, place="t0", point=INSIDE_T0, **overrides) -> Clue:
    return clue_report(actor=world.user(role, place), data=clue_input(world, point, **overrides))


def test_my_clues_lists_own_clues_with_badges_and_steps(world, django_assert_max_num_queries):
    mine = reported(world)
    drive_to(world, reported(world, text="河道边有人非法洗砂，污水直排"), ClueStatus.FED_BACK)
    other = reported(world, place="t1", point=INSIDE_T1, text="西山街道有人乱倒建筑垃圾")
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    page = client.get("/intake/mine/").content.decode()
    assert mine.code in page and other.code not in page
    assert "zf-clue-reported" in page and "zf-clue-fed_back" in page
    assert "待派遣" in page and "待核查" in page and "去核查" in page
    assert page.count('data-kind="report"') == 2 and 'data-kind="feedback"' in page
    ClueStep.objects.filter(kind=StepKind.ACCEPT).update(late=True)
    assert 'data-testid="late"' in client.get("/intake/mine/").content.decode()
    # Query count does not grow with the number of clues.
    for n in range(6):
        reported(world, text=f"第{n}处占道经营，影响通行")
    with django_assert_max_num_queries(16):
        assert client.get("/intake/mine/").status_code == 200
    assert mine.code not in client.get("/intake/mine/?state=done").content.decode()


def test_verify_fail_needs_a_reason_and_reopens_then_passes(world, media):
    worker = world.user(RoleCode.GRID_WORKER, "t0")
    clue = drive_to(world, reported(world), ClueStatus.FED_BACK)
    client = client_for(worker)
    detail = client.get(f"/intake/mine/{clue.pk}/").content.decode()
    assert 'data-testid="verify-form"' in detail and "已处置完毕，请核查" in detail
    url = f"/intake/mine/{clue.pk}/verify/"
    no_reason = client.post(url, {"passed": "0", "note": "", "version": clue.version})
    assert no_reason.status_code == 400 and "请填写核查未通过的原因" in no_reason.content.decode()
    assert client.post(url, {"passed": "0", "note": "摊位仍在", "version": clue.version}).status_code == 302
    clue.refresh_from_db()
    assert (
        clue.status == ClueStatus.HANDLING
        and clue.steps.filter(kind=StepKind.REOPEN, note="摊位仍在").exists()
    )
    officer = world.user(RoleCode.OFFICER, "t0")
    clue = loop.clue_handle(actor=officer, clue=clue, result="rectified", note="再次责令搬离")
    clue = loop.clue_feedback(actor=officer, clue=clue, note="已搬离")
    stale = client.post(url, {"passed": "1", "version": clue.version - 1})
    assert stale.status_code == 409 and "已被他人办理" in stale.content.decode()
    assert f'name="version" value="{clue.version}"' in stale.content.decode()
    assert client.post(url, {"passed": "1", "version": clue.version}).status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.VERIFIED


def test_grid_worker_of_the_cell_verifies_a_clue_someone_else_reported(world):
    clue = drive_to(world, reported(world, role=RoleCode.DISPATCHER, place="county"), ClueStatus.FED_BACK)
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    page = client.get("/intake/mine/").content.decode()
    assert 'data-testid="to-verify"' in page and clue.code in page
    assert client.post(f"/intake/mine/{clue.pk}/verify/", {"passed": "1"}).status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.VERIFIED
    # The other township's grid worker may not.
    other = client_for(world.user(RoleCode.GRID_WORKER, "t1"))
    assert other.get(f"/intake/mine/{clue.pk}/").status_code == 404


def test_reporter_evaluates_after_closing(world, media):
    clue = drive_to(world, reported(world), ClueStatus.CLOSED)
    client = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    assert 'data-testid="evaluate-form"' in client.get(f"/intake/mine/{clue.pk}/").content.decode()
    url = f"/intake/mine/{clue.pk}/evaluate/"
    assert "请选择1至5星" in client.post(url, {"comment": "好"}).content.decode()
    assert client.post(url, {"rating": "4", "comment": "处理及时"}).status_code == 302
    clue.refresh_from_db()
    assert clue.rating == 4 and clue.rating_comment == "处理及时"
    assert 'data-testid="evaluate-form"' not in client.get(f"/intake/mine/{clue.pk}/").content.decode()
    twice = client.post(url, {"rating": "1"})
    assert twice.status_code == 400 and "已评价" in twice.content.decode()
    # The dispatcher reads the clue but did not report it: no evaluation.
    dispatcher = client_for(world.user(RoleCode.DISPATCHER, "county"))
    assert dispatcher.post(url, {"rating": "5"}).status_code == 403


def test_reporter_reads_own_clue_outside_own_scope_outsiders_get_404(world, other_county):
    clue = reported(world, point=INSIDE_T1)  # t0's grid worker reports in t1's micro grid
    assert clue.region == world.county.communities[1]
    worker = client_for(world.user(RoleCode.GRID_WORKER, "t0"))
    assert worker.get(f"/intake/mine/{clue.pk}/").status_code == 200
    assert worker.get(f"/intake/report/done/{clue.pk}/").status_code == 200
    stranger = client_for(other_county.user(RoleCode.DISPATCHER, "county"))
    assert stranger.get(f"/intake/mine/{clue.pk}/").status_code == 404
    assert stranger.get(f"/intake/report/done/{clue.pk}/").status_code == 404
    assert stranger.post(f"/intake/mine/{clue.pk}/verify/", {"passed": "1"}).status_code == 404


# --- photos --------------------------------------------------------------------------------------


def test_photo_is_served_only_within_scope(world, other_county, media, client):
    clue = reported(world, photos=[PhotoUpload("../../etc/passwd.jpg", JPEG)])
    photo = clue.photos.get()
    url = f"/intake/photos/{photo.pk}/"
    for user in (world.user(RoleCode.GRID_WORKER, "t0"), world.user(RoleCode.DISPATCHER, "county")):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == JPEG
        assert "passwd" not in response["Content-Disposition"]
    for user in (world.user(RoleCode.GRID_WORKER, "t1"), other_county.user(RoleCode.DISPATCHER, "county")):
        assert client_for(user).get(url).status_code == 404
    assert client.get(url).status_code == 302  # login first
    assert (
        client_for(world.user(RoleCode.DISPATCHER, "county")).get("/intake/photos/999999/").status_code == 404
    )
