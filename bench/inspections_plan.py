"""Benchmark: the joint inspection plan (issue 7 point 5; zhifa/inspections/planning).

Pure computation, no database: Django is configured only so that result entries carry the database
label like every other benchmark (nothing is created or migrated).

Two deterministic instances (zhifa/inspections/planning/generate.py):

- Sha County: 271 subjects, 15 departments, 45 items, 7 scenarios, each subject's due items in the
  scenario of its industry. Target: visits == lower bound (subjects with due items) and >= 72% fewer
  visits than the status quo (one visit per subject and department).
- Province: 100,000 subjects (times BENCH_SCALE), 50 departments, 400 items, 60 scenarios, department
  capacities, under 1% of subjects with an item outside their scenario. Target: plan time < 60 s and
  visits within 1% of the lower bound.

Measured per instance: plan time, visits, lower bound, ratio visits / lower bound, baseline visits,
reduction, officer-days (baseline: two officers x half a day per baseline visit, APL Art. 42).
Exit status 1 when a target is missed or capacities are not met.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, metric, scaled, write_result

NAME = "inspections_plan"
SHA_REDUCTION = 0.72
PROVINCE_SECONDS = 60.0
PROVINCE_RATIO = 1.01


def measure(label: str, result) -> list[dict]:
    return [
        metric(f"{label}: plan time", result.seconds, "s"),
        metric(f"{label}: visits", result.visit_count, "visits", result.lower_bound),
        metric(f"{label}: lower bound (subjects with due items)", result.lower_bound, "visits"),
        metric(f"{label}: visits / lower bound", result.ratio_to_bound, "ratio"),
        metric(f"{label}: baseline visits (per department)", result.baseline_visits, "visits"),
        metric(f"{label}: reduction against baseline", result.reduction, "share"),
        metric(f"{label}: officer-days", result.officer_days, "days", result.baseline_officer_days),
        metric(
            f"{label}: departments short of capacity",
            sum(1 for u in result.usage.values() if u.short > 0),
            "departments",
        ),
    ]


def main() -> int:
    django_setup(NAME)
    from zhifa.inspections.planning import generate, plan

    sha = plan(generate.sha_county())
    province = plan(generate.province(subjects=scaled(100_000, minimum=1000)))
    write_result(NAME, measure("Sha County", sha) + measure("province", province))
    failures = []
    if sha.visit_count != sha.lower_bound:
        failures.append(f"Sha County: {sha.visit_count} visits, lower bound {sha.lower_bound}")
    if sha.reduction < SHA_REDUCTION:
        failures.append(f"Sha County: reduction {sha.reduction:.1%} < {SHA_REDUCTION:.0%}")
    if province.seconds >= PROVINCE_SECONDS:
        failures.append(f"province: {province.seconds:.1f} s >= {PROVINCE_SECONDS:.0f} s")
    if province.ratio_to_bound > PROVINCE_RATIO:
        failures.append(f"province: visits / bound {province.ratio_to_bound:.4f} > {PROVINCE_RATIO}")
    for label, result in (("Sha County", sha), ("province", province)):
        if result.status == "infeasible":
            failures.append(f"{label}: capacities not met {result.shortages}")
    for line in failures:
        print(f"FAILED: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
