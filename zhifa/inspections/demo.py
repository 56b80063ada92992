"""The inspection part of the demo county (issue 7): catalogue, subjects, a double-random draw, a joint
plan and visits in every state.

The catalogue (zhifa/inspections/demo_catalogue.py) bundles 16 items of 9 departments into 6
scenarios; 60 subjects sit at points of the grid cells of four townships. The market supervision
bureau's draw is committed and drawn (its visits planned), a joint plan for the quarter is made and
confirmed, and a few visits are worked through: passed, ordered to rectify, with a finding, rated by
the subject. Every write goes through the services the pages call, as the users who would make it.
Idempotent: nothing is done when the county has subjects already. Runs in its own transaction.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape

from zhifa.inspections.demo_catalogue import INDUSTRIES, ITEMS, SCENARIOS, SUBJECT_NAMES
from zhifa.inspections.models import (
    CheckOutcome,
    FrequencyMode,
    Industry,
    InspectionItem,
    RiskLevel,
    Subject,
    SubjectKind,
    Visit,
    VisitResult,
)
from zhifa.inspections.services import catalogue as catalogue_services
from zhifa.inspections.services import draws as draw_services
from zhifa.inspections.services import plans as plan_services
from zhifa.inspections.services import scenarios as scenario_services
from zhifa.inspections.services import visits as visit_services
from zhifa.inspections.services.catalogue import ItemInput
from zhifa.inspections.services.scenarios import ScenarioInput
from zhifa.inspections.services.subjects import SubjectInput, subject_create
from zhifa.org.models import Agency, Department, GridCell, Region, RoleCode
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.services.structure_rules import uscc_check_char
from zhifa.powers.models import PowerItem, PowerType

SEED = 20260701
TOWNSHIPS = 4  # the first four townships of the county get subjects
# Risk level shares of the demo subjects (A is checked every year, the others sampled).
RISK_WEIGHTS = ((RiskLevel.A, 2), (RiskLevel.B, 4), (RiskLevel.C, 3), (RiskLevel.D, 1))
RULES = {
    RiskLevel.A: (FrequencyMode.EVERY, Decimal("1"), Decimal("1")),
    RiskLevel.B: (FrequencyMode.SAMPLE, Decimal("0.5"), Decimal("0.3")),
    RiskLevel.C: (FrequencyMode.SAMPLE, Decimal("0.2"), Decimal("0.1")),
    RiskLevel.D: (FrequencyMode.SAMPLE, Decimal("0.05"), Decimal("0.03")),
}


@dataclass
class InspectionDemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _leader_of(agency: Agency) -> Any:
    """A team leader (else an administrator) of the agency, else the demo superuser."""
    users = get_user_model().objects.filter(person__agency=agency, is_active=True)
    for role in (RoleCode.TEAM_LEADER, RoleCode.ADMIN):
        user = users.filter(person__roles__code=role).order_by("id").first()
        if user is not None:
            return user
    return _user("demo_superuser")


def _uscc(n: int, kind: str) -> str:
    body = f"{'92' if kind == SubjectKind.INDIVIDUAL else '91'}350499{n:09d}"
    return body + uscc_check_char(body)


def _catalogue(county: Region, counts: Counter) -> dict[str, InspectionItem]:
    """Industries, items with checklists and frequency rules, and scenarios (seed 002's shape), made
    through the catalogue services by the county administrator so that each write records its event."""
    admin = _user("demo_admin") or _user("demo_superuser")
    industries = {
        code: Industry.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in INDUSTRIES
    }
    departments = {
        domain.code: department
        for department in Department.objects.filter(region=county).prefetch_related("domains")
        for domain in department.domains.all()
    }
    powers = {p.code: p for p in PowerItem.objects.filter(code__in=[spec[3] for spec in ITEMS if spec[3]])}
    rules = [
        {"risk_level": level, "mode": mode, "ratio": ratio, "floor": floor}
        for level, (mode, ratio, floor) in RULES.items()
    ]
    # An item without an inspection power of its own is linked to the penalty items it checks.
    penalties: dict[str, list[PowerItem]] = {}
    for penalty in (
        PowerItem.objects.filter(power_type=PowerType.PENALTY, is_active=True)
        .select_related("domain")
        .order_by("code")
    ):
        penalties.setdefault(penalty.domain.code, []).append(penalty)
    items: dict[str, InspectionItem] = {}
    for code, name, domain_code, power_code, industry_codes, checklist, minutes in ITEMS:
        department = departments[domain_code]
        power = powers.get(power_code)
        checks = [] if power is not None else penalties.get(domain_code, [])[:2]
        items[code] = catalogue_services.item_create(
            actor=admin,
            data=ItemInput(
                code=f"{county.adcode[:6]}-{code}",
                name=name,
                department=department,
                power_item=power,
                checks=checks,
                domain=power.domain if power is not None else department.domains.first(),
                industries=[industries[c] for c in industry_codes],
                checklist=[{"point": point, "basis": basis} for point, basis in checklist],
                minutes=minutes,
            ),
            rules=rules,
        )
        counts["items"] += 1
    # A scenario bundles every item that applies to its industries, as Sha County's scenarios do (seed
    # 002), so that a subject's due items fit one visit and the joint plan meets the lower bound.
    applies = {spec[0]: set(spec[4]) for spec in ITEMS}
    for code, name, lead, industry_codes, listed in SCENARIOS:
        item_codes = list(
            dict.fromkeys([*listed, *(c for c, ind in applies.items() if ind & set(industry_codes))])
        )
        scenario_services.scenario_create(
            actor=admin,
            county=county,
            data=ScenarioInput(
                code=code,
                name=name,
                industries=[industries[c] for c in industry_codes],
                items=[items[c] for c in item_codes],
                lead_department=departments[lead],
            ),
        )
        counts["scenarios"] += 1
    return items


def _plan(county: Region, counts: Counter) -> None:
    """The county's joint plan for the coming quarter, computed and confirmed by the administrator
    (its visits are then planned for the joint teams)."""
    admin = _user("demo_admin") or _user("demo_superuser")
    start = timezone.localdate() + datetime.timedelta(days=1)
    plan = plan_services.plan_create(
        actor=admin,
        title=f"{start.year}年第{(start.month - 1) // 3 + 1}季度“综合查一次”联合检查计划",
        region=county,
        period_start=start,
        period_end=start + datetime.timedelta(days=89),
        seed=str(SEED),
    )
    plan = plan_services.plan_confirm(actor=admin, plan=plan, version=plan.version)
    counts["plans"] += 1
    counts["visits"] += plan.visits.count()


def _subjects(county: Region, rng: random.Random, counts: Counter) -> list[Subject]:
    """60 subjects at points of the grid cells of the first townships, made by the county administrator."""
    admin = _user("demo_admin") or _user("demo_superuser")
    townships = list(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS).order_by("adcode"))
    industries = {i.code: i for i in Industry.objects.all()}
    subjects: list[Subject] = []
    n = 0
    for township in townships[:TOWNSHIPS]:
        # Spread over the township's finest cells (the micro grids of its communities), not one point.
        in_township = GridCell.objects.filter(Q(region=township) | Q(region__parent=township)).exclude(
            geometry=None
        )
        finest = in_township.order_by("-level").values_list("level", flat=True).first()
        cells = list(in_township.filter(level=finest).order_by("code")) if finest is not None else []
        for industry_code, stems in SUBJECT_NAMES.items():
            for stem in stems[: 3 if len(stems) > 3 else len(stems)]:
                n += 1
                kind = SubjectKind.INDIVIDUAL if stem.endswith(("店", "馆")) else SubjectKind.ENTERPRISE
                point = shape(rng.choice(cells).geometry).representative_point() if cells else None
                levels, weights = zip(*RISK_WEIGHTS, strict=True)
                subject = subject_create(
                    actor=admin,
                    data=SubjectInput(
                        uscc=_uscc(n, kind),
                        name=f"{county.name[:2]}{township.name[:2]}{stem}",
                        kind=kind,
                        address=f"{township.name}{rng.randint(1, 200)}号",
                        industry=industries[industry_code],
                        risk_level=rng.choices(levels, weights)[0],
                        township=township,
                        lng=round(point.x, 6) if point is not None else None,
                        lat=round(point.y, 6) if point is not None else None,
                        contact_name=f"{'王李张陈林黄'[n % 6]}先生",
                        contact_phone=f"1390599{n:04d}",
                    ),
                )
                subjects.append(subject)
                counts["subjects"] += 1
    return subjects


def _draw(county: Region, items: dict[str, InspectionItem], counts: Counter) -> None:
    """The market supervision bureau's quarterly draw on food and prices: committed and drawn."""
    agency = Agency.objects.filter(department__region=county, department__domains__code="market").first()
    if agency is None:
        return
    leader = _leader_of(agency)
    today = timezone.localdate()
    draw = draw_services.draw_create(
        actor=leader,
        title=f"{today.year}年第{(today.month - 1) // 3 + 1}季度食品经营与价格双随机抽查",
        agency=agency,
        region=county,
        period_start=today,
        period_end=today + datetime.timedelta(days=60),
        items=[items["SJ-01"], items["SJ-02"]],
        # Risk levels B and C are sampled; A is checked every year by the joint plan (frequency rules).
        subject_filter={"risk_levels": [RiskLevel.B, RiskLevel.C]},
        ratio=Decimal("0.5"),
    )
    draw = draw_services.draw_commit(actor=leader, draw=draw, version=draw.version)
    draw = draw_services.draw_run(actor=leader, draw=draw, version=draw.version)
    counts["draws"] += 1
    counts["visits"] += draw.visits.count()
    _work_visits(list(draw.visits.order_by("id")[:3]), counts)


def _work_visits(visits: list[Visit], counts: Counter) -> None:
    """Work a few drawn visits through: one passed and rated, one ordered to rectify, one under way."""
    results = [(VisitResult.PASS, None), (VisitResult.RECTIFY, 15), (None, None)]
    for visit, (result, days) in zip(visits, results, strict=False):
        inspector = visit.inspectors.select_related("person__user").first().person.user
        visit = visit_services.visit_start(actor=inspector, visit=visit, version=visit.version)
        for item in visit.items.all():
            for point, _entry in enumerate(item.checklist):
                outcome = (
                    CheckOutcome.PROBLEM if result == VisitResult.RECTIFY and point == 0 else CheckOutcome.OK
                )
                visit_services.visit_check(
                    actor=inspector, visit=visit, item=item, point=point, outcome=outcome
                )
        if result == VisitResult.RECTIFY:
            item = visit.items.first()
            visit_services.finding_add(
                actor=inspector, visit=visit, item=item, text="从业人员健康证明过期，未及时办理。"
            )
            counts["findings"] += 1
        if result is None:
            continue
        visit.refresh_from_db()
        rectify_by = timezone.localdate() + datetime.timedelta(days=days) if days else None
        visit = visit_services.visit_finish(
            actor=inspector, visit=visit, result=result, rectify_by=rectify_by, version=visit.version
        )
        counts["done"] += 1
        if result == VisitResult.PASS:
            visit_services.visit_rate_public(
                code=visit.code, rating=5, comment="检查人员出示证件，讲解清楚。"
            )


def load_inspection_demo(county: Region) -> InspectionDemoResult:
    """Give the demo county its inspection catalogue, subjects, draw, plan and visits; once."""
    if Subject.objects.filter(township__adcode__startswith=county.prefix).exists():
        return InspectionDemoResult(False)
    counts: Counter = Counter()
    rng = random.Random(SEED)
    with transaction.atomic():
        items = _catalogue(county, counts)
        _subjects(county, rng, counts)
        _draw(county, items, counts)
        _plan(county, counts)
    return InspectionDemoResult(True, dict(counts))
