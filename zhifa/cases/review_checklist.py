"""The legal review checklist of GO118 (十三) as data, with what the system can tell for each check.

GO118 (十三): the legal review examines whether the enforcement subject is lawful, the officers are
qualified, the procedure is lawful, the facts are clear and the evidence lawful and sufficient, the law
is applied correctly, the discretion benchmark is used properly, the agency stays within its powers,
the documents are complete and standard, and whether the act is a suspected crime to be transferred
to the judiciary. It contains seed 001's six checks (subject, qualification, facts, evidence, law,
documents). The keys are those of LegalReview.answers and of the printed opinion
(zhifa.cases.documents.checklist).

For each check `finding(case, on_date)` pre-fills what the system can verify (certificates through
org.enforcement, competence through the grant-list resolver, the limitation period, the evidence, the
documents). A finding only helps: the reviewer answers every check (APL Art. 58 puts the review on the
reviewer, not on the system).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases import deadlines, guards
from zhifa.cases.models import Case, Outcome


@dataclass(frozen=True)
class Finding:
    """What the system found: ok True (nothing wrong seen), False (a problem), None (cannot tell)."""

    ok: bool | None
    lines: tuple[str, ...]

    @property
    def css(self) -> str:
        return {True: "success", False: "danger"}.get(self.ok, "secondary")


PASS_LABEL, FAIL_LABEL = gettext_lazy("符合"), gettext_lazy("存在问题")


@dataclass(frozen=True)
class Check:
    key: str
    label: str | Promise
    finding: Callable[[Case, datetime.date], Finding]
    # How the answers read for this check ("passed" is always "no problem found"); None: 符合 / 存在问题.
    pass_text: str | Promise | None = None
    fail_text: str | Promise | None = None

    @property
    def pass_label(self) -> str | Promise:
        return self.pass_text or PASS_LABEL

    @property
    def fail_label(self) -> str | Promise:
        return self.fail_text or FAIL_LABEL


def _ctx(case: Case, on_date: datetime.date, payload: dict | None = None) -> guards.GuardContext:
    return guards.GuardContext(case, None, None, on_date, payload or {})


def _subject(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 22-24: the grant-list resolver must name the case's agency for its item and place."""
    problems = guards.competent(_ctx(case, on_date))
    if problems:
        return Finding(False, tuple(problems))
    return Finding(
        True,
        (
            _("依赋权清单，%(agency)s对该事项有管辖权（《行政处罚法》第二十二条至第二十四条）。")
            % {"agency": case.agency.name},
        ),
    )


def _officers(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 42: two officers holding valid certificates for the item's domain on the decision day
    (the review checks them on the day of review, the decision following it)."""
    ctx = _ctx(case, on_date)
    problems = guards.two_certified_officers(ctx)
    names = "、".join(o.person.name for o in ctx.officers) or _("（无）")
    line = _("承办人员：%(names)s；按%(day)s核验执法证。") % {"names": names, "day": on_date.isoformat()}
    return Finding(not problems, (line, *problems))


def _procedure(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 43-45, 54, 60, 62-65: filed with approval, recusal settled, notice served and its periods
    run or waived, a requested hearing held, within the decision period."""
    ctx = _ctx(case, on_date)
    lines: list[str] = []
    if case.filed_on:
        lines.append(
            _("已于%(day)s立案（%(number)s）。")
            % {"day": case.filed_on.isoformat(), "number": case.filing_number}
        )
    served = guards.notice_served_on(case)
    if served:
        lines.append(_("事先告知书已于%(day)s送达。") % {"day": served.isoformat()})
    problems = [
        *guards.recusal_settled(ctx),
        *guards.hearing_settled(ctx),
        *guards.within_decision_period(ctx),
    ]
    if case.outcome != Outcome.NO_PENALTY:
        problems.extend(guards.notice_period_over(ctx))
    if not case.filed_on:
        problems.append(_("案件尚未立案（《行政处罚法》第五十四条）。"))
    return Finding(not problems, (*lines, *problems))


def _facts(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 40, 46: without clear facts and sufficient evidence no penalty."""
    kinds = [str(e.get_kind_display()) for e in case.evidence.all()]
    if not kinds:
        return Finding(False, tuple(guards.has_evidence(_ctx(case, on_date))))
    counted = "、".join(f"{k}×{kinds.count(k)}" for k in dict.fromkeys(kinds))
    return Finding(
        None,
        (
            _("已收集证据%(n)d份：%(kinds)s。事实与证据须由审核人判断。")
            % {"n": len(kinds), "kinds": counted},
        ),
    )


def _law(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 4, 36-37: the item's legal basis, and the limitation period."""
    lines = [_("依据：%(basis)s") % {"basis": case.item.basis_text or _("（事项未载明依据）")}]
    problems = guards.within_limitation(_ctx(case, on_date))
    if not problems:
        end = deadlines.limitation_end(
            case.act_on, continuing_until=case.act_continuing_until, art36_harm=case.art36_harm
        )
        lines.append(
            _("追责时效至%(end)s（《行政处罚法》第三十六条），发现时在时效内。") % {"end": end.isoformat()}
        )
    return Finding(None if not problems else False, (*lines, *problems))


def _intended(case: Case) -> dict:
    return {
        "intended_types": list(case.intended_types or []),
        "intended_fine": case.intended_fine,
        "mitigation_ground": "",
    }


def _discretion(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 34; GO27: the fine within the item's range; the benchmark tier is the reviewer's call."""
    item = case.item
    types = "、".join(case.intended_types or []) or _("（未告知）")
    lines = [_("拟处罚：%(types)s。") % {"types": types}]
    if case.intended_fine:
        lines.append(_("拟罚款%(n)s元。") % {"n": case.intended_fine})
    if item.fine_min is not None or item.fine_max is not None:
        lines.append(
            _("法定罚款幅度：%(low)s至%(high)s元。")
            % {"low": item.fine_min or 0, "high": item.fine_max or "—"}
        )
    if not case.intended_types:
        return Finding(None, tuple(lines))
    from zhifa.cases import rules

    problems = rules.fine_range_problems(case.intended_fine, item.fine_min, item.fine_max)
    return Finding(False if problems else None, (*lines, *problems))


def _powers(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 9, 24: only the penalty types the item's basis allows, no fine above its maximum."""
    if not case.intended_types:
        return Finding(None, (_("未告知拟处罚种类。"),))
    ctx = _ctx(case, on_date, _intended(case))
    problems = guards.penalty_problems(ctx, "intended_types", "intended_fine")
    allowed = "、".join(case.item.penalty_types or []) or _("（未限定）")
    return Finding(not problems, (_("该事项可处罚种类：%(types)s。") % {"types": allowed}, *problems))


def _documents(case: Case, on_date: datetime.date) -> Finding:
    """The case file so far: what has been issued, and what the case-file rule (zhifa.cases.casefile)
    requires before the legal review for the way the case is heading (penalty, or no penalty)."""
    from zhifa.cases import casefile

    current = list(casefile.current_documents(case).order_by("issued_on", "id"))
    issued = [f"{d.get_doc_type_display()}{'（' + d.number + '）' if d.number else ''}" for d in current]
    lines = [_("已制作文书：%(docs)s。") % {"docs": "、".join(issued) or _("（无）")}]
    required = casefile.required_for(case, case.outcome or Outcome.PENALTY)
    if casefile.REVIEW in required:
        required = required[: required.index(casefile.REVIEW)]
    present = {d.doc_type for d in current}
    problems = [
        _("卷宗缺少《%(label)s》（%(article)s）。") % {"label": r.label, "article": r.article}
        for r in required
        if r.doc_types and r.key != casefile.SERVICE and not present & set(r.doc_types)
    ]
    return Finding(False if problems else None, (*lines, *problems))


def _crime(case: Case, on_date: datetime.date) -> Finding:
    """APL Art. 27: the reviewer judges whether the act is a suspected crime (the system cannot)."""
    return Finding(None, (_("系统无法判断，请审核人根据案件事实判断是否需要移送司法机关。"),))


CHECKS: tuple[Check, ...] = (
    Check("subject", gettext_lazy("执法主体是否合法"), _subject),
    Check("officers", gettext_lazy("执法人员是否具备执法资格"), _officers),
    Check("procedure", gettext_lazy("执法程序是否合法"), _procedure),
    Check("facts", gettext_lazy("案件事实是否清楚，证据是否合法充分"), _facts),
    Check("law", gettext_lazy("适用法律、法规、规章是否准确"), _law),
    Check("discretion", gettext_lazy("裁量基准运用是否适当"), _discretion),
    Check("powers", gettext_lazy("是否超越法定权限"), _powers),
    Check("documents", gettext_lazy("执法文书是否完备、规范"), _documents),
    Check(
        "crime",
        gettext_lazy("违法行为是否涉嫌犯罪、需要移送司法机关"),
        _crime,
        gettext_lazy("不涉嫌犯罪，无需移送"),
        gettext_lazy("涉嫌犯罪，需移送司法机关"),
    ),
)
CHECK_KEYS: tuple[str, ...] = tuple(c.key for c in CHECKS)
BY_KEY: dict[str, Check] = {c.key: c for c in CHECKS}


def findings(case: Case, on_date: datetime.date | None = None) -> dict[str, Finding]:
    """Every check's pre-filled finding for `case` on `on_date` (today by default)."""
    day = on_date or datetime.date.today()
    return {check.key: check.finding(case, day) for check in CHECKS}
