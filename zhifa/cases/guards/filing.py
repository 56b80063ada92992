"""Guards of filing and investigation: officers, recusal, competence, limitation, party, evidence."""

from django.utils.translation import gettext as _

from zhifa.cases import deadlines
from zhifa.cases.guards.context import GuardContext, parse_id
from zhifa.cases.models import (
    RecusalDecision,
)
from zhifa.org.enforcement import enforcement_problems

# --- officers ------------------------------------------------------------------------------------


def two_certified_officers(ctx: GuardContext) -> list[str]:
    """APL Art. 42 (and ACL Art. 18 for coercive measures): at least two officers holding a valid
    certificate for the item's domain on the day of the act. With `officer_ids` in the input, the
    officers named there (those present at an investigative act) are checked instead of the case's."""
    domain = ctx.case.item.domain
    if domain is None:
        return [_("该事项未设执法领域，无法核验执法证（《行政处罚法》第四十二条）。")]
    named = ctx.payload.get("officer_ids")
    if named:
        assigned = {o.person_id: o.person for o in ctx.officers}
        people = []
        if not isinstance(named, list | tuple):
            return [_("所列执法人员不正确。")]
        for pk in named:
            person = assigned.get(parse_id(pk) or 0)
            if person is None:
                return [_("所列执法人员不是本案承办人员或已回避。")]
            people.append(person)
    else:
        people = [o.person for o in ctx.officers]
    problems: list[str] = []
    qualified = 0
    for person in dict.fromkeys(people):
        found = enforcement_problems(person, domain, ctx.on_date)
        if found:
            problems.extend(found)
        else:
            qualified += 1
    if qualified >= 2:
        return []
    return [
        _("须有两名以上持有“%(domain)s”领域有效执法证的执法人员（《行政处罚法》第四十二条），现有%(n)d名。")
        % {"domain": domain.name, "n": qualified},
        *problems,
    ]


def recusal_settled(ctx: GuardContext) -> list[str]:
    """APL Art. 43: each officer states that no ground for recusal applies, and every recusal raised
    has been decided by the agency head (officers withdrawn are no longer on the case)."""
    problems = [
        _("%(name)s尚未声明无应当回避情形（《行政处罚法》第四十三条）。") % {"name": o.person.name}
        for o in ctx.officers
        if not o.no_conflict_declared
    ]
    if ctx.case.recusals.filter(decision=RecusalDecision.PENDING).exists():
        problems.append(_("有回避申请尚未决定（《行政处罚法》第四十三条）。"))
    return problems


# --- filing --------------------------------------------------------------------------------------


def competent(ctx: GuardContext) -> list[str]:
    """The grant-list resolver must name this case's agency for its item, place and date (APL Art.
    22-24; DESIGN.md: nothing else decides competence)."""
    from zhifa.powers.resolver import competent_agency

    answer = competent_agency(ctx.case.item, ctx.case.region, ctx.on_date)
    if answer.agency is not None and answer.agency.pk == ctx.case.agency_id:
        return []
    other = answer.agency.name if answer.agency is not None else _("（未设置）")
    return [
        _("本机关对该事项无管辖权：%(reason)s 有管辖权的机关为%(other)s，应移交（%(article)s）。")
        % {"reason": answer.reason, "other": other, "article": _("《行政处罚法》第二十二条至第二十五条")}
    ]


def within_limitation(ctx: GuardContext) -> list[str]:
    """APL Art. 36: not discovered within two years (five where life, health or financial safety is
    involved and harm occurred) -> no penalty; counted from the end of a continuing act."""
    case = ctx.case
    if deadlines.within_limitation(
        case.act_on,
        case.discovered_on,
        continuing_until=case.act_continuing_until,
        art36_harm=case.art36_harm,
    ):
        return []
    end = deadlines.limitation_end(
        case.act_on, continuing_until=case.act_continuing_until, art36_harm=case.art36_harm
    )
    return [
        _("违法行为已超过追责时效（%(end)s届满，《行政处罚法》第三十六条），不再给予行政处罚。")
        % {"end": end.isoformat()}
    ]


def has_party(ctx: GuardContext) -> list[str]:
    """APL Art. 59(1): a decision names the party; nothing can be notified to no one."""
    return [] if ctx.parties else [_("请先登记当事人。")]


def has_evidence(ctx: GuardContext) -> list[str]:
    """APL Art. 40: without clear facts and sufficient evidence no penalty may be given."""
    return (
        []
        if ctx.case.evidence.exists()
        else [_("尚无证据，事实不清、证据不足的不得给予行政处罚（《行政处罚法》第四十条）。")]
    )


def facts_recorded(ctx: GuardContext) -> list[str]:
    """APL Art. 40, 54, 59(2): filing, orders and decisions state the facts; record them first."""
    if (ctx.case.facts or "").strip() or (ctx.payload.get("facts") or "").strip():
        return []
    return [_("请先填写违法事实（《行政处罚法》第四十条）。")]
