"""Tampering is shown, never hidden (GO118 (九) tamper-proof storage; APL Art. 47).

The tests change rows and files behind the services' back, as an intruder with database or disk access
would, and check that the record page names what was changed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.cases.documents.storage import absolute
from zhifa.core.models import ChainHead, Event
from zhifa.core.record import event_message, hash_function
from zhifa.org.models import RoleCode
from zhifa.supervision.selectors.record import Check, case_record, clue_record
from zhifa.supervision.selectors.record_files import FileState
from zhifa.supervision.tests.test_record_world import (
    URLS,
    add_events,
    build_record_world,
    issue_filing_approval,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def world(county, other_county):
    world = build_record_world(county, other_county)
    add_events(world.case_t0, county.user(RoleCode.OFFICER, "t0"), 3)
    return world


def justice(world):
    return world.county.user(RoleCode.JUSTICE_BUREAU, "county")


def case_events(case) -> list[Event]:
    return list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("seq"))


def rehash(event: Event, **changes) -> str:
    """The hash `event` would have with `changes`: what an intruder covering their tracks computes."""
    fields = {
        "seq": event.seq,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
        **changes,
    }
    return hash_function()(event_message(*fields.values())).hexdigest()


def test_an_edited_event_turns_the_badge_red_naming_its_seq(client, world):
    """GO118 (九): an edited event's hash no longer matches its content; the page names it."""
    victim = case_events(world.case_t0)[1]
    Event.objects.filter(pk=victim.pk).update(data=victim.data.replace("当事人1", "当事人X"))
    client.force_login(justice(world))
    html = client.get(reverse("supervision-case-record", args=[world.case_t0.pk])).content.decode()
    assert 'data-testid="record-badge" data-ok="false"' in html
    assert f'data-seq="{victim.seq}" data-kind="edited"' in html
    assert f"第 {victim.seq} 条记录的哈希与内容不符" in html
    rows = {row.seq: row.check for row in case_record(justice(world), world.case_t0.pk).rows}
    assert rows[victim.seq] == Check.EDITED
    assert [check for seq, check in rows.items() if seq != victim.seq] == [Check.OK] * (len(rows) - 1)


def test_an_event_edited_and_rehashed_breaks_the_link_to_the_next(world):
    """Re-computing the edited event's hash does not help: the next event still names the old hash."""
    victim = case_events(world.case_t0)[-2]
    data = victim.data.replace("当事人", "某人")
    Event.objects.filter(pk=victim.pk).update(data=data, hash=rehash(victim, data=data))
    record = case_record(justice(world), world.case_t0.pk)
    assert (record.verification.bad_seq, record.verification.bad_check) == (victim.seq, Check.NEXT)


def test_the_last_event_rehashed_no_longer_matches_the_chain_head(world):
    last = Event.objects.order_by("-seq").first()
    assert last.seq == ChainHead.objects.get(pk=1).seq
    data = last.data.replace("当事人", "某人")
    Event.objects.filter(pk=last.pk).update(data=data, hash=rehash(last, data=data))
    obj_type, pk = last.object_type, last.object_id
    assert obj_type == "cases.case"
    record = case_record(justice(world), pk)
    assert (record.verification.bad_seq, record.verification.bad_check) == (last.seq, Check.NEXT)


def test_a_deleted_event_of_another_object_breaks_the_link_of_the_next(world):
    """An event deleted just before one of the object's events: that event's link is broken."""
    add_events(world.case_t1, world.county.user(RoleCode.OFFICER, "t1"), 2)
    add_events(world.case_t0, world.county.user(RoleCode.OFFICER, "t0"), 1)
    between = case_events(world.case_t1)[-1]
    Event.objects.filter(pk=between.pk).delete()
    record = case_record(justice(world), world.case_t0.pk)
    assert (record.verification.bad_seq, record.verification.bad_check) == (between.seq + 1, Check.LINK)
    assert "前一条记录的链接断裂" in record.verification.message


def test_a_deleted_event_of_the_case_is_found_from_the_event_before_it(world):
    """Deleting one of the case's own events leaves the event before it without its successor."""
    events = case_events(world.case_t0)
    Event.objects.filter(pk=events[-1].pk).delete()  # the last event: the chain head now names nothing
    record = case_record(justice(world), world.case_t0.pk)
    assert (record.verification.bad_seq, record.verification.bad_check) == (events[-2].seq, Check.NEXT)


def test_an_edited_clue_event_is_named_on_the_clue_page(client, world):
    victim = Event.objects.filter(object_type="intake.clue", object_id=str(world.clue_t0.pk)).order_by("seq")[
        2
    ]
    Event.objects.filter(pk=victim.pk).update(action="clue.dismiss")
    assert clue_record(justice(world), world.clue_t0.pk).verification.bad_seq == victim.seq
    client.force_login(justice(world))
    html = client.get(reverse("supervision-clue-record", args=[world.clue_t0.pk])).content.decode()
    assert f'data-seq="{victim.seq}" data-kind="edited"' in html


def test_a_deleted_or_replaced_document_file_is_marked(client, world):
    """GO118 (九): the stored PDF is compared with the SHA-256 registered when it was issued."""
    case = world.case_t1
    officer = world.county.user(RoleCode.OFFICER, "t1")
    gone = issue_filing_approval(case, officer)
    changed = issue_filing_approval(case, officer)
    absolute(gone.file).unlink()
    absolute(changed.file).write_bytes(b"%PDF-1.4 forged")
    states = {d.pk: d.state for d in case_record(justice(world), case.pk).documents}
    assert states == {gone.pk: FileState.MISSING, changed.pk: FileState.ALTERED}
    client.force_login(justice(world))
    html = client.get(reverse("supervision-case-record", args=[case.pk])).content.decode()
    assert 'data-state="missing"' in html and "文件缺失" in html
    assert 'data-state="altered"' in html and "校验不符" in html
