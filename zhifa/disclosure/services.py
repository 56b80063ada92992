"""Every write of disclosure: publish, exempt, record a revocation, withdraw. One transaction, one event.

- GO118 (六): penalty decisions public within 7 working days, other enforcement decisions within 20; the
  publication stores the due date it was held to, and a late publication says so in its event.
- GO118 "作适当处理"; ZJ-PUB Art. 5-8; APL Art. 50: the text is redacted before it is stored, the reviewer
  may mask more, never less; the leak check refuses a text that still holds a personal identifier.
- APL Art. 48 (Art. 85: 3 working days): a revoked, changed, annulled decision is withdrawn with a public
  notice; the publication row stays, and so does the record.
- OGI Art. 14-15; ZJ-PUB Art. 5: a decision the law lets stay unpublished is marked exempt with its reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.models import Case
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.disclosure import rules
from zhifa.disclosure.drafting import Draft, build_draft, masking_for
from zhifa.disclosure.models import (
    ExemptReason,
    Publication,
    PublicationState,
    WithdrawalReason,
)
from zhifa.disclosure.policies import can_publish, can_withdraw
from zhifa.disclosure.redaction import find_personal_identifiers, redact
from zhifa.disclosure.search import search_terms_for

MAX_EXTRA_MASKS = 50
MAX_MASK_LENGTH = 100
NOTICE_MIN, NOTICE_MAX = 10, 2000
NOTE_MAX = 300


def clean_extra_masks(values: Iterable[Any], original: str) -> list[str]:
    """The reviewer's extra masks: distinct non-empty strings that occur in the original text."""
    masks: list[str] = []
    for value in values:
        text = str(value or "").strip()
        if not text or text in masks:
            continue
        if len(text) > MAX_MASK_LENGTH:
            raise ServiceError(
                ErrorCode.INVALID,
                _("补充遮盖的内容不能超过%(n)d个字：%(text)s…") % {"n": MAX_MASK_LENGTH, "text": text[:20]},
                field="extra_masks",
            )
        if text not in original:
            raise ServiceError(
                ErrorCode.INVALID,
                _("补充遮盖的“%(text)s”不在决定书原文中") % {"text": text},
                field="extra_masks",
            )
        masks.append(text)
    if len(masks) > MAX_EXTRA_MASKS:
        raise ServiceError(
            ErrorCode.INVALID, _("补充遮盖最多%(n)d项") % {"n": MAX_EXTRA_MASKS}, field="extra_masks"
        )
    return masks


def _locked_case(case_pk: int) -> Case:
    try:
        return Case.objects.select_for_update().select_related("agency", "region", "item").get(pk=case_pk)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise ServiceError(ErrorCode.NOT_FOUND, _("案件不存在"), field="case") from exc


def _publishable_draft(actor: Any, case: Case, extra_masks: Iterable[Any]) -> Draft:
    if not can_publish(actor, case):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有作出决定的执法主体的队长或法制审核员可以公示"))
    if Publication.objects.filter(case=case).exists():
        raise ServiceError(ErrorCode.DUPLICATE, _("该案件的决定已经处理过公示（已公开、已撤回或不予公开）"))
    draft = build_draft(case)
    if draft.public["decided_on"] is None:  # a rectification order counts from its issue date
        raise ServiceError(ErrorCode.INVALID_STATE, _("案件尚未作出决定，不能公示"), field="case")
    if not draft.duty.required:
        raise ServiceError(ErrorCode.INVALID_STATE, draft.duty.reason or _("该决定无须公示"), field="case")
    masks = clean_extra_masks(extra_masks, draft.original)
    return build_draft(case, extra_masks=masks) if masks else draft


def _publication_from(draft: Draft, state: str) -> Publication:
    public = dict(draft.public)
    years = public.pop("years")
    publication = Publication(
        state=state, case=draft.case, due_on=draft.due.due if draft.due else None, **public
    )
    publication.extra_masks = _extra_masks_of(draft)
    publication.search_terms = search_terms_for(
        [
            publication.title,
            publication.party_name,
            publication.party_uscc,
            publication.decision_number,
            publication.violation,
            publication.penalty_text,
            publication.agency.name,
        ]
    )
    publication._years = years  # type: ignore[attr-defined]
    return publication


def _extra_masks_of(draft: Draft) -> list[str]:
    return sorted({draft.original[s.start : s.end] for s in draft.redacted.spans if s.kind == "extra"})


def publication_publish(*, actor: Any, case_pk: int, extra_masks: Iterable[Any] = ()) -> Publication:
    """Publish a decided case's decision as the reviewer saw it: redacted, with their extra masks.

    Refused when the case is not decided, the law does not ask for its publication, it was already
    handled, or the redacted text still holds a personal identifier (the reviewer must mask it).
    """
    with transaction.atomic():
        case = _locked_case(case_pk)
        draft = _publishable_draft(actor, case, extra_masks)
        leaks = find_personal_identifiers(draft.redacted.text)
        if leaks:
            kinds = "、".join(sorted({s.kind for s in leaks}))
            raise ServiceError(
                ErrorCode.INVALID,
                _("公开文本中仍有个人信息（%(kinds)s），请补充遮盖后再公示") % {"kinds": kinds},
                field="extra_masks",
            )
        publication = _publication_from(draft, PublicationState.PUBLISHED)
        now = timezone.now()
        today = timezone.localdate(now)
        publication.published_on, publication.published_at, publication.published_by = today, now, actor
        publication.expires_on = rules.expires_on(today, years=publication._years)  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                publication.save()
        except IntegrityError as exc:  # a concurrent reviewer published the same case first
            raise ServiceError(ErrorCode.CONFLICT, _("该案件的决定刚刚已被其他人公示")) from exc
        record_event(
            actor=actor,
            action="publication.publish",
            obj=publication,
            after={
                "case": case.code,
                "kind": publication.kind,
                "decision_number": publication.decision_number,
                "due_on": publication.due_on,
                "published_on": today,
                "late": bool(publication.due_on and today > publication.due_on),
                "expires_on": publication.expires_on,
                "extra_masks": len(publication.extra_masks),
                "masked_spans": len(draft.redacted.spans),
            },
        )
    return publication


def publication_exempt(*, actor: Any, case_pk: int, reason: str, note: str) -> Publication:
    """Record that a decision the law would publish stays unpublished, and why (OGI Art. 14-15)."""
    if reason not in ExemptReason.values:
        raise ServiceError(ErrorCode.INVALID, _("请选择不予公开的理由"), field="reason")
    note = (note or "").strip()
    if not note:
        raise ServiceError(ErrorCode.REQUIRED, _("请说明不予公开的具体情况"), field="note")
    if len(note) > NOTE_MAX:
        raise ServiceError(ErrorCode.INVALID, _("说明不能超过%(n)d个字") % {"n": NOTE_MAX}, field="note")
    with transaction.atomic():
        case = _locked_case(case_pk)
        draft = _publishable_draft(actor, case, ())
        publication = _publication_from(draft, PublicationState.EXEMPT)
        publication.exempt_reason, publication.exempt_note = reason, note
        try:
            with transaction.atomic():
                publication.save()
        except IntegrityError as exc:
            raise ServiceError(ErrorCode.CONFLICT, _("该案件的决定刚刚已被其他人处理")) from exc
        record_event(
            actor=actor,
            action="publication.exempt",
            obj=publication,
            after={"case": case.code, "kind": publication.kind, "reason": reason, "note": note},
        )
    return publication


def _locked_publication(publication_pk: int) -> Publication:
    try:
        # Lock the publication row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to the case (SQLite ignores the lock altogether).
        return (
            Publication.objects.select_for_update(of=("self",)).select_related("case").get(pk=publication_pk)
        )
    except (Publication.DoesNotExist, ValueError, TypeError) as exc:
        raise ServiceError(ErrorCode.NOT_FOUND, _("公示信息不存在"), field="publication") from exc


def _clean_revocation(publication: Publication, revoked_on: Any, reason: str) -> datetime.date:
    if reason not in WithdrawalReason.values:
        raise ServiceError(ErrorCode.INVALID, _("请选择撤回原因"), field="reason")
    if not isinstance(revoked_on, datetime.date):
        raise ServiceError(ErrorCode.REQUIRED, _("请填写决定被撤销（变更）的日期"), field="revoked_on")
    if revoked_on > timezone.localdate():
        raise ServiceError(ErrorCode.INVALID, _("撤销（变更）日期不能晚于今天"), field="revoked_on")
    if revoked_on < publication.decided_on:
        raise ServiceError(ErrorCode.INVALID, _("撤销（变更）日期不能早于决定日期"), field="revoked_on")
    return revoked_on


def _check_version(publication: Publication, version: int | None) -> None:
    if version is not None and publication.version != version:
        raise ServiceError(ErrorCode.CONFLICT, _("该公示信息已被他人修改，请刷新后重试"))


def publication_record_revocation(
    *, actor: Any, publication_pk: int, revoked_on: Any, reason: str, version: int | None = None
) -> Publication:
    """Record that a published decision was revoked or changed: the 3-working-day withdrawal limit starts
    (APL Art. 48, Art. 85)."""
    with transaction.atomic():
        publication = _locked_publication(publication_pk)
        if not can_withdraw(actor, publication):
            raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有公示机关的队长或法制审核员可以办理撤回"))
        _check_version(publication, version)
        if publication.state != PublicationState.PUBLISHED:
            raise ServiceError(ErrorCode.INVALID_STATE, _("只有已公开的信息可以登记撤销"))
        day = _clean_revocation(publication, revoked_on, reason)
        publication.revoked_on, publication.withdrawal_reason = day, reason
        publication.withdrawal_due_on = rules.withdrawal_due(day).due
        Publication.objects.filter(pk=publication.pk).update(
            revoked_on=day,
            withdrawal_reason=reason,
            withdrawal_due_on=publication.withdrawal_due_on,
            version=F("version") + 1,
        )
        publication.version += 1
        record_event(
            actor=actor,
            action="publication.revocation",
            obj=publication,
            after={"revoked_on": day, "reason": reason, "withdrawal_due_on": publication.withdrawal_due_on},
        )
    return publication


def publication_withdraw(
    *,
    actor: Any,
    publication_pk: int,
    notice: str,
    reason: str = "",
    revoked_on: Any = None,
    version: int | None = None,
) -> Publication:
    """Withdraw a published decision with a public notice explaining why (APL Art. 48).

    The revocation is recorded now when it was not before. The notice is public, so it is redacted with
    the case's persons like the decision itself.
    """
    notice = (notice or "").strip()
    if len(notice) < NOTICE_MIN:
        raise ServiceError(
            ErrorCode.REQUIRED,
            _("请填写撤回说明（至少%(n)d个字），它将向社会公开") % {"n": NOTICE_MIN},
            field="notice",
        )
    if len(notice) > NOTICE_MAX:
        raise ServiceError(
            ErrorCode.INVALID, _("撤回说明不能超过%(n)d个字") % {"n": NOTICE_MAX}, field="notice"
        )
    with transaction.atomic():
        publication = _locked_publication(publication_pk)
        if not can_withdraw(actor, publication):
            raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有公示机关的队长或法制审核员可以办理撤回"))
        _check_version(publication, version)
        if publication.state != PublicationState.PUBLISHED:
            raise ServiceError(ErrorCode.INVALID_STATE, _("只有已公开的信息可以撤回"))
        if publication.revoked_on is None:
            day = _clean_revocation(publication, revoked_on, reason)
            publication.revoked_on, publication.withdrawal_reason = day, reason
            publication.withdrawal_due_on = rules.withdrawal_due(day).due
        case = publication.case
        persons = masking_for(case, list(case.parties.all())).persons if case is not None else []
        now = timezone.now()
        publication.state = PublicationState.WITHDRAWN
        publication.withdrawn_at, publication.withdrawn_by = now, actor
        publication.withdrawal_notice = redact(notice, persons=persons).text
        publication.version += 1
        publication.save(
            update_fields=[
                "state",
                "revoked_on",
                "withdrawal_reason",
                "withdrawal_due_on",
                "withdrawn_at",
                "withdrawn_by",
                "withdrawal_notice",
                "version",
            ]
        )
        today = timezone.localdate(now)
        record_event(
            actor=actor,
            action="publication.withdraw",
            obj=publication,
            before={"state": PublicationState.PUBLISHED},
            after={
                "state": PublicationState.WITHDRAWN,
                "reason": publication.withdrawal_reason,
                "revoked_on": publication.revoked_on,
                "withdrawal_due_on": publication.withdrawal_due_on,
                "late": bool(publication.withdrawal_due_on and today > publication.withdrawal_due_on),
                "notice": publication.withdrawal_notice,
            },
        )
    return publication
