"""Two officers acting on one case at once, a crash in the middle of a step, and the record.

- On PostgreSQL, two officers take the same step at the same version at the same moment: exactly one
  wins; the other is told the case moved on (CONFLICT); one step and one record event are written, one
  document number is taken (no lost update, no gap).
- On both databases, a step sent with a stale version is refused with CONFLICT.
- A step that fails after its effect wrote rows (document, number, PDF file) or after the state was
  updated leaves the case as it was: state, version, steps, documents, events and files (one transaction).
- The record holds every transition: the case's record events match its steps one to one, and the hash
  chain verifies (APL Art. 47).
"""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from zhifa.cases import effects, engine
from zhifa.cases.engine import perform
from zhifa.cases.models import CaseDocument, CaseState, CaseStep, DocType
from zhifa.cases.tests.api_builders import CASES, act, pass_review, serve_notice, snapshot
from zhifa.cases.tests.factories import ready_case
from zhifa.core.api_testing import token_client
from zhifa.core.errors import ServiceError
from zhifa.core.models import Event

ON_POSTGRESQL = connection.vendor == "postgresql"


def files(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def at_once(work, count: int = 2) -> list[str]:
    """Run `work(i)` in `count` threads released together; each returns "ok" or its error code."""
    barrier = threading.Barrier(count)
    results: list[str] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(index)
            results.append("ok")
        except ServiceError as exc:
            results.append(str(exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_officers_propose_filing_at_once_one_wins(world):
    case = ready_case(world)
    officers = [world.officer, world.second_officer.user]

    def work(index: int) -> None:
        stale = type(case).objects.get(pk=case.pk)  # each read the case at version 1
        perform(
            actor=officers[index], case=stale, action="propose_filing", version=1, payload={"note": "立案"}
        )

    assert at_once(work) == ["conflict", "ok"]
    case.refresh_from_db()
    assert (case.state, case.version) == (CaseState.FILING, 2)
    assert CaseStep.objects.filter(case=case, action="propose_filing").count() == 1
    assert Event.objects.filter(action="case.propose_filing", object_id=str(case.pk)).count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_double_approval_by_http_takes_one_number(world, media):
    """The same approval sent twice at once (two tabs, a double click): one filing approval, number 1,
    one PDF; the loser's number and file are rolled back with its transaction."""
    case = ready_case(world)
    perform(actor=world.officer, case=case, action="propose_filing")
    clients = [token_client(world.leader, "甲"), token_client(world.leader, "乙")]
    body = json.dumps({"version": 2, "payload": {"note": "同意立案"}})
    codes: list[int] = []

    def work(index: int) -> None:
        response = clients[index].post(
            f"{CASES}/{case.pk}/actions/approve_filing", body, content_type="application/json"
        )
        codes.append(response.status_code)
        if response.status_code != 200:
            assert response.json()["code"] == "conflict", response.content
            raise ServiceError(response.json()["code"], response.json()["message"])

    assert at_once(work) == ["conflict", "ok"]
    assert sorted(codes) == [200, 409]
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING and case.version == 3
    documents = list(CaseDocument.objects.filter(case=case))
    assert [d.doc_type for d in documents] == [DocType.FILING_APPROVAL]
    assert documents[0].number.endswith("第1号")
    assert files(media) == {documents[0].file}
    assert Event.objects.filter(action="case.approve_filing", object_id=str(case.pk)).count() == 1


@pytest.mark.django_db
def test_stale_version_is_refused_with_conflict(world):
    """Officer B read the case before officer A proposed filing: B's step is refused, nothing changes."""
    case = ready_case(world)
    first_officer, second_officer = token_client(world.officer), token_client(world.second_officer.user)
    first = act(first_officer, case, "propose_filing", {"note": "甲"}, version=1)
    assert first.status_code == 200
    before = snapshot(case)
    second = act(second_officer, case, "propose_filing", {"note": "乙"}, version=1)
    assert second.status_code == 409, second.content  # a conflict, not bad input
    assert (second.json()["code"], second.json()["field"]) == ("conflict", "version")
    assert snapshot(case) == before and before["version"] == 2
    assert list(CaseStep.objects.filter(case=case).values_list("note", flat=True)) == ["甲"]


def crashing(original):
    def run(ctx):
        original(ctx)  # the document row is written, its number taken, its PDF on disk
        assert CaseDocument.objects.filter(case=ctx.case).exists()
        raise RuntimeError("power cut after the effect")

    return run


@pytest.mark.django_db
def test_crash_after_the_effect_leaves_the_previous_state(world, media, monkeypatch):
    case = ready_case(world)
    perform(actor=world.officer, case=case, action="propose_filing")
    client = token_client(world.leader)
    client.raise_request_exception = False
    before, disk = snapshot(case), files(media)
    monkeypatch.setitem(effects._EFFECTS, "approve_filing", crashing(effects._EFFECTS["approve_filing"]))
    response = act(client, case, "approve_filing", {"note": "同意"})
    assert response.status_code == 500
    assert snapshot(case) == before and files(media) == disk
    assert not CaseDocument.objects.filter(case=case).exists()
    monkeypatch.undo()
    body = act(client, case, "approve_filing").json()
    assert body["filing_number"].endswith("第1号")  # the crashed step took no number


@pytest.mark.django_db
def test_crash_after_the_state_update_leaves_the_previous_state(world, media, monkeypatch):
    """The failure comes after the conditional UPDATE of the state and the step row: all rolls back."""
    case = ready_case(world)
    perform(actor=world.officer, case=case, action="propose_filing")
    before, disk = snapshot(case), files(media)

    def broken_record(**kwargs):
        assert CaseStep.objects.filter(case=case, action="approve_filing").exists()
        raise RuntimeError("record unavailable")

    monkeypatch.setattr(engine, "record_event", broken_record)
    with pytest.raises(RuntimeError):
        perform(actor=world.leader, case=case, action="approve_filing")
    assert snapshot(case) == before and files(media) == disk
    case.refresh_from_db()
    assert case.filed_on is None and case.filing_number == "" and case.decision_due_on is None


@pytest.mark.django_db
def test_the_record_holds_every_transition(world, media):
    """APL Art. 47: every step of the case is one record event, in the same order; the chain verifies."""
    case = ready_case(world)
    officer, leader = token_client(world.officer), token_client(world.leader)
    for client, name, payload in (
        (officer, "propose_filing", {"note": "提请"}),
        (leader, "reject_filing", {"reason": "补充证据"}),
        (officer, "propose_filing", {"note": "已补充"}),
        (leader, "approve_filing", {"note": "同意"}),
        (officer, "notify", {"intended_types": ["罚款"], "intended_fine": "10000"}),
    ):
        assert act(client, case, name, payload).status_code == 200, name
    party = {
        "kind": "person",
        "name": "李某",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "address": "东湖镇一村5号",
    }
    added = officer.post(f"{CASES}/{case.pk}/parties", json.dumps(party), content_type="application/json")
    assert added.status_code == 201, added.content  # an act: one step and one event too
    serve_notice(case)
    assert act(officer, case, "submit_review", {}).status_code == 200
    pass_review(world, case)
    assert (
        act(leader, case, "decide_penalty", {"penalty_types": ["罚款"], "fine_amount": "9000"}).status_code
        == 200
    )
    refused = act(leader, case, "decide_penalty", {"penalty_types": ["罚款"], "fine_amount": "9000"})
    assert refused.status_code == 400  # a refused step is no step and no event
    steps = list(CaseStep.objects.filter(case=case).order_by("at", "id").values_list("action", flat=True))
    events = Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).exclude(
        action="case.open"
    )
    assert [e.action for e in events.order_by("seq")] == [f"case.{s}" for s in steps]
    assert steps[-1] == "decide_penalty" and steps.count("propose_filing") == 2 and "party_add" in steps
    for event in events.filter(action__in=[f"case.{s}" for s in ("propose_filing", "decide_penalty")]):
        data = json.loads(event.data)
        assert data["before"]["state"] in (CaseState.SOURCE, CaseState.DECIDING)
    out = io.StringIO()
    call_command("verify_record", stdout=out)
    assert out.getvalue().strip()
