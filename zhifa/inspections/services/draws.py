"""Double-random draws (双随机): create, commit (freeze pools, publish the seed's hash), run, cancel.

GO118 (四): the random-check list and the task are fixed and published before enforcement; the seed is
committed (its SHA-256 published) with the frozen pools' hash, and revealed by the draw, so anyone can
re-run `zhifa.inspections.draw_algorithm` and get the same result (`verify_draw`). APL Art. 42: at
least two certified officers per subject; Art. 43: declared conflicts are never drawn.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.inspections import draw_algorithm as algo
from zhifa.inspections.models import (
    DrawState,
    FrequencyRule,
    InspectionItem,
    InspectorConflict,
    RandomDraw,
    RiskLevel,
    Scenario,
    Subject,
)
from zhifa.inspections.policies import can_organise_draw
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.org.enforcement import certificate_valid_on
from zhifa.org.models import Agency, Certificate, Person, PersonStatus, Region


def _not_allowed() -> ServiceError:
    return ServiceError(ErrorCode.NOT_ALLOWED, _("无权组织该抽查任务。"))


def _advance(draw: RandomDraw, version: int | None, allowed: tuple[str, ...], **changes: Any) -> None:
    """Conditional UPDATE on (id, version, state): a stale version or moved-on state is a CONFLICT."""
    if draw.state not in allowed:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("抽查任务当前状态为“%(state)s”，不能进行此操作。") % {"state": draw.get_state_display()},
            field="state",
        )
    expected = draw.version if version is None else version
    updated = RandomDraw.objects.filter(pk=draw.pk, version=expected, state__in=allowed).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise ServiceError(ErrorCode.CONFLICT, _("抽查任务已被他人修改，请刷新后重试。"), field="version")
    draw.refresh_from_db()


def _floor_for(items: list[InspectionItem], risk_levels: list[str]) -> Decimal:
    """The highest floor of the items' frequency rules for the drawn risk levels (issue 7: never below)."""
    rules = FrequencyRule.objects.filter(item__in=items)
    if risk_levels:
        rules = rules.filter(risk_level__in=risk_levels)
    return rules.aggregate(m=Max("floor"))["m"] or Decimal("0")


def _clean_filter(subject_filter: dict | None) -> dict[str, list[str]]:
    subject_filter = subject_filter or {}
    if not isinstance(subject_filter, dict):
        raise ServiceError(ErrorCode.INVALID, _("对象筛选条件格式不正确。"), field="subject_filter")
    industries = sorted({str(c) for c in subject_filter.get("industries") or []})
    risk_levels = sorted({str(c) for c in subject_filter.get("risk_levels") or []})
    if any(level not in RiskLevel.values for level in risk_levels):
        raise ServiceError(ErrorCode.INVALID, _("风险等级不正确。"), field="subject_filter")
    return {"industries": industries, "risk_levels": risk_levels}


def draw_create(
    *,
    actor: Any,
    title: str,
    agency: Agency,
    region: Region,
    period_start: datetime.date,
    period_end: datetime.date,
    items: list[InspectionItem],
    ratio: Decimal | str | float,
    subject_filter: dict | None = None,
    inspectors_per_subject: int = 2,
    scenario: Scenario | None = None,
) -> RandomDraw:
    """A draft draw of `agency` (GO118 (四)); the ratio never falls below the rules' floor (issue 7)."""
    if not can_organise_draw(actor, agency):
        raise _not_allowed()
    title = (title or "").strip()
    if not title:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写任务名称。"), field="title")
    if period_end < period_start:
        raise ServiceError(ErrorCode.INVALID, _("检查期间止不能早于检查期间起。"), field="period_end")
    items = list(items)
    if not items:
        raise ServiceError(ErrorCode.REQUIRED, _("请至少选择一个检查事项。"), field="items")
    if any(not item.is_active for item in items):
        raise ServiceError(ErrorCode.INVALID, _("所选检查事项已停用。"), field="items")
    if inspectors_per_subject < algo.MIN_PER_SUBJECT:
        raise ServiceError(
            ErrorCode.INVALID,
            _("每户检查人员不得少于两人（《行政处罚法》第四十二条）。"),
            field="inspectors_per_subject",
        )
    try:
        ratio = Decimal(str(ratio))
    except InvalidOperation:
        raise ServiceError(ErrorCode.INVALID, _("抽查比例格式不正确。"), field="ratio") from None
    if not (Decimal("0") < ratio <= Decimal("1")):
        raise ServiceError(ErrorCode.INVALID, _("抽查比例应大于0且不超过1。"), field="ratio")
    cleaned = _clean_filter(subject_filter)
    floor = _floor_for(items, cleaned["risk_levels"])
    if ratio < floor:
        raise ServiceError(
            ErrorCode.INVALID,
            _("抽查比例不得低于检查频次规则规定的下限 %(floor)s。") % {"floor": f"{floor.normalize():f}"},
            field="ratio",
        )
    with transaction.atomic():
        draw = RandomDraw.objects.create(
            title=title,
            agency=agency,
            region=region,
            period_start=period_start,
            period_end=period_end,
            ratio=ratio,
            subject_filter=cleaned,
            inspectors_per_subject=inspectors_per_subject,
            scenario=scenario,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        draw.items.set(items)
        record_event(
            actor=actor,
            action="inspections.draw.create",
            obj=draw,
            after={
                "title": title,
                "agency": agency.pk,
                "region": region.adcode,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "items": sorted(i.pk for i in items),
                "ratio": str(ratio),
                "subject_filter": cleaned,
                "inspectors_per_subject": inspectors_per_subject,
                "scenario": scenario.pk if scenario else None,
            },
        )
    return draw


def build_subject_pool(draw: RandomDraw) -> list[dict[str, Any]]:
    """Active subjects under the draw's region, of the items' industries and the filter, by USCC."""
    items = list(draw.items.all())
    industry_ids = {ind.pk for item in items for ind in item.industries.all()}
    qs = Subject.objects.filter(
        is_active=True, township__adcode__startswith=draw.region.prefix, industry_id__in=industry_ids
    ).select_related("industry")
    flt = draw.subject_filter or {}
    if flt.get("industries"):
        qs = qs.filter(industry__code__in=flt["industries"])
    if flt.get("risk_levels"):
        qs = qs.filter(risk_level__in=flt["risk_levels"])
    subjects = list(qs.order_by("uscc"))
    conflicts: dict[int, set[int]] = {}
    for subject_id, person_id in InspectorConflict.objects.filter(subject__in=subjects).values_list(
        "subject_id", "person_id"
    ):
        conflicts.setdefault(subject_id, set()).add(person_id)
    return [
        {"id": s.pk, "uscc": s.uscc, "name": s.name, "conflicts": sorted(conflicts.get(s.pk, ()))}
        for s in subjects
    ]


def build_inspector_pool(draw: RandomDraw) -> list[dict[str, Any]]:
    """Active persons of the items' agencies or the organiser, certified (APL Art. 42) for the whole period.

    A certificate counts when valid on period_start and period_end and covering an item's domain; the
    pool lists the lowest-numbered such certificate. Persons without one are never in the pool.
    """
    items = list(draw.items.select_related("domain"))
    domain_ids = {item.domain_id for item in items}
    agency_ids = set(
        Agency.objects.filter(department__in={i.department_id for i in items}).values_list("pk", flat=True)
    )
    agency_ids.add(draw.agency_id)
    persons = Person.objects.filter(status=PersonStatus.ACTIVE, agency_id__in=agency_ids)
    certificates = (
        Certificate.objects.filter(holder__in=persons, domains__in=domain_ids)
        .distinct()
        .select_related("holder")
        .prefetch_related("status_changes", "domains")
        .order_by("number")
    )
    pool: dict[int, dict[str, Any]] = {}
    for cert in certificates:
        if not (
            certificate_valid_on(cert, draw.period_start) and certificate_valid_on(cert, draw.period_end)
        ):
            continue
        codes = {d.code for d in cert.domains.all() if d.pk in domain_ids}
        entry = pool.get(cert.holder_id)
        if entry is None:
            pool[cert.holder_id] = {
                "person": cert.holder_id,
                "name": cert.holder.name,
                "agency": cert.holder.agency_id,
                "certificate": cert.number,
                "domains": sorted(codes),
            }
        else:
            entry["domains"] = sorted(set(entry["domains"]) | codes)
    return [pool[k] for k in sorted(pool)]


def draw_commit(*, actor: Any, draw: RandomDraw, version: int | None) -> RandomDraw:
    """Freeze and hash the pools, fix the sample size and publish the seed's commitment (GO118 (四))."""
    if not can_organise_draw(actor, draw.agency):
        raise _not_allowed()
    with transaction.atomic():
        subjects = build_subject_pool(draw)
        inspectors = build_inspector_pool(draw)
        if not subjects:
            raise ServiceError(
                ErrorCode.INVALID, _("抽查范围内没有符合条件的检查对象。"), field="subject_filter"
            )
        if len(inspectors) < draw.inspectors_per_subject:
            raise ServiceError(
                ErrorCode.INVALID,
                _("持有有效执法证的检查人员不足（《行政处罚法》第四十二条）。"),
                field="inspectors",
            )
        seed = secrets.token_hex(32)
        digest = algo.pool_hash(subjects, inspectors)
        size = algo.sample_size_for(len(subjects), draw.ratio)
        _advance(
            draw,
            version,
            (DrawState.DRAFT,),
            state=DrawState.COMMITTED,
            subject_pool=subjects,
            inspector_pool=inspectors,
            pool_hash=digest,
            sample_size=size,
            seed=seed,
            seed_commitment=algo.commitment(seed),
            algorithm=algo.ALGORITHM,
            committed_at=timezone.now(),
        )
        record_event(
            actor=actor,
            action="inspections.draw.commit",
            obj=draw,
            before={"state": DrawState.DRAFT},
            after={
                "state": DrawState.COMMITTED,
                "pool_hash": digest,
                "seed_commitment": draw.seed_commitment,
                "sample_size": size,
                "subjects": len(subjects),
                "inspectors": len(inspectors),
                "algorithm": algo.ALGORITHM,
            },
        )
    return draw


def draw_run(*, actor: Any, draw: RandomDraw, version: int | None) -> RandomDraw:
    """Draw with the committed seed on unchanged pools, create the visits and reveal the seed."""
    if not can_organise_draw(actor, draw.agency):
        raise _not_allowed()
    if draw.state != DrawState.COMMITTED:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("只有已公布承诺的抽查任务才能抽取，且每个任务只能抽取一次。"),
            field="state",
        )
    with transaction.atomic():
        current = algo.pool_hash(build_subject_pool(draw), build_inspector_pool(draw))
        if current != draw.pool_hash:
            raise ServiceError(
                ErrorCode.INVALID_STATE,
                _("承诺后名录库已发生变化，不能抽取，请撤销后重新建立任务。"),
                field="pool",
            )
        result = algo.run_draw(
            draw.seed, draw.subject_pool, draw.inspector_pool, draw.sample_size, draw.inspectors_per_subject
        )
        if any(len(r["inspectors"]) < draw.inspectors_per_subject for r in result):
            raise ServiceError(
                ErrorCode.INVALID,
                _("回避后可抽取的检查人员不足两人（《行政处罚法》第四十二条、第四十三条）。"),
                field="inspectors",
            )
        _advance(
            draw,
            version,
            (DrawState.COMMITTED,),
            state=DrawState.DRAWN,
            result=result,
            drawn_at=timezone.now(),
        )
        items = list(draw.items.all())
        people = Person.objects.in_bulk({m["person"] for r in result for m in r["inspectors"]})
        agencies = Agency.objects.in_bulk({m["agency"] for r in result for m in r["inspectors"]})
        visits = []
        for row in result:
            team = [
                TeamMember(people[m["person"]], agencies[m["agency"]], m["certificate"])
                for m in row["inspectors"]
            ]
            visits.append(
                create_visit(
                    actor=actor,
                    subject_id=row["subject"],
                    agency=draw.agency,
                    items=items,
                    planned_on=draw.period_start,
                    team=team,
                    draw_id=draw.pk,
                    scenario_id=draw.scenario_id,
                ).code
            )
        record_event(
            actor=actor,
            action="inspections.draw.run",
            obj=draw,
            before={"state": DrawState.COMMITTED},
            after={
                "state": DrawState.DRAWN,
                "seed": draw.seed,
                "pool_hash": draw.pool_hash,
                "result": [[r["uscc"], [m["person"] for m in r["inspectors"]]] for r in result],
                "visits": visits,
            },
        )
    return draw


def draw_cancel(*, actor: Any, draw: RandomDraw, version: int | None) -> RandomDraw:
    """Cancel a draft or committed draw; a drawn draw stands (its visits are the record)."""
    if not can_organise_draw(actor, draw.agency):
        raise _not_allowed()
    before = draw.state
    with transaction.atomic():
        _advance(draw, version, (DrawState.DRAFT, DrawState.COMMITTED), state=DrawState.CANCELLED)
        record_event(
            actor=actor,
            action="inspections.draw.cancel",
            obj=draw,
            before={"state": before},
            after={"state": DrawState.CANCELLED},
        )
    return draw


def verify_draw(draw: RandomDraw) -> dict[str, bool]:
    """Re-check a drawn draw from its stored data only: pool hash, seed commitment and result."""
    pools_ok = algo.pool_hash(draw.subject_pool, draw.inspector_pool) == draw.pool_hash
    seed_ok = bool(draw.seed) and algo.commitment(draw.seed) == draw.seed_commitment
    result_ok = (
        draw.state == DrawState.DRAWN
        and algo.run_draw(
            draw.seed, draw.subject_pool, draw.inspector_pool, draw.sample_size, draw.inspectors_per_subject
        )
        == draw.result
    )
    return {
        "pool_hash": pools_ok,
        "commitment": seed_ok,
        "result": result_ok,
        "ok": pools_ok and seed_ok and result_ok,
    }
