"""The publication services (issue 6, point 2): publish, "not published", record a revocation, withdraw.

Each test asserts the database after the call: the stored public text, the state, the dates the law
sets, and exactly one record event per service call (APL Art. 47; DESIGN.md).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from zhifa.core import calendar as cal
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.disclosure import rules
from zhifa.disclosure.drafting import build_draft
from zhifa.disclosure.models import (
    ExemptReason,
    Publication,
    PublicationKind,
    PublicationState,
    WithdrawalReason,
)
from zhifa.disclosure.services import (
    publication_exempt,
    publication_publish,
    publication_record_revocation,
    publication_withdraw,
)
from zhifa.disclosure.tests.queue_builders import (
    ORGANISATION,
    PERSON,
    events_of,
    penalty_case,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


NOTICE = "该处罚决定已被依法撤销，现撤回原公示信息。"


def refused(call, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as info:
        call(**kwargs)
    return info.value


def published(world, **options) -> Publication:
    case = penalty_case(world, **options)
    return publication_publish(actor=world.leader, case_pk=case.pk)


# --- publish -------------------------------------------------------------------------------------------


def test_publish_stores_the_redacted_text_without_the_persons_identifiers(world):
    """ZJ-PUB Art. 5-8 and APL Art. 50 (GO118 "作适当处理"): the ID number, phone, home address and the
    natural person's name printed in the decision letter are not in what is published."""
    case = penalty_case(world, person=True)
    original = build_draft(case).original
    printed = [value for value in PERSON.values() if value in original]
    assert PERSON["name"] in original and PERSON["id_number"] in original, original
    before = events_of()

    publication = publication_publish(actor=world.leader, case_pk=case.pk)

    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED
    assert publication.kind == PublicationKind.PENALTY
    assert publication.body and publication.decision_number == case.decision_number
    public_text = " ".join(
        [publication.body, publication.party_name, publication.title, publication.search_terms]
    )
    for secret in printed:
        assert secret not in public_text, secret
    assert publication.party_name != PERSON["name"] and publication.party_name.startswith(PERSON["name"][0])
    assert publication.published_on == timezone.localdate()
    assert publication.published_by == world.leader
    assert events_of() == before + 1
    assert events_of(publication) == 1


def test_an_organisation_keeps_its_name_and_credit_code(world):
    """ZJ-PUB Art. 5-8: only natural persons' data is hidden; the punished organisation is named
    (SAMR Order 45 Art. 4: the party is part of the summary)."""
    publication = published(world)
    assert publication.party_name == ORGANISATION["name"]
    assert publication.party_uscc == ORGANISATION["id_number"]
    assert ORGANISATION["legal_representative"] not in publication.body


def test_penalty_publication_is_due_seven_working_days_after_the_decision(world):
    """GO118 (六): a penalty decision is public within 7 working days; the publication keeps that date."""
    publication = published(world)
    decided = publication.decided_on
    assert publication.due_on == rules.publication_due(PublicationKind.PENALTY, decided).due
    assert cal.working_days_between(decided, publication.due_on) == 7


def test_extra_masks_only_add_to_the_automatic_redaction(world):
    """GO118 "作适当处理": the reviewer masks more; the automatic masks stay (never less)."""
    case = penalty_case(world, person=True)
    assert "灭火器" in build_draft(case).original

    publication = publication_publish(
        actor=world.leader, case_pk=case.pk, extra_masks=["灭火器", " ", "灭火器"]
    )

    assert "灭火器" not in publication.body
    assert publication.extra_masks == ["灭火器"]
    assert PERSON["id_number"] not in publication.body and PERSON["name"] not in publication.body


def test_a_mask_that_is_not_in_the_original_is_refused_naming_the_field(world):
    """Masks are strings of the original: a string that is not there masks nothing and is refused."""
    case = penalty_case(world)
    before = events_of()
    error = refused(publication_publish, actor=world.leader, case_pk=case.pk, extra_masks=["不存在的文字"])
    assert (error.code, error.field) == (ErrorCode.INVALID, "extra_masks")
    assert "不存在的文字" in error.message
    assert not Publication.objects.filter(case=case).exists()
    assert events_of() == before


def test_a_second_publish_of_the_same_case_is_refused(world):
    """One publication per decided case (the withdrawn one stays, APL Art. 48)."""
    publication = published(world)
    before = events_of()
    error = refused(publication_publish, actor=world.reviewer, case_pk=publication.case_id)
    assert error.code == ErrorCode.DUPLICATE
    assert Publication.objects.filter(case_id=publication.case_id).count() == 1
    assert events_of() == before


@pytest.mark.parametrize(
    "role, place",
    [(RoleCode.OFFICER, "t0"), (RoleCode.JUSTICE_BUREAU, "county"), (RoleCode.TEAM_LEADER, "t1")],
)
def test_only_the_deciding_agencys_leaders_and_reviewers_publish(world, role, place):
    """GO118 (三) 谁执法谁公示: the deciding agency publishes, through its team leaders and legal
    reviewers; officers, the justice bureau and another township do not."""
    case = penalty_case(world)
    error = refused(publication_publish, actor=world.user(role, place), case_pk=case.pk)
    assert error.code == ErrorCode.NOT_ALLOWED
    assert not Publication.objects.filter(case=case).exists()


def test_the_legal_reviewer_may_publish(world):
    """GO118 (三): the agency's legal reviewer publishes as well as its team leader."""
    case = penalty_case(world)
    publication = publication_publish(actor=world.reviewer, case_pk=case.pk)
    assert publication.published_by == world.reviewer


# --- not published -----------------------------------------------------------------------------------


def test_exempt_records_the_legal_reason_and_takes_the_case_off_the_queue(world):
    """OGI Art. 14-15: a decision that may stay unpublished is marked so, with its reason; one event."""
    case = penalty_case(world)
    before = events_of()
    publication = publication_exempt(
        actor=world.leader, case_pk=case.pk, reason=ExemptReason.PRIVACY, note="主要事实涉及他人隐私。"
    )
    assert publication.state == PublicationState.EXEMPT
    assert (publication.exempt_reason, publication.exempt_note) == (
        ExemptReason.PRIVACY,
        "主要事实涉及他人隐私。",
    )
    assert publication.published_on is None
    assert events_of() == before + 1


@pytest.mark.parametrize(
    "reason, note, field", [("", "说明", "reason"), ("nonsense", "说明", "reason"), ("privacy", " ", "note")]
)
def test_exempt_refuses_a_missing_reason_or_note(world, reason, note, field):
    case = penalty_case(world)
    error = refused(publication_exempt, actor=world.leader, case_pk=case.pk, reason=reason, note=note)
    assert error.field == field
    assert not Publication.objects.filter(case=case).exists()


# --- revocation and withdrawal ------------------------------------------------------------------------


def test_revocation_starts_three_working_days_across_a_weekend_and_a_holiday(world):
    """APL Art. 48 with Art. 85: withdrawn within 3 working days of the revocation. Revoked Thu
    2026-09-24: Fri 25 is the Mid-Autumn holiday, Sat 26 and Sun 27 the weekend, so the days are Mon 28,
    Tue 29 and Wed 30 September."""
    publication = published(world)
    Publication.objects.filter(pk=publication.pk).update(decided_on=datetime.date(2026, 9, 1))
    before = events_of(publication)

    done = publication_record_revocation(
        actor=world.leader,
        publication_pk=publication.pk,
        revoked_on=datetime.date(2026, 9, 24),
        reason=WithdrawalReason.REVOKED,
        version=publication.version,
    )

    done.refresh_from_db()
    assert done.withdrawal_due_on == datetime.date(2026, 9, 30)
    assert not cal.is_working_day(datetime.date(2026, 9, 25))
    assert (done.revoked_on, done.withdrawal_reason) == (datetime.date(2026, 9, 24), WithdrawalReason.REVOKED)
    assert done.state == PublicationState.PUBLISHED and done.version == publication.version + 1
    assert events_of(publication) == before + 1


@pytest.mark.parametrize("days", [1, -400])
def test_revocation_date_must_lie_between_the_decision_and_today(world, days):
    """The revocation cannot be in the future nor before the decision it revokes."""
    publication = published(world)
    day = timezone.localdate() + datetime.timedelta(days=days)
    error = refused(
        publication_record_revocation,
        actor=world.leader,
        publication_pk=publication.pk,
        revoked_on=day,
        reason=WithdrawalReason.CHANGED,
    )
    assert error.field == "revoked_on"
    publication.refresh_from_db()
    assert publication.revoked_on is None


def test_withdraw_keeps_the_row_and_the_events(world):
    """APL Art. 48: withdrawn with a public notice; the publication stays (state withdrawn) and so does
    its record: one event per call."""
    publication = published(world)
    publication_record_revocation(
        actor=world.leader,
        publication_pk=publication.pk,
        revoked_on=timezone.localdate(),
        reason=WithdrawalReason.REVOKED,
    )
    rows, before = Publication.objects.count(), events_of(publication)

    done = publication_withdraw(actor=world.reviewer, publication_pk=publication.pk, notice=NOTICE)

    done.refresh_from_db()
    assert done.state == PublicationState.WITHDRAWN
    assert done.withdrawn_by == world.reviewer and done.withdrawn_at is not None
    assert done.withdrawal_notice == NOTICE
    assert done.body == publication.body  # the text is kept for the record
    assert Publication.objects.count() == rows
    assert events_of(publication) == before + 1 == 3


def test_withdraw_records_the_revocation_when_it_was_not_recorded_before(world):
    """APL Art. 48: the revocation's day and reason are given with the withdrawal; the 3-working-day
    limit is stored."""
    publication = published(world)
    today = timezone.localdate()
    done = publication_withdraw(
        actor=world.leader,
        publication_pk=publication.pk,
        notice=NOTICE,
        reason=WithdrawalReason.CHANGED,
        revoked_on=today,
    )
    assert done.revoked_on == today
    assert done.withdrawal_due_on == rules.withdrawal_due(today).due
    assert events_of(publication) == 2  # publish, withdraw


@pytest.mark.parametrize("missing", ["revoked_on", "reason"])
def test_withdraw_without_a_recorded_revocation_needs_its_day_and_reason(world, missing):
    """APL Art. 48: the withdrawal says when and why the decision fell."""
    publication = published(world)
    values = {"revoked_on": timezone.localdate(), "reason": WithdrawalReason.REVOKED}
    del values[missing]
    error = refused(
        publication_withdraw, actor=world.leader, publication_pk=publication.pk, notice=NOTICE, **values
    )
    assert error.field == missing
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED


@pytest.mark.parametrize("notice", ["", "太短", "x" * 2001])
def test_withdraw_needs_a_notice_of_sensible_length(world, notice):
    """APL Art. 48: the withdrawal is explained to the public."""
    publication = published(world)
    error = refused(
        publication_withdraw,
        actor=world.leader,
        publication_pk=publication.pk,
        notice=notice,
        reason=WithdrawalReason.REVOKED,
        revoked_on=timezone.localdate(),
    )
    assert error.field == "notice"


def test_the_withdrawal_notice_is_redacted_like_the_decision(world):
    """ZJ-PUB Art. 5-8: the notice is public, so the natural person named in it is masked."""
    publication = published(world, person=True)
    notice = f"当事人{PERSON['name']}的处罚决定已被复议机关撤销，现撤回原公示信息。"
    done = publication_withdraw(
        actor=world.leader,
        publication_pk=publication.pk,
        notice=notice,
        reason=WithdrawalReason.REVOKED,
        revoked_on=timezone.localdate(),
    )
    assert PERSON["name"] not in done.withdrawal_notice
    assert "复议机关撤销" in done.withdrawal_notice


def test_a_stale_version_conflicts_on_withdraw(world):
    """Concurrent edits never silently overwrite each other: the page's version no longer matches after
    another reviewer recorded the revocation."""
    publication = published(world)
    stale = publication.version
    publication_record_revocation(
        actor=world.reviewer,
        publication_pk=publication.pk,
        revoked_on=timezone.localdate(),
        reason=WithdrawalReason.REVOKED,
        version=stale,
    )
    before = events_of(publication)
    error = refused(
        publication_withdraw, actor=world.leader, publication_pk=publication.pk, notice=NOTICE, version=stale
    )
    assert error.code == ErrorCode.CONFLICT
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED
    assert events_of(publication) == before


def test_a_withdrawn_publication_cannot_be_withdrawn_or_revoked_again(world):
    publication = published(world)
    publication_withdraw(
        actor=world.leader,
        publication_pk=publication.pk,
        notice=NOTICE,
        reason=WithdrawalReason.VOID,
        revoked_on=timezone.localdate(),
    )
    before = events_of(publication)
    again = refused(publication_withdraw, actor=world.leader, publication_pk=publication.pk, notice=NOTICE)
    assert again.code == ErrorCode.INVALID_STATE
    revoke = refused(
        publication_record_revocation,
        actor=world.leader,
        publication_pk=publication.pk,
        revoked_on=timezone.localdate(),
        reason=WithdrawalReason.VOID,
    )
    assert revoke.code == ErrorCode.INVALID_STATE
    assert events_of(publication) == before


def test_an_officer_may_not_withdraw(world):
    """APL Art. 48: the agency withdraws, through its team leaders and legal reviewers."""
    publication = published(world)
    error = refused(publication_withdraw, actor=world.officer, publication_pk=publication.pk, notice=NOTICE)
    assert error.code == ErrorCode.NOT_ALLOWED
