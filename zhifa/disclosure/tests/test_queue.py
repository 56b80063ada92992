"""The publication queue (zhifa.disclosure.selectors.queue): what enters it, when it is due, when it is late.

"Today" is frozen by passing dates to the selector, never by sleeping.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.cases.deadlines import DUE_TODAY, OK, OVERDUE, WARNING
from zhifa.cases.models import DocType, Outcome
from zhifa.cases.tests.execution_factories import spot_case
from zhifa.core import calendar as cal
from zhifa.disclosure import rules
from zhifa.disclosure.drafting import build_draft
from zhifa.disclosure.models import ExemptReason, PublicationKind, PublicationState, WithdrawalReason
from zhifa.disclosure.selectors.queue import publication_queue
from zhifa.disclosure.services import (
    publication_exempt,
    publication_publish,
    publication_record_revocation,
    publication_withdraw,
)
from zhifa.disclosure.tests.queue_builders import (
    bulk_decided,
    bulk_publications,
    no_penalty_case,
    penalty_case,
    rectification_case,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def pending(user, today=None, **filters) -> dict[int, object]:
    queue = publication_queue(user, today or timezone.localdate(), **filters)
    return {row.case.pk: row for row in queue.pending}


def test_a_decided_penalty_is_in_the_queue_at_once_due_in_seven_working_days(world):
    """GO118 (六): penalty decisions are public within 7 working days of the decision; the case is in
    the queue the moment it is decided, nothing to enqueue by hand."""
    case = penalty_case(world)
    row = pending(world.leader)[case.pk]
    assert row.kind == PublicationKind.PENALTY
    assert row.decided_on == case.decided_on == timezone.localdate()
    assert row.due.due == rules.publication_due(PublicationKind.PENALTY, case.decided_on).due
    assert (row.due.days, row.due.unit) == (7, cal.WORKING)
    assert cal.working_days_between(case.decided_on, row.due.due) == 7
    assert "（六）" in row.due.basis
    assert row.level == OK


def test_a_no_penalty_decision_is_due_in_twenty_working_days(world):
    """GO118 (六), seed 001: other enforcement decisions within 20 working days."""
    case = no_penalty_case(world)
    assert case.outcome == Outcome.NO_PENALTY
    row = pending(world.leader)[case.pk]
    assert row.kind == PublicationKind.OTHER
    assert (row.due.days, row.due.unit) == (20, cal.WORKING)
    assert cal.working_days_between(case.decided_on, row.due.due) == 20


def test_a_rectification_order_counts_from_the_day_it_was_issued(world):
    """GO118 (六): a rectification order (责令改正) is an enforcement decision published within 20 working
    days; the engine records no decision date for it, so the order's issue date starts the limit."""
    case = rectification_case(world)
    assert case.outcome == Outcome.RECTIFICATION and case.decided_on is None
    order = case.documents.get(doc_type=DocType.RECTIFICATION_ORDER)
    row = pending(world.leader)[case.pk]
    assert row.kind == PublicationKind.OTHER
    assert row.decided_on == order.issued_on
    assert row.due.due == rules.publication_due(PublicationKind.OTHER, order.issued_on).due
    draft = build_draft(case)
    assert draft.public["decided_on"] == order.issued_on
    assert draft.public["decision_number"] == order.number


def test_a_warning_only_decision_is_not_queued(world):
    """SAMR Order 45 Art. 2: a decision whose only penalty is a warning is not published."""
    case = penalty_case(world, types=["警告"], fine=None)
    assert case.penalty_types == ["警告"]
    assert case.pk not in pending(world.leader)
    assert "警告" in build_draft(case).duty.reason


def test_a_simplified_procedure_decision_is_not_queued(world):
    """SAMR Order 45 Art. 2: only decisions of the general procedure are published."""
    case = spot_case(world)
    assert case.decided_on is not None
    assert case.pk not in pending(world.leader)
    assert "简易程序" in build_draft(case).duty.reason


def test_a_minor_partys_case_is_not_queued(world):
    """ZJ-PUB Art. 5: nothing is published when the party is a minor (16 on the day of the decision)."""
    today = timezone.localdate()
    born = today.replace(year=today.year - 16)
    case = penalty_case(world, person=True, birth_date=born)
    assert case.pk not in pending(world.leader)
    assert "未成年人" in build_draft(case).duty.reason


def test_levels_on_the_due_day_before_it_and_after_it(world):
    """The level follows the due date: amber two working days before, amber on the day, red after."""
    case = penalty_case(world)
    due = rules.publication_due(PublicationKind.PENALTY, case.decided_on).due
    two_before = case.decided_on
    while cal.working_days_between(two_before, due) > 2:
        two_before += datetime.timedelta(days=1)
    assert pending(world.leader, case.decided_on)[case.pk].level == OK
    assert pending(world.leader, two_before)[case.pk].level == WARNING
    assert pending(world.leader, due)[case.pk].level == DUE_TODAY
    assert pending(world.leader, due + datetime.timedelta(days=1))[case.pk].level == OVERDUE


def test_overdue_only_filter_keeps_what_is_late(world):
    late, _fresh = bulk_decided(world, 2)
    day = timezone.localdate() - datetime.timedelta(days=40)
    type(late).objects.filter(pk=late.pk).update(decided_on=day)
    rows = pending(world.leader, overdue_only=True)
    assert set(rows) == {late.pk}
    assert rows[late.pk].level == OVERDUE


def test_kind_and_agency_filters(world):
    penalty = bulk_decided(world, 1)[0]
    other = no_penalty_case(world)
    assert set(pending(world.leader, kind=PublicationKind.PENALTY)) == {penalty.pk}
    assert set(pending(world.leader, kind=PublicationKind.OTHER)) == {other.pk}
    assert set(pending(world.leader, agency_id=world.county.township_agencies[1].pk)) == set()


def test_published_and_exempt_cases_leave_the_queue_and_show_as_recent(world):
    published, exempt = bulk_decided(world, 2)
    publication = publication_publish(actor=world.leader, case_pk=published.pk)
    kept = publication_exempt(
        actor=world.leader, case_pk=exempt.pk, reason=ExemptReason.MINOR, note="当事人未满18周岁。"
    )
    queue = publication_queue(world.leader, timezone.localdate())
    assert queue.pending == []
    assert {p.pk: p.state for p in queue.recent} == {
        publication.pk: PublicationState.PUBLISHED,
        kept.pk: PublicationState.EXEMPT,
    }


def test_a_revoked_publication_waits_in_the_withdrawals_until_withdrawn(world):
    """APL Art. 48, Art. 85: the withdrawal is due 3 working days after the revocation."""
    case = bulk_decided(world, 1)[0]
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    today = timezone.localdate()
    publication_record_revocation(
        actor=world.leader, publication_pk=publication.pk, revoked_on=today, reason=WithdrawalReason.CHANGED
    )
    due = rules.withdrawal_due(today).due
    queue = publication_queue(world.leader, today)
    assert [(w.publication.pk, w.publication.withdrawal_due_on) for w in queue.withdrawals] == [
        (publication.pk, due)
    ]
    late = publication_queue(world.leader, due + datetime.timedelta(days=1))
    assert late.withdrawals[0].level == OVERDUE
    publication_withdraw(
        actor=world.leader, publication_pk=publication.pk, notice="原决定已变更，撤回原公示信息。"
    )
    queue = publication_queue(world.leader, today)
    assert queue.withdrawals == []
    assert [(p.pk, p.state) for p in queue.recent] == [(publication.pk, PublicationState.WITHDRAWN)]


def test_the_queue_is_scoped(world):
    """Data scoping: another township's leader does not see t0's decisions; the county's justice bureau
    does."""
    case = bulk_decided(world, 1)[0]
    assert case.pk not in pending(world.user(RoleCode.TEAM_LEADER, "t1"))
    assert case.pk in pending(world.user(RoleCode.JUSTICE_BUREAU, "county"))


def test_query_count_does_not_grow_with_rows(world):
    def count(n: int, start: int) -> int:
        cases = bulk_decided(world, n, start=start)
        bulk_publications(world, bulk_decided(world, n, start=start + 5000), revoked=True)
        publication_queue(world.leader, timezone.localdate())  # warm the per-process caches
        with CaptureQueriesContext(connection) as queries:
            queue = publication_queue(world.leader, timezone.localdate())
        assert len(queue.pending) >= len(cases)
        return len(queries)

    few = count(10, 0)
    many = count(90, 100)
    assert many == few
