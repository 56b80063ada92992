"""The publication rules on the official 2025/2026 holiday schedules (LAW.md sections 3, 4, 7).

2026: Feb 15-23 off (work Sat Feb 14 and Sat Feb 28); Oct 1-7 off (work Sun Sep 20, Sat Oct 10).
2025: May 1-5 off (work Sun Apr 27).
"""

from __future__ import annotations

import datetime

import pytest

from zhifa.cases.settings_defaults import settings_for
from zhifa.core.calendar import WORKING
from zhifa.disclosure import rules
from zhifa.disclosure.models import PublicationKind

D = datetime.date


def duty(**overrides):
    values = {"procedure": "general", "outcome": "penalty", "penalty_types": ["罚款"], "party_minor": False}
    return rules.publication_duty(**(values | overrides))


def test_penalty_decision_due_in_seven_working_days_over_spring_festival_2026(db):
    """GO118 (六): penalty decisions public within 7 working days of the decision (APL Art. 85 counting).

    Decided Thu 2026-02-12: Fri 13, Sat 14 (make-up working day), the holiday Feb 15-23, then Tue 24,
    Wed 25, Thu 26, Fri 27 and Sat 28 (make-up working day): the 7th working day is Sat 28 Feb.
    """
    due = rules.publication_due(PublicationKind.PENALTY, D(2026, 2, 12))
    assert (due.unit, due.days) == (WORKING, 7)
    assert due.due == D(2026, 2, 28)
    assert "（六）" in due.basis


def test_other_decision_due_in_twenty_working_days_over_national_day_2026(db):
    """GO118 (六) and seed 001: other enforcement decisions within 20 working days.

    Decided Wed 2026-09-23 (Sep 25-27 and Oct 1-7 off, Sat Oct 10 worked): 24, 28, 29, 30, Oct 8, 9, 10,
    12-16, 19-23, 26, 27, 28 -> the 20th working day is Wed Oct 28.
    """
    due = rules.publication_due(PublicationKind.OTHER, D(2026, 9, 23))
    assert (due.unit, due.days) == (WORKING, 20)
    assert due.due == D(2026, 10, 28)


def test_withdrawal_within_three_working_days_over_labour_day_2025(db):
    """APL Art. 48 with Art. 85: withdrawn within 3 working days of the revocation (Apr 30 -> May 8)."""
    due = rules.withdrawal_due(D(2025, 4, 30))
    assert due.due == D(2025, 5, 8)
    assert "第四十八条" in due.basis


def test_general_procedure_penalty_is_published_as_a_penalty_decision():
    """GO118 (六): penalty decisions are published."""
    assert duty() == rules.Duty(True, PublicationKind.PENALTY)


@pytest.mark.parametrize("outcome", ["no_penalty", "rectification"])
def test_other_decisions_are_published_as_other_decisions(outcome):
    """GO118 (六): other enforcement decisions (agency, target, category, conclusion) are published."""
    assert duty(outcome=outcome, penalty_types=[]) == rules.Duty(True, PublicationKind.OTHER)


def test_warning_only_penalty_is_not_published():
    """SAMR Order 45 Art. 2: a decision whose only penalty is a warning is not published."""
    result = duty(penalty_types=["警告"])
    assert not result.required and "第二条" in result.reason
    assert duty(penalty_types=["警告", "罚款"]).required


def test_simplified_procedure_is_not_published():
    """SAMR Order 45 Art. 2: only decisions of the general procedure are published."""
    result = duty(procedure="simplified")
    assert not result.required and "简易程序" in result.reason


def test_minor_party_is_not_published():
    """ZJ-PUB Art. 5 (OGI Art. 15): nothing is published when the party is a minor."""
    result = duty(party_minor=True)
    assert not result.required and "未成年人" in result.reason


@pytest.mark.parametrize("outcome", ["reminder", "transfer", "judiciary", "terminated", ""])
def test_outcomes_that_are_not_decisions_are_not_published(outcome):
    assert not duty(outcome=outcome).required


def test_minor_on_the_decision_date():
    """ZJ-PUB Art. 5: under 18 on the day of the decision; the 18th birthday itself is adult."""
    born = D(2008, 3, 10)
    assert rules.is_minor(born, D(2026, 3, 9))
    assert not rules.is_minor(born, D(2026, 3, 10))
    assert not rules.is_minor(None, D(2026, 3, 10))


def test_publication_period_ends_after_its_years():
    """SAMR Order 45 Art. 13: removed after the period; 29 February moves to 28 February."""
    assert rules.expires_on(D(2026, 5, 20), years=3) == D(2029, 5, 20)
    assert rules.expires_on(D(2028, 2, 29), years=2) == D(2030, 2, 28)


def test_publication_period_defaults_three_years_two_for_a_person(county):
    """LAW.md settings: 3 years (SAMR Order 45 Art. 13), 2 years for a natural person (local practice)."""
    local = settings_for(county.township_agencies[0])
    assert rules.publication_years(local, natural_person=False) == 3
    assert rules.publication_years(local, natural_person=True) == 2
    assert int(local[rules.SETTING_MASK_PARTY].value) == 1
