"""Generate one county from a plan: the one generator behind the demo county and the province.

`generate_county` writes rows only; it runs inside the caller's transaction, and the caller writes the
single record event of the whole generation (`record_generation`).
"""

from __future__ import annotations

from typing import Any

from zhifa.core.record import ObjectRef, record_event
from zhifa.org.generate.grid import build_grid
from zhifa.org.generate.people import build_people
from zhifa.org.generate.plan import GEOMETRY_STYLES, CountyPlan, Shared
from zhifa.org.generate.structure import County, build_regions, build_structure, build_zones
from zhifa.org.models import NumberTemplate
from zhifa.org.numbering_format import validate_template


def generate_county(plan: CountyPlan, shared: Shared) -> County:
    """Write the county of `plan`: regions, structure, people with certificates, zones and the grid."""
    if plan.geometry not in GEOMETRY_STYLES:
        raise ValueError(f"geometry must be one of {GEOMETRY_STYLES}, not {plan.geometry!r}")
    if any(t.officers < 2 or not t.zone_grids for t in plan.townships):
        raise ValueError("every township needs a team leader, a legal reviewer and at least one community")
    region, shape, townships = build_regions(plan, shared)
    departments, department_agencies, center = build_structure(plan, shared, region, townships)
    county = County(
        plan=plan,
        region=region,
        shape=shape,
        townships=townships,
        departments=departments,
        department_agencies=department_agencies,
        command_center=center,
    )
    build_people(county, shared)
    build_zones(county, shared)
    build_grid(county, shared)
    if plan.extras:
        build_number_templates(county, shared)
    return county


# Provinces differ in their document numbers (issue 2 point 8): a few agencies set their own.
TEMPLATES = (
    ("township", "penalty_decision", "{agency}罚决字〔{year}〕第{seq}号"),
    ("township", "notice_of_intended_penalty", "{agency}罚告字〔{year}〕第{seq}号"),
    ("township", "on_the_spot", "{agency}当罚字〔{year}〕第{seq}号"),
    ("市监", "penalty_decision", "{agency}市监罚字〔{year}〕第{seq}号"),
    ("城管", "penalty_decision", "{agency}城管罚决〔{year}〕{seq}号"),
)


def build_number_templates(county: County, shared: Shared) -> None:
    rows = []
    for owner, doc_type, template in TEMPLATES:
        if owner == "township":
            agencies = [t.agency for t in county.townships[:2]]
        else:
            agencies = [county.department_agencies[county.department(owner)]]
        rows += [
            NumberTemplate(agency=a, doc_type=doc_type, template=validate_template(template))
            for a in agencies
        ]
    NumberTemplate.objects.bulk_create(rows)
    shared.counts[NumberTemplate._meta.label_lower] += len(rows)


def record_generation(
    *, actor: Any, adcode: str, label: str, shared: Shared, extra: dict | None = None
) -> None:
    """The one record event of a generation: every change of state is on the record (issue 2 point 6)."""
    after = {
        "counts": dict(sorted(shared.counts.items())),
        "today": shared.today.isoformat(),
        **(extra or {}),
    }
    record_event(
        actor=actor, action="region.generate", obj=ObjectRef("org.generate", adcode, label), after=after
    )
