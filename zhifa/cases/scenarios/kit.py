"""The runner of the seed cases and the acts they are made of, each one call of a real service or of the
engine (`perform`), dated on the day of its stage.

A story is a list of stages; each stage has the days it comes after the previous one and the acts it
performs. `run` plans the days so that the last stage asked for falls on `end_on` (today by default) and
performs the stages in order, so the demo can leave a case at any stage and the tests run it to the end.
Every act goes through the service a user's page or the API calls: the guards, documents, numbers and
record events are the real ones (APL Art. 47: the record holds every step).

Time: services refuse moments in the future and record "today" where they take no date (a payment
notice is issued today, APL Art. 67), so stories that reach a payment end on today; the earlier stages
lie in the past, on the days the plan gives them.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhifa.cases import deadlines
from zhifa.cases.engine import perform
from zhifa.cases.identity import resident_id_check_char, uscc_check_char
from zhifa.cases.models import Case, CaseSource, EvidenceKind, LegalReview, Party, ReviewStatus, ServiceMethod
from zhifa.cases.review_checklist import CHECK_KEYS
from zhifa.cases.scenarios.cast import Cast
from zhifa.cases.services import evidence as ev
from zhifa.cases.services.cases import CaseInput, case_open, case_open_from_clue
from zhifa.cases.services.officers import case_officer_assign, case_officer_declare
from zhifa.cases.services.parties import PartyInput, party_add
from zhifa.cases.services.payment import payment_notice_issue, payment_record_bank
from zhifa.cases.services.review import review_decide
from zhifa.cases.services.service import service_record
from zhifa.cases.settings_defaults import settings_for
from zhifa.org.models import Agency
from zhifa.powers.models import PowerItem

Gap = int | Callable[["Run"], datetime.date]


@dataclass(frozen=True)
class Stage:
    """A stage of a story: `gap` days after the previous stage (or a function of the run giving its
    day), then `act`."""

    name: str
    gap: Gap
    act: Callable[[Run], None]


@dataclass(frozen=True)
class PartySpec:
    """A party as the seed tells it; the ID's check character is computed (GB 11643 / GB 32100)."""

    kind: str
    name: str
    id_type: str
    id_body: str  # the first 17 characters
    address: str
    legal_representative: str = ""
    phone: str = ""

    @property
    def id_number(self) -> str:
        if self.id_type == "resident_id":
            return self.id_body + resident_id_check_char(self.id_body)
        return self.id_body + uscc_check_char(self.id_body)


@dataclass
class Run:
    """One case being taken through a story: who acts, the planned days, the case and its party."""

    story: Any
    agency: Agency
    item: PowerItem
    days: dict[str, datetime.date] = field(default_factory=dict)
    cast: Cast | None = None
    texts: dict[str, Any] = field(default_factory=dict)
    clue: Any = None
    case: Case | None = None
    party: Party | None = None
    done: list[tuple[str, int]] = field(default_factory=list)  # (stage, its last CaseStep id)
    stage: str = ""

    @property
    def day(self) -> datetime.date:
        return self.days[self.stage]

    def at(self, hour: int, minute: int = 0) -> datetime.datetime:
        """A moment of the current stage's day, never later than now (services refuse the future)."""
        moment = timezone.make_aware(datetime.datetime.combine(self.day, datetime.time(hour, minute)))
        now = timezone.now()
        start = timezone.make_aware(datetime.datetime.combine(self.day, datetime.time(0, 1)))
        return min(max(min(moment, now - datetime.timedelta(minutes=1)), start), now)

    def refresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case

    def perform(self, actor: Any, action: str, **payload: Any) -> Case:
        self.case = perform(
            actor=actor, case=self.refresh(), action=action, payload=payload, on_date=self.day
        )
        return self.case


# --- planning ---------------------------------------------------------------------------------------


def statement_over(after: str) -> Callable[[Run], datetime.date]:
    """The day after the statement period that runs from the service of the notice (`after` is the stage
    that served it): APL Art. 44-45, 62; the period is the agency's setting (default 5 working days)."""

    def day(run: Run) -> datetime.date:
        days = settings_for(run.agency)["statement_days"].as_int()
        return deadlines.statement_due(run.days[after], working_days=days).due + datetime.timedelta(days=1)

    return day


def plan(run: Run, stages: list[Stage], start: datetime.date) -> dict[str, datetime.date]:
    days: dict[str, datetime.date] = {}
    previous = start
    run.days = days
    for stage in stages:
        previous = stage.gap(run) if callable(stage.gap) else previous + datetime.timedelta(days=stage.gap)
        days[stage.name] = previous
    return days


def schedule(run: Run, stages: list[Stage], end_on: datetime.date) -> dict[str, datetime.date]:
    """Days for `stages` whose last falls on `end_on` (or the latest day before it that the working-day
    periods allow)."""
    span = sum(s.gap for s in stages if not callable(s.gap))
    start = end_on - datetime.timedelta(days=span)
    while True:
        days = plan(run, stages, start)
        if days[stages[-1].name] <= end_on:
            return days
        start -= datetime.timedelta(days=1)


def stages_until(story: Any, until: str | None) -> list[Stage]:
    names = [s.name for s in story.stages]
    if until is not None and until not in names:
        raise ValueError(f"{story.key} has no stage {until!r}: {names}")
    return list(story.stages[: names.index(until) + 1 if until else None])


# --- acts -------------------------------------------------------------------------------------------


def photo(seed: str, size: tuple[int, int] = (480, 360)) -> ev.EvidenceUpload:
    """A small PNG standing for an on-site photo (取证图像), different for every `seed`."""
    from PIL import Image, ImageDraw

    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    image = Image.new("RGB", size, (200 + digest % 40, 205, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60 + digest % 90, 80, 160 + digest % 90, 300), fill=(190, 30, 30))
    draw.rectangle((0, 300, size[0], size[1]), fill=(90, 90, 95))
    draw.text((12, 12), seed.encode("ascii", "ignore").decode() or "photo", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ev.EvidenceUpload(name=f"{seed}.png", content=buffer.getvalue(), content_type="image/png")


def open_case(run: Run) -> None:
    """案源登记 by the lead officer: from the clue in one click where there is one (DESIGN.md: collect
    once, use many), else from the inspection."""
    t = run.texts
    if run.clue is not None:
        run.case = case_open_from_clue(actor=run.cast.officer, clue=run.clue, item=run.item, title=t["title"])
        return
    run.case = case_open(
        actor=run.cast.officer,
        data=CaseInput(
            agency=run.cast.agency,
            item=run.item,
            region=run.cast.township,
            title=t["title"],
            act_on=run.day - datetime.timedelta(days=t.get("act_days_before", 0)),
            discovered_on=run.day,
            source=t.get("source", CaseSource.INSPECTION),
            source_note=t.get("source_note", ""),
            facts=t["facts"],
            address=t["address"],
        ),
    )


def add_party(run: Run) -> None:
    spec: PartySpec = run.texts["party"]
    run.party = party_add(
        actor=run.cast.officer,
        case=run.refresh(),
        on_date=run.day,
        data=PartyInput(
            kind=spec.kind,
            name=spec.name,
            id_type=spec.id_type,
            id_number=spec.id_number,
            address=spec.address,
            legal_representative=spec.legal_representative,
            phone=spec.phone,
        ),
    )


def staff(run: Run) -> None:
    """The second officer assigned by the lead; each states that no ground for recusal applies (APL
    Art. 42-43)."""
    case_officer_assign(
        actor=run.cast.officer, case=run.refresh(), person=run.cast.second.person, on_date=run.day
    )
    for user in (run.cast.officer, run.cast.second):
        officer = run.case.officers.get(person=user.person)
        case_officer_declare(actor=user, officer=officer)


def register(run: Run) -> None:
    """Open the case, register the party and staff it (the first acts of every seed case)."""
    open_case(run)
    add_party(run)
    staff(run)


def inspect(run: Run, hour: int = 10) -> None:
    ev.record_inspection(
        actor=run.cast.officer,
        case=run.refresh(),
        inspected_at=run.at(hour, 30),
        place=run.texts["address"],
        content=run.texts["inspection"],
        officer_ids=run.cast.officer_ids,
        present=run.texts.get("present", ""),
    )


def photos(run: Run, titles: list[str], hour: int = 10) -> None:
    for index, title in enumerate(titles):
        ev.evidence_add(
            actor=run.cast.officer,
            case=run.refresh(),
            kind=EvidenceKind.AUDIOVISUAL,
            title=title,
            collected_at=run.at(hour, 40 + index),
            place=run.texts["address"],
            collector_ids=run.cast.officer_ids,
            description=title,
            upload=photo(f"{run.story.key}-{run.case.pk}-{index}"),
        )


def interview(run: Run, hour: int = 15) -> None:
    spec: PartySpec = run.texts["party"]
    ev.record_interview(
        actor=run.cast.officer,
        case=run.refresh(),
        interviewed_at=run.at(hour),
        place=run.texts.get("interview_place", run.texts["address"]),
        interviewee=run.texts.get("interviewee", spec.legal_representative or spec.name),
        content=run.texts["interview"],
        officer_ids=run.cast.officer_ids,
    )


def propose_filing(run: Run) -> None:
    """立案 proposed by the lead officer (APL Art. 54)."""
    note = run.texts.get("filing_note", "符合立案条件，提请立案。")
    run.perform(run.cast.officer, "propose_filing", note=note)


def approve_filing(run: Run) -> None:
    """立案 approved by the team leader: the filing approval is numbered (APL Art. 54)."""
    run.perform(run.cast.leader, "approve_filing", note="同意立案。")


def serve(run: Run, doc_type: str, hour: int = 15) -> None:
    """Direct service signed by the party or its representative (CPL Art. 87): the proof of service is
    issued, and serving a decision takes the engine's "serve" step."""
    document = run.refresh().documents.filter(doc_type=doc_type, superseded_by__isnull=True).latest("id")
    spec: PartySpec = run.texts["party"]
    service_record(
        actor=run.cast.officer,
        document=document,
        party=run.party or run.case.parties.first(),
        method=ServiceMethod.DIRECT,
        recipient=spec.legal_representative or spec.name,
        served_at=run.at(hour),
        place=spec.address,
    )


def review(run: Run, *, panel: bool = False) -> None:
    """The pending review decided with every GO118 (十三) check passed: by the township reviewer, or the
    justice bureau's panel (seed 000)."""
    pending = LegalReview.objects.get(case=run.refresh(), status=ReviewStatus.PENDING)
    opinions = run.texts.get("review_opinions", {})
    answers = {key: {"passed": True, "opinion": opinions.get(key, "")} for key in CHECK_KEYS}
    review_decide(
        actor=run.cast.justice if panel else run.cast.reviewer,
        review=pending,
        answers=answers,
        opinion=run.texts["review_opinion"],
        panel=run.texts.get("panel") if panel else None,
        qualified=True,
        on_date=run.day,
    )


def pay(run: Run) -> None:
    """The payment notice (today: APL Art. 67), then the bank's confirmation of the whole amount."""
    case = run.refresh()
    notice = case.payment_notices.first() or payment_notice_issue(actor=run.cast.officer, case=case)
    payment_record_bank(
        actor=run.cast.officer,
        case=run.refresh(),
        payment_code=notice.payment_code,
        amount=notice.amount,
        paid_on=timezone.localdate(),
        bank_reference=f"BANK{case.code.replace('-', '')}",
        receipt_number=f"FS{case.pk:08d}",
    )


def payment_notice(run: Run) -> None:
    payment_notice_issue(actor=run.cast.officer, case=run.refresh())


def close(run: Run) -> None:
    run.perform(
        run.cast.leader, "close", note=run.texts.get("closing_note", "执行完毕，卷宗齐全，同意结案。")
    )


def archive(run: Run) -> None:
    run.perform(run.cast.officer, "archive")


def money(value: str) -> Decimal:
    return Decimal(value)
