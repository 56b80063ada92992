"""The record pages for supervisors (APL Art. 47; GO118 (十)): timeline, labels, files, links, search."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases.models import CaseDocument
from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.supervision.selectors.record import (
    Check,
    case_record,
    clue_record,
    record_search,
)
from zhifa.supervision.selectors.record_files import FileState
from zhifa.supervision.selectors.record_labels import changes
from zhifa.supervision.tests.test_record_world import (
    URLS,
    add_events,
    build_record_world,
    issue_filing_approval,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def world(county, other_county):
    return build_record_world(county, other_county)


def justice(world):
    return world.county.user(RoleCode.JUSTICE_BUREAU, "county")


def test_case_page_shows_every_event_with_its_label_actor_and_a_green_badge(client, world):
    """APL Art. 47: every recorded step of the case, who and when, verified against the chain."""
    case = world.case_t0
    officer = world.county.user(RoleCode.OFFICER, "t0")
    add_events(case, officer, 2)
    client.force_login(justice(world))
    response = client.get(reverse("supervision-case-record", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    events = list(Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("seq"))
    assert len(events) == 3
    assert f"已校验：{len(events)} 条记录哈希一致，链接完整" in html
    assert 'data-testid="record-badge" data-ok="true"' in html
    for event in events:
        assert f'data-seq="{event.seq}"' in html
        assert event.hash[:12] in html and f'title="{event.hash}"' in html
    assert "登记案源" in html  # case.open
    assert officer.person.name in html
    # The before/after of the party update, collapsible.
    assert "当事人0" in html and "当事人1" in html and "<details" in html


def test_transition_labels_come_from_the_procedure_and_acts_from_their_steps(world):
    """The labels a supervisor reads are the ones the case workspace shows (procedure, acts)."""
    from zhifa.cases.models import CaseStep
    from zhifa.cases.procedure import BY_NAME

    case = world.case_t0
    officer = world.county.user(RoleCode.OFFICER, "t0")
    add_events(case, officer, 1, action="case.propose_filing")
    add_events(case, officer, 1, action="case.officer_declare")
    CaseStep.objects.create(
        case=case, action="officer_declare", at=case.created_at, data={"label": "声明无应当回避情形"}
    )
    add_events(case, officer, 1, action="case.something_new")
    labels = [row.label for row in case_record(justice(world), case.pk).rows]
    assert labels[-3:] == [str(BY_NAME["propose_filing"].label), "声明无应当回避情形", "case.something_new"]


def test_changes_use_field_labels_and_choice_labels():
    from zhifa.cases.models import Case

    rows = {
        c.key: c for c in changes(Case, {"state": "source"}, {"state": "filing", "note": "同意", "ok": True})
    }
    assert (rows["state"].label, rows["state"].before, rows["state"].after) == (
        "状态",
        "案源登记",
        "立案审批",
    )
    assert rows["note"].before == "—" and rows["note"].after == "同意" and rows["note"].changed
    assert rows["ok"].after == "是"


def test_documents_and_evidence_are_listed_with_their_sha256_and_file_state(client, world):
    """GO118 (九): each stored file with its SHA-256; the page re-checks the bytes."""
    case = world.case_t1
    document = issue_filing_approval(case, world.county.user(RoleCode.OFFICER, "t1"))
    client.force_login(justice(world))
    html = client.get(reverse("supervision-case-record", args=[case.pk])).content.decode()
    assert document.sha256[:12] in html and f'data-copy="{document.sha256}"' in html
    assert reverse("case-document-pdf", args=[case.pk, document.pk]) in html
    record = case_record(justice(world), case.pk)
    assert [d.state for d in record.documents] == [FileState.OK]
    # The ORM-built evidence has a hash and no file.
    assert {e.state for e in record.evidence} == {FileState.NO_FILE}


def test_files_beyond_the_page_budget_are_left_to_the_export(world):
    case = world.case_t1
    issue_filing_approval(case, world.county.user(RoleCode.OFFICER, "t1"))
    record = case_record(justice(world), case.pk, file_budget=0)
    assert [d.state for d in record.documents] == [FileState.UNCHECKED]


def test_clue_page_lists_its_loop_and_links_to_the_case_and_back(client, world):
    """Collect once, use many (DESIGN.md): the clue's record leads to the case's and back."""
    client.force_login(justice(world))
    clue_url = reverse("supervision-clue-record", args=[world.clue_t0.pk])
    case_url = reverse("supervision-case-record", args=[world.case_t0.pk])
    html = client.get(clue_url).content.decode()
    assert f'href="{case_url}"' in html
    labels = [row.label for row in clue_record(justice(world), world.clue_t0.pk).rows]
    assert labels == ["上报", "定性", "派遣", "签收"]
    assert "已校验：4 条记录哈希一致，链接完整" in html
    assert f'href="{clue_url}"' in client.get(case_url).content.decode()


def test_search_finds_codes_in_scope_only(client, world):
    user = justice(world)
    result = record_search(user, world.case_t1.code[-4:])
    assert [c.pk for c in result.cases] == [world.case_t1.pk]
    assert record_search(user, world.case_other.code).cases == []
    assert [c.pk for c in record_search(user, world.clue_t0.code).clues] == [world.clue_t0.pk]
    assert record_search(user, world.clue_other.code).clues == []
    client.force_login(user)
    html = client.get(reverse("supervision-record")).content.decode()
    assert world.case_t0.code in html and world.case_t1.code in html and world.case_other.code not in html


def test_search_with_a_too_long_code_names_the_field(client, world):
    client.force_login(justice(world))
    response = client.get(reverse("supervision-record"), {"q": "X" * 41})
    assert response.status_code == 200
    assert "编号：最多 40 个字符。" in response.content.decode()
    response = client.get(reverse("supervision-record"), {"q": "C2026\x01"})
    assert response.status_code == 200 and "编号：含有无效字符。" in response.content.decode()
    assert record_search(justice(world), "C2026\x00").error == "编号：含有无效字符。"


def test_page_queries_do_not_grow_with_the_events(client, world):
    """10 events or 60: the same number of queries (the neighbours' links come from subqueries)."""
    case = world.case_t0
    officer = world.county.user(RoleCode.OFFICER, "t0")
    client.force_login(justice(world))
    url = reverse("supervision-case-record", args=[case.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_events(case, officer, 9)
    ten = count()
    add_events(case, officer, 50)
    sixty = count()
    assert Event.objects.filter(object_id=str(case.pk), object_type="cases.case").count() == 60
    assert sixty == ten


def test_intact_events_verify_in_the_middle_of_the_chain_and_at_its_head(world, other_county):
    """An event followed by others is checked against its successor, the last one against the head."""
    from zhifa.core.models import ChainHead

    rows = case_record(justice(world), world.case_t1.pk).rows
    assert [row.check for row in rows] == [Check.OK]
    head = case_record(other_county.user(RoleCode.JUSTICE_BUREAU, "county"), world.case_other.pk).rows
    assert [row.check for row in head] == [Check.OK]
    assert head[-1].seq == ChainHead.objects.get(pk=1).seq


def test_superseded_document_is_marked(client, world):
    case = world.case_t1
    officer = world.county.user(RoleCode.OFFICER, "t1")
    first = issue_filing_approval(case, officer)
    second = issue_filing_approval(case, officer)
    CaseDocument.objects.filter(pk=first.pk).update(superseded_by=second)
    client.force_login(justice(world))
    html = client.get(reverse("supervision-case-record", args=[case.pk])).content.decode()
    assert len(re.findall("已被更正", html)) == 1


def test_clue_photos_are_listed_with_their_sha256_and_file_state(client, world, settings):
    """GO118 (九): a clue's photos keep the SHA-256 taken at upload; a changed file is marked."""
    import hashlib
    from pathlib import Path

    from zhifa.intake.models import CluePhoto

    content = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    sha = hashlib.sha256(content).hexdigest()
    relative = f"clues/{sha[:2]}/{sha}.png"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    photo = CluePhoto.objects.create(
        clue=world.clue_t0, file=relative, sha256=sha, content_type="image/png", size=len(content)
    )
    record = clue_record(justice(world), world.clue_t0.pk)
    assert [(p.pk, p.state, p.sha256) for p in record.photos] == [(photo.pk, FileState.OK, sha)]
    client.force_login(justice(world))
    html = client.get(reverse("supervision-clue-record", args=[world.clue_t0.pk])).content.decode()
    assert f'data-copy="{sha}"' in html and reverse("intake-photo", args=[photo.pk]) in html
    path.write_bytes(b"another picture")
    assert [p.state for p in clue_record(justice(world), world.clue_t0.pk).photos] == [FileState.ALTERED]
