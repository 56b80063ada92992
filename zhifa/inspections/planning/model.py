"""Data of the joint inspection plan (issue 7 point 5): the input problem and the PlanResult.

See zhifa/inspections/planning/__init__.py for the model and the method.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Every officer on a visit spends half a working day on it (travel + the inspection itself): the unit of
# officer-days. A constant of the model, not a rule of law; change it here if the county measures otherwise.
HALF_DAY = 0.5
# APL Art. 42: an administrative inspection is carried out by at least two officers holding certificates.
MIN_TEAM = 2


@dataclass(frozen=True)
class Scenario:
    """A bundle of items a joint team checks in one visit ("一件事" joint inspection scenario)."""

    code: str
    items: frozenset[str]


@dataclass(frozen=True)
class Subject:
    """An inspected subject (enterprise, shop...) in a township, with the items due this period."""

    id: str
    township: str
    due: frozenset[str]


@dataclass
class Problem:
    """items: item code -> department code; capacities: department -> officer-days for the period."""

    items: dict[str, str]
    scenarios: list[Scenario]
    subjects: list[Subject]
    capacities: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Visit:
    """One visit: `bundle` is the scenario code, or "dept:<department>" for a one-department visit."""

    subject: str
    bundle: str
    items: tuple[str, ...]
    departments: tuple[str, ...]
    team_size: int

    @property
    def officer_days(self) -> float:
        return self.team_size * HALF_DAY


@dataclass(frozen=True)
class DepartmentUsage:
    department: str
    used: float
    capacity: float | None

    @property
    def short(self) -> float:
        """Officer-days missing (0 when the capacity suffices or is not given)."""
        return 0.0 if self.capacity is None else max(0.0, self.used - self.capacity)


@dataclass
class PlanResult:
    """The joint plan and its comparison with the status quo (one visit per subject and department).

    status: "optimal" (capacities met, officer-days minimal among minimum-visit plans), "feasible"
    (capacities met, solver stopped before proving minimality) or "infeasible" (`shortages` gives the
    officer-days missing per department, for the least-shortage plan returned).
    """

    visits: list[Visit]
    visit_count: int
    lower_bound: int
    baseline_visits: int
    officer_days: float
    baseline_officer_days: float
    usage: dict[str, DepartmentUsage]
    status: str
    seconds: float
    shortages: dict[str, float] = field(default_factory=dict)

    @property
    def ratio_to_bound(self) -> float:
        return self.visit_count / self.lower_bound if self.lower_bound else 1.0

    @property
    def reduction(self) -> float:
        """Share of visits saved against the per-department baseline."""
        return 1 - self.visit_count / self.baseline_visits if self.baseline_visits else 0.0
