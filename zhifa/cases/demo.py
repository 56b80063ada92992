"""The cases part of the demo county (issue 5): the seeds' four cases run to their end, the same stories
left at each main stage, and cases opened from the demo's clues (zhifa/cases/demo_scenarios.py).

Every case is made by the real services and the engine (zhifa.cases.scenarios), so its documents are
numbered and rendered, its evidence hashed and the record chain holds every step (APL Art. 47). A case's
timeline is then moved onto the story's days, as the intake demo does for clues; the record events keep
the moment of loading. Idempotent: nothing is done when the county has cases. Runs in the caller's
transaction (load_demo) or its own.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.cases.demo_scenarios import CLUE_PARTIES, SEED_CASES, VARIANTS, DemoCase
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.scenarios import Run, Story, kit, run_story
from zhifa.cases.scenarios.cast import township_agency, townships
from zhifa.org.models import Region
from zhifa.powers.models import PowerItem

# A story for a case opened from a clue: the clue's place, item and words (collect once, use many).
CLUE_STORY = Story(
    "clue",
    "",
    0,
    (
        kit.Stage("source", 0, kit.register),
        kit.Stage("evidence", 0, kit.inspect),
        kit.Stage("filing", 0, kit.propose_filing),
    ),
    lambda cast: {},
)


@dataclass
class CasesDemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def _run(county: Region, spec: DemoCase, today: datetime.date) -> Run:
    township = None
    if spec.township is not None:
        towns = townships(county)
        township = towns[spec.township % len(towns)]
    return run_story(
        spec.story,
        county,
        until=spec.until,
        end_on=today - datetime.timedelta(days=spec.days_ago),
        texts=spec.texts,
        township=township,
    )


def _clues(county: Region):
    """Handled clues of the first township's team with a penalty item of the categories above."""
    from zhifa.intake.models import Clue, ClueStatus

    first = townships(county)[0]
    return (
        Clue.objects.filter(
            assigned_agency=township_agency(first),
            category__code__in=list(CLUE_PARTIES),
            status__in=(ClueStatus.HANDLING, ClueStatus.HANDLED, ClueStatus.FED_BACK, ClueStatus.VERIFIED),
            cases__isnull=True,
        )
        .filter(Q(items__power_type="penalty"))
        .select_related("category", "township")
        .distinct()
        .order_by("reported_at", "id")
    )


def _from_clues(county: Region, today: datetime.date) -> list[Run]:
    runs: list[Run] = []
    seen: set[str] = set()
    for clue in _clues(county):
        if clue.category.code in seen:
            continue
        item = clue.items.filter(power_type="penalty").order_by("code").first()
        party, until = CLUE_PARTIES[clue.category.code]
        texts = {
            "title": f"{party.name}{clue.category.name}案",
            "party": party,
            "facts": clue.text,
            "address": clue.address or clue.township.name,
            "inspection": f"执法人员出示执法证件，表明身份。经现场核查，线索反映情况属实：{clue.text}",
        }
        runs.append(
            run_story(
                CLUE_STORY,
                county,
                item=item,
                clue=clue,
                until=until,
                end_on=today,
                texts=texts,
                township=clue.township,
            )
        )
        seen.add(clue.category.code)
    return runs


def _age(run: Run) -> None:
    """Move the case's timeline onto the story's days: each stage's steps from 09:00 of its day, seven
    minutes apart and in their order, never later than now; the case registered at its first step."""
    now = timezone.now()
    previous = 0
    cursor: datetime.datetime | None = None
    first: datetime.datetime | None = None
    for stage, last in run.done:
        opening = timezone.make_aware(datetime.datetime.combine(run.days[stage], datetime.time(9, 0)))
        steps = list(CaseStep.objects.filter(case=run.case, id__gt=previous, id__lte=last).order_by("id"))
        for step in steps:
            cursor = opening if cursor is None or opening > cursor else cursor + datetime.timedelta(minutes=7)
            step.at = min(cursor, now)
            first = first or step.at
        CaseStep.objects.bulk_update(steps, ["at"])
        previous = max(previous, last)
    if first is not None:
        Case.objects.filter(pk=run.case.pk).update(created_at=first)


def load_cases_demo(county: Region) -> CasesDemoResult:
    """Give the demo county its cases; nothing when it has cases already (or lacks the seed items)."""
    if Case.objects.filter(region__adcode__startswith=county.prefix).exists():
        return CasesDemoResult(False)
    codes = {"CF-XF-001", "CF-XF-002", "CF-AQ-006", "CF-NY-003"}
    if PowerItem.objects.filter(code__in=codes, is_active=True).count() < len(codes):
        return CasesDemoResult(False)
    today = timezone.localdate()
    counts: Counter = Counter()
    with transaction.atomic():
        runs = [_run(county, spec, today) for spec in (*SEED_CASES, *VARIANTS)]
        runs.extend(_from_clues(county, today))
        for run in runs:
            _age(run)
            counts[f"cases.case.{run.case.state}"] += 1
        counts["cases.case"] = len(runs)
        counts["cases.casedocument"] = sum(run.case.documents.count() for run in runs)
    return CasesDemoResult(True, dict(counts))
