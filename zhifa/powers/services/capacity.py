"""Capacity assessment (承接能力评估): start a round, townships rate, the county proposes, conclude.

APL Art. 24: the powers handed to townships are evaluated periodically (定期组织评估); seed 000: the
justice bureau with the staffing office evaluates the powers handed down and cancels or adjusts what a
township cannot carry on; [ZJ-CAE] Art. 10: periodic evaluation and dynamic adjustment. The round is
started and concluded by a county-wide role of the county (powers.policies.can_act_for_county); each
township's team leader or administrator rates its own items (can_act_for_township).

Each service runs in one transaction and writes exactly one record event (APL Art. 47). Concurrent
edits never overwrite each other silently (DESIGN.md): rows are changed by conditional UPDATEs on their
`version`, and a write during a round first takes the round's row lock with a no-op UPDATE filtered on
"still drafting", so a rating and the conclusion cannot interleave.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_event, snapshot
from zhifa.org.models import Region, RegionLevel
from zhifa.powers.models import (
    AssessmentStatus,
    CapacityAssessment,
    CapacityRating,
    GrantEntry,
    GrantList,
    GrantListStatus,
    PowerItem,
    Proposal,
    SelfRating,
)
from zhifa.powers.policies import can_act_for_county, can_act_for_township
from zhifa.powers.selectors import capacity as sel

ASSESSMENT_FIELDS = ("county", "grant_list", "title", "period_start", "period_end", "status")
RATING_FIELDS = ("township", "item", "rating", "reason", "proposal", "proposal_note")
TEXT_LIMIT = 500


@dataclass(frozen=True)
class RatingInput:
    """One row of a township's rating form: the item, the rating, the reason, the row's version."""

    item_id: int
    rating: str
    reason: str = ""
    version: int | None = None


def _not_allowed() -> ServiceError:
    return ServiceError(ErrorCode.NOT_ALLOWED, _("无权执行此操作。"))


def _concluded() -> ServiceError:
    return ServiceError(ErrorCode.INVALID_STATE, _("本轮评估已完成，不能再修改。"), field="status")


def _lock_drafting(assessment: CapacityAssessment) -> None:
    """Hold the round's row lock for this transaction, refusing when it is no longer drafting.

    A no-op UPDATE (status to itself) filtered on "drafting": on PostgreSQL it waits for a concurrent
    conclusion and then finds no row; on SQLite it takes the write lock.
    """
    rows = CapacityAssessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFTING)
    if not rows.update(status=AssessmentStatus.DRAFTING):
        raise _concluded()


def _clean_text(value: str | None, field: str, label: str) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_LIMIT:
        raise ServiceError(
            ErrorCode.INVALID, _("%(label)s过长（最多500字）。") % {"label": label}, field=field
        )
    return text


def capacity_assessment_start(
    *,
    actor: Any,
    county: Region,
    grant_list: GrantList,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> CapacityAssessment:
    """Start a round for `county` over its published `grant_list` and a period (APL Art. 24).

    One row per (township, item) granted in the version is created for the townships to rate. A county
    has one round in progress at a time.
    """
    if not can_act_for_county(actor, county):
        raise _not_allowed()
    errors: list[ServiceError] = []
    title = (title or "").strip()
    if not title:
        errors.append(ServiceError(ErrorCode.REQUIRED, _("请填写评估名称。"), field="title"))
    elif len(title) > CapacityAssessment._meta.get_field("title").max_length:
        errors.append(ServiceError(ErrorCode.INVALID, _("评估名称过长。"), field="title"))
    if county.level != RegionLevel.COUNTY:
        errors.append(ServiceError(ErrorCode.INVALID, _("承接能力评估须由县（区）组织。"), field="county"))
    if grant_list.county_id != county.pk or grant_list.status != GrantListStatus.PUBLISHED:
        errors.append(
            ServiceError(ErrorCode.INVALID, _("须评估本县（区）已发布的赋权清单。"), field="grant_list")
        )
    if not isinstance(period_start, datetime.date):
        errors.append(ServiceError(ErrorCode.REQUIRED, _("请填写评估期起始日期。"), field="period_start"))
    if not isinstance(period_end, datetime.date):
        errors.append(ServiceError(ErrorCode.REQUIRED, _("请填写评估期截止日期。"), field="period_end"))
    elif isinstance(period_start, datetime.date) and period_end < period_start:
        errors.append(
            ServiceError(ErrorCode.INVALID, _("评估期截止日期不能早于起始日期。"), field="period_end")
        )
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    try:
        with transaction.atomic():
            assessment = CapacityAssessment.objects.create(
                county=county,
                grant_list=grant_list,
                title=title,
                period_start=period_start,
                period_end=period_end,
                created_by=actor,
            )
            pairs = GrantEntry.objects.filter(grant_list=grant_list).values_list("township_id", "item_id")
            rows = CapacityRating.objects.bulk_create(
                [CapacityRating(assessment=assessment, township_id=t, item_id=i) for t, i in pairs]
            )
            after = snapshot(assessment, ASSESSMENT_FIELDS) | {"rows": len(rows)}
            record_event(actor=actor, action="capacity_assessment.start", obj=assessment, after=after)
    except IntegrityError:
        # The partial unique constraint: a round of this county is already in progress.
        raise ServiceError(
            ErrorCode.DUPLICATE, _("本县（区）已有一轮评估正在进行，请先完成该轮评估。"), field="title"
        ) from None
    return assessment


def _validated_inputs(
    rows: Iterable[RatingInput], existing: dict[int, CapacityRating]
) -> list[tuple[RatingInput, str, str]]:
    cleaned: list[tuple[RatingInput, str, str]] = []
    errors: list[ServiceError] = []
    for row in rows:
        current = existing.get(row.item_id)
        if current is None:
            errors.append(ServiceError(ErrorCode.INVALID, _("所评事项不在本轮评估范围内。"), field="items"))
            continue
        rating = row.rating or ""
        if rating and rating not in SelfRating.values:
            errors.append(ServiceError(ErrorCode.INVALID, _("自评结果无效。"), field=f"rating_{row.item_id}"))
            continue
        reason = (row.reason or "").strip()
        if len(reason) > TEXT_LIMIT:
            errors.append(
                ServiceError(
                    ErrorCode.INVALID, _("自评说明过长（最多500字）。"), field=f"reason_{row.item_id}"
                )
            )
        elif rating == SelfRating.UNABLE and not reason:
            # The county needs to know why before it cancels or adjusts the grant (seed 000).
            errors.append(
                ServiceError(
                    ErrorCode.REQUIRED,
                    _("“%(item)s”自评不能承接，请说明原因。") % {"item": current.item.name},
                    field=f"reason_{row.item_id}",
                )
            )
        else:
            cleaned.append((row, rating, reason))
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    return cleaned


@transaction.atomic
def capacity_rating_set(
    *, actor: Any, assessment: CapacityAssessment, township: Region, ratings: Iterable[RatingInput]
) -> int:
    """乡镇自评: the township's team leader or administrator rates its items (能承接/基本能承接/不能承接).

    Only while the round runs. Each row changes only if its version is the one the form was loaded
    with; otherwise nothing is saved (CONFLICT). A reason is required for 不能承接. Returns the number
    of rows changed.
    """
    if not can_act_for_township(actor, township):
        raise _not_allowed()
    if township.parent_id != assessment.county_id:
        raise ServiceError(ErrorCode.INVALID, _("该乡镇（街道）不属于本轮评估的县（区）。"), field="township")
    if not assessment.is_drafting:
        raise _concluded()
    existing = {
        r.item_id: r
        for r in CapacityRating.objects.filter(assessment=assessment, township=township).select_related(
            "item"
        )
    }
    cleaned = _validated_inputs(ratings, existing)
    _lock_drafting(assessment)
    now = timezone.now()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for row, rating, reason in cleaned:
        current = existing[row.item_id]
        if current.rating == rating and current.reason == reason:
            continue
        expected = current.version if row.version is None else row.version
        changed = CapacityRating.objects.filter(pk=current.pk, version=expected).update(
            rating=rating, reason=reason, rated_by=actor, rated_at=now, version=F("version") + 1
        )
        if not changed:
            raise ServiceError(
                ErrorCode.CONFLICT,
                _("“%(item)s”的自评已被他人修改，请刷新后重试。") % {"item": current.item.name},
                field=f"rating_{row.item_id}",
            )
        before[current.item.code] = {"rating": current.rating, "reason": current.reason}
        after[current.item.code] = {"rating": rating, "reason": reason}
    record_event(
        actor=actor,
        action="capacity_rating.set",
        obj=assessment,
        before={"township": township.adcode, "ratings": before},
        after={"township": township.adcode, "ratings": after},
    )
    return len(after)


@transaction.atomic
def capacity_proposal_set(
    *,
    actor: Any,
    assessment: CapacityAssessment,
    township: Region,
    item: PowerItem,
    proposal: str,
    note: str = "",
    version: int | None = None,
) -> CapacityRating:
    """处理建议: the county proposes to keep, revoke (取消) or adjust (调整) a township's item (seed 000).

    Only while the round runs; adopted when the round is concluded. An adjustment needs a note saying
    what to adjust. An empty proposal clears it.
    """
    if not can_act_for_county(actor, assessment.county):
        raise _not_allowed()
    if not assessment.is_drafting:
        raise _concluded()
    proposal = proposal or ""
    if proposal and proposal not in Proposal.values:
        raise ServiceError(ErrorCode.INVALID, _("处理建议无效。"), field="proposal")
    note = _clean_text(note, "proposal_note", _("建议说明"))
    if proposal == Proposal.ADJUST and not note:
        raise ServiceError(ErrorCode.REQUIRED, _("建议调整时，请说明如何调整。"), field="proposal_note")
    rating = (
        CapacityRating.objects.filter(assessment=assessment, township=township, item=item)
        .select_related("township", "item")
        .first()
    )
    if rating is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("该事项未赋予该乡镇（街道），不在本轮评估范围内。"))
    _lock_drafting(assessment)
    before = snapshot(rating, RATING_FIELDS)
    expected = rating.version if version is None else version
    changed = CapacityRating.objects.filter(pk=rating.pk, version=expected).update(
        proposal=proposal, proposal_note=note, proposed_by=actor, version=F("version") + 1
    )
    if not changed:
        raise ServiceError(
            ErrorCode.CONFLICT, _("该事项的建议已被他人修改，请刷新后重试。"), field="proposal"
        )
    rating.proposal, rating.proposal_note, rating.proposed_by = proposal, note, actor
    rating.version = expected + 1
    record_event(
        actor=actor,
        action="capacity_proposal.set",
        obj=rating,
        before=before,
        after=snapshot(rating, RATING_FIELDS),
    )
    return rating


@transaction.atomic
def capacity_assessment_conclude(
    *, actor: Any, assessment: CapacityAssessment, version: int | None = None
) -> CapacityAssessment:
    """完成评估: freeze the figures and the conclusions; the proposals are adopted.

    From now on the report reads the frozen rows, and the next grant list version built on the assessed
    one leaves out the (township, item) pairs proposed for revocation (services.grants).
    """
    if not can_act_for_county(actor, assessment.county):
        raise _not_allowed()
    if not assessment.is_drafting:
        raise _concluded()
    expected = assessment.version if version is None else version
    now = timezone.now()
    rows = CapacityAssessment.objects.filter(
        pk=assessment.pk, status=AssessmentStatus.DRAFTING, version=expected
    )
    if not rows.update(
        status=AssessmentStatus.CONCLUDED,
        concluded_at=now,
        concluded_by=actor,
        version=F("version") + 1,
    ):
        raise ServiceError(
            ErrorCode.CONFLICT, _("本轮评估已被他人修改或完成，请刷新后查看。"), field="version"
        )
    before = snapshot(assessment, ASSESSMENT_FIELDS)
    # The figures as they stand at the moment of conclusion (computed as of the period's end).
    report_rows = sel.report_rows(assessment, CapacityRating.objects.filter(assessment=assessment))
    frozen = []
    for row in report_rows:
        rating = row.rating
        rating.certified_count = row.certified
        rating.exercise = row.exercise
        rating.judgement = row.judgement
        frozen.append(rating)
    CapacityRating.objects.bulk_update(frozen, ["certified_count", "exercise", "judgement"], batch_size=500)
    assessment.status = AssessmentStatus.CONCLUDED
    assessment.concluded_at, assessment.concluded_by = now, actor
    assessment.version = expected + 1
    report = sel.build_report(assessment, report_rows)
    after = snapshot(assessment, ASSESSMENT_FIELDS) | {
        "headline": report.headline,
        "items": report.item_total,
        "items_can": report.item_can,
        "pairs": len(report_rows),
        "pairs_can": report.pair_can,
        "revoke": sorted(
            f"{r.township.adcode}:{r.item.code}" for r in report_rows if r.rating.proposal == Proposal.REVOKE
        ),
        "adjust": sorted(
            f"{r.township.adcode}:{r.item.code}" for r in report_rows if r.rating.proposal == Proposal.ADJUST
        ),
    }
    record_event(
        actor=actor, action="capacity_assessment.conclude", obj=assessment, before=before, after=after
    )
    return assessment
