"""Plain rules of the procedure, easy to test: hearing thresholds, simplified limits, cash on the spot.

Each function cites its article; values the law leaves to local rules come in as arguments (the
settings of zhifa.cases.settings_defaults).
"""

from __future__ import annotations

from decimal import Decimal

# APL Art. 9 types as the items and decisions name them (powers.PowerItem.penalty_types).
WARNING = "警告"
CRITICISM = "通报批评"
FINE = "罚款"
CONFISCATE_GAINS = "没收违法所得"
CONFISCATE_PROPERTY = "没收非法财物"
SUSPEND_PERMIT = "暂扣许可证件"
LOWER_QUALIFICATION = "降低资质等级"
REVOKE_PERMIT = "吊销许可证件"
RESTRICT_BUSINESS = "限制开展生产经营活动"
SUSPEND_BUSINESS = "责令停产停业"
CLOSE = "责令关闭"
RESTRICT_PRACTICE = "限制从业"

# APL Art. 63(2)-(4): these types always carry the right to a hearing, whatever the amount.
HEARING_TYPES = frozenset(
    {LOWER_QUALIFICATION, REVOKE_PERMIT, SUSPEND_BUSINESS, CLOSE, RESTRICT_PRACTICE, RESTRICT_BUSINESS}
)
# APL Art. 51: the simplified procedure covers a warning or a small fine only.
SIMPLIFIED_TYPES = frozenset({WARNING, FINE})
SIMPLIFIED_LIMIT_PERSON = Decimal("200")
SIMPLIFIED_LIMIT_ORGANISATION = Decimal("3000")
# APL Art. 68(1): cash on the spot only in simplified cases with a fine of at most CNY 100.
CASH_ON_THE_SPOT_LIMIT = Decimal("100")


def hearing_qualifies(
    types: list[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
    *,
    organisation: bool,
    large_person: Decimal,
    large_organisation: Decimal,
) -> bool:
    """APL Art. 63: a hearing must be offered before a large fine or confiscation, lowering a
    qualification, revoking a permit, ordering suspension or closure, restricting practice, or another
    heavy penalty. "Large" is set locally (LAW.md: default CNY 10,000 / 100,000).
    """
    if set(types) & HEARING_TYPES:
        return True
    threshold = large_organisation if organisation else large_person
    return (fine or Decimal(0)) >= threshold or (confiscation or Decimal(0)) >= threshold


def simplified_problems(types: list[str], fine: Decimal | None, *, organisation: bool) -> list[str]:
    """Why a penalty may not be decided on the spot (APL Art. 51); empty when it may."""
    from django.utils.translation import gettext as _

    problems: list[str] = []
    if not types:
        problems.append(_("请选择处罚种类。"))
    extra = set(types) - SIMPLIFIED_TYPES
    if extra:
        problems.append(
            _("简易程序只能给予警告或罚款，不能给予“%(types)s”（《行政处罚法》第五十一条）。")
            % {"types": "、".join(sorted(extra))}
        )
    limit = SIMPLIFIED_LIMIT_ORGANISATION if organisation else SIMPLIFIED_LIMIT_PERSON
    if FINE in types:
        if fine is None or fine <= 0:
            problems.append(_("请填写罚款金额。"))
        elif fine > limit:
            problems.append(
                _("当场罚款不得超过%(limit)s元（%(who)s，《行政处罚法》第五十一条），应适用普通程序。")
                % {"limit": limit, "who": _("法人或其他组织") if organisation else _("公民")}
            )
    return problems


def cash_allowed(*, simplified: bool, fine: Decimal, hard_to_collect: bool, remote: bool) -> bool:
    """APL Art. 68-69: cash on the spot only in simplified cases with a fine of at most CNY 100, or when
    it would be hard to collect later (Art. 68(2)), or in remote, water or transport-poor areas on the
    party's request (Art. 69)."""
    if not simplified:
        return False
    return fine <= CASH_ON_THE_SPOT_LIMIT or hard_to_collect or remote


def fine_range_problems(
    fine: Decimal | None, fine_min: Decimal | None, fine_max: Decimal | None
) -> list[str]:
    """The fine must lie in the item's statutory range (APL Art. 4: penalties only as the law sets them)."""
    from django.utils.translation import gettext as _

    if fine is None:
        return []
    if fine < 0:
        return [_("罚款金额不能为负数。")]
    if fine_min is not None and fine < fine_min:
        return [
            _(
                "罚款金额%(fine)s元低于该事项法定下限%(min)s元（减轻处罚须有法定情形，《行政处罚法》第三十二条）。"
            )
            % {"fine": fine, "min": fine_min}
        ]
    if fine_max is not None and fine > fine_max:
        return [_("罚款金额%(fine)s元超过该事项法定上限%(max)s元。") % {"fine": fine, "max": fine_max}]
    return []
