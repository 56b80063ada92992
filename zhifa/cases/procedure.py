"""The penalty procedure as one declarative definition: states, transitions, roles, guards, articles.

The engine (zhifa.cases.engine) runs it; `manage.py procedure_diagram` draws docs/procedure.md from it.
Nothing else moves a case between states.

- General procedure (APL Ch. 5 Sec. 3): source -> filing with approval (Art. 54) -> investigation
  (Art. 54-56) -> notice of the intended penalty with the party's rights (Art. 44) -> statement and
  defence, hearing where the party may and does ask for one (Art. 45, 63-65) -> legal review at the
  tier the case needs (Art. 58; seed 000) -> collective discussion where required (Art. 57) ->
  decision: penalty or no penalty (Art. 57, 59) -> service (Art. 61) -> execution: payment (Art. 67) or
  court enforcement (ACL Art. 53-54) -> closing -> archive.
- Simplified procedure (Art. 51-53): the on-the-spot decision, handed over and so served at once.
- Outcomes short of a penalty: rectification order (Art. 28), enforcement reminder letter, no penalty
  (Art. 33); transfer to another agency (Art. 22-25) or to the judiciary (Art. 27); suspension and
  termination.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhifa.cases import guards as g
from zhifa.cases.models import CaseState as S
from zhifa.cases.models import Procedure
from zhifa.org.models import RoleCode

Guard = Callable[[g.GuardContext], list[str]]

OFFICER = frozenset({RoleCode.OFFICER, RoleCode.TEAM_LEADER})
LEADER = frozenset({RoleCode.TEAM_LEADER})
REVIEWER = frozenset({RoleCode.LEGAL_REVIEWER, RoleCode.JUSTICE_BUREAU})
SYSTEM: frozenset[str] = frozenset()  # taken by a service (service of a document, a payment), not a button
BOTH = (Procedure.GENERAL, Procedure.SIMPLIFIED)
GENERAL = (Procedure.GENERAL,)
SIMPLIFIED = (Procedure.SIMPLIFIED,)
WORKING_STATES = (
    S.SOURCE,
    S.FILING,
    S.INVESTIGATING,
    S.NOTIFIED,
    S.HEARING,
    S.REVIEW,
    S.DISCUSSION,
    S.DECIDING,
)


@dataclass(frozen=True)
class Transition:
    """One legal move. `targets` lists every state it may lead to (more than one when the effect
    chooses, e.g. a passed review goes to discussion only where it is required)."""

    name: str
    label: str | Promise
    sources: tuple[S, ...]
    targets: tuple[S, ...]
    roles: frozenset[str]
    article: str | Promise
    guards: tuple[Guard, ...] = ()
    procedures: tuple[str, ...] = BOTH
    # Must the actor be one of the case's officers (or a team leader of its agency)?
    assigned_only: bool = True
    form: str = ""  # the input the page asks for (zhifa.cases.forms), "" for a confirmation only

    @property
    def system(self) -> bool:
        return not self.roles


TRANSITIONS: tuple[Transition, ...] = (
    # --- filing --------------------------------------------------------------------------------
    Transition(
        "propose_filing",
        _("提请立案"),
        (S.SOURCE,),
        (S.FILING,),
        OFFICER,
        _("《行政处罚法》第五十四条"),
        (
            g.facts_recorded,
            g.not_filed,
            g.has_party,
            g.competent,
            g.within_limitation,
            g.two_certified_officers,
            g.recusal_settled,
        ),
        GENERAL,
        form="note",
    ),
    Transition(
        "approve_filing",
        _("批准立案"),
        (S.FILING,),
        (S.INVESTIGATING,),
        LEADER,
        _("《行政处罚法》第五十四条"),
        (
            g.facts_recorded,
            g.has_party,
            g.competent,
            g.within_limitation,
            g.two_certified_officers,
            g.recusal_settled,
        ),
        GENERAL,
        form="note",
    ),
    Transition(
        "reject_filing",
        _("退回立案申请"),
        (S.FILING,),
        (S.SOURCE,),
        LEADER,
        _("《行政处罚法》第五十四条"),
        (g.reason_given,),
        GENERAL,
        form="reason",
    ),
    Transition(
        "decline",
        _("不予立案"),
        (S.SOURCE,),
        (S.TERMINATED,),
        LEADER,
        _("《行政处罚法》第五十四条"),
        (g.not_filed, g.reason_given),
        BOTH,
        form="reason",
    ),
    # --- outcomes short of a penalty ---------------------------------------------------------------
    Transition(
        "order_rectification",
        _("责令改正"),
        (S.SOURCE, S.INVESTIGATING),
        (S.RECTIFYING,),
        OFFICER,
        _("《行政处罚法》第二十八条"),
        (g.facts_recorded, g.has_party, g.rectification_evidence, g.two_certified_officers),
        GENERAL,
        form="rectification",
    ),
    Transition(
        "confirm_rectified",
        _("复查：已整改"),
        (S.RECTIFYING,),
        (S.EXECUTED,),
        OFFICER,
        _("《行政处罚法》第二十八条、第三十三条"),
        (g.two_certified_officers,),
        GENERAL,
        form="note",
    ),
    Transition(
        "rectification_failed",
        _("复查：未整改"),
        (S.RECTIFYING,),
        (S.SOURCE, S.INVESTIGATING),
        OFFICER,
        _("《行政处罚法》第二十八条"),
        (g.reason_given,),
        GENERAL,
        form="reason",
    ),
    Transition(
        "send_reminder",
        _("发出行政执法提示函"),
        (S.SOURCE,),
        (S.EXECUTED,),
        OFFICER,
        _("国办发〔2022〕27号（柔性执法）"),
        (g.facts_recorded, g.not_filed, g.has_party),
        GENERAL,
        form="reminder",
    ),
    # --- investigation to decision -----------------------------------------------------------------
    Transition(
        "notify",
        _("事先告知"),
        (S.INVESTIGATING,),
        (S.NOTIFIED,),
        OFFICER,
        _("《行政处罚法》第四十四条、第六十三条"),
        (
            g.has_party,
            g.has_evidence,
            g.two_certified_officers,
            g.recusal_settled,
            g.intended_penalty_valid,
            g.hearing_offered_if_qualifies,
            g.within_decision_period,
        ),
        GENERAL,
        form="notice",
    ),
    Transition(
        "propose_no_penalty",
        _("拟不予处罚，提交审核"),
        (S.INVESTIGATING,),
        (S.REVIEW,),
        OFFICER,
        _("《行政处罚法》第三十三条、第五十七条"),
        (g.has_party, g.has_evidence, g.two_certified_officers, g.reason_given),
        GENERAL,
        form="no_penalty",
    ),
    Transition(
        "open_hearing",
        _("组织听证"),
        (S.NOTIFIED,),
        (S.HEARING,),
        OFFICER,
        _("《行政处罚法》第六十四条"),
        (),
        GENERAL,
        form="hearing",
    ),
    Transition(
        "submit_review",
        _("提交法制审核"),
        (S.NOTIFIED, S.HEARING),
        (S.REVIEW,),
        OFFICER,
        _("《行政处罚法》第五十八条"),
        (g.notice_period_over, g.hearing_settled, g.officer_declared_tier),
        GENERAL,
        form="review",
    ),
    Transition(
        "review_pass",
        _("审核通过"),
        (S.REVIEW,),
        (S.DISCUSSION, S.DECIDING),
        REVIEWER,
        _("《行政处罚法》第五十八条；国办发〔2018〕118号（十三）"),
        (g.review_recorded_passed,),
        GENERAL,
        assigned_only=False,
        form="",
    ),
    Transition(
        "review_fail",
        _("审核退回"),
        (S.REVIEW,),
        (S.INVESTIGATING,),
        REVIEWER,
        _("《行政处罚法》第五十八条；国办发〔2018〕118号（十三）"),
        (g.review_recorded_failed,),
        GENERAL,
        assigned_only=False,
        form="",
    ),
    Transition(
        "discuss",
        _("集体讨论"),
        (S.DISCUSSION,),
        (S.DECIDING, S.INVESTIGATING),
        LEADER,
        _("《行政处罚法》第五十七条第二款"),
        (),
        GENERAL,
        form="discussion",
    ),
    Transition(
        "decide_penalty",
        _("作出处罚决定"),
        (S.DECIDING,),
        (S.DECIDED,),
        LEADER,
        _("《行政处罚法》第五十七条、第五十九条"),
        (
            g.has_party,
            g.two_certified_officers,
            g.notice_period_over,
            g.hearing_settled,
            g.review_passed,
            g.discussion_held_if_required,
            g.within_decision_period,
            g.decided_penalty_valid,
        ),
        GENERAL,
        form="decision",
    ),
    Transition(
        "decide_no_penalty",
        _("作出不予处罚决定"),
        (S.DECIDING,),
        (S.DECIDED,),
        LEADER,
        _("《行政处罚法》第三十三条、第五十七条"),
        (
            g.has_party,
            g.two_certified_officers,
            g.review_passed,
            g.discussion_held_if_required,
            g.within_decision_period,
            g.reason_given,
        ),
        GENERAL,
        form="no_penalty",
    ),
    # --- simplified procedure ----------------------------------------------------------------------
    Transition(
        "decide_on_the_spot",
        _("当场作出处罚决定"),
        (S.SOURCE,),
        (S.EXECUTING, S.EXECUTED),
        OFFICER,
        _("《行政处罚法》第五十一条、第五十二条"),
        (
            g.facts_recorded,
            g.has_party,
            g.two_certified_officers,
            g.competent,
            g.within_limitation,
            g.simplified_limits,
        ),
        SIMPLIFIED,
        form="on_the_spot",
    ),
    # --- service and execution (taken by the services that record them) ----------------------------
    Transition(
        "serve",
        _("送达决定书"),
        (S.DECIDED,),
        (S.EXECUTING, S.EXECUTED),
        SYSTEM,
        _("《行政处罚法》第六十一条"),
        (g.decision_served,),
        BOTH,
    ),
    Transition(
        "paid",
        _("缴清罚没款"),
        (S.EXECUTING, S.ENFORCEMENT),
        (S.EXECUTED,),
        SYSTEM,
        _("《行政处罚法》第六十七条"),
        (g.fully_paid,),
        BOTH,
    ),
    Transition(
        "apply_enforcement",
        _("申请法院强制执行"),
        (S.EXECUTING,),
        (S.ENFORCEMENT,),
        LEADER,
        _("《行政强制法》第五十三条、第五十四条"),
        (g.payment_overdue_and_reminded,),
        BOTH,
        form="note",
    ),
    Transition(
        "enforcement_done",
        _("强制执行完毕"),
        (S.ENFORCEMENT,),
        (S.EXECUTED,),
        LEADER,
        _("《行政强制法》第五十三条"),
        (g.reason_given, g.execution_time_allowed),
        BOTH,
        form="execution",
    ),
    # --- transfer, suspension, termination ----------------------------------------------------------
    Transition(
        "transfer",
        _("移交其他机关"),
        (S.SOURCE, S.FILING, S.INVESTIGATING),
        (S.TRANSFERRED,),
        LEADER,
        _("《行政处罚法》第二十二条至第二十五条"),
        (g.reason_given,),
        BOTH,
        form="transfer",
    ),
    Transition(
        "transfer_judiciary",
        _("移送司法机关"),
        (S.INVESTIGATING, S.DECIDING, S.REVIEW),
        (S.TRANSFERRED,),
        LEADER,
        _("《行政处罚法》第二十七条、第五十七条"),
        (g.reason_given,),
        GENERAL,
        form="judiciary",
    ),
    Transition(
        "suspend",
        _("中止调查"),
        WORKING_STATES[2:],
        (S.SUSPENDED,),
        LEADER,
        _("《行政处罚法》第六十条"),
        (g.reason_given,),
        GENERAL,
        form="reason",
    ),
    Transition(
        "resume",
        _("恢复调查"),
        (S.SUSPENDED,),
        WORKING_STATES[2:],
        LEADER,
        _("《行政处罚法》第六十条"),
        (),
        GENERAL,
        form="note",
    ),
    Transition(
        "terminate",
        _("终止调查"),
        (S.FILING, S.INVESTIGATING, S.SUSPENDED),
        (S.TERMINATED,),
        LEADER,
        _("《行政处罚法》第五十七条"),
        (g.reason_given,),
        GENERAL,
        form="reason",
    ),
    # --- closing and archive ---------------------------------------------------------------------
    Transition(
        "close",
        _("结案"),
        (S.EXECUTED, S.TRANSFERRED, S.TERMINATED),
        (S.CLOSED,),
        LEADER,
        _("《行政处罚法》第四十七条"),
        (g.casefile_complete,),
        BOTH,
        form="note",
    ),
    Transition(
        "archive",
        _("归档"),
        (S.CLOSED,),
        (S.ARCHIVED,),
        OFFICER,
        _("《行政处罚法》第四十七条"),
        (g.casefile_complete,),
        BOTH,
    ),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def transitions_from(state: str, procedure: str) -> list[Transition]:
    """The transitions that leave `state` in `procedure`, in definition order."""
    return [t for t in TRANSITIONS if state in t.sources and procedure in t.procedures]


def diagram(procedure: str) -> str:
    """The procedure as a Mermaid state diagram (docs/procedure.md is generated from this)."""
    lines = ["stateDiagram-v2"]
    for t in TRANSITIONS:
        if procedure not in t.procedures:
            continue
        for source in t.sources:
            for target in t.targets:
                lines.append(f"    {source.value} --> {target.value}: {t.label}")
    return "\n".join(lines)
