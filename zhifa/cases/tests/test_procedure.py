"""The procedure definition and the engine's own rules (roles, state, version, guards, record)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhifa.cases.engine import available_actions, perform
from zhifa.cases.models import OPEN_STATES, CaseState, CaseStep, Procedure
from zhifa.cases.procedure import BY_NAME, TRANSITIONS
from zhifa.cases.tests.factories import add_party, open_case, ready_case, staff
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db
FORMS = {
    "",
    "note",
    "reason",
    "rectification",
    "reminder",
    "notice",
    "no_penalty",
    "hearing",
    "review",
    "discussion",
    "decision",
    "on_the_spot",
    "transfer",
    "judiciary",
    "execution",
}


def test_definition_is_consistent():
    assert len(BY_NAME) == len(TRANSITIONS)
    for t in TRANSITIONS:
        assert t.sources and t.targets, t.name
        assert str(t.article).startswith(("《", "国办发")), t.name
        assert t.form in FORMS, t.name
        for guard in t.guards:
            # Every guard says which rule it enforces (an article, GO118, or a seed).
            doc = guard.__doc__ or ""
            assert guard.__name__ in ("not_filed", "filed", "reason_given") or (
                "Art." in doc or "GO118" in doc or "seed" in doc
            ), guard.__name__


def test_every_state_is_reachable_and_open_states_can_move():
    for procedure in Procedure:
        reached = {CaseState.SOURCE}
        changed = True
        while changed:
            changed = False
            for t in TRANSITIONS:
                if procedure in t.procedures and reached & set(t.sources):
                    new = set(t.targets) - reached
                    if new:
                        reached |= new
                        changed = True
        assert CaseState.ARCHIVED in reached, procedure
        for state in reached & set(OPEN_STATES):
            assert any(state in t.sources for t in TRANSITIONS if procedure in t.procedures), state


def test_committed_diagram_is_current():
    call_command("procedure_diagram", "docs/procedure.md", check=True)


def test_filing_proposal_records_a_step_and_one_event(world):
    case = ready_case(world)
    events = Event.objects.count()
    case = perform(actor=world.officer, case=case, action="propose_filing", payload={"note": "事实清楚"})
    assert case.state == CaseState.FILING
    assert case.version == 2
    step = CaseStep.objects.get(case=case)
    assert (step.action, step.from_state, step.to_state, step.note) == (
        "propose_filing",
        "source",
        "filing",
        "事实清楚",
    )
    assert Event.objects.count() == events + 1
    assert Event.objects.order_by("-seq").first().action == "case.propose_filing"


def test_guards_refuse_with_every_reason(world):
    """APL Art. 42-43, 59: no party, no officers: every reason is given at once."""
    case = open_case(world)
    case.officers.all().delete()
    with pytest.raises(ValidationErrors) as caught:
        perform(actor=world.leader, case=case, action="propose_filing")
    fields = {e.field for e in caught.value.errors}
    assert {"has_party", "two_certified_officers"} <= fields
    case.refresh_from_db()
    assert case.state == CaseState.SOURCE and case.version == 1
    assert not CaseStep.objects.filter(case=case).exists()


def test_workspace_options_give_reasons(world):
    case = open_case(world)
    options = {o.name: o for o in available_actions(world.officer, case)}
    assert not options["propose_filing"].allowed
    assert "请先登记当事人。" in options["propose_filing"].reasons
    add_party(case)
    staff(case, world)
    options = {o.name: o for o in available_actions(world.officer, case)}
    assert options["propose_filing"].allowed
    assert not options["decline"].allowed  # a team leader's step


def test_competence_checked_at_filing(world):
    """APL Art. 22-24: the resolver names the market department for the ungranted item."""
    case = ready_case(world, item=world.ungranted)
    with pytest.raises(ValidationErrors) as caught:
        perform(actor=world.officer, case=case, action="propose_filing")
    assert any(e.field == "competent" for e in caught.value.errors)


def test_limitation_checked_at_filing(world):
    """APL Art. 36: two years, five where life/health is at stake and harm occurred."""
    today = timezone.localdate()
    old = {"act_on": today - datetime.timedelta(days=3 * 365), "discovered_on": today}
    case = ready_case(world, **old)
    with pytest.raises(ValidationErrors) as caught:
        perform(actor=world.officer, case=case, action="propose_filing")
    assert any(e.field == "within_limitation" for e in caught.value.errors)
    case = ready_case(world, art36_harm=True, **old)
    assert perform(actor=world.officer, case=case, action="propose_filing").state == CaseState.FILING


def test_recusal_statement_required(world):
    """APL Art. 43: each officer declares no ground for recusal."""
    case = ready_case(world)
    case.officers.update(no_conflict_declared=False)
    with pytest.raises(ValidationErrors) as caught:
        perform(actor=world.officer, case=case, action="propose_filing")
    assert any(e.field == "recusal_settled" for e in caught.value.errors)


def test_roles_scope_state_and_version(world):
    case = ready_case(world)
    for user in (world.user(RoleCode.GRID_WORKER), world.user(RoleCode.OFFICER, "t1"), world.reviewer):
        with pytest.raises(ServiceError) as caught:
            perform(actor=user, case=case, action="propose_filing")
        assert caught.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as caught:
        perform(actor=world.leader, case=case, action="approve_filing")
    assert caught.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError) as caught:
        perform(actor=world.officer, case=case, action="propose_filing", version=7)
    assert caught.value.code == ErrorCode.CONFLICT
    with pytest.raises(ServiceError) as caught:
        perform(actor=world.officer, case=case, action="serve", payload={"served_on": "2026-01-01"})
    assert caught.value.code == ErrorCode.NOT_ALLOWED  # the service of a document takes this step


def test_reject_filing_returns_with_reason(world):
    case = perform(actor=world.officer, case=ready_case(world), action="propose_filing")
    with pytest.raises(ValidationErrors):
        perform(actor=world.leader, case=case, action="reject_filing", payload={"reason": " "})
    case = perform(actor=world.leader, case=case, action="reject_filing", payload={"reason": "证据不足"})
    assert case.state == CaseState.SOURCE
    assert case.steps.last().note == "证据不足"


def test_open_case_keeps_the_filing_deadline(world):
    """APL Art. 54 (local setting: 15 working days from discovery): the list's overdue filter uses it."""
    case = open_case(world)
    assert case.next_due_key == "filing"
    assert case.next_due_on > case.discovered_on


def test_execution_is_refused_at_night_and_on_holidays(world):
    """ACL Art. 43: no execution at night or on statutory holidays, unless urgent with the reason."""
    from zhifa.cases.guards import GuardContext, execution_time_allowed

    case = open_case(world)
    ctx = GuardContext(case, world.leader, None, timezone.localdate())
    ctx.payload = {"executed_at": "2026-03-10T23:30:00"}
    assert execution_time_allowed(ctx)
    ctx.payload = {"executed_at": "2026-10-02T10:00:00"}  # National Day
    assert execution_time_allowed(ctx)
    ctx.payload = {"executed_at": "2026-03-10T10:00:00"}  # a Tuesday morning
    assert execution_time_allowed(ctx) == []
    ctx.payload = {"executed_at": "2026-03-10T23:30:00", "emergency": True, "emergency_reason": ""}
    assert execution_time_allowed(ctx)
    ctx.payload = {"executed_at": "2026-03-10T23:30:00", "emergency": True, "emergency_reason": "危及安全"}
    assert execution_time_allowed(ctx) == []
