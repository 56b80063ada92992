"""The public flow charts of the penalty procedure, generated from its definition (zhifa.cases.procedure).

GO118 (四): the procedures are published as flow charts with their time limits; APL Art. 39: the
procedure and the remedies are published. The chart is derived, never drawn by hand, so it cannot
drift from the engine:

- the main line of a procedure is the longest chain of forward moves (a move is forward when its target
  comes later in CaseState's declared order) from the state no forward move enters to the state no
  move leaves (the archive); moves back (returned for rework) are internal and not shown;
- a step of the main line is optional when a move of the main line can also pass it by (a hearing only
  on request, collective discussion only where required, execution only when something is to be paid);
- every other forward move leaving the main line is an "other outcome" (rectification order, transfer,
  suspension...), listed with the steps it may leave and its follow-up moves;
- the time limits of each step come from zhifa.cases.deadlines (and, where local rules set them, from
  the area's procedure settings); the party's rights at each step cite their articles.

Only public-facing facts are shown: steps, articles, time limits and rights, never role names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases import deadlines, rules
from zhifa.cases.models import CaseState, Procedure
from zhifa.cases.procedure import TRANSITIONS, Transition
from zhifa.cases.settings_defaults import DEFAULTS, SettingValue
from zhifa.core.calendar import Deadline

S = CaseState
ORDER: dict[str, int] = {state.value: index for index, state in enumerate(CaseState)}
# The deadline functions compute dates; the chart needs only their length, unit and article, so they are
# called on a fixed Monday (any day gives the same length and article).
REFERENCE_DAY = datetime.date(2025, 3, 3)

# Public names of steps whose case-state name describes a waiting status ("待送达"), not the step.
STEP_TITLES: dict[str, object] = {
    S.DECIDING: gettext_lazy("作出决定"),
    S.DECIDED: gettext_lazy("送达"),
    S.EXECUTING: gettext_lazy("执行"),
    S.EXECUTED: gettext_lazy("执行完毕"),
    S.CLOSED: gettext_lazy("结案"),
    S.ARCHIVED: gettext_lazy("归档"),
}


@dataclass(frozen=True)
class Move:
    """A transition as the public sees it: what happens and the article it rests on."""

    name: str
    label: str
    article: str


@dataclass(frozen=True)
class Note:
    """A time limit (`amount` set) or a right of the party, with its article."""

    text: str
    basis: str
    amount: str = ""


@dataclass(frozen=True)
class Step:
    state: str
    title: str
    optional: bool
    moves: tuple[Move, ...]  # the moves that lead on along the main line
    limits: tuple[Note, ...]
    rights: tuple[Note, ...]
    conditions: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A move off the main line: where it may happen, where it leads, and what may follow."""

    move: Move
    at: str
    leads_to: str
    then: tuple[Move, ...]


@dataclass(frozen=True)
class Chart:
    procedure: str
    label: str
    steps: tuple[Step, ...]
    outcomes: tuple[Outcome, ...]


def _title(state: str) -> str:
    return str(STEP_TITLES.get(state, CaseState(state).label))


def _move(t: Transition) -> Move:
    return Move(t.name, str(t.label), str(t.article))


def _transitions(procedure: str) -> list[Transition]:
    return [t for t in TRANSITIONS if procedure in t.procedures]


def main_line(procedure: str) -> list[str]:
    """The states of the procedure's main line, in order (see the module docstring)."""
    transitions = _transitions(procedure)
    edges = {(s.value, t.value) for tr in transitions for s in tr.sources for t in tr.targets}
    forward = sorted((a, b) for a, b in edges if ORDER[b] > ORDER[a])
    entered = {b for _a, b in forward}
    start = min({a for a, _b in forward} - entered, key=ORDER.__getitem__)
    # Forward moves go up CaseState's order, so that order is a topological order of the forward graph.
    best: dict[str, list[str]] = {start: [start]}
    for state in sorted(ORDER, key=ORDER.__getitem__):
        if state not in best:
            continue
        for a, b in forward:
            if a == state and (b not in best or len(best[state]) + 1 > len(best[b])):
                best[b] = [*best[state], b]
    leaving = {a for a, _b in edges}
    ends = [state for state in best if state not in leaving]
    end = max(ends, key=lambda state: (len(best[state]), -ORDER[state]))
    return best[end]


def build_chart(procedure: str, settings: Mapping[str, SettingValue] | None = None) -> Chart:
    """The flow chart of `procedure` ("general" or "simplified"), with the area's local settings."""
    settings = settings or {}
    line = main_line(procedure)
    index = {state: i for i, state in enumerate(line)}
    transitions = _transitions(procedure)

    def edges(t: Transition) -> list[tuple[str, str]]:
        return [(s.value, d.value) for s in t.sources for d in t.targets]

    def on_line(t: Transition) -> bool:
        return any(a in index and b in index and index[b] == index[a] + 1 for a, b in edges(t))

    main = [t for t in transitions if on_line(t)]
    passed_by = {
        state
        for t in main
        for a, b in edges(t)
        if a in index and b in index
        for state in line[index[a] + 1 : index[b]]
    }
    steps = []
    for i, state in enumerate(line):
        moves = tuple(
            _move(t) for t in main if any(a == state and b in index and index[b] > i for a, b in edges(t))
        )
        n = NOTES[procedure](state, settings)
        notes = (tuple(n.limits), tuple(n.rights), tuple(n.conditions))
        steps.append(Step(state, _title(state), state in passed_by, moves, *notes))
    outcomes = tuple(_outcomes(transitions, main, line))
    return Chart(procedure, str(Procedure(procedure).label), tuple(steps), outcomes)


def _outcomes(transitions: list[Transition], main: list[Transition], line: list[str]) -> list[Outcome]:
    index = {state: i for i, state in enumerate(line)}
    outcomes = []
    for t in transitions:
        if t in main:
            continue
        sources = sorted((s.value for s in t.sources if s.value in index), key=index.__getitem__)
        targets = [d.value for d in t.targets]
        forward = [d for d in targets if any(ORDER[d] > ORDER[s] for s in sources)]
        if not sources or not forward:
            continue  # starts off the main line (a follow-up) or only goes back (internal rework)
        off_line = [d for d in targets if d not in index]
        then = tuple(
            _move(f)
            for f in transitions
            if f not in main and f is not t and any(s.value in off_line for s in f.sources)
        )
        outcomes.append(Outcome(_move(t), _span(sources, index), "、".join(map(_title, forward)), then))
    return outcomes


def _span(states: list[str], index: Mapping[str, int]) -> str:
    """ "A至B" for three or more consecutive steps, else the steps joined by "、"."""
    positions = [index[s] for s in states]
    if len(states) >= 3 and positions == list(range(positions[0], positions[0] + len(states))):
        return _("%(first)s至%(last)s") % {"first": _title(states[0]), "last": _title(states[-1])}
    return "、".join(map(_title, states))


# --- time limits and rights per step --------------------------------------------------------------


def _days(deadline: Deadline) -> str:
    if deadline.is_working:
        return _("%(n)d个工作日") % {"n": deadline.days}
    return _("%(n)d日") % {"n": deadline.days}


def _setting(settings: Mapping[str, SettingValue], key: str) -> tuple[int, str]:
    """A local setting's value, and its source when the area set it (LAW.md last table: a configured
    value is shown with its source)."""
    value = settings.get(key)
    if value is None or value.is_default:
        return int(value.value if value is not None else DEFAULTS[key].value), ""
    return value.as_int(), _("（本地规定：%(source)s）") % {"source": value.source} if value.source else ""


def _limit(text: str, deadline: Deadline, source: str = "") -> Note:
    return Note(text, str(deadline.basis) + source, _days(deadline))


@dataclass
class StepNotes:
    limits: list[Note] = field(default_factory=list)
    rights: list[Note] = field(default_factory=list)
    conditions: list[Note] = field(default_factory=list)


def remedy_notes() -> list[Note]:
    """Reconsideration within 60 days (ARL Art. 20) and litigation within 6 months (ALL Art. 46) of
    knowing the decision (LAW.md section 9)."""
    return [
        Note(
            _("申请行政复议：自知道或者应当知道该行政行为之日起六十日内"),
            _("《行政复议法》第二十条"),
            _("60日"),
        ),
        Note(
            _("提起行政诉讼：自知道或者应当知道作出行政行为之日起六个月内"),
            _("《行政诉讼法》第四十六条"),
            _("6个月"),
        ),
    ]


def _general(state: str, settings: Mapping[str, SettingValue]) -> StepNotes:
    """Time limits and rights of a step of the general procedure (APL Ch. 5 Sec. 3; LAW.md 1.3-1.7, 9)."""
    R = REFERENCE_DAY
    if state == S.SOURCE:
        text = _("违法行为二年内未被发现的不再处罚；涉及公民生命健康安全、金融安全且有危害后果的为五年")
        return StepNotes([Note(text, _("《行政处罚法》第三十六条"), _("2年/5年"))])
    if state == S.FILING:
        days, source = _setting(settings, "filing_days")
        due = deadlines.filing_due(R, working_days=days)
        return StepNotes([_limit(_("自发现违法线索之日起决定是否立案"), due, source)])
    if state == S.INVESTIGATING:
        return StepNotes(
            [
                _limit(_("先行登记保存证据后作出处理决定"), deadlines.preservation_due(R)),
                _limit(_("查封、扣押期限（情况复杂的可延长30日）"), deadlines.seizure_due(R)),
            ],
            [
                Note(
                    _("执法人员不少于两人，主动出示执法证件；未出示的，当事人有权拒绝接受调查或者检查"),
                    _("《行政处罚法》第四十二条、第五十五条"),
                ),
                Note(_("认为执法人员与案件有利害关系的，有权申请回避"), _("《行政处罚法》第四十三条")),
            ],
        )
    if state == S.NOTIFIED:
        days, source = _setting(settings, "statement_days")
        return StepNotes(
            [
                _limit(
                    _("收到告知书后提出陈述、申辩"), deadlines.statement_due(R, working_days=days), source
                ),
                _limit(_("收到告知书后要求听证"), deadlines.hearing_request_due(R)),
            ],
            [
                Note(
                    _("有权陈述、申辩；行政机关不得因当事人陈述、申辩而给予更重的处罚"),
                    _("《行政处罚法》第四十四条、第四十五条"),
                ),
                Note(
                    _(
                        "拟作出较大数额罚款、没收较大数额违法所得或非法财物、降低资质等级、吊销许可证件、"
                        "责令停产停业、责令关闭、限制从业等处罚的，有权要求听证"
                    ),
                    _("《行政处罚法》第六十三条"),
                ),
            ],
        )
    if state == S.HEARING:
        notice = deadlines.hearing_notice_latest(R + datetime.timedelta(days=30))
        return StepNotes(
            [_limit(_("举行听证前，至少提前通知当事人及有关人员听证的时间、地点"), notice)],
            [
                Note(_("听证不收取任何费用"), _("《行政处罚法》第六十三条第二款")),
                Note(
                    _(
                        "除涉及国家秘密、商业秘密或者个人隐私外，听证公开举行；当事人可以亲自参加，"
                        "也可以委托一至二人代理，可以申请主持人回避"
                    ),
                    _("《行政处罚法》第六十四条"),
                ),
            ],
        )
    if state == S.REVIEW:
        days, source = _setting(settings, "review_days")
        extra, _extra_source = _setting(settings, "review_extra_days")
        text = _("法制审核（经批准可延长%(extra)d个工作日）") % {"extra": extra}
        return StepNotes([_limit(text, deadlines.legal_review_due(R, working_days=days), source)])
    if state == S.DECIDING:
        extension, _source = _setting(settings, "extension_days")
        text = _("自立案之日起作出处罚决定（经批准可延长%(ext)d日）") % {"ext": extension}
        return StepNotes([_limit(text, deadlines.decision_due(R))])
    if state == S.DECIDED:
        return StepNotes(
            [_limit(_("当事人不在场的，作出决定后送达决定书"), deadlines.service_due(R))],
            [Note(_("电子送达须经当事人同意并签订确认书"), _("《行政处罚法》第六十一条"))],
        )
    if state == S.EXECUTING:
        return _payment()
    if state == S.ENFORCEMENT:
        window = deadlines.court_application_window(R)
        text = _("复议、诉讼期限届满后仍不履行的，行政机关在三个月内申请人民法院强制执行")
        reminder = _("申请强制执行前须催告，催告书送达十日后当事人仍未履行的方可申请")
        return StepNotes(
            [
                Note(text, str(window.basis), _("3个月")),
                Note(reminder, _("《行政强制法》第五十四条"), _("10个工作日")),
            ]
        )
    return StepNotes()


def _payment() -> StepNotes:
    """Paying the fine (APL Art. 66-73) and the remedies against the decision (ARL Art. 20, ALL Art. 46)."""
    payment = deadlines.payment_due(REFERENCE_DAY)
    surcharge = _("逾期不缴纳的，每日按罚款数额的3%加处罚款，加处罚款不超过罚款数额")
    return StepNotes(
        [
            _limit(_("收到处罚决定书后到指定银行或电子支付系统缴纳罚款"), payment),
            Note(surcharge, _("《行政处罚法》第七十二条"), _("每日3%")),
        ],
        [
            *remedy_notes(),
            Note(_("确有经济困难的，可以申请暂缓或者分期缴纳罚款"), _("《行政处罚法》第六十六条")),
            Note(
                _("申请行政复议或者提起行政诉讼的，处罚不停止执行，但加处罚款在复议、诉讼期间不予计算"),
                _("《行政处罚法》第七十三条"),
            ),
            Note(
                _("执法人员不得自行收缴罚款（罚缴分离）；当场收缴罚款须出具专用票据，否则有权拒绝缴纳"),
                _("《行政处罚法》第六十七条、第七十条"),
            ),
        ],
    )


def _simplified(state: str, settings: Mapping[str, SettingValue]) -> StepNotes:
    """Conditions, rights and time limits of the simplified procedure (APL Art. 51-53, 68)."""
    if state == S.SOURCE:
        amounts = {
            "person": f"{rules.SIMPLIFIED_LIMIT_PERSON:,.0f}",
            "organisation": f"{rules.SIMPLIFIED_LIMIT_ORGANISATION:,.0f}",
        }
        condition = _(
            "违法事实确凿并有法定依据，对公民处%(person)s元以下、对法人或者其他组织处%(organisation)s元以下"
            "罚款或者警告的，可以当场作出处罚决定"
        )
        return StepNotes(
            rights=[
                Note(
                    _("执法人员当场出示执法证件，填写预定格式、编有号码的处罚决定书并当场交付当事人"),
                    _("《行政处罚法》第五十二条"),
                ),
                Note(
                    _("作出决定前告知当事人处罚的事实、理由和依据，当事人有权陈述、申辩"),
                    _("《行政处罚法》第四十四条、第四十五条"),
                ),
            ],
            conditions=[Note(condition % amounts, _("《行政处罚法》第五十一条"))],
        )
    if state == S.EXECUTING:
        notes = _payment()
        cash = _("依法给予%(limit)s元以下罚款的，可以当场收缴罚款，并出具专用票据")
        notes.rights.append(
            Note(
                cash % {"limit": f"{rules.CASH_ON_THE_SPOT_LIMIT:,.0f}"},
                _("《行政处罚法》第六十八条、第七十条"),
            )
        )
        return notes
    return _general(state, settings) if state == S.ENFORCEMENT else StepNotes()


NOTES: dict[str, Callable[[str, Mapping[str, SettingValue]], StepNotes]] = {
    Procedure.GENERAL: _general,
    Procedure.SIMPLIFIED: _simplified,
}


def all_charts(settings: Mapping[str, SettingValue] | None = None) -> list[Chart]:
    """The chart of every procedure, general first."""
    return [build_chart(procedure, settings) for procedure in Procedure.values]
