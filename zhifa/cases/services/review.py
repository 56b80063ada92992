"""Legal review (法制审核): deciding a round with the GO118 (十三) checklist, raising its tier, extending
its time limit, and the case's own reviewer's first opinion on a higher-tier review.

- APL Art. 58: where review is required, no decision without a passed review; a failed review sends
  the case back (GO118 (十三): "fix and resubmit"). The engine's guards `review_recorded_passed/failed`
  let review_pass / review_fail through only after this module recorded the answered checklist.
- APL Art. 58 para 2: people reviewing for the first time need the legal professional qualification
  (法律职业资格). There is no field for it on Person, so the first review a person decides in Zhifa
  requires them to confirm that they hold it; the confirmation is stored in the review's answers
  (`answers["_qualification"]`) and in the record event. Later reviews by the same person need none.
- Seed 000: tiers township / department / panel (zhifa.cases.review_rules); the tier may be raised
  while the review is pending, never lowered. Who decides which tier: selectors.reviews.decidable_q.
- GO118 (十四): agencies set the time limit (setting review_days, from the engine) and its extension
  (review_extra_days, once, with the reason).

Each service: one transaction, one record event.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from zhifa.cases import deadlines
from zhifa.cases.engine import moved_on, perform
from zhifa.cases.limits import next_due
from zhifa.cases.models import (
    TIER_ORDER,
    Case,
    CaseState,
    CaseStep,
    DocType,
    LegalReview,
    ReviewStatus,
    ReviewTier,
)
from zhifa.cases.policies import can_lead, can_work_on
from zhifa.cases.review_checklist import BY_KEY, CHECK_KEYS
from zhifa.cases.selectors.reviews import FIRST_OPINION, may_add_first_opinion, may_decide
from zhifa.cases.settings_defaults import settings_for
from zhifa.core.calendar import add_working_days
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_event
from zhifa.org.scoping import person_of

OPINION_MAX = 5000
QUALIFICATION_KEY = "_qualification"
RAISE_STEP, EXTEND_STEP = "review_raise_tier", "review_extend"

# The panel of the justice bureau's joint review (seed 000: 区级法治骨干、政府法律顾问和公职律师联合会审,
# with lawyers helping: 律师帮审).
PANEL_ROLES: dict[str, Any] = {
    "official": gettext_lazy("官员"),
    "government_counsel": gettext_lazy("政府法律顾问"),
    "public_lawyer": gettext_lazy("公职律师"),
    "social_lawyer": gettext_lazy("社会律师"),
}
# Our reading of seed 000 (no rule gives numbers): a panel has at least three members, and at least one
# of them is a government counsel or a public lawyer, so that the review is a joint one with lawyers.
PANEL_MIN_MEMBERS = 3
PANEL_LAWYER_ROLES = frozenset({"government_counsel", "public_lawyer"})
PANEL_MAX_MEMBERS = 15


def _text(value: Any, *, field: str, label: str, required: bool = True, limit: int = OPINION_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ServiceError(ErrorCode.REQUIRED, _("请填写%(label)s。") % {"label": label}, field=field)
    if len(text) > limit:
        raise ServiceError(ErrorCode.INVALID, _("%(label)s过长。") % {"label": label}, field=field)
    return text


def clean_answers(answers: Any) -> dict[str, dict[str, Any]]:
    """Every GO118 (十三) check answered pass or fail; a failed check with its opinion. Raises
    ValidationErrors naming every missing or incomplete check (field = the check's key)."""
    given = answers if isinstance(answers, dict) else {}
    errors: list[ServiceError] = []
    cleaned: dict[str, dict[str, Any]] = {}
    for key in CHECK_KEYS:
        label = BY_KEY[key].label
        answer = given.get(key)
        passed = answer.get("passed") if isinstance(answer, dict) else None
        if not isinstance(passed, bool):
            errors.append(
                ServiceError(
                    ErrorCode.REQUIRED,
                    _("请逐项填写审核要点：“%(label)s”未填写（国办发〔2018〕118号（十三））。")
                    % {"label": label},
                    field=key,
                )
            )
            continue
        opinion = str(answer.get("opinion") or "").strip()
        if len(opinion) > OPINION_MAX:
            errors.append(
                ServiceError(ErrorCode.INVALID, _("“%(label)s”的意见过长。") % {"label": label}, field=key)
            )
        elif not passed and not opinion:
            errors.append(
                ServiceError(
                    ErrorCode.REQUIRED,
                    _("“%(label)s”未通过，请写明存在的问题。") % {"label": label},
                    field=key,
                )
            )
        cleaned[key] = {"passed": passed, "opinion": opinion}
    unknown = sorted(str(k) for k in given if k not in BY_KEY)
    errors.extend(ServiceError(ErrorCode.INVALID, _("没有这个审核要点。"), field=k) for k in unknown)
    if errors:
        raise ValidationErrors(errors)
    return cleaned


def clean_panel(panel: Any) -> list[dict[str, str]]:
    """The panel members [{"name", "role"}]: see PANEL_MIN_MEMBERS / PANEL_LAWYER_ROLES above."""
    members: list[dict[str, str]] = []
    seen: set[str] = set()
    for entry in panel or []:
        name = str((entry or {}).get("name") or "").strip()
        kind = str((entry or {}).get("role") or "").strip()
        if not name and not kind:
            continue
        if not name or len(name) > 50:
            raise ServiceError(ErrorCode.INVALID, _("请填写会审人员姓名（50字以内）。"), field="panel")
        if kind not in PANEL_ROLES:
            raise ServiceError(
                ErrorCode.INVALID, _("请选择%(name)s的会审身份。") % {"name": name}, field="panel"
            )
        if name in seen:
            raise ServiceError(
                ErrorCode.DUPLICATE, _("会审人员%(name)s重复。") % {"name": name}, field="panel"
            )
        seen.add(name)
        members.append({"name": name, "role": str(PANEL_ROLES[kind]), "kind": kind})
    if len(members) > PANEL_MAX_MEMBERS:
        raise ServiceError(ErrorCode.INVALID, _("会审人员过多。"), field="panel")
    if len(members) < PANEL_MIN_MEMBERS or not any(m["kind"] in PANEL_LAWYER_ROLES for m in members):
        raise ServiceError(
            ErrorCode.INVALID,
            _("联合会审须有三名以上会审人员，其中至少一名政府法律顾问或公职律师。"),
            field="panel",
        )
    return members


def is_first_review(person: Any) -> bool:
    """APL Art. 58 para 2: has this person never decided a legal review in Zhifa?"""
    if person is None:
        return False
    return not LegalReview.objects.filter(reviewer=person, decided_at__isnull=False).exists()


def _not_allowed(review: LegalReview) -> ServiceError:
    return ServiceError(
        ErrorCode.NOT_ALLOWED,
        _("您不能审核“%(tier)s”层级的案件。") % {"tier": ReviewTier(review.tier).label},
    )


def _lock_pending(review: LegalReview) -> tuple[LegalReview, Case]:
    """The review row locked, pending, the case's latest round, the case in review."""
    locked = LegalReview.objects.select_for_update().get(pk=review.pk)
    case = Case.objects.select_related("agency__region", "item__domain").get(pk=locked.case_id)
    latest = case.reviews.order_by("-round", "-id").values_list("pk", flat=True).first()
    if locked.status != ReviewStatus.PENDING or latest != locked.pk:
        raise ServiceError(ErrorCode.CONFLICT, _("该审核已办结，请刷新后查看。"), field="version")
    if case.state != CaseState.REVIEW:
        raise ServiceError(
            ErrorCode.INVALID_STATE,
            _("案件当前处于“%(state)s”，不能办理法制审核。") % {"state": case.get_state_display()},
            field="state",
        )
    return locked, case


STEP_LABELS = {
    "review_raise_tier": _lazy("提高审核层级"),
    "review_extend": _lazy("延长审核期限"),
    "review_first_opinion": _lazy("初审意见"),
}


def _step(case: Case, actor: Any, action: str, note: str, data: dict[str, Any]) -> None:
    person = person_of(actor)
    data = {**data, "label": str(STEP_LABELS.get(action, action))}
    CaseStep.objects.create(
        case=case,
        action=action,
        from_state=case.state,
        to_state=case.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(person.name if person else getattr(actor, "username", "") or "")[:50],
        note=note[:2000],
        at=timezone.now(),
        data=data,
    )


def review_decide(
    *,
    actor: Any,
    review: LegalReview,
    answers: dict[str, Any],
    opinion: str,
    panel: list[dict[str, Any]] | None = None,
    qualified: bool = False,
    version: int | None = None,
    on_date: datetime.date | None = None,
) -> LegalReview:
    """Decide a pending review: every check answered, passed only if every check passed; the opinion
    document issued; the case moved on (review_pass) or back to investigation (review_fail).

    `answers`: {check key: {"passed": bool, "opinion": str}}; `panel` (panel tier): the members;
    `qualified`: the reviewer confirms holding 法律职业资格 (needed for their first review);
    `version`: the case's version as the page showed it (CONFLICT if the case moved on).
    """
    if not may_decide(actor, review):
        raise _not_allowed(review)
    cleaned = clean_answers(answers)
    opinion = _text(opinion, field="opinion", label=_("审核意见"))
    members = clean_panel(panel) if review.tier == ReviewTier.PANEL else []
    person = person_of(actor)
    first = is_first_review(person)
    if first and not qualified:
        raise ServiceError(
            ErrorCode.REQUIRED,
            _("初次从事法制审核的人员应当取得法律职业资格，请确认（《行政处罚法》第五十八条第二款）。"),
            field="qualified",
        )
    passed = all(a["passed"] for a in cleaned.values())
    stored: dict[str, Any] = dict(cleaned)
    if first:
        stored[QUALIFICATION_KEY] = {"confirmed": True, "person": person.pk if person else None}
    today = on_date or timezone.localdate()
    with transaction.atomic():
        locked, case = _lock_pending(review)
        if locked.tier != review.tier:  # raised meanwhile: the rights checked above were for the old tier
            raise ServiceError(ErrorCode.CONFLICT, _("审核层级已调整，请刷新后查看。"), field="version")
        if version is not None and case.version != version:
            raise moved_on(case)
        locked.status = ReviewStatus.PASSED if passed else ReviewStatus.FAILED
        locked.answers, locked.opinion, locked.panel = stored, opinion, members
        locked.reviewer, locked.decided_at = person, timezone.now()
        locked.save(update_fields=["status", "answers", "opinion", "panel", "reviewer", "decided_at"])
        from zhifa.cases.documents.issue import issue_document

        document = issue_document(
            case=case,
            doc_type=DocType.LEGAL_REVIEW_OPINION,
            extra={"answers": cleaned, "review_id": locked.pk},
            actor=actor,
            on_date=today,
        )
        action = "review_pass" if passed else "review_fail"
        case = perform(
            actor=actor,
            case=case,
            action=action,
            payload={"note": opinion[:2000]},
            record=False,
            on_date=today,
        )
        record_event(
            actor=actor,
            action="case.review",
            obj=case,
            before={"state": CaseState.REVIEW},
            after={
                "state": case.state,
                "transition": action,
                "review": locked.pk,
                "tier": locked.tier,
                "round": locked.round,
                "passed": passed,
                "answers": cleaned,
                "opinion": opinion,
                "panel": members,
                "qualification_confirmed": first,
                "document": document.pk,
            },
        )
    return locked


def may_raise(user: Any, review: LegalReview) -> bool:
    """The case's officers and leaders, and the reviewers of the pending round, may raise its tier."""
    return can_work_on(user, review.case) or may_decide(user, review) or may_add_first_opinion(user, review)


def review_raise_tier(
    *, actor: Any, case: Case, tier: str, reason: str, version: int | None = None
) -> LegalReview:
    """Raise the tier of the pending review (seed 000: raised, never lowered): the same round is
    re-targeted at the higher tier with a new time limit, and case.review_tier / review_agency follow."""
    from zhifa.cases.effects import review_agency_for

    current = case.reviews.order_by("-round", "-id").first()
    if current is None or current.status != ReviewStatus.PENDING:
        raise ServiceError(ErrorCode.INVALID_STATE, _("没有待审核的法制审核。"), field="tier")
    if not may_raise(actor, current):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权调整该案件的审核层级。"))
    if tier not in TIER_ORDER:
        raise ServiceError(ErrorCode.INVALID, _("审核层级不正确。"), field="tier")
    new_tier = ReviewTier(tier)
    if TIER_ORDER[new_tier] <= TIER_ORDER[ReviewTier(current.tier)]:
        raise ServiceError(
            ErrorCode.INVALID,
            _("审核层级只能提高，不能低于或等于“%(tier)s”。") % {"tier": ReviewTier(current.tier).label},
            field="tier",
        )
    reason = _text(reason, field="reason", label=_("提级理由"), limit=2000)
    today = timezone.localdate()
    with transaction.atomic():
        locked, fresh = _lock_pending(current)
        expected = fresh.version if version is None else version
        old = locked.tier
        agency = review_agency_for(fresh, new_tier)
        due = deadlines.legal_review_due(
            today, working_days=settings_for(fresh.agency)["review_days"].as_int()
        )
        locked.tier, locked.submitted_at, locked.due_on, locked.panel = new_tier, timezone.now(), due.due, []
        locked.save(update_fields=["tier", "submitted_at", "due_on", "panel"])
        updated = Case.objects.filter(pk=fresh.pk, version=expected, state=CaseState.REVIEW).update(
            review_tier=new_tier, review_agency=agency, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise moved_on(case)
        fresh.refresh_from_db()
        _update_next_due(fresh, today)
        data = {"review": locked.pk, "from": old, "to": new_tier.value, "due_on": due.due.isoformat()}
        _step(fresh, actor, RAISE_STEP, reason, data)
        record_event(
            actor=actor,
            action="case.review_raise_tier",
            obj=fresh,
            before={"tier": old},
            after={**data, "review_agency": agency.pk if agency else None, "reason": reason},
        )
    return locked


def _update_next_due(case: Case, today: datetime.date) -> None:
    due_on, due_key = next_due(case, today)
    if (due_on, due_key) != (case.next_due_on, case.next_due_key):
        Case.objects.filter(pk=case.pk).update(next_due_on=due_on, next_due_key=due_key)
        case.next_due_on, case.next_due_key = due_on, due_key


def review_extend(*, actor: Any, review: LegalReview, reason: str) -> LegalReview:
    """Extend a pending review's time limit once by the setting review_extra_days (GO118 (十四)), with
    the reason: the reviewers of the round or a leader of the case's agency record the approval."""
    case = review.case
    if not (may_decide(actor, review) or can_lead(actor, case)):
        raise _not_allowed(review)
    reason = _text(reason, field="reason", label=_("延长理由"), limit=2000)
    today = timezone.localdate()
    with transaction.atomic():
        locked, fresh = _lock_pending(review)
        done = CaseStep.objects.filter(case=fresh, action=EXTEND_STEP).values_list("data", flat=True)
        if any((d or {}).get("review") == locked.pk and (d or {}).get("tier") == locked.tier for d in done):
            raise ServiceError(ErrorCode.INVALID_STATE, _("审核期限已延长过一次。"), field="reason")
        extra = settings_for(fresh.agency)["review_extra_days"].as_int()
        old = locked.due_on
        locked.due_on = add_working_days(old, extra)
        locked.save(update_fields=["due_on"])
        _update_next_due(fresh, today)
        data = {
            "review": locked.pk,
            "tier": locked.tier,
            "from": old.isoformat(),
            "due_on": locked.due_on.isoformat(),
        }
        _step(fresh, actor, EXTEND_STEP, reason, data)
        record_event(
            actor=actor,
            action="case.review_extend",
            obj=fresh,
            before={"due_on": old.isoformat()},
            after={**data, "days": extra, "reason": reason},
        )
    return locked


def review_first_opinion(*, actor: Any, review: LegalReview, opinion: str) -> LegalReview:
    """The case's own legal reviewer adds a first opinion (初审意见) to a department or panel review."""
    if not may_add_first_opinion(actor, review):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("只有本机关法制审核人员可以提出初审意见。"))
    opinion = _text(opinion, field="opinion", label=_("初审意见"))
    with transaction.atomic():
        locked, fresh = _lock_pending(review)
        data = {"review": locked.pk, "tier": locked.tier}
        _step(fresh, actor, FIRST_OPINION, opinion, data)
        record_event(
            actor=actor, action="case.review_first_opinion", obj=fresh, after={**data, "opinion": opinion}
        )
    return locked
