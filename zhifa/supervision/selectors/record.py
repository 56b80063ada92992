"""The full-process record of one case or clue for supervisors (全过程记录, APL Art. 47; GO118 (七)-(十)).

Each event of the object is shown with who, when, what changed, and its own verification:

- its hash is recomputed from its stored fields (`core.record.event_message` + `hash_function`): a
  mismatch means the event was edited;
- its previous-hash must equal the hash of event seq-1, and event seq+1 (or the chain head, for the
  last event) must name this event's hash: a mismatch means an event next to it was edited, deleted
  or re-hashed. Both neighbours come from correlated subqueries on the unique seq index, in the same
  query as the events, so the page costs the same number of queries for 10 events or 10,000.

Deleting a whole event of this object leaves no trace in the object's own events: that is what the
whole-chain verification (`core.verify.verify_chain`, the record-verify page) finds.

Files: the SHA-256 of every document, evidence file and clue photo is shown with the state of its bytes
(selectors.record_files: re-hashed up to a budget per page view; the case-file export checks all).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.models import Case
from zhifa.core.models import ChainHead, Event
from zhifa.core.record import GENESIS, algorithm_name, event_message, hash_function
from zhifa.intake.models import Clue
from zhifa.supervision.policies import record_cases, record_clues, require_record_access
from zhifa.supervision.selectors.record_files import (
    FILE_CHECK_BUDGET,
    SHORT_HASH,
    Budget,
    StoredFile,
    document_files,
    evidence_files,
    photo_files,
    url_or_none,
)
from zhifa.supervision.selectors.record_labels import Change, Labeller, case_labeller, changes, clue_label

SEARCH_LIMIT = 20
CODE_MAX_LENGTH = 40
SUMMARY_LENGTH = 120
VALUE_LENGTH = 40  # a value longer than this (a hash, a long note) is cut in the one-line summary


class Check(StrEnum):
    OK = "ok"
    EDITED = "edited"  # the hash does not match the event's content
    LINK = "link"  # prev_hash does not match the event before (missing, edited or reordered)
    NEXT = "next"  # the event after (or the chain head) does not name this event's hash


CHECK_LABELS = {
    Check.OK: gettext_lazy("一致"),
    Check.EDITED: gettext_lazy("哈希不符：被修改"),
    Check.LINK: gettext_lazy("与前一条链接断裂"),
    Check.NEXT: gettext_lazy("与后一条链接断裂"),
}


@dataclass(frozen=True)
class TimelineRow:
    """One event of the object: who, when, what, and whether it verifies."""

    seq: int
    occurred_at: Any
    actor_name: str
    action: str
    label: str
    changes: tuple[Change, ...]
    hash: str
    prev_hash: str
    check: Check

    @property
    def ok(self) -> bool:
        return self.check == Check.OK

    @property
    def short_hash(self) -> str:
        return self.hash[:SHORT_HASH]

    @property
    def check_label(self) -> str:
        return str(CHECK_LABELS[self.check])

    @property
    def summary(self) -> str:
        def cut(text: str) -> str:
            return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"

        parts = [
            f"{c.label}：{cut(c.after)}"
            if c.before == "—"
            else f"{c.label}：{cut(c.before)} → {cut(c.after)}"
            for c in self.changes
            if c.changed
        ]
        text = "；".join(parts)
        return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


@dataclass(frozen=True)
class Verification:
    """The badge: all events verify, or the first that does not."""

    count: int
    bad_seq: int | None
    bad_check: Check | None
    algorithm: str

    @property
    def ok(self) -> bool:
        return self.bad_seq is None

    @property
    def message(self) -> str:
        if self.bad_seq is None:
            if not self.count:
                return _("没有记录事件")
            return _("已校验：%(count)d 条记录哈希一致，链接完整") % {"count": self.count}
        texts = {
            Check.EDITED: _("校验失败：第 %(seq)d 条记录的哈希与内容不符，记录被修改"),
            Check.LINK: _(
                "校验失败：第 %(seq)d 条记录与前一条记录的链接断裂（前一条被修改、删除或顺序被调换）"
            ),
            Check.NEXT: _(
                "校验失败：第 %(seq)d 条记录与后一条记录（或链头）的链接断裂（记录被改动后重算了哈希）"
            ),
        }
        return texts[self.bad_check] % {"seq": self.bad_seq}


@dataclass(frozen=True)
class Head:
    """The chain head (the last event of the whole record) when the page was read."""

    seq: int
    hash: str


@dataclass
class CaseRecord:
    case: Case
    rows: list[TimelineRow]
    verification: Verification
    head: Head
    documents: list[StoredFile]
    evidence: list[StoredFile]
    clue_record_url: str | None


@dataclass
class ClueRecord:
    clue: Clue
    rows: list[TimelineRow]
    verification: Verification
    head: Head
    photos: list[StoredFile]
    cases: list[tuple[Case, str]]  # cases opened from the clue, with their record page


@dataclass
class SearchResult:
    q: str
    error: str
    cases: list[Case]
    clues: list[Clue]


# --- the events ------------------------------------------------------------------------------------------


def _data(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:  # a tampered row still shows; its hash check fails
        return {}
    return data if isinstance(data, dict) else {}


def _events(object_type: str, object_id: str):
    """The object's events in order, each with its neighbours' links and the chain head, in one statement
    (one snapshot: an event appended meanwhile cannot make the last event look cut off). The neighbours
    come from correlated subqueries on the unique seq index."""
    before = Event.objects.filter(seq=OuterRef("seq") - 1).values("hash")[:1]
    after = Event.objects.filter(seq=OuterRef("seq") + 1).values("prev_hash")[:1]
    head = ChainHead.objects.filter(pk=1)
    return (
        Event.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("seq")
        .annotate(
            predecessor_hash=Subquery(before),
            successor_prev=Subquery(after),
            head_seq=Subquery(head.values("seq")[:1]),
            head_hash=Subquery(head.values("hash")[:1]),
        )
    )


def _check(event: Event, new_hash: Any) -> Check:
    message = event_message(
        event.seq,
        event.occurred_at,
        event.actor_id,
        event.action,
        event.object_type,
        event.object_id,
        event.data,
        event.prev_hash,
    )
    if new_hash(message).hexdigest() != event.hash:
        return Check.EDITED
    expected = GENESIS if event.seq == 1 else event.predecessor_hash
    if expected is None or event.prev_hash != expected:
        return Check.LINK
    if event.successor_prev is not None:
        return Check.OK if event.successor_prev == event.hash else Check.NEXT
    # No event after this one: it must be the chain head.
    return Check.OK if event.seq == event.head_seq and event.hash == event.head_hash else Check.NEXT


def chain_head() -> Head:
    """The chain head now (one query)."""
    seq, digest = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "")
    return Head(seq, digest or GENESIS)


def timeline(
    model: type[Model], object_id: Any, label: Labeller
) -> tuple[list[TimelineRow], Verification, Head]:
    """The events of one object as rows with their checks, the badge and the chain head.

    `label(action, after)` names each action in words."""
    new_hash = hash_function()
    rows = []
    head = None
    for event in _events(model._meta.label_lower, str(object_id)):
        head = Head(event.head_seq or 0, event.head_hash or GENESIS)
        data = _data(event.data)
        after = data.get("after")
        rows.append(
            TimelineRow(
                seq=event.seq,
                occurred_at=event.occurred_at,
                actor_name=str(data.get("actor_name") or "") or (_("系统") if event.actor_id is None else ""),
                action=event.action,
                label=label(event.action, after if isinstance(after, dict) else {}),
                changes=changes(model, data.get("before"), after),
                hash=event.hash,
                prev_hash=event.prev_hash,
                check=_check(event, new_hash),
            )
        )
    bad = next((row for row in rows if not row.ok), None)
    verification = Verification(
        count=len(rows),
        bad_seq=bad.seq if bad else None,
        bad_check=bad.check if bad else None,
        algorithm=algorithm_name(),
    )
    return rows, verification, head or chain_head()


# --- the selectors -----------------------------------------------------------------------------------------


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def case_record(user: Any, case_pk: Any, *, file_budget: int | None = FILE_CHECK_BUDGET) -> CaseRecord:
    """The record of one case `user` supervises: its timeline with each event's check, the badge, its
    documents and evidence with their SHA-256 and file states (re-hashing up to `file_budget` bytes,
    None: every file). 403 without record pages, 404 outside what the user supervises."""
    require_record_access(user)
    case = (
        record_cases(user)
        .select_related("agency__region", "region", "item", "team", "clue")
        .filter(pk=_pk(case_pk))
        .first()
    )
    if case is None:
        raise Http404
    rows, verification, head = timeline(Case, case.pk, case_labeller(case))
    budget = Budget(file_budget)
    clue_url = None
    if case.clue_id is not None and record_clues(user).filter(pk=case.clue_id).exists():
        clue_url = url_or_none("supervision-clue-record", case.clue_id)
    return CaseRecord(
        case=case,
        rows=rows,
        verification=verification,
        head=head,
        documents=document_files(case, budget),
        evidence=evidence_files(case, budget),
        clue_record_url=clue_url,
    )


def clue_record(user: Any, clue_pk: Any, *, file_budget: int | None = FILE_CHECK_BUDGET) -> ClueRecord:
    """The record of one clue `user` supervises: its timeline, the badge, its photos with their SHA-256,
    and the cases opened from it (each linking to its record). 403/404 as `case_record`."""
    require_record_access(user)
    clue = (
        record_clues(user)
        .select_related("category", "region", "township", "assigned_agency")
        .filter(pk=_pk(clue_pk))
        .first()
    )
    if clue is None:
        raise Http404
    rows, verification, head = timeline(Clue, clue.pk, clue_label)
    cases = [
        (case, reverse("supervision-case-record", args=[case.pk]))
        for case in record_cases(user).filter(clue=clue).order_by("created_at", "id")
    ]
    return ClueRecord(
        clue=clue,
        rows=rows,
        verification=verification,
        head=head,
        photos=photo_files(clue, Budget(file_budget)),
        cases=cases,
    )


def record_search(user: Any, q: str = "") -> SearchResult:
    """Cases and clues `user` supervises whose code contains `q` (the latest when `q` is empty), at most
    SEARCH_LIMIT of each."""
    require_record_access(user)
    q = (q or "").strip()
    if len(q) > CODE_MAX_LENGTH:
        message = _("编号：最多 %(n)d 个字符。") % {"n": CODE_MAX_LENGTH}
        return SearchResult(q, message, [], [])
    if any(ord(c) < 32 or ord(c) == 127 for c in q):  # PostgreSQL refuses NUL in a query
        return SearchResult("", _("编号：含有无效字符。"), [], [])
    cases = record_cases(user).select_related("agency")
    clues = record_clues(user).select_related("assigned_agency", "township")
    if q:
        cases = cases.filter(code__icontains=q)
        clues = clues.filter(code__icontains=q)
    return SearchResult(
        q,
        "",
        list(cases.order_by("-created_at", "-id")[:SEARCH_LIMIT]),
        list(clues.order_by("-reported_at", "-id")[:SEARCH_LIMIT]),
    )
