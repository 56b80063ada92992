"""The seeds' own cases as runnable stories (issue 5 point 9), for the end-to-end tests and the demo.

`run_story("longcheng", county)` takes the Longcheng case through every stage with the real services and
the engine; `until="review"` leaves it in legal review. The township is the story's preferred one where
the grant-list resolver names it competent for the item, else the next that is (APL Art. 24).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.utils import timezone

from zhifa.cases.scenarios.cast import Cast, cast_for, competent_township, township_agency
from zhifa.cases.scenarios.kit import PartySpec, Run, schedule, stages_until
from zhifa.cases.scenarios.stories import STORIES, Story
from zhifa.org.models import Region
from zhifa.powers.models import PowerItem


def prepare(
    key: str | Story,
    county: Region,
    *,
    item: PowerItem | None = None,
    until: str | None = None,
    end_on: datetime.date | None = None,
    township: Region | None = None,
    clue: Any = None,
    texts: dict[str, Any] | None = None,
) -> tuple[Run, list]:
    """The run of story `key` (planned days, cast, words) and the stages to perform, nothing done yet.

    `key` names a story of STORIES or is a Story (with `item` when it has no item of its own); the last
    stage performed is `until` (default: the end) and falls on `end_on` (default: today); `township`
    overrides the story's; `clue` opens the case from that clue; `texts` override the story's words."""
    story = STORIES[key] if isinstance(key, str) else key
    item = item or PowerItem.objects.select_related("domain").get(code=story.item_code, is_active=True)
    end_on = end_on or timezone.localdate()
    township = township or competent_township(item, county, story.township, end_on)
    run = Run(story=story, agency=township_agency(township), item=item, clue=clue)
    stages = stages_until(story, until)
    days = schedule(run, stages, end_on)
    run.cast = cast_for(township, item, sorted({*days.values(), timezone.localdate()}))
    run.texts = localise({**story.texts(run.cast), **(texts or {})}, run.cast.township.name, texts or {})
    return run, stages


def localise(texts: dict[str, Any], town: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """Put the township's name where the words say {town}; a party given without an address of the
    case is found at its own address."""
    done = {k: v.replace("{town}", town) if isinstance(v, str) else v for k, v in texts.items()}
    party = done.get("party")
    if isinstance(party, PartySpec):
        done["party"] = dataclasses.replace(party, address=party.address.replace("{town}", town))
        if "party" in overrides and "address" not in overrides:
            done["address"] = done["party"].address
    return done


def run_story(key: str, county: Region, **options: Any) -> Run:
    """Take story `key` through its stages (see `prepare` for the options); returns the run with its
    case. Raises the service's error where a stage is refused."""
    run, stages = prepare(key, county, **options)
    for stage in stages:
        run.stage = stage.name
        stage.act(run)
        last = run.case.steps.order_by("-id").values_list("id", flat=True).first() if run.case else None
        run.done.append((stage.name, last or 0))
    run.refresh()
    return run


__all__ = ["STORIES", "Cast", "PartySpec", "Run", "Story", "cast_for", "prepare", "run_story"]
