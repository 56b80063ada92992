"""Joint inspection plans (综合查一次, issue 7 point 5): create (solve), confirm (create visits), cancel.

Who: policies.can_plan (zone leaders, county administrators, the justice bureau). Each write runs in one
transaction and writes one record event; confirm and cancel refuse a stale `version` (CONFLICT).

create: the items due for each active subject of the region (zhifa.inspections.due, reproducible from
the plan's seed) and the county's active scenarios form a `planning.Problem`; the solver returns the
fewest visits per subject meeting department capacities (see zhifa/inspections/planning). The summary
keeps the counts (visits, lower bound, per-department baseline, reduction, officer-days, usage against
capacity) and the proposed visits, so the plan can be reviewed before anything is scheduled.

confirm: one Visit per proposed visit, on a working day of the period (zhifa.core.calendar), with a
team from the departments' agencies: one officer per department of a joint visit and two for a
one-department visit (APL Art. 42: at least two officers), each holding a certificate valid on the day
for the domains of their department's items on the visit, never a person who declared a conflict with
the subject (APL Art. 43), the least loaded first.
"""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.calendar import is_working_day
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.inspections import planning
from zhifa.inspections.models import (
    InspectionItem,
    InspectorConflict,
    JointPlan,
    PlanState,
    Scenario,
    Subject,
    Visit,
    VisitInspector,
    VisitState,
)
from zhifa.inspections.plan_inputs import plan_inputs
from zhifa.inspections.policies import can_plan
from zhifa.inspections.selectors.plans import county_of, plan_departments
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.org.enforcement import certificate_valid_on
from zhifa.org.models import Agency, Certificate, Department, Person, PersonStatus, Region, RegionLevel

MAX_PERIOD_DAYS = 366
MAX_CAPACITY = Decimal("100000")
DUE_ALGORITHM = "sha256(seed|item|uscc)<ratio"


def _refuse(message: str, field: str | None = None, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=field)


def _clean_capacities(raw: dict[Any, Any], departments: list[Department]) -> dict[str, float]:
    """{department id: officer-days}; empty values mean "not limited"; unknown departments refused."""
    known = {str(d.pk): d for d in departments}
    cleaned: dict[str, float] = {}
    for key, value in (raw or {}).items():
        if str(key) not in known:
            raise _refuse(_("人力填写的部门不属于本县或没有检查事项。"), "capacities")
        if value is None or str(value).strip() == "":
            continue
        try:
            days = Decimal(str(value).strip())
        except InvalidOperation:
            days = Decimal("-1")
        if not days.is_finite() or days < 0 or days > MAX_CAPACITY:
            raise _refuse(
                _("%(department)s的人力须为0至100000之间的人·日数。") % {"department": known[str(key)].name},
                f"capacity_{key}",
            )
        cleaned[str(key)] = float(days)
    return cleaned


def plan_create(
    *,
    actor: Any,
    title: str,
    region: Region,
    period_start: datetime.date,
    period_end: datetime.date,
    capacities: dict[Any, Any] | None = None,
    seed: str | None = None,
) -> JointPlan:
    """Compute the due items, solve the joint plan and store it as a draft with its summary."""
    if not can_plan(actor, region):
        raise _refuse(_("无权为该范围编制联合检查计划。"), code=ErrorCode.NOT_ALLOWED)
    title = (title or "").strip()
    if not title:
        raise _refuse(_("请填写计划名称。"), "title", ErrorCode.REQUIRED)
    if len(title) > 200:
        raise _refuse(_("计划名称最多200字。"), "title")
    if region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET):
        raise _refuse(_("计划范围须为县（区）或乡镇（街道）。"), "region")
    if period_start is None or period_end is None:
        raise _refuse(_("请填写计划期间。"), "period_start", ErrorCode.REQUIRED)
    if period_end < period_start:
        raise _refuse(_("期间止不能早于期间起。"), "period_end")
    if (period_end - period_start).days >= MAX_PERIOD_DAYS:
        raise _refuse(_("计划期间不能超过一年。"), "period_end")
    departments = plan_departments(county_of(region))
    cleaned = _clean_capacities(capacities or {}, departments)
    seed = (seed or secrets.token_hex(16))[:64]
    inputs = plan_inputs(region, seed, cleaned)
    if not inputs.problem.subjects:
        raise _refuse(_("该范围在本期间内没有到期的检查事项，无需编制计划。"), "region")
    problem = inputs.problem
    result = planning.plan(problem)
    summary = {**_summary(result, departments, inputs.subjects, inputs.pairs), "inputs": inputs.digest}
    with transaction.atomic():
        plan = JointPlan.objects.create(
            title=title,
            region=region,
            period_start=period_start,
            period_end=period_end,
            seed=seed,
            capacities=cleaned,
            summary=summary,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(
            actor=actor,
            action="inspections.plan.create",
            obj=plan,
            after={
                "title": title,
                "region": region.adcode,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "seed": seed,
                "capacities": cleaned,
                **{k: v for k, v in summary.items() if k != "proposed"},
            },
        )
    return plan


def _summary(result: planning.PlanResult, departments: list[Department], subjects: int, pairs: int) -> dict:
    names = {str(d.pk): d.name for d in departments}
    usage = [
        {
            "department": int(code),
            "name": names.get(code, code),
            "used": u.used,
            "capacity": u.capacity,
            "short": u.short,
        }
        for code, u in sorted(result.usage.items(), key=lambda kv: names.get(kv[0], kv[0]))
    ]
    proposed = [
        {
            "subject": int(v.subject),
            "scenario": None if v.bundle.startswith("dept:") else int(v.bundle),
            "departments": [int(d) for d in v.departments],
            "items": [int(i) for i in v.items],
            "team": v.team_size,
        }
        for v in result.visits
    ]
    return {
        "visits": result.visit_count,
        "lower_bound": result.lower_bound,
        "baseline_visits": result.baseline_visits,
        "reduction": round(result.reduction, 4),
        "officer_days": result.officer_days,
        "baseline_officer_days": result.baseline_officer_days,
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "subjects": subjects,
        "due_subjects": result.lower_bound,
        "due_pairs": pairs,
        "usage": usage,
        "shortages": {names.get(k, k): v for k, v in result.shortages.items()},
        "due_algorithm": DUE_ALGORITHM,
        "proposed": proposed,
    }


def _advance(plan: JointPlan, version: int, allowed: tuple[str, ...], **changes: Any) -> None:
    """Conditional UPDATE on (id, version, state): a stale version is a CONFLICT."""
    if plan.state not in allowed:
        raise _refuse(
            _("计划当前状态为“%(state)s”，不能进行此操作。") % {"state": plan.get_state_display()},
            "state",
            ErrorCode.INVALID_STATE,
        )
    rows = JointPlan.objects.filter(pk=plan.pk, version=version, state__in=allowed).update(
        version=F("version") + 1, **changes
    )
    if rows != 1:
        raise _refuse(_("计划已被他人修改，请刷新后重试。"), "version", ErrorCode.CONFLICT)
    plan.refresh_from_db()


def working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The working days of [start, end] (zhifa.core.calendar: statutory holidays and swaps)."""
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


class _Roster:
    """The inspectors of the departments' agencies, their certificates, recusals and load."""

    def __init__(self, agencies: dict[int, Agency], subject_ids: set[int], period: tuple) -> None:
        persons = list(
            Person.objects.filter(agency__in=list(agencies.values()), status=PersonStatus.ACTIVE).order_by(
                "pk"
            )
        )
        self.by_agency: dict[int, list[Person]] = defaultdict(list)
        for person in persons:
            self.by_agency[person.agency_id].append(person)
        self.certificates: dict[int, list[tuple[Certificate, set[int]]]] = defaultdict(list)
        for cert in (
            Certificate.objects.filter(holder__in=persons)
            .prefetch_related("domains", "status_changes")
            .order_by("number")
        ):
            self.certificates[cert.holder_id].append((cert, {d.pk for d in cert.domains.all()}))
        self.conflicts = set(
            InspectorConflict.objects.filter(subject_id__in=subject_ids).values_list(
                "person_id", "subject_id"
            )
        )
        # Load already planned in the period (other plans, draws) counts too: balance across all work.
        self.load: dict[int, int] = defaultdict(int)
        self.daily: dict[tuple[int, datetime.date], int] = defaultdict(int)
        for row in (
            VisitInspector.objects.filter(person__in=persons, visit__planned_on__range=period)
            .exclude(visit__state=VisitState.CANCELLED)
            .values("person_id", "visit__planned_on")
            .annotate(n=Count("id"))
        ):
            self.load[row["person_id"]] += row["n"]
            self.daily[(row["person_id"], row["visit__planned_on"])] += row["n"]

    def certificate_for(self, person: Person, domains: set[int], day: datetime.date) -> str | None:
        """The number of a certificate of `person` valid on `day` covering all `domains` (APL Art. 42)."""
        for cert, covered in self.certificates.get(person.pk, ()):
            if domains <= covered and certificate_valid_on(cert, day):
                return cert.number
        return None

    def pick(
        self, agency: Agency, domains: set[int], subject_id: int, day: datetime.date, taken: set[int], k: int
    ):
        """The k least-loaded eligible officers of `agency` (that day first, then the period)."""
        eligible = []
        for person in self.by_agency.get(agency.pk, ()):
            if person.pk in taken or (person.pk, subject_id) in self.conflicts:  # APL Art. 43 recusal
                continue
            number = self.certificate_for(person, domains, day)
            if number is not None:
                eligible.append(
                    (self.daily[(person.pk, day)], self.load[person.pk], person.pk, person, number)
                )
        eligible.sort(key=lambda e: e[:3])
        chosen = [TeamMember(person, agency, number) for *_k, person, number in eligible[:k]]
        for member in chosen:
            self.load[member.person.pk] += 1
            self.daily[(member.person.pk, day)] += 1
        return chosen


def plan_confirm(*, actor: Any, plan: JointPlan, version: int) -> JointPlan:
    """draft -> confirmed: create the planned visits with their teams (see the module docstring)."""
    if not can_plan(actor, plan.region):
        raise _refuse(_("无权确定该联合检查计划。"), code=ErrorCode.NOT_ALLOWED)
    with transaction.atomic():
        plan = JointPlan.objects.select_for_update().select_related("region").get(pk=plan.pk)
        _advance(plan, version, (PlanState.DRAFT,), state=PlanState.CONFIRMED, confirmed_at=timezone.now())
        made_from = plan.summary.get("inputs")
        if made_from and plan_inputs(plan.region, plan.seed, plan.capacities).digest != made_from:
            # Subjects, risk levels, items, rules or scenarios changed since the plan was solved.
            raise _refuse(
                _("编制计划后检查对象、检查事项、频次规则或检查场景已有变化，请撤销本计划并重新编制。"),
                "plan",
                ErrorCode.INVALID_STATE,
            )
        proposed = list(plan.summary.get("proposed") or [])
        first = max(plan.period_start, timezone.localdate())
        days = working_days(first, plan.period_end)
        if not days:
            raise _refuse(_("计划期间内已没有可安排的工作日，请重新编制计划。"), "period_end")
        subjects = Subject.objects.select_related("township").in_bulk({p["subject"] for p in proposed})
        items = InspectionItem.objects.in_bulk({i for p in proposed for i in p["items"]})
        scenarios = Scenario.objects.in_bulk({p["scenario"] for p in proposed if p["scenario"]})
        dept_ids = {d for p in proposed for d in p["departments"]}
        departments = Department.objects.in_bulk(dept_ids)
        agencies = {
            a.department_id: a for a in Agency.objects.filter(department_id__in=dept_ids, is_active=True)
        }
        for dept_id in sorted(dept_ids):
            if dept_id not in agencies:
                raise _refuse(
                    _("%(department)s没有启用的执法主体，无法派出检查人员。")
                    % {"department": departments[dept_id].name},
                    "departments",
                )
        roster = _Roster(agencies, set(subjects), (plan.period_start, plan.period_end))
        # Neighbouring subjects get neighbouring days: order by township, then subject.
        proposed.sort(
            key=lambda p: (subjects[p["subject"]].township.adcode, p["subject"], p["scenario"] or 0)
        )
        codes = []
        for index, row in enumerate(proposed):
            day = days[index * len(days) // len(proposed)]
            subject = subjects[row["subject"]]
            team = _form_team(roster, row, items, agencies, departments, subject, day)
            organiser = _organiser(row, items, scenarios)
            codes.append(
                create_visit(
                    actor=actor,
                    subject_id=subject.pk,
                    agency=agencies[organiser],
                    items=row["items"],
                    planned_on=day,
                    team=team,
                    plan_id=plan.pk,
                    scenario_id=row["scenario"],
                ).code
            )
        record_event(
            actor=actor,
            action="inspections.plan.confirm",
            obj=plan,
            before={"state": PlanState.DRAFT},
            after={"state": plan.state, "visits": codes, "days": [days[0].isoformat(), days[-1].isoformat()]},
        )
    return plan


def _form_team(roster: _Roster, row: dict, items: dict, agencies: dict, departments: dict, subject, day):
    """One officer per department of a joint visit, two for a one-department visit (APL Art. 42)."""
    dept_ids = sorted(row["departments"])
    per_department = 2 if len(dept_ids) == 1 else 1
    team: list[TeamMember] = []
    taken: set[int] = set()
    for dept_id in dept_ids:
        domains = {items[i].domain_id for i in row["items"] if items[i].department_id == dept_id}
        chosen = roster.pick(agencies[dept_id], domains, subject.pk, day, taken, per_department)
        if len(chosen) < per_department:
            raise _refuse(
                _(
                    "%(department)s在%(day)s没有足够的持有效执法证且无需回避的检查人员，"
                    "无法组成检查%(subject)s的检查组（《行政处罚法》第四十二条、第四十三条）。"
                )
                % {"department": departments[dept_id].name, "day": day.isoformat(), "subject": subject.name},
                "team",
            )
        team.extend(chosen)
        taken.update(m.person.pk for m in chosen)
    return team


def _organiser(row: dict, items: dict, scenarios: dict) -> int:
    """The scenario's lead department when it takes part, else the department with the most items."""
    scenario = scenarios.get(row["scenario"]) if row["scenario"] else None
    if scenario is not None and scenario.lead_department_id in row["departments"]:
        return scenario.lead_department_id
    counts: dict[int, int] = defaultdict(int)
    for item_id in row["items"]:
        counts[items[item_id].department_id] += 1
    return min(counts, key=lambda d: (-counts[d], d))


def plan_cancel(*, actor: Any, plan: JointPlan, version: int) -> JointPlan:
    """Cancel a draft, or a confirmed plan together with its visits not yet started."""
    if not can_plan(actor, plan.region):
        raise _refuse(_("无权撤销该联合检查计划。"), code=ErrorCode.NOT_ALLOWED)
    with transaction.atomic():
        plan = JointPlan.objects.select_for_update().get(pk=plan.pk)
        before = plan.state
        _advance(plan, version, (PlanState.DRAFT, PlanState.CONFIRMED), state=PlanState.CANCELLED)
        pending = Visit.objects.filter(plan=plan, state=VisitState.PLANNED)
        codes = sorted(pending.values_list("code", flat=True))
        pending.update(state=VisitState.CANCELLED, version=F("version") + 1)
        record_event(
            actor=actor,
            action="inspections.plan.cancel",
            obj=plan,
            before={"state": before},
            after={"state": PlanState.CANCELLED, "cancelled_visits": codes},
        )
    return plan
