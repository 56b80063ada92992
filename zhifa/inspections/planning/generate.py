"""Deterministic planning instances (random.Random(seed)): the Sha County shape and the province shape.

Sha County (issue 7): 271 subjects, 15 departments, 45 items (3 per department), 7 scenarios; each
subject's industry maps to one scenario and all its due items lie in it (on average >= 3.7 departments),
so the joint plan reaches the lower bound and saves >= 72% of the per-department visits.
Province: 100,000 subjects, 50 departments, 400 items, 60 scenarios, capacities; under 1% of subjects
have one due item outside their scenario.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from .model import HALF_DAY, MIN_TEAM, Problem, Scenario, Subject


def _catalogue(departments: int, items: int) -> dict[str, str]:
    return {f"I{i:03d}": f"D{i % departments:02d}" for i in range(items)}


def _scenarios(
    rng: random.Random, items: dict[str, str], count: int, depts_per: tuple[int, int], per_dept: int
):
    by_dept: dict[str, list[str]] = defaultdict(list)
    for code, dept in items.items():
        by_dept[dept].append(code)
    depts = sorted(by_dept)
    scenarios = []
    for n in range(count):
        chosen = rng.sample(depts, rng.randint(*depts_per))
        its = {it for d in chosen for it in rng.sample(by_dept[d], min(per_dept, len(by_dept[d])))}
        scenarios.append(Scenario(f"S{n:02d}", frozenset(its)))
    return scenarios


def _due_in(rng: random.Random, scenario: Scenario, items: dict[str, str], keep: float) -> set[str]:
    by_dept: dict[str, list[str]] = defaultdict(list)
    for it in sorted(scenario.items):
        by_dept[items[it]].append(it)
    depts = [d for d in sorted(by_dept) if rng.random() < keep] or sorted(by_dept)[:2]
    if len(depts) < 2:
        depts = rng.sample(sorted(by_dept), 2)
    return {rng.choice(by_dept[d]) for d in depts}


def _capacities(
    subjects: list[Subject], items: dict[str, str], slack: float, extra: dict[str, str] | None = None
) -> dict[str, float]:
    """Officer-days per department: `slack` times what joint visits need, rounded up to a half day.

    `extra`: subject id -> its item outside its scenario, checked by a one-department visit (two officers).
    """
    extra = extra or {}
    need: dict[str, float] = defaultdict(float)
    for s in subjects:
        outside = extra.get(s.id)
        depts = {items[i] for i in s.due if i != outside}
        for d in depts:
            need[d] += HALF_DAY * (MIN_TEAM if len(depts) == 1 else 1)
        if outside:
            need[items[outside]] += HALF_DAY * MIN_TEAM
    return {d: math.ceil(v * slack / HALF_DAY) * HALF_DAY for d, v in sorted(need.items())}


def sha_county(seed: int = 7) -> Problem:
    rng = random.Random(seed)
    items = _catalogue(15, 45)
    scenarios = _scenarios(rng, items, 7, (5, 7), 2)
    subjects = []
    for n in range(271):
        scenario = scenarios[rng.randrange(len(scenarios))]  # the subject's industry
        due = _due_in(rng, scenario, items, 0.75)
        subjects.append(Subject(f"SHA{n:04d}", f"T{rng.randrange(12):02d}", frozenset(due)))
    return Problem(items, scenarios, subjects, _capacities(subjects, items, 1.5))


def province(seed: int = 11, subjects: int = 100_000, outlier_share: float = 0.006) -> Problem:
    rng = random.Random(seed)
    items = _catalogue(50, 400)
    scenarios = _scenarios(rng, items, 60, (3, 6), 2)
    all_items = sorted(items)
    people = []
    extra: dict[str, str] = {}
    for n in range(subjects):
        scenario = scenarios[rng.randrange(len(scenarios))]
        due = _due_in(rng, scenario, items, 0.7)
        if rng.random() < outlier_share:
            extra[f"P{n:06d}"] = rng.choice([i for i in all_items if i not in scenario.items])
            due.add(extra[f"P{n:06d}"])
        people.append(Subject(f"P{n:06d}", f"T{rng.randrange(300):03d}", frozenset(due)))
    return Problem(items, scenarios, people, _capacities(people, items, 1.1, extra))
