"""Joint inspection plan (issue 7 point 5): fewest visits per subject, department capacities respected.

Model
-----
Input (`model.Problem`): subjects, each in a township with the set of items due this period; items, each
belonging to one department; scenarios, bundles of items a joint team checks in one visit; capacities,
officer-days per department for the period.

A visit checks the subject's due items lying in one scenario (any part of them), or, for items in no
scenario, one department's items alone. Team size = max(2, departments among its items): APL Art. 42
requires at least two officers; a joint visit sends one officer per department checked. Every member
spends HALF_DAY (0.5 officer-day, `model.HALF_DAY`) on a visit; a one-department visit charges both
officers to that department.

Stage 1 (`solver.minimum_covers`): per subject, a minimum set cover of its due items by bundles
(scenario bundles intersected with the due set, plus one-department bundles as fallback). It is exact:
bundles contained in another are dropped (a visit may check part of its bundle), then covers are
enumerated by size 1, 2, ... and the first size with a cover is the minimum. No solver is needed: a due
set holds a handful of items and touches a handful of bundles, so the enumeration is a few dozen
combinations, and it is memoised by due-set signature (subjects with the same due set share one
answer). Ties (same visit count) are ordered by officer-days; up to MAX_ALTERNATIVES covers with
distinct department usage are kept for stage 2.

Stage 2 (`solver._stage2`): department capacities with OR-Tools CP-SAT over aggregated classes (subjects
grouped by signature): integer x[c, a] = subjects of class c using alternative cover a, sum_a x = class
size, per department sum(half-days x) <= capacity + shortage, minimise (shortage first, weighted) then
officer-days. CP-SAT because the choice is an integer programme with hard capacity constraints; CP-SAT is
exact (proves optimality or reports the status), handles integer capacities natively, and the aggregated
model has one variable per (class, alternative) instead of per subject, so it stays small (thousands of
variables for 100,000 subjects) and solves in seconds. When capacities cannot be met the result is
"infeasible" with the officer-days missing per department (`PlanResult.shortages`).

Visit counts never depend on stage 2: every alternative has the minimum count, so the plan reaches the
lower bound (subjects with due items) whenever every subject's due items lie in one scenario. The
baseline is the status quo: each department visits each subject for its own items, one visit per
(subject, department), two officers x HALF_DAY each (APL Art. 42).
"""

from .model import HALF_DAY, MIN_TEAM, DepartmentUsage, PlanResult, Problem, Scenario, Subject, Visit
from .solver import plan

__all__ = [
    "HALF_DAY",
    "MIN_TEAM",
    "DepartmentUsage",
    "PlanResult",
    "Problem",
    "Scenario",
    "Subject",
    "Visit",
    "plan",
]
