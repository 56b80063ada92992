"""The two stages of the joint plan (see the package docstring): exact covers, then CP-SAT capacities."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations, product

from ortools.sat.python import cp_model

from .model import HALF_DAY, MIN_TEAM, DepartmentUsage, PlanResult, Problem, Subject, Visit

# Alternatives (equal visit count) kept per due-set signature for stage 2, cheapest first.
MAX_ALTERNATIVES = 4
SOLVER_SECONDS = 30.0
# Item-to-bundle assignments tried per combination of bundles before falling back to one greedy way.
MAX_PARTITIONS = 64
# Half-days of shortage weigh more than any officer-day saving: capacities first, cost second.
SHORTAGE_WEIGHT = 10**6


@dataclass(frozen=True)
class Cover:
    """A cover of one due set: (bundle, items, departments) per visit; usage in half-days per department."""

    parts: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    half_days: tuple[tuple[str, int], ...]

    @property
    def cost(self) -> int:
        return sum(h for _d, h in self.half_days)


def team_size(departments: Iterable[str]) -> int:
    """APL Art. 42: at least two officers; otherwise one officer per department checked."""
    return max(MIN_TEAM, len(set(departments)))


def _usage(departments: tuple[str, ...]) -> dict[str, int]:
    """Half-days each department spends on a visit: one officer per department, a one-department visit
    sends both officers (APL Art. 42) from that department."""
    if len(departments) == 1:
        return {departments[0]: MIN_TEAM}
    return dict.fromkeys(departments, 1)


def candidate_bundles(
    due: frozenset[str], problem: Problem, scenario_index: dict[str, list[str]]
) -> list[tuple[str, frozenset[str]]]:
    """Scenario bundles intersected with `due`, plus one-department bundles; dominated ones dropped.

    A visit may check any part of its bundle, so a bundle contained in another is never needed for a
    minimum cover (the larger one can check the same items).
    """
    found: dict[frozenset, str] = {}
    parts: dict[str, set[str]] = defaultdict(set)
    for item in due:
        for code in scenario_index.get(item, ()):
            parts[code].add(item)
    for code in sorted(parts):
        found.setdefault(frozenset(parts[code]), code)
    by_dept: dict[str, set[str]] = defaultdict(set)
    for item in due:
        by_dept[problem.items[item]].add(item)
    for dept, its in sorted(by_dept.items()):
        found.setdefault(frozenset(its), f"dept:{dept}")
    bundles = sorted(found.items(), key=lambda kv: (-len(kv[0]), kv[1]))
    kept: list[tuple[str, frozenset]] = []
    for items, code in bundles:
        if not any(items <= other for _c, other in kept):
            kept.append((code, items))
    return kept


def _build(chosen, assignment: dict[str, int], items: dict[str, str]) -> Cover:
    assigned: list[list[str]] = [[] for _ in chosen]
    for item, index in assignment.items():
        assigned[index].append(item)
    parts = []
    half_days: dict[str, int] = defaultdict(int)
    for (code, _b), its in zip(chosen, assigned, strict=True):
        if its:
            dtuple = tuple(sorted({items[i] for i in its}))
            parts.append((code, tuple(sorted(its)), dtuple))
            for d, h in _usage(dtuple).items():
                half_days[d] += h
    return Cover(tuple(parts), tuple(sorted(half_days.items())))


def _partitions(chosen: tuple[tuple[str, frozenset], ...], due: frozenset[str], items: dict[str, str]):
    """Ways to give each item to one chosen bundle holding it (each checked once). Every way when there
    are at most MAX_PARTITIONS, else one: an item goes to a bundle its department already visits."""
    holders = {item: [i for i, (_c, b) in enumerate(chosen) if item in b] for item in sorted(due)}
    shared = [item for item, hs in holders.items() if len(hs) > 1]
    fixed = {item: hs[0] for item, hs in holders.items() if len(hs) == 1}
    if math.prod(len(holders[i]) for i in shared) <= MAX_PARTITIONS:
        for picks in product(*(holders[i] for i in shared)):
            yield _build(chosen, {**fixed, **dict(zip(shared, picks, strict=True))}, items)
        return
    depts: list[set[str]] = [set() for _ in chosen]
    for item, index in fixed.items():
        depts[index].add(items[item])
    assignment = dict(fixed)
    for item in shared:
        index = next((i for i in holders[item] if items[item] in depts[i]), holders[item][0])
        assignment[item] = index
        depts[index].add(items[item])
    yield _build(chosen, assignment, items)


def minimum_covers(
    due: frozenset[str], problem: Problem, scenario_index: dict[str, list[str]]
) -> list[Cover]:
    """Stage 1, exact: every cover with the fewest visits (enumerated by size, dominated bundles gone),
    distinct department usages, cheapest first, at most MAX_ALTERNATIVES."""
    bundles = candidate_bundles(due, problem, scenario_index)
    for k in range(1, len(bundles) + 1):
        covers: dict[tuple, Cover] = {}
        for chosen in combinations(bundles, k):
            if frozenset().union(*(b for _c, b in chosen)) >= due:
                for cover in _partitions(chosen, due, problem.items):
                    if len(cover.parts) == k:
                        covers.setdefault(cover.half_days, cover)
        if covers:
            return sorted(covers.values(), key=lambda c: (c.cost, c.parts))[:MAX_ALTERNATIVES]
    return []


def plan(problem: Problem, *, time_limit: float = SOLVER_SECONDS) -> PlanResult:
    """Minimum-visit joint plan of `problem` meeting department capacities (see the package docstring)."""
    started = time.perf_counter()
    scenario_index: dict[str, list[str]] = defaultdict(list)
    for scenario in problem.scenarios:
        for item in scenario.items:
            scenario_index[item].append(scenario.code)
    classes: dict[frozenset[str], list[Subject]] = defaultdict(list)
    for subject in problem.subjects:
        if subject.due:
            classes[subject.due].append(subject)
    signatures = sorted(classes, key=lambda s: tuple(sorted(s)))
    alternatives = {sig: minimum_covers(sig, problem, scenario_index) for sig in signatures}
    choice, status, shortages = _stage2(problem, signatures, classes, alternatives, time_limit)

    visits: list[Visit] = []
    used: dict[str, float] = defaultdict(float)
    for sig in signatures:
        members = sorted(classes[sig], key=lambda s: s.id)
        start = 0
        for alt, count in enumerate(choice[sig]):
            cover = alternatives[sig][alt]
            for subject in members[start : start + count]:
                for code, its, ds in cover.parts:
                    visits.append(Visit(subject.id, code, its, ds, team_size(ds)))
            for d, h in cover.half_days:
                used[d] += h * HALF_DAY * count
            start += count
    departments = sorted(set(problem.items.values()) | set(problem.capacities))
    usage = {d: DepartmentUsage(d, used.get(d, 0.0), problem.capacities.get(d)) for d in departments}
    baseline = sum(len({problem.items[i] for i in s.due}) for s in problem.subjects)
    return PlanResult(
        visits=visits,
        visit_count=len(visits),
        lower_bound=sum(len(v) for v in classes.values()),
        baseline_visits=baseline,
        officer_days=sum(v.officer_days for v in visits),
        baseline_officer_days=baseline * MIN_TEAM * HALF_DAY,
        usage=usage,
        status=status,
        seconds=time.perf_counter() - started,
        shortages=shortages,
    )


def _stage2(problem, signatures, classes, alternatives, time_limit):
    """CP-SAT over classes: x[c, a] subjects of class c use alternative a; department half-days within
    capacity (with shortage slack, weighted first), then fewest officer-days."""
    model = cp_model.CpModel()
    xs: dict[frozenset, list] = {}
    load: dict[str, list] = defaultdict(list)
    cost_terms = []
    for n, sig in enumerate(signatures):
        size = len(classes[sig])
        alts = alternatives[sig]
        if len(alts) == 1:
            xs[sig] = [size]
        else:
            xs[sig] = [model.new_int_var(0, size, f"x{n}_{a}") for a in range(len(alts))]
            model.add(sum(xs[sig]) == size)
        for var, cover in zip(xs[sig], alts, strict=True):
            for d, h in cover.half_days:
                load[d].append(h * var)
            cost_terms.append(cover.cost * var)
    shorts = {}
    for d, capacity in sorted(problem.capacities.items()):
        cap = int(capacity / HALF_DAY + 1e-9)
        total = sum(load.get(d, []))
        if isinstance(total, int) and total <= cap:
            continue
        shorts[d] = model.new_int_var(0, max(0, sum(len(classes[s]) for s in signatures) * 100), f"s_{d}")
        model.add(total - shorts[d] <= cap)
    model.minimize(SHORTAGE_WEIGHT * sum(shorts.values()) + sum(cost_terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 8
    result = solver.solve(model)
    if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT returned {solver.status_name(result)}")
    choice = {sig: [v if isinstance(v, int) else solver.value(v) for v in xs[sig]] for sig in signatures}
    shortages = {d: solver.value(v) * HALF_DAY for d, v in shorts.items() if solver.value(v) > 0}
    status = "infeasible" if shortages else ("optimal" if result == cp_model.OPTIMAL else "feasible")
    return choice, status, shortages
