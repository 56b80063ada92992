"""The seeds' own cases (issue 5 point 9), told as stories of stages over the real services.

1. Longcheng (seed 000): a packaging plant moved its fire extinguishers; the fire-safety power was granted
   to the town (消防法 §28, §60(1)(2): CF-XF-002). General procedure to a fine: inspection, photos,
   interview, filing, notice, statement re-examined, township review, decision, service, payment at the
   bank, closing, archive.
2. Gaosha (seed 002): the zone's joint inspection finds a building-materials plant without records of its
   special-operation personnel (安全生产法 §30, §97(7): CF-AQ-006); rectification order with its evidence
   (inspection record, on-site checklist, photos, interview record), rectified, closed.
3. Xianxi (seed 001: "收缴渔网三百余匹,地笼500多个"): banned fine-mesh cage nets (渔业法 §30, §38:
   CF-NY-003, whose penalties include 没收非法财物); the nets detained (ACL Art. 24-25), so the justice
   bureau's panel reviews and the heads discuss (seed 000; APL Art. 57 para 2); fine and confiscation
   decided, served, paid, closed.
4. A first minor violation (APL Art. 33 para 1, 首违不罚): a shop's expired extinguishers replaced on
   the spot (CF-XF-001); no penalty proposed, reviewed, decided, served, closed.

The words of each story (party, facts, records) are the seeds'; names are fictional.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhifa.cases.models import DocType, EvidenceKind, MeasureKind
from zhifa.cases.scenarios import kit
from zhifa.cases.scenarios.cast import Cast
from zhifa.cases.scenarios.kit import Run, Stage, statement_over
from zhifa.cases.scenarios.words import first_minor_texts, gaosha_texts, longcheng_texts, xianxi_texts
from zhifa.cases.services import evidence as ev
from zhifa.cases.services.measures import measure_lift, measure_start
from zhifa.cases.services.statements import statement_record, statement_reexamine, statement_waive


@dataclass(frozen=True)
class Story:
    key: str
    item_code: str
    township: int  # the preferred township (index in the county); the resolver has the last word
    stages: tuple[Stage, ...]
    texts: Callable[[Cast], dict[str, Any]]


def acts(*steps: Callable[[Run], Any]) -> Callable[[Run], None]:
    def run_all(run: Run) -> None:
        for step in steps:
            step(run)

    return run_all


def notify(run: Run) -> None:
    """行政处罚事先告知 with the intended penalty (APL Art. 44)."""
    t = run.texts
    run.perform(
        run.cast.officer,
        "notify",
        intended_types=t["types"],
        intended_fine=t["intended_fine"],
        facts=t["facts"],
    )


def decide(run: Run) -> None:
    run.perform(
        run.cast.leader, "decide_penalty", penalty_types=run.texts["types"], fine_amount=run.texts["fine"]
    )


def statement(run: Run) -> None:
    """The party's statement and defence, re-examined and adopted (APL Art. 45: never heavier)."""
    row = statement_record(
        actor=run.cast.officer,
        case=run.refresh(),
        content=run.texts["statement"],
        received_on=run.day,
        on_date=run.day,
    )
    statement_reexamine(
        actor=run.cast.officer, statement=row, reexamination=run.texts["reexamination"], adopted=True
    )


def waive(run: Run) -> None:
    """The party's signed, express waiver of statement and defence (APL Art. 62)."""
    statement_waive(
        actor=run.cast.officer,
        case=run.refresh(),
        content=run.texts["waiver"],
        received_on=run.day,
        on_date=run.day,
    )


def submit_review(run: Run) -> None:
    run.perform(run.cast.officer, "submit_review", note="调查终结，提交法制审核。")


# --- 1. Longcheng packaging plant -------------------------------------------------------------------


INVESTIGATE = acts(kit.inspect, lambda r: kit.photos(r, r.texts["photos"]), kit.interview)

LONGCHENG = Story(
    "longcheng",
    "CF-XF-002",
    0,
    (
        Stage("source", 0, kit.register),
        Stage("evidence", 0, INVESTIGATE),
        Stage("filing", 1, kit.propose_filing),
        Stage("investigating", 0, kit.approve_filing),
        Stage("notified", 4, notify),
        Stage("notice_served", 1, lambda r: kit.serve(r, DocType.NOTICE_OF_INTENDED_PENALTY)),
        Stage("statement", 2, statement),
        Stage("review", statement_over("notice_served"), submit_review),
        Stage("deciding", 2, kit.review),
        Stage("decided", 1, decide),
        Stage("executing", 1, lambda r: kit.serve(r, DocType.PENALTY_DECISION)),
        Stage("payment_notice", 0, kit.payment_notice),
        Stage("executed", 4, kit.pay),
        Stage("closed", 0, kit.close),
        Stage("archived", 0, kit.archive),
    ),
    longcheng_texts,
)


# --- 2. Gaosha building-materials plant --------------------------------------------------------------


def gaosha_evidence(run: Run) -> None:
    """Seed 002: 现场检查记录、现场检查（勘察）笔录、取证图像、询问笔录."""
    kit.inspect(run)
    ev.evidence_add(
        actor=run.cast.officer,
        case=run.refresh(),
        kind=EvidenceKind.DOCUMENTARY,
        title="现场检查记录",
        collected_at=run.at(10, 35),
        place=run.texts["address"],
        collector_ids=run.cast.officer_ids,
        description=run.texts["checklist"],
    )
    kit.photos(run, run.texts["photos"])
    kit.interview(run)


def order_rectification(run: Run) -> None:
    """责令改正 with its deadline (APL Art. 28; 安全生产法 §97)."""
    import datetime

    by = run.day + datetime.timedelta(days=run.texts["rectify_days"])
    run.perform(
        run.cast.officer,
        "order_rectification",
        requirement=run.texts["requirement"],
        rectify_by=by.isoformat(),
        officer_ids=run.cast.officer_ids,
    )


GAOSHA = Story(
    "gaosha",
    "CF-AQ-006",
    3,
    (
        Stage("source", 0, kit.register),
        Stage("evidence", 0, gaosha_evidence),
        Stage("rectifying", 0, order_rectification),
        Stage("order_served", 0, lambda r: kit.serve(r, DocType.RECTIFICATION_ORDER, hour=16)),
        Stage(
            "executed",
            8,
            lambda r: r.perform(
                r.cast.officer,
                "confirm_rectified",
                note=r.texts["rectified_note"],
                officer_ids=r.cast.officer_ids,
            ),
        ),
        Stage("closed", 0, kit.close),
        Stage("archived", 0, kit.archive),
    ),
    gaosha_texts,
)


# --- 3. Xianxi illegal fishing nets -----------------------------------------------------------------


def detain(run: Run) -> None:
    """扣押 the nets, approved by the team leader, by two certified officers (ACL Art. 18, 24-25)."""
    measure_start(
        actor=run.cast.leader,
        case=run.refresh(),
        kind=MeasureKind.DETAIN,
        items=run.texts["nets"],
        started_on=run.day,
        officer_ids=run.cast.officer_ids,
        note="涉案禁用渔具，防止继续使用",
        on_date=run.day,
    )


def discuss(run: Run) -> None:
    run.perform(run.cast.leader, "discuss", **run.texts["discussion"])


def decide_and_lift(run: Run) -> None:
    """The decision confiscates the nets; the detention is lifted into it (ACL Art. 28(4))."""
    decide(run)
    for measure in run.case.measures.filter(lifted_on__isnull=True):
        measure_lift(
            actor=run.cast.leader,
            measure=measure,
            lifted_on=run.day,
            reason="已作出没收决定，扣押物品依决定没收。",
            on_date=run.day,
        )


XIANXI = Story(
    "xianxi",
    "CF-NY-003",
    8,
    (
        Stage("source", 0, kit.register),
        Stage("evidence", 0, acts(INVESTIGATE, detain)),
        Stage("filing", 1, kit.propose_filing),
        Stage("investigating", 0, kit.approve_filing),
        Stage("notified", 3, notify),
        Stage("notice_served", 0, lambda r: kit.serve(r, DocType.NOTICE_OF_INTENDED_PENALTY, hour=16)),
        Stage("review", 1, acts(waive, submit_review)),
        Stage("discussion", 3, lambda r: kit.review(r, panel=True)),
        Stage("deciding", 1, discuss),
        Stage("decided", 0, decide_and_lift),
        Stage("executing", 1, lambda r: kit.serve(r, DocType.PENALTY_DECISION)),
        Stage("payment_notice", 0, kit.payment_notice),
        Stage("executed", 3, kit.pay),
        Stage("closed", 0, kit.close),
    ),
    xianxi_texts,
)


# --- 4. First minor violation: no penalty ---------------------------------------------------------------


FIRST_MINOR = Story(
    "first_minor",
    "CF-XF-001",
    0,
    (
        Stage("source", 0, kit.register),
        Stage("evidence", 0, INVESTIGATE),
        Stage("filing", 1, kit.propose_filing),
        Stage("investigating", 0, kit.approve_filing),
        Stage(
            "review",
            2,
            lambda r: r.perform(r.cast.officer, "propose_no_penalty", reason=r.texts["no_penalty"]),
        ),
        Stage("deciding", 2, kit.review),
        Stage(
            "decided",
            1,
            lambda r: r.perform(r.cast.leader, "decide_no_penalty", reason=r.texts["no_penalty"]),
        ),
        Stage("executed", 1, lambda r: kit.serve(r, DocType.NO_PENALTY_DECISION)),
        Stage("closed", 0, kit.close),
        Stage("archived", 0, kit.archive),
    ),
    first_minor_texts,
)

STORIES: dict[str, Story] = {s.key: s for s in (LONGCHENG, GAOSHA, XIANXI, FIRST_MINOR)}
