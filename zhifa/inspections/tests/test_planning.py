"""Joint inspection plan (issue 7 point 5): pure planning tests, no database."""

from __future__ import annotations

from zhifa.inspections.planning import HALF_DAY, Problem, Scenario, Subject, generate, plan

ITEMS = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "d1": "D"}


def subject(sid: str, *due: str) -> Subject:
    return Subject(sid, "T1", frozenset(due))


def test_one_scenario_one_visit_and_baseline():
    problem = Problem(
        ITEMS, [Scenario("S1", frozenset({"a1", "b1", "c1"}))], [subject("x", "a1", "b1", "c1")]
    )
    result = plan(problem)
    assert result.visit_count == result.lower_bound == 1
    assert result.baseline_visits == 3
    assert result.baseline_officer_days == 3 * 2 * HALF_DAY
    (visit,) = result.visits
    assert visit.bundle == "S1" and visit.departments == ("A", "B", "C") and visit.team_size == 3
    assert result.officer_days == 1.5
    assert result.status == "optimal"


def test_due_items_over_two_scenarios_need_two_visits():
    scenarios = [Scenario("S1", frozenset({"a1", "b1"})), Scenario("S2", frozenset({"c1", "d1"}))]
    result = plan(Problem(ITEMS, scenarios, [subject("x", "a1", "b1", "c1", "d1"), subject("y")]))
    assert result.lower_bound == 1  # y has nothing due
    assert result.visit_count == 2
    assert sorted(v.bundle for v in result.visits) == ["S1", "S2"]
    assert result.baseline_visits == 4


def test_item_in_no_scenario_gets_a_department_visit_of_two_officers():
    """APL Art. 42: even a one-department visit has two officers, both charged to the department."""
    problem = Problem(ITEMS, [Scenario("S1", frozenset({"a1", "b1"}))], [subject("x", "a1", "b1", "d1")])
    result = plan(problem)
    assert result.visit_count == 2
    dept_visit = next(v for v in result.visits if v.bundle == "dept:D")
    assert dept_visit.items == ("d1",) and dept_visit.team_size == 2
    assert all(v.team_size >= 2 for v in result.visits)
    assert result.usage["D"].used == 1.0
    assert result.usage["A"].used == 0.5


def test_same_department_items_share_one_visit():
    result = plan(Problem(ITEMS, [], [subject("x", "a1", "a2")]))
    assert result.visit_count == 1 and result.baseline_visits == 1
    assert result.visits[0].items == ("a1", "a2")


def _overlap_problem(capacities: dict[str, float], count: int = 1) -> Problem:
    # a1 lies in both scenarios: two visits either way, and either B or C goes alone (two officers).
    scenarios = [Scenario("S1", frozenset({"a1", "b1"})), Scenario("S2", frozenset({"a1", "c1"}))]
    subjects = [subject(f"x{n}", "a1", "b1", "c1") for n in range(count)]
    return Problem(ITEMS, scenarios, subjects, capacities)


def _alone(result) -> list[str]:
    return sorted(v.departments[0] for v in result.visits if len(v.departments) == 1)


def test_cp_sat_picks_the_cover_that_fits_capacity():
    tight_b = plan(_overlap_problem({"A": 5, "B": 0.5, "C": 5}))
    assert tight_b.status == "optimal" and tight_b.visit_count == 2
    assert _alone(tight_b) == ["C"]
    tight_c = plan(_overlap_problem({"A": 5, "B": 5, "C": 0.5}))
    assert _alone(tight_c) == ["B"]
    mixed = plan(_overlap_problem({"A": 5, "B": 1.5, "C": 1.5}, count=2))
    assert mixed.status == "optimal" and mixed.visit_count == 4
    assert _alone(mixed) == ["B", "C"]
    assert mixed.usage["B"].used == 1.5 and mixed.usage["C"].used == 1.5


def test_capacity_infeasibility_is_reported_with_the_shortage():
    result = plan(_overlap_problem({"A": 5, "B": 0.5, "C": 0.5}))
    assert result.status == "infeasible"
    assert sum(result.shortages.values()) == 0.5
    assert set(result.shortages) <= {"B", "C"}
    assert result.visit_count == 2  # the plan is still returned
    short = next(iter(result.shortages))
    assert result.usage[short].short == 0.5


def test_identical_due_sets_share_one_class():
    result = plan(
        Problem(ITEMS, [Scenario("S1", frozenset(ITEMS))], [subject(f"x{n}", "a1", "c1") for n in range(50)])
    )
    assert result.visit_count == result.lower_bound == 50
    assert result.officer_days == 50 * 2 * HALF_DAY


def test_sha_county_reaches_the_bound_with_72_percent_fewer_visits():
    problem = generate.sha_county()
    assert len(problem.subjects) == 271 and len(problem.items) == 45 and len(problem.scenarios) == 7
    assert len(set(problem.items.values())) == 15
    result = plan(problem)
    assert result.visit_count == result.lower_bound == 271
    assert result.reduction >= 0.72
    assert result.officer_days < result.baseline_officer_days
    assert result.status == "optimal"
    assert all(v.team_size >= 2 for v in result.visits)


def test_generators_are_deterministic():
    assert generate.sha_county(3).subjects == generate.sha_county(3).subjects
    small = generate.province(subjects=2000)
    assert small.subjects == generate.province(subjects=2000).subjects
    result = plan(small)
    assert result.status == "optimal"
    assert result.visit_count <= result.lower_bound * 1.02
