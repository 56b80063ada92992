"""The case API: opening a case, the list with its filters, the detail, the actions and taking one.

Bad input is refused naming the field (422 for the shape, 400 for the rules), never a 500; the detail
shows parties' identity numbers only to those who work on the case (PIPL Art. 34).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, CaseState, CaseStep, DocType, Procedure
from zhifa.cases.tests.api_builders import CASES, act, filed_case, refusal
from zhifa.cases.tests.factories import add_party, open_case, ready_case
from zhifa.core.api_testing import ids, token_client
from zhifa.core.models import Event
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def case_body(world, **overrides):
    body = {
        "agency_id": world.county.township_agencies[0].pk,
        "item": world.item.code,
        "region": world.county.townships[0].adcode,
        "title": "某包装厂擅自挪用消防器材",
        "act_on": (TODAY() - datetime.timedelta(days=5)).isoformat(),
        "discovered_on": (TODAY() - datetime.timedelta(days=1)).isoformat(),
        "facts": "灭火器被挪作他用。",
        "address": "东湖镇工业园1号",
    }
    body.update(overrides)
    return body


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_open_a_case_and_read_it(world):
    client = token_client(world.officer)
    response = post(client, CASES, case_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (body["state"], body["version"], body["procedure"]) == ("source", 1, "general")
    assert (
        body["agency"]["id"] == world.county.township_agencies[0].pk
        and body["item"]["code"] == world.item.code
    )
    assert [o["name"] for o in body["officers"]] == [world.officer.person.name]
    assert body["lead_officer"] == world.officer.person.name
    # APL Art. 54: the filing time limit, with its basis and level.
    filing = next(d for d in body["deadlines"] if d["key"] == "filing")
    assert filing["basis"] and filing["level"] in ("ok", "warning", "due_today", "overdue")
    assert Event.objects.filter(action="case.open", object_id=str(case.pk)).count() == 1
    again = client.get(f"{CASES}/{case.pk}")
    assert again.status_code == 200 and again.json()["code"] == case.code


def test_opening_refuses_bad_input_naming_the_field(world):
    client = token_client(world.officer)
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    checks = [
        ({"title": "  "}, 400, "title"),
        ({"discovered_on": (TODAY() - datetime.timedelta(days=30)).isoformat()}, 400, "discovered_on"),
        ({"act_on": future, "discovered_on": future}, 400, "act_on"),
        ({"item": "NO-SUCH-ITEM"}, 400, "item"),
        ({"region": "999999999999"}, 400, "region"),
        ({"agency_id": 2**62}, 400, "agency_id"),
        ({"agency_id": 2**64}, 422, "agency_id"),
        ({"title": "案由\x00"}, 422, "title"),
        ({"region": "3501"}, 422, "region"),
        ({"procedure": "summary"}, 422, "procedure"),
        ({"lat": 91}, 422, "lat"),
    ]
    for overrides, status, field in checks:
        response = post(client, CASES, case_body(world, **overrides))
        assert response.status_code == status, (overrides, response.content)
        body = response.json()
        fields = {body["field"]} | {e["field"] for e in body.get("errors", [])}
        assert field in fields, (overrides, body)
    missing = case_body(world)
    del missing["title"]
    response = post(client, CASES, missing)
    assert response.status_code == 422 and response.json()["field"] == "title"
    assert not Case.objects.exists()


def test_opening_for_another_townships_agency_is_refused(world):
    """An officer registers cases for their own agency only (the t1 agency is refused)."""
    client = token_client(world.officer)
    body = case_body(world, agency_id=world.county.township_agencies[1].pk)
    response = post(client, CASES, body)
    assert response.status_code == 400 and response.json()["code"] == "not_allowed"
    reviewer = token_client(world.reviewer)
    assert post(reviewer, CASES, case_body(world)).json()["code"] == "not_allowed"
    assert not Case.objects.exists()


def test_list_filters_and_scope(world):
    officer_t1 = world.user(RoleCode.OFFICER, "t1")
    first = ready_case(world)
    second = open_case(world, title="占道堆放杂物", procedure=Procedure.SIMPLIFIED)
    filed = filed_case(world, title="另一案件")
    other = open_case(
        world,
        actor=officer_t1,
        agency=world.county.township_agencies[1],
        region=world.county.townships[1],
    )
    Case.objects.filter(pk=first.pk).update(next_due_on=TODAY() - datetime.timedelta(days=1))
    client = token_client(world.officer)
    assert set(ids(client.get(CASES))) == {first.pk, second.pk, filed.pk}
    assert ids(client.get(CASES, {"state": "investigating"})) == [filed.pk]
    assert set(ids(client.get(CASES, {"state": ["investigating", "source"]}))) == {
        first.pk,
        second.pk,
        filed.pk,
    }
    assert ids(client.get(CASES, {"overdue": "true"})) == [first.pk]
    assert ids(client.get(CASES, {"procedure": "simplified"})) == [second.pk]
    assert ids(client.get(CASES, {"q": "杂物"})) == [second.pk]
    assert ids(client.get(CASES, {"item": world.ungranted.code})) == []
    assert ids(client.get(CASES, {"item": "NO-SUCH"})) == []
    assert len(ids(client.get(CASES, {"item": world.item.code}))) == 2
    assert ids(client.get(CASES, {"item": world.spot_item.code})) == [second.pk]
    assert ids(client.get(CASES, {"agency": world.county.township_agencies[1].pk})) == []
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    assert ids(client.get(CASES, {"created_from": tomorrow})) == []
    assert len(ids(client.get(CASES, {"created_to": tomorrow}))) == 3
    page = client.get(CASES, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and not page["capped"] and len(page["items"]) == 1
    row = client.get(CASES, {"q": first.code}).json()["items"][0]
    assert (row["first_party"], row["party_count"], row["overdue"]) == ("东湖包装有限公司", 1, True)
    assert row["lead_officer"] == world.officer.person.name
    assert ids(token_client(officer_t1).get(CASES)) == [other.pk]
    for bad in (
        {"state": "nope"},
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"created_from": "2026-13-01"},
    ):
        response = client.get(CASES, bad)
        assert response.status_code == 422, bad
    assert client.get(CASES, {"q": "a\x00b"}).status_code == 422


def test_detail_shows_identity_numbers_only_to_the_team(world):
    """PIPL Art. 34: the legal reviewer and the justice bureau read the case, not the ID numbers."""
    case = open_case(world)
    add_party(case, organisation=False)
    for user, personal in (
        (world.officer, True),
        (world.leader, True),
        (world.reviewer, False),
        (world.user(RoleCode.JUSTICE_BUREAU, "county"), False),
    ):
        body = token_client(user).get(f"{CASES}/{case.pk}").json()
        party = body["parties"][0]
        assert body["personal_details"] is personal
        assert party["name"] == "李某"
        assert (party["id_number"] == "11010519491231002X") is personal
        assert (party["address"] is not None) is personal
        assert "11010519491231002X" in json.dumps(body) if personal else "11010519491231002X" not in str(body)


def test_actions_show_what_is_legal_now_and_why_not(world):
    case = open_case(world)
    options = {o["name"]: o for o in token_client(world.officer).get(f"{CASES}/{case.pk}/actions").json()}
    assert options["propose_filing"]["allowed"] is False
    assert "请先登记当事人。" in options["propose_filing"]["reasons"]
    assert options["propose_filing"]["article"] == "《行政处罚法》第五十四条"
    assert options["decline"]["reasons"] == ["您的角色不能办理此环节。"]
    assert "serve" not in options  # system steps are taken by the services
    case = ready_case(world)
    options = {o["name"]: o for o in token_client(world.officer).get(f"{CASES}/{case.pk}/actions").json()}
    assert options["propose_filing"]["allowed"] is True and options["propose_filing"]["form"] == "note"


def test_take_steps_by_api_with_documents(world, media):
    case = ready_case(world)
    officer, leader = token_client(world.officer), token_client(world.leader)
    response = act(officer, case, "propose_filing", {"note": "事实清楚"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["version"]) == ("filing", 2)
    assert body["steps"][-1]["action"] == "propose_filing" and body["steps"][-1]["note"] == "事实清楚"
    response = act(leader, case, "approve_filing", {"note": "同意立案"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "investigating" and body["filing_number"]
    document = next(d for d in body["documents"] if d["doc_type"] == DocType.FILING_APPROVAL)
    assert document["number"] == body["filing_number"]
    stored = Case.objects.get(pk=case.pk).documents.get(pk=document["id"])
    content = Path(media, stored.file).read_bytes()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == document["sha256"]
    decision = next(d for d in body["deadlines"] if d["key"] == "decision")
    assert "六十" in decision["basis"] or "60" in decision["basis"]  # APL Art. 60: 90 days from filing


def test_transition_input_is_checked_before_the_engine(world):
    case = ready_case(world)
    client = token_client(world.officer)
    url = f"{CASES}/{case.pk}/actions/propose_filing"
    shape_errors = [
        {"payload": {}},  # no version
        {"version": 0},
        {"version": 1, "payload": {"note": {"nested": "x"}}},
        {"version": 1, "payload": {"note": "空\x00字符"}},
        {"version": 1, "payload": {"officer_ids": [2**70]}},
        {"version": 1, "payload": {"intended_fine": 1e400}},
        {"version": 1, "payload": {"bad key!": 1}},
        {"version": 1, "payload": {"note": "长" * 10_001}},
        {"version": 1, "payload": {f"k{i}": 1 for i in range(41)}},
    ]
    for body in shape_errors:
        response = post(client, url, body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["code"] == "invalid"
    assert refusal(post(client, url, {"version": 1, "payload": {"officer_ids": "12"}})) == {
        "officer_ids": "应为列表。"
    }
    assert "officer_ids" in refusal(post(client, url, {"version": 1, "payload": {"officer_ids": ["x"]}}))
    assert "to_agency_id" in refusal(
        act(token_client(world.leader), case, "transfer", {"reason": "无管辖权", "to_agency_id": "2x"})
    )
    unknown = refusal(act(client, case, "no_such_step"))
    assert unknown == {"action": "没有这个办案环节。"}
    served = act(client, case, "serve", {"served_on": TODAY().isoformat()})
    assert served.status_code == 400 and served.json()["code"] == "not_allowed"
    case.refresh_from_db()
    assert case.state == CaseState.SOURCE and case.version == 1
    assert not CaseStep.objects.filter(case=case).exists()


def test_missing_and_huge_ids_are_404(world):
    client = token_client(world.officer)
    for path in ("999999", str(2**63), str(2**80)):
        response = client.get(f"{CASES}/{path}")
        assert response.status_code in (404, 422), path
    missing = client.get(f"{CASES}/999999")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "field": None, "message": "未找到。"}
    assert post(client, f"{CASES}/999999/actions/propose_filing", {"version": 1}).status_code == 404


def test_open_a_case_from_a_clue(county, media):
    """Collect once, use many: the clue's place, item and text flow into the case (one click)."""
    from zhifa.intake.services import dispatch, loop
    from zhifa.intake.services.report import clue_report
    from zhifa.intake.tests.helpers import build_intake_world, clue_input

    intake = build_intake_world(county)
    dispatcher = county.user(RoleCode.DISPATCHER, "county")
    clue = clue_report(actor=county.user(RoleCode.GRID_WORKER, "t0"), data=clue_input(intake))
    clue = dispatch.clue_classify(actor=dispatcher, clue=clue, items=[intake.claimed])
    clue = dispatch.clue_dispatch(actor=dispatcher, clue=clue)
    officer = county.user(RoleCode.OFFICER, "t0")
    url = f"{CASES}/from-clue/{clue.pk}"
    early = post(token_client(officer), url, {})
    assert early.status_code == 400 and early.json()["field"] == "clue"  # not yet signed for
    clue = loop.clue_accept(actor=officer, clue=clue)
    outsider = post(token_client(county.user(RoleCode.OFFICER, "t1")), url, {})
    assert outsider.status_code == 404
    assert post(token_client(officer), url, {"item": "NO-SUCH"}).json()["field"] == "item"
    response = post(token_client(officer), url, {"title": "菜市场门口占道经营"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["clue_id"], body["item"]["code"]) == ("clue", clue.pk, intake.claimed.code)
    assert body["facts"] == clue.text and body["title"] == "菜市场门口占道经营"
    again = post(token_client(officer), url, {})
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    assert Case.objects.filter(clue=clue).count() == 1
