"""Claims (认领): a township takes on an item granted to it in a published version.

APL Art. 24 with [HN-2025]: once the township has taken the item on it acts in its own name and the
original department stops acting there; an item granted but not claimed stays with the department.
Each service runs in one transaction and writes exactly one record event (APL Art. 47).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event, snapshot
from zhifa.org.models import Region
from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, PowerItem
from zhifa.powers.policies import can_act_for_township

CLAIM_FIELDS = ("grant_list", "township", "item", "claimed_on", "withdrawn_on", "claimed_by")


def _not_allowed() -> ServiceError:
    return ServiceError(ErrorCode.NOT_ALLOWED, _("无权执行此操作。"))


def claim_create(
    *, actor: Any, grant_list: GrantList, township: Region, item: PowerItem, claimed_on: datetime.date
) -> Claim:
    """认领: the township's team leader or administrator claims an item granted to it in `grant_list`.

    APL Art. 24: a township acts only within the powers handed to it, so only an item that this
    published version grants to this township may be claimed, from the version's effective date on
    and before a later version takes effect.
    """
    if not can_act_for_township(actor, township):
        raise _not_allowed()
    if grant_list.status != GrantListStatus.PUBLISHED:
        raise ServiceError(ErrorCode.INVALID_STATE, _("只能认领已发布清单中的事项。"), field="grant_list")
    if not GrantEntry.objects.filter(grant_list=grant_list, township=township, item=item).exists():
        raise ServiceError(
            ErrorCode.INVALID,
            _("%(list)s 未将事项“%(item)s”赋予%(township)s，不能认领。")
            % {"list": grant_list, "item": item.name, "township": township.name},
            field="item",
        )
    if not isinstance(claimed_on, datetime.date):
        raise ServiceError(ErrorCode.REQUIRED, _("请填写认领日期。"), field="claimed_on")
    if claimed_on < grant_list.effective_from:
        raise ServiceError(
            ErrorCode.INVALID,
            _("认领日期不能早于清单生效日期（%(date)s）。") % {"date": grant_list.effective_from.isoformat()},
            field="claimed_on",
        )
    successor = (
        GrantList.objects.filter(
            county_id=grant_list.county_id,
            status=GrantListStatus.PUBLISHED,
            effective_from__gt=grant_list.effective_from,
            effective_from__lte=claimed_on,
        )
        .order_by("effective_from")
        .first()
    )
    if successor is not None:
        raise ServiceError(
            ErrorCode.INVALID,
            _("%(date)s 起施行的是%(list)s，请在该版本中认领。")
            % {"date": successor.effective_from.isoformat(), "list": successor},
            field="claimed_on",
        )
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                grant_list=grant_list, township=township, item=item, claimed_on=claimed_on, claimed_by=actor
            )
            record_event(actor=actor, action="claim.create", obj=claim, after=snapshot(claim, CLAIM_FIELDS))
    except IntegrityError:
        # One claim per (version, township, item): a withdrawn claim is history and is not reopened.
        raise ServiceError(
            ErrorCode.DUPLICATE, _("该事项在本版本中已认领（或已撤回），不能重复认领。"), field="item"
        ) from None
    return claim


@transaction.atomic
def claim_withdraw(
    *, actor: Any, claim: Claim, withdrawn_on: datetime.date, version: int | None = None
) -> Claim:
    """撤回认领: from `withdrawn_on` the item goes back to the original department ([HN-2025])."""
    if not can_act_for_township(actor, claim.township):
        raise _not_allowed()
    if claim.withdrawn_on is not None:
        raise ServiceError(ErrorCode.INVALID_STATE, _("该认领已撤回。"), field="withdrawn_on")
    if not isinstance(withdrawn_on, datetime.date):
        raise ServiceError(ErrorCode.REQUIRED, _("请填写撤回日期。"), field="withdrawn_on")
    if withdrawn_on <= claim.claimed_on:
        raise ServiceError(
            ErrorCode.INVALID,
            _("撤回日期须晚于认领日期（%(date)s）。") % {"date": claim.claimed_on.isoformat()},
            field="withdrawn_on",
        )
    before = snapshot(claim, CLAIM_FIELDS)
    expected = claim.version if version is None else version
    rows = Claim.objects.filter(pk=claim.pk, version=expected, withdrawn_on__isnull=True)
    if not rows.update(withdrawn_on=withdrawn_on, version=F("version") + 1):
        raise ServiceError(ErrorCode.CONFLICT, _("该认领已被他人修改或撤回，请刷新后重试。"), field="version")
    claim.withdrawn_on = withdrawn_on
    claim.version = expected + 1
    record_event(
        actor=actor, action="claim.withdraw", obj=claim, before=before, after=snapshot(claim, CLAIM_FIELDS)
    )
    return claim
