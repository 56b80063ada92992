"""The inputs of a joint plan, built the same way when the plan is made and when it is confirmed.

`plan_inputs` reads the active items of the county, the active subjects of the region with the items
due for each (zhifa.inspections.due, reproducible from the plan's seed) and the county's active
scenarios, and returns them as a `planning.Problem` with a digest (SHA-256) over exactly what the
solver saw. The digest is kept in the plan's summary; confirming recomputes it, so that a plan whose
subjects, risk levels, items, frequency rules or scenarios changed since it was made is not turned
into visits that no longer fit (the plan is then cancelled and made again).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from zhifa.inspections import due as due_rules
from zhifa.inspections import planning
from zhifa.inspections.models import InspectionItem, Scenario, Subject
from zhifa.inspections.selectors.plans import county_of
from zhifa.org.models import Region


@dataclass(frozen=True)
class PlanInputs:
    problem: planning.Problem
    subjects: int  # active subjects of the region
    pairs: int  # (subject, due item) pairs
    digest: str


def plan_inputs(region: Region, seed: str, capacities: dict[str, float]) -> PlanInputs:
    """The planning problem of `region` for `seed` and its digest (see the module docstring)."""
    county = county_of(region)
    items = due_rules.load_items(InspectionItem.objects.filter(department__region=county, is_active=True))
    subjects = list(
        Subject.objects.filter(is_active=True, township__adcode__startswith=region.prefix).order_by("uscc")
    )
    due = due_rules.due_map(subjects, items, seed)
    item_ids = {i.id for i in items}
    scenarios = (
        Scenario.objects.filter(county=county, is_active=True).prefetch_related("items").order_by("pk")
    )
    problem = planning.Problem(
        items={str(i.id): str(i.department_id) for i in items},
        scenarios=[
            planning.Scenario(str(sc.pk), frozenset(str(i.pk) for i in sc.items.all() if i.pk in item_ids))
            for sc in scenarios
        ],
        subjects=[
            planning.Subject(str(s.pk), str(s.township_id), frozenset(str(i.id) for i in due[s.pk]))
            for s in subjects
            if s.pk in due
        ],
        capacities=capacities,
    )
    return PlanInputs(problem, len(subjects), sum(len(v) for v in due.values()), _digest(problem))


def _digest(problem: planning.Problem) -> str:
    canonical = {
        "items": sorted(problem.items.items()),
        "scenarios": sorted((s.code, sorted(s.items)) for s in problem.scenarios),
        "subjects": sorted((s.id, s.township, sorted(s.due)) for s in problem.subjects),
    }
    return hashlib.sha256(json.dumps(canonical, separators=(",", ":")).encode()).hexdigest()
