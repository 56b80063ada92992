"""The inspection API (issue 7): subjects and their import, the catalogue, draws (the seed stays secret
until the draw), visits worked by HTTP; bad input names the field in Chinese; stale versions are 409;
list endpoints cost the same queries for 2 rows as for 10."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.core.api_testing import API, ids, token_client
from zhifa.core.models import Event
from zhifa.inspections.models import (
    FrequencyRule,
    InspectionItem,
    RandomDraw,
    RiskLevel,
    Scenario,
    Subject,
    SubjectKind,
    Visit,
)
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.inspections.testing import uscc_for
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
INSP = f"{API}/inspections"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def post(client, url, body=None):
    return client.post(f"{INSP}{url}", body or {}, content_type="application/json")


def assert_error(response, status: int, field: str, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field, body
    assert CHINESE.search(body["message"]), body  # the message is for people: in Chinese
    if code:
        assert body["code"] == code
    return body


def admin(insp, place="county"):
    return token_client(insp.county.user(RoleCode.ADMIN, place))


def subject_body(insp, n=900, **changes):
    body = {
        "uscc": uscc_for(n),
        "name": "新开饭店",
        "kind": SubjectKind.ENTERPRISE,
        "address": "东湖镇新街1号",
        "industry": "catering",
        "risk_level": "B",
        "township": insp.county.townships[0].adcode,
        "contact_phone": "13800000000",
    }
    return body | changes


# --- subjects -------------------------------------------------------------------------------


def test_subject_list_filters_and_detail(insp, other_insp):
    client = token_client(insp.user("market-0"))
    everything = client.get(f"{INSP}/subjects", {"limit": 100}).json()
    assert everything["count"] == 10  # the county's register, not the other county's
    t1 = insp.county.townships[1].adcode
    assert ids(client.get(f"{INSP}/subjects", {"township": t1, "limit": 100})) == sorted(
        (s.pk for s in insp.subjects if s.township.adcode == t1),
        key=lambda pk: Subject.objects.get(pk=pk).name,
    )
    catering_a = client.get(f"{INSP}/subjects", {"industry": "catering", "risk_level": "A"}).json()
    assert {s["name"] for s in catering_a["items"]} == {"东湖饭店", "西山酒家"}
    assert [s["name"] for s in client.get(f"{INSP}/subjects", {"q": "宾馆"}).json()["items"]] == ["东湖宾馆"]
    detail = client.get(f"{INSP}/subjects/{insp.subjects[0].pk}").json()
    assert detail["uscc"] == insp.subjects[0].uscc and detail["industry"]["code"] == "catering"
    assert client.get(f"{INSP}/subjects", {"risk_level": "X"}).status_code == 422
    assert client.get(f"{INSP}/subjects/{other_insp.subjects[0].pk}").status_code == 404
    assert client.get(f"{INSP}/subjects/{2**70}").status_code == 422  # never a 500


def test_create_subject_and_bad_input(insp):
    client = admin(insp)
    created = post(client, "/subjects", subject_body(insp))
    assert created.status_code == 201, created.content
    assert created.json()["township"]["adcode"] == insp.county.townships[0].adcode
    assert Event.objects.filter(action="inspections.subject.create").count() == 1
    assert_error(post(client, "/subjects", subject_body(insp, 901, uscc="91350102ABC")), 400, "uscc")
    unknown = assert_error(
        post(client, "/subjects", subject_body(insp, 902, industry="矿山")), 400, "industry"
    )
    assert "矿山" in unknown["message"]
    assert_error(post(client, "/subjects", subject_body(insp, 900)), 400, "uscc", "duplicate")
    assert_error(post(client, "/subjects", subject_body(insp, 903, risk_level="Z")), 400, "risk_level")
    missing = post(client, "/subjects", {"uscc": uscc_for(904)})
    assert missing.status_code == 422 and missing.json()["field"] in {"name", "kind", "address", "industry"}
    officer = token_client(insp.county.user(RoleCode.OFFICER, "t0"))
    assert post(officer, "/subjects", subject_body(insp, 905)).json()["code"] == "not_allowed"
    assert Subject.objects.filter(uscc__in=[uscc_for(n) for n in range(901, 906)]).count() == 0


def test_patch_subject_with_version(insp, other_insp):
    client = admin(insp)
    subject = insp.subjects[0]
    url = f"{INSP}/subjects/{subject.pk}"
    done = client.patch(url, {"version": 1, "risk_level": "D"}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["risk_level"] == "D" and done.json()["name"] == subject.name
    assert done.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "name": "改名"}, content_type="application/json")
    assert_error(stale, 409, "version", "conflict")
    assert Subject.objects.get(pk=subject.pk).name == subject.name
    bad = client.patch(url, {"version": 2, "industry": "nope"}, content_type="application/json")
    assert_error(bad, 400, "industry")
    assert client.patch(url, {"risk_level": "A"}, content_type="application/json").status_code == 422
    other = f"{INSP}/subjects/{other_insp.subjects[0].pk}"
    assert (
        client.patch(other, {"version": 1, "name": "x"}, content_type="application/json").status_code == 404
    )
    assert Subject.objects.get(pk=other_insp.subjects[0].pk).version == 1


CSV_HEADER = "统一社会信用代码,名称,主体类型,经营地址,行业,风险等级,乡镇（街道）"


def _upload(client, rows: list[str], commit: bool):
    content = "\r\n".join([CSV_HEADER, *rows]).encode("utf-8-sig")
    upload = SimpleUploadedFile("s.csv", content, content_type="text/csv")
    suffix = "true" if commit else "false"
    return client.post(f"{INSP}/subjects/import?commit={suffix}", {"file": upload})


def test_import_dry_run_commit_and_row_errors(insp):
    client = admin(insp)
    t0 = insp.county.townships[0].adcode
    good = [
        f"{uscc_for(901)},甲饭店,企业,东湖镇一路,餐饮,A,{t0}",
        f"{uscc_for(902)},乙店,个体工商户,二路,retail,C,{t0}",
    ]
    dry = _upload(client, good, commit=False)
    assert dry.status_code == 200 and dry.json()["ok"] and not dry.json()["committed"]
    assert not Subject.objects.filter(uscc=uscc_for(901)).exists()
    bad = [*good, f"{uscc_for(903)},丙店,合伙,地址,餐饮,C,{t0}", f"123,丁店,企业,地址,餐饮,C,{t0}"]
    refused = _upload(client, bad, commit=True)
    body = assert_error(refused, 400, "file", "invalid")
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(4, "主体类型"), (5, "统一社会信用代码")}
    assert not body["committed"] and not Subject.objects.filter(uscc=uscc_for(901)).exists()
    done = _upload(client, good, commit=True)
    assert done.status_code == 200 and done.json()["committed"]
    assert done.json()["counts"] == {"created": 2, "updated": 0}
    assert Event.objects.filter(action="inspections.subject.import").count() == 1
    assert_error(client.post(f"{INSP}/subjects/import", {}), 422, "file")
    officer = token_client(insp.county.user(RoleCode.OFFICER, "t0"))
    assert _upload(officer, good, commit=True).json()["code"] == "not_allowed"


# --- catalogue ------------------------------------------------------------------------------


def test_items_and_scenarios(insp, other_insp):
    client = token_client(insp.county.user(RoleCode.OFFICER, "t0"))
    items = client.get(f"{INSP}/items", {"limit": 100}).json()
    assert items["count"] == 5
    m1 = next(i for i in items["items"] if i["id"] == insp.items["M1"].pk)
    assert m1["power_item"]["power_type"] == "inspection" and len(m1["checklist"]) == 2
    assert m1["checklist"][0]["basis"] == "《测试条例》第十条"
    rules = {r["risk_level"]: r for r in m1["frequency_rules"]}
    assert rules["A"]["mode"] == "every" and rules["B"]["floor"] == "0.1000"
    lodging = client.get(f"{INSP}/items", {"industry": "lodging"}).json()
    assert {i["code"][-2:] for i in lodging["items"]} == {"M2", "S1", "S2"}
    assert (
        client.get(f"{INSP}/items/{insp.items['S1'].pk}").json()["department"]["name"] == "测试县应急管理局"
    )
    assert client.get(f"{INSP}/items/{other_insp.items['S1'].pk}").status_code == 404
    scenarios = client.get(f"{INSP}/scenarios").json()
    assert scenarios["count"] == 1
    scenario = client.get(f"{INSP}/scenarios/{insp.scenario.pk}").json()
    assert len(scenario["items"]) == 4 and len(scenario["departments"]) == 3
    assert client.get(f"{INSP}/scenarios/{other_insp.scenario.pk}").status_code == 404


# --- draws ----------------------------------------------------------------------------------


def draw_body(insp, **changes):
    today = datetime.date.today()
    body = {
        "title": "餐饮住宿双随机抽查",
        "agency_id": insp.agencies["market"].pk,
        "region": insp.county.county.adcode,
        "period_start": (today + datetime.timedelta(days=7)).isoformat(),
        "period_end": (today + datetime.timedelta(days=30)).isoformat(),
        "item_ids": [insp.items["M1"].pk, insp.items["M2"].pk, insp.items["S1"].pk],
        "ratio": "0.5",
        "subject_filter": {"risk_levels": [RiskLevel.B, RiskLevel.C]},
    }
    return body | changes


def test_draw_flow_keeps_the_seed_secret_until_drawn(insp):
    leader = token_client(insp.user("market-leader"))
    justice = token_client(insp.county.user(RoleCode.JUSTICE_BUREAU, "county"))
    created = post(leader, "/draws", draw_body(insp))
    assert created.status_code == 201, created.content
    draw = created.json()
    assert draw["state"] == "draft" and draw["seed"] is None and draw["ratio"] == "0.5000"
    url = f"/draws/{draw['id']}"
    committed = post(leader, f"{url}/commit", {"version": draw["version"]})
    assert committed.status_code == 200, committed.content
    seed = RandomDraw.objects.get(pk=draw["id"]).seed
    assert seed and committed.json()["seed_commitment"] and committed.json()["subjects_in_pool"] == 6
    for client in (leader, justice):  # the seed is secret before the draw, for everyone, everywhere
        for response in (
            committed,
            client.get(f"{INSP}{url}"),
            client.get(f"{INSP}/draws"),
            client.get(f"{INSP}{url}/verify"),
        ):
            assert seed.encode() not in response.content
        assert client.get(f"{INSP}{url}").json()["seed"] is None
    assert_error(leader.get(f"{INSP}{url}/verify"), 400, "state", "invalid_state")
    version = committed.json()["version"]
    assert_error(post(leader, f"{url}/run", {"version": version - 1}), 409, "version", "conflict")
    assert RandomDraw.objects.get(pk=draw["id"]).state == "committed"
    drawn = post(leader, f"{url}/run", {"version": version})
    assert drawn.status_code == 200, drawn.content
    assert drawn.json()["seed"] == seed and len(drawn.json()["result"]) == 3
    assert Visit.objects.filter(draw_id=draw["id"]).count() == 3
    listed = justice.get(f"{INSP}/draws").json()["items"]
    assert [d["seed"] for d in listed] == [seed]
    verified = justice.get(f"{INSP}{url}/verify").json()
    assert verified["ok"] and verified["seed"] == seed
    again = post(leader, f"{url}/run", {"version": drawn.json()["version"]})
    assert_error(again, 400, "state", "invalid_state")
    assert_error(post(leader, f"{url}/cancel", {"version": drawn.json()["version"]}), 400, "state")


def test_draw_bad_input_names_the_field(insp, other_insp):
    leader = token_client(insp.user("market-leader"))
    zero = assert_error(post(leader, "/draws", draw_body(insp, ratio="0")), 400, "ratio")
    assert "大于0" in zero["message"]
    floor = assert_error(post(leader, "/draws", draw_body(insp, ratio="0.05")), 400, "ratio")
    assert "下限" in floor["message"] and "0.1" in floor["message"]
    assert_error(post(leader, "/draws", draw_body(insp, ratio="abc")), 400, "ratio")
    assert_error(
        post(leader, "/draws", draw_body(insp, inspectors_per_subject=1)), 400, "inspectors_per_subject"
    )
    assert_error(
        post(leader, "/draws", draw_body(insp, item_ids=[other_insp.items["M1"].pk])), 400, "item_ids"
    )
    assert_error(post(leader, "/draws", draw_body(insp, item_ids=[])), 400, "items")
    assert_error(post(leader, "/draws", draw_body(insp, period_end="2000-01-01")), 400, "period_end")
    foreign = draw_body(insp, agency_id=other_insp.agencies["market"].pk)
    assert_error(post(leader, "/draws", foreign), 400, "agency_id", "not_found")
    assert_error(post(leader, "/draws", draw_body(insp, region="999999999999")), 400, "region")
    foreign_region = draw_body(insp, region=other_insp.county.county.adcode)
    assert_error(post(leader, "/draws", foreign_region), 400, "region")
    unknown = draw_body(insp, subject_filter={"industries": ["矿山"]})
    assert "矿山" in assert_error(post(leader, "/draws", unknown), 400, "subject_filter")["message"]
    bad_level = draw_body(insp, subject_filter={"risk_levels": ["Z"]})
    assert_error(post(leader, "/draws", bad_level), 400, "subject_filter")
    assert post(leader, "/draws", draw_body(insp, period_start="soon")).status_code == 422
    assert RandomDraw.objects.count() == 0


# --- visits ---------------------------------------------------------------------------------


def make_visit(insp, key="market", subject=0, items=("M1", "M2")) -> Visit:
    with transaction.atomic():
        return create_visit(
            actor=None,
            subject_id=insp.subjects[subject].pk,
            agency=insp.agencies[key],
            items=[insp.items[i] for i in items],
            planned_on=timezone.localdate(),
            team=[TeamMember(p, insp.agencies[key], f"C{p.pk}") for p in insp.officers[key]],
        )


def test_visit_worked_by_http(insp, other_insp):
    visit = make_visit(insp)
    make_visit(insp, key="safety", items=("S1",))  # another department, same subject: repeat warning
    officer = token_client(insp.user("market-0"))
    mine = officer.get(f"{INSP}/visits", {"mine": "true"}).json()
    assert [v["id"] for v in mine["items"]] == [visit.pk]
    url = f"/visits/{visit.pk}"
    detail = officer.get(f"{INSP}{url}").json()
    assert [len(c["checklist"]) for c in detail["checklists"]] == [2, 2]
    assert len(detail["repeat_warnings"]) == 1
    assert_error(post(officer, f"{url}/start", {"version": 7}), 409, "version", "conflict")
    started = post(officer, f"{url}/start", {"version": 1})
    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    m1 = insp.items["M1"].pk
    check = post(
        officer, f"{url}/checks", {"item_id": m1, "point": 1, "outcome": "problem", "note": "缺台账"}
    )
    assert check.status_code == 200 and check.json()["outcome"] == "problem"
    assert_error(post(officer, f"{url}/checks", {"item_id": m1, "point": 9, "outcome": "ok"}), 400, "point")
    wrong_item = {"item_id": insp.items["S1"].pk, "point": 0, "outcome": "ok"}
    assert_error(post(officer, f"{url}/checks", wrong_item), 400, "item")
    assert_error(
        post(officer, f"{url}/checks", {"item_id": m1, "point": 0, "outcome": "bad"}), 400, "outcome"
    )
    assert_error(post(officer, f"{url}/findings", {"item_id": m1, "text": "短"}), 400, "text")
    finding = post(officer, f"{url}/findings", {"item_id": m1, "text": "进货查验台账缺失"})
    assert finding.status_code == 201 and finding.json()["clue_id"] is None
    assert_error(post(officer, f"{url}/finish", {"version": 2, "result": "rectify"}), 400, "rectify_by")
    assert_error(post(officer, f"{url}/finish", {"version": 1, "result": "pass"}), 409, "version")
    due = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    done = post(officer, f"{url}/finish", {"version": 2, "result": "rectify", "rectify_by": due})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["state"] == "done" and body["rectify_by"] == due and body["publish_due"]
    assert body["checks"][0]["note"] == "缺台账" and len(body["findings"]) == 1
    # Another department's inspector and another county cannot reach it.
    assert token_client(insp.user("safety-0")).get(f"{INSP}{url}").status_code == 404
    stranger = token_client(other_insp.user("market-0"))
    assert stranger.get(f"{INSP}{url}").status_code == 404
    assert post(stranger, f"{url}/start", {"version": 3}).status_code == 404


def test_finding_photo_clue_and_case_by_http(insp, settings, tmp_path):
    from zhifa.intake.models import ClueCategory
    from zhifa.powers.models import PowerItem, PowerType

    settings.MEDIA_ROOT = tmp_path
    # The test world's coordinates lie outside China: without them the township places the clue.
    Subject.objects.filter(pk=insp.subjects[0].pk).update(lng=None, lat=None)
    visit = make_visit(insp, items=("M1",))
    officer = token_client(insp.user("market-0"))
    url = f"/visits/{visit.pk}"
    assert post(officer, f"{url}/start", {"version": 1}).status_code == 200
    finding = post(
        officer, f"{url}/findings", {"item_id": insp.items["M1"].pk, "text": "未建立进货台账"}
    ).json()
    photos = f"{INSP}{url}/findings/{finding['id']}/photos"
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 100
    added = officer.post(photos, {"file": SimpleUploadedFile("现场.jpg", jpeg)})
    assert added.status_code == 201, added.content
    assert added.json()["photos"][0]["content_type"] == "image/jpeg"
    assert_error(officer.post(photos, {"file": SimpleUploadedFile("a.jpg", b"%PDF-1.4")}), 400, "photo")
    ClueCategory.objects.create(code="insp-test", name="检查发现")
    clue_url = f"{url}/findings/{finding['id']}/clue"
    assert_error(post(officer, clue_url, {"category": "nope"}), 400, "category")
    to_clue = post(officer, clue_url, {"category": "insp-test"})
    assert to_clue.status_code == 200 and to_clue.json()["clue_id"], to_clue.content
    assert_error(post(officer, clue_url, {"category": "insp-test"}), 400, "finding", "duplicate")
    item = insp.items["M1"]
    power = PowerItem.objects.create(
        code=f"{item.code}-P1",
        name="对未建立进货查验记录制度的行政处罚",
        power_type=PowerType.PENALTY,
        domain=item.domain,
        original_subject=item.department.name,
        basis_text="《中华人民共和国食品安全法》第一百二十六条",
    )
    item.checks.add(power)
    case_url = f"{url}/findings/{finding['id']}/case"
    assert_error(post(officer, case_url, {"power_item": "nope"}), 400, "power_item")
    opened = post(officer, case_url, {"power_item": power.code})
    assert opened.status_code == 200, opened.content
    assert opened.json()["case_id"] and opened.json()["clue_id"]
    other_visit = make_visit(insp, items=("M1",))  # a finding id under another visit is a 404
    assert (
        post(
            officer, f"/visits/{other_visit.pk}/findings/{finding['id']}/case", {"power_item": power.code}
        ).status_code
        == 404
    )
    detail = officer.get(f"{INSP}{url}").json()
    assert detail["findings"][0]["case_id"] == opened.json()["case_id"]


# --- query counts ---------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"limit": 100})
    assert response.status_code == 200, response.content
    return len(ctx)


def _add(insp, endpoint: str, n: int) -> None:
    """n more rows of the endpoint's kind, each with the related rows its schema shows."""
    leader = token_client(insp.user("market-leader"))
    for i in range(n):
        k = Subject.objects.count() + InspectionItem.objects.count() + Scenario.objects.count()
        if endpoint == "/subjects":
            Subject.objects.create(
                uscc=uscc_for(5000 + k),
                name=f"新店{k}",
                kind=SubjectKind.ENTERPRISE,
                address="人民路",
                industry=insp.industries["retail"],
                township=insp.county.townships[i % 2],
            )
        elif endpoint == "/visits":
            make_visit(insp, subject=i % 10)
        elif endpoint == "/draws":
            assert post(leader, "/draws", draw_body(insp)).status_code == 201
        elif endpoint == "/items":
            model = insp.items["M1"]
            item = InspectionItem.objects.create(
                code=f"X{k}",
                name="新增事项",
                department=model.department,
                domain=model.domain,
                power_item=model.power_item,
                checklist=model.checklist,
            )
            item.industries.set(model.industries.all())
            item.checks.set([model.power_item])
            FrequencyRule.objects.create(item=item, risk_level="A", mode="every")
        else:
            scenario = Scenario.objects.create(code=f"s{k}", name="场景", county=insp.county.county)
            scenario.items.set(insp.scenario.items.all())
            scenario.industries.set(insp.scenario.industries.all())


@pytest.mark.parametrize("endpoint", ["/subjects", "/visits", "/draws", "/items", "/scenarios"])
def test_list_queries_do_not_grow_with_rows(insp, endpoint):
    client = token_client(insp.county.user(RoleCode.ADMIN, "county"))
    client.get(f"{INSP}{endpoint}")  # the first call of a token records its use: not a list cost
    _add(insp, endpoint, 2)
    small = _queries(client, f"{INSP}{endpoint}")
    _add(insp, endpoint, 8)
    large = _queries(client, f"{INSP}{endpoint}")
    assert client.get(f"{INSP}{endpoint}").json()["count"] >= 10
    assert large == small
