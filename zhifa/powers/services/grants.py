"""Grant list versions and their approval steps (赋权清单: 乡镇梳理 → 县级确认 → 市级统筹 → 发布).

APL Art. 24: the powers handed to townships are decided by the county and published; [ZJ-CAE] Art. 10
and [HN-2025]: lists are adjusted dynamically, so an adjustment is a new version and a published version
never changes. Each service runs in one transaction and writes exactly one record event (APL Art. 47);
each approval step also keeps a GrantStep with its comment.

Concurrency (DESIGN.md: no silent overwrite): every step claims the list with one conditional UPDATE on
(status, version). Two people approving the same step at once: the first UPDATE wins, the second
matches no row and is told what happened (CONFLICT), whatever the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event, snapshot
from zhifa.org.models import Region, RegionLevel
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.powers.models import (
    GrantEntry,
    GrantList,
    GrantListStatus,
    GrantStep,
    GrantStepKind,
    GuidanceList,
    PowerItem,
)
from zhifa.powers.policies import can_act_for_county, can_act_for_township
from zhifa.powers.selectors.capacity import adopted_revocations

LIST_FIELDS = ("county", "number", "title", "status", "guidance", "based_on", "document", "effective_from")
ItemChoice = PowerItem | tuple[PowerItem, str]


def _not_allowed() -> ServiceError:
    return ServiceError(ErrorCode.NOT_ALLOWED, _("无权执行此操作。"))


def published_refusal() -> ServiceError:
    """A published version never changes ([ZJ-CAE] Art. 10: adjust by publishing a new version)."""
    return ServiceError(
        ErrorCode.INVALID_STATE, _("已发布的赋权清单不得修改；如需调整，请新建版本。"), field="status"
    )


def _require_county(actor: Any, county: Region) -> None:
    if not can_act_for_county(actor, county):
        raise _not_allowed()


def _require_status(grant_list: GrantList, *allowed: str) -> None:
    if grant_list.status == GrantListStatus.PUBLISHED:
        raise published_refusal()
    if grant_list.status not in allowed:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("清单当前状态为“%(status)s”，不能执行此环节。") % {"status": grant_list.get_status_display()},
            field="status",
        )


def _conflict(status: str) -> ServiceError:
    return ServiceError(
        ErrorCode.CONFLICT,
        _("该清单在您打开后已被他人处理或修改，当前状态为“%(status)s”，请刷新后查看。")
        % {"status": GrantListStatus(status).label},
        field="version",
    )


def _check_fresh(grant_list: GrantList, version: int | None) -> None:
    """A form loaded before someone else moved the list on is told so (CONFLICT), not "wrong state"."""
    if grant_list.status == GrantListStatus.PUBLISHED:
        raise published_refusal()
    if version is not None and version != grant_list.version:
        raise _conflict(grant_list.status)


def _claim(grant_list: GrantList, version: int | None, **changes: Any) -> None:
    """Move the list on with one conditional UPDATE on (status, version); CONFLICT says why it failed.

    `version` is the version the caller's form was loaded with (else the in-memory object's). The
    UPDATE is atomic on SQLite and PostgreSQL: of two concurrent approvals exactly one matches.
    """
    expected = grant_list.version if version is None else version
    rows = GrantList.objects.filter(pk=grant_list.pk, status=grant_list.status, version=expected)
    if rows.update(version=F("version") + 1, **changes):
        for name, value in changes.items():
            setattr(grant_list, name, value)
        grant_list.version = expected + 1
        return
    current = GrantList.objects.filter(pk=grant_list.pk).values_list("status", "version").first()
    if current is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("赋权清单不存在。"))
    status, _current_version = current
    if status != grant_list.status:
        raise _conflict(status)
    raise ServiceError(
        ErrorCode.CONFLICT, _("该清单已被他人修改（如乡镇更新了梳理结果），请刷新后重试。"), field="version"
    )


def _step(grant_list: GrantList, kind: str, actor: Any, comment: str, township: Region | None = None) -> None:
    GrantStep.objects.create(
        grant_list=grant_list, kind=kind, actor=actor, comment=comment, township=township
    )


def grant_list_create_version(
    *,
    actor: Any,
    county: Region,
    title: str,
    based_on: GrantList | None = None,
    guidance: GuidanceList | None = None,
) -> GrantList:
    """Start a new drafting version of `county`'s grant list, copying the entries of `based_on`.

    [ZJ-CAE] Art. 10 / [HN-2025]: adjustments are new versions; the old one stays as published.
    Revocations adopted by the latest concluded capacity assessment of `based_on` are not copied.
    """
    _require_county(actor, county)
    title = (title or "").strip()
    if not title:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写清单名称。"), field="title")
    if county.level != RegionLevel.COUNTY:
        raise ServiceError(ErrorCode.INVALID, _("赋权清单须由县（区）制定。"), field="county")
    if based_on is not None and based_on.county_id != county.pk:
        raise ServiceError(ErrorCode.INVALID, _("上一版本必须属于同一县（区）。"), field="based_on")
    if guidance is None and based_on is not None:
        guidance = based_on.guidance
    try:
        with transaction.atomic():
            number = (GrantList.objects.filter(county=county).aggregate(n=Max("number"))["n"] or 0) + 1
            grant_list = GrantList.objects.create(
                county=county, number=number, title=title, guidance=guidance, based_on=based_on
            )
            copied = 0
            removed: list[dict[str, Any]] = []
            if based_on is not None:
                # Seed 000: what a concluded capacity assessment of `based_on` proposed to revoke is left out.
                revoked = {(r.township_id, r.item_id): r for r in adopted_revocations(based_on)}
                entries = [
                    GrantEntry(
                        grant_list=grant_list, item_id=e.item_id, township_id=e.township_id, note=e.note
                    )
                    for e in based_on.entries.all()
                    if (e.township_id, e.item_id) not in revoked
                ]
                copied = len(GrantEntry.objects.bulk_create(entries))
                removed = [
                    {"assessment": r.assessment_id, "township": r.township.adcode, "item": r.item.code}
                    for r in revoked.values()
                ]
            after = snapshot(grant_list, LIST_FIELDS) | {"copied_entries": copied}
            if removed:
                after["revoked_by_assessment"] = sorted(removed, key=lambda r: (r["township"], r["item"]))
            record_event(actor=actor, action="grant_list.create_version", obj=grant_list, after=after)
    except IntegrityError:
        # Two versions numbered at once: the unique (county, number) constraint refused the second.
        raise ServiceError(
            ErrorCode.CONFLICT, _("他人刚刚新建了同一县的清单版本，请刷新后重试。"), field="title"
        ) from None
    return grant_list


def _normalise_items(items: Iterable[ItemChoice]) -> dict[int, tuple[PowerItem, str]]:
    chosen: dict[int, tuple[PowerItem, str]] = {}
    for choice in items:
        item, note = choice if isinstance(choice, tuple) else (choice, "")
        note = (note or "").strip()
        if len(note) > GrantEntry._meta.get_field("note").max_length:
            raise ServiceError(ErrorCode.INVALID, _("备注过长（最多300字）。"), field="items")
        chosen[item.pk] = (item, note)
    return chosen


@transaction.atomic
def grant_entries_set_for_township(
    *,
    actor: Any,
    grant_list: GrantList,
    township: Region,
    items: Iterable[ItemChoice],
    comment: str = "",
    version: int | None = None,
) -> GrantList:
    """乡镇梳理: the township's team leader or administrator submits its selection (items, or (item, note)).

    Replaces the township's entries in this drafting version. With a guidance list, only its items may
    be chosen (APL Art. 24: the province sets what may be handed down; [ZJ-CAE] Art. 7 and 9).
    """
    if not can_act_for_township(actor, township):
        raise _not_allowed()
    _check_fresh(grant_list, version)
    _require_status(grant_list, GrantListStatus.DRAFTING)
    if township.level not in TOWNSHIP_LEVELS or township.parent_id != grant_list.county_id:
        raise ServiceError(
            ErrorCode.INVALID, _("该乡镇（街道）不属于本清单所在的县（区）。"), field="township"
        )
    chosen = _normalise_items(items)
    if grant_list.guidance_id is not None:
        allowed = set(grant_list.guidance.items.filter(pk__in=chosen).values_list("pk", flat=True))
        outside = [chosen[pk][0] for pk in chosen if pk not in allowed]
        if outside:
            raise ServiceError(
                ErrorCode.INVALID,
                _("以下事项不在省级指导清单内，不能赋予：%(items)s")
                % {"items": "、".join(f"{i.code} {i.name}" for i in outside)},
                field="items",
            )
    inactive = [item for item, _note in chosen.values() if not item.is_active]
    if inactive:
        raise ServiceError(
            ErrorCode.INVALID,
            _("以下事项已失效：%(items)s") % {"items": "、".join(i.code for i in inactive)},
            field="items",
        )
    _claim(grant_list, version)
    existing = {e.item_id: e for e in GrantEntry.objects.filter(grant_list=grant_list, township=township)}
    before = {"items": sorted(existing), "notes": {str(k): e.note for k, e in existing.items() if e.note}}
    GrantEntry.objects.filter(grant_list=grant_list, township=township).exclude(item_id__in=chosen).delete()
    for pk, (item, note) in chosen.items():
        entry = existing.get(pk)
        if entry is None:
            GrantEntry.objects.create(grant_list=grant_list, township=township, item=item, note=note)
        elif entry.note != note:
            GrantEntry.objects.filter(pk=entry.pk).update(note=note)
    _step(grant_list, GrantStepKind.TOWNSHIP_SUBMITTED, actor, comment.strip(), township)
    after = {
        "township": township.adcode,
        "items": sorted(chosen),
        "notes": {str(k): n for k, (_i, n) in chosen.items() if n},
        "comment": comment.strip(),
    }
    record_event(
        actor=actor, action="grant_entries.set_for_township", obj=grant_list, before=before, after=after
    )
    return grant_list


def _advance(
    *,
    actor: Any,
    grant_list: GrantList,
    source: str,
    target: str,
    kind: str,
    action: str,
    comment: str,
    version: int | None,
    **changes: Any,
) -> GrantList:
    _require_county(actor, grant_list.county)
    _check_fresh(grant_list, version)
    _require_status(grant_list, source)
    before = snapshot(grant_list, LIST_FIELDS)
    _claim(grant_list, version, status=target, **changes)
    _step(grant_list, kind, actor, (comment or "").strip())
    after = snapshot(grant_list, LIST_FIELDS) | {"comment": (comment or "").strip()}
    record_event(actor=actor, action=action, obj=grant_list, before=before, after=after)
    return grant_list


@transaction.atomic
def grant_list_confirm(
    *, actor: Any, grant_list: GrantList, comment: str = "", version: int | None = None
) -> GrantList:
    """县级确认: the county (administrator or justice bureau) confirms the townships' selections."""
    return _advance(
        actor=actor,
        grant_list=grant_list,
        source=GrantListStatus.DRAFTING,
        target=GrantListStatus.CONFIRMED,
        kind=GrantStepKind.CONFIRMED,
        action="grant_list.confirm",
        comment=comment,
        version=version,
    )


@transaction.atomic
def grant_list_coordinate(
    *, actor: Any, grant_list: GrantList, comment: str = "", version: int | None = None
) -> GrantList:
    """市级统筹: the city's coordination; a county-wide role stands in while there are no city users."""
    return _advance(
        actor=actor,
        grant_list=grant_list,
        source=GrantListStatus.CONFIRMED,
        target=GrantListStatus.COORDINATED,
        kind=GrantStepKind.COORDINATED,
        action="grant_list.coordinate",
        comment=comment,
        version=version,
    )


@transaction.atomic
def grant_list_return(
    *, actor: Any, grant_list: GrantList, comment: str, version: int | None = None
) -> GrantList:
    """退回修改: send a confirmed or coordinated version back to the townships, saying why."""
    if not (comment or "").strip():
        raise ServiceError(ErrorCode.REQUIRED, _("退回时请填写退回意见。"), field="comment")
    _require_county(actor, grant_list.county)
    _check_fresh(grant_list, version)
    _require_status(grant_list, GrantListStatus.CONFIRMED, GrantListStatus.COORDINATED)
    before = snapshot(grant_list, LIST_FIELDS)
    _claim(grant_list, version, status=GrantListStatus.DRAFTING)
    _step(grant_list, GrantStepKind.RETURNED, actor, comment.strip())
    after = snapshot(grant_list, LIST_FIELDS) | {"comment": comment.strip()}
    record_event(actor=actor, action="grant_list.return", obj=grant_list, before=before, after=after)
    return grant_list


def latest_published(county: Region, exclude: GrantList | None = None) -> GrantList | None:
    """The county's published version with the latest effective date."""
    qs = GrantList.objects.filter(county=county, status=GrantListStatus.PUBLISHED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("-effective_from", "-number").first()


@transaction.atomic
def grant_list_publish(
    *,
    actor: Any,
    grant_list: GrantList,
    effective_from: datetime.date,
    document: str,
    comment: str = "",
    version: int | None = None,
) -> GrantList:
    """发布: publish a coordinated version with its decision number and effective date.

    APL Art. 24: the grant decision is published. Versions take effect in order: `effective_from` must
    come after that of the county's latest published version, so that history is never rewritten.
    """
    _require_county(actor, grant_list.county)
    _check_fresh(grant_list, version)
    _require_status(grant_list, GrantListStatus.COORDINATED)
    document = (document or "").strip()
    if not document:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写发布文号。"), field="document")
    if len(document) > GrantList._meta.get_field("document").max_length:
        raise ServiceError(ErrorCode.INVALID, _("发布文号过长。"), field="document")
    if not isinstance(effective_from, datetime.date):
        raise ServiceError(ErrorCode.REQUIRED, _("请填写生效日期。"), field="effective_from")
    previous = latest_published(grant_list.county, exclude=grant_list)
    if previous is not None and effective_from <= previous.effective_from:
        raise ServiceError(
            ErrorCode.INVALID,
            _("生效日期须晚于已发布的%(list)s的生效日期（%(date)s）。")
            % {"list": previous, "date": previous.effective_from.isoformat()},
            field="effective_from",
        )
    return _advance(
        actor=actor,
        grant_list=grant_list,
        source=GrantListStatus.COORDINATED,
        target=GrantListStatus.PUBLISHED,
        kind=GrantStepKind.PUBLISHED,
        action="grant_list.publish",
        comment=comment,
        version=version,
        effective_from=effective_from,
        document=document,
        published_at=timezone.now(),
    )
