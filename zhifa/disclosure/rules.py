"""Which decisions are published, by when, for how long, and when they are withdrawn: plain functions.

- GO118 (六): penalty (and licensing) decisions within 7 working days of the decision; other enforcement
  decisions (agency, target, category, conclusion) within 20 working days. Seed 001 repeats both limits.
- SAMR Order 45 Art. 2: only decisions of the general procedure are published, and not those whose only
  penalty is a warning.
- ZJ-PUB Art. 5 (OGI Art. 15): nothing is published when the party is a minor.
- APL Art. 48 with Art. 85: a published decision that is changed, revoked, confirmed illegal or void is
  withdrawn within 3 working days, with a public explanation.
- SAMR Order 45 Art. 13; LAW.md's settings: published for 3 years, 2 when the party is a natural person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core import calendar as cal
from zhifa.core.calendar import WORKING, Deadline
from zhifa.disclosure.models import PublicationKind

PENALTY_WORKING_DAYS = 7  # GO118 (六)
OTHER_WORKING_DAYS = 20  # GO118 (六); OGI Art. 26
WITHDRAWAL_WORKING_DAYS = 3  # APL Art. 48, Art. 85
ADULT_AGE = 18  # ZJ-PUB Art. 5: a minor's case is not published

# Outcomes of a case (zhifa.cases.models.Outcome values) and the publication each one needs.
PENALTY_OUTCOME = "penalty"
OTHER_OUTCOMES = frozenset({"no_penalty", "rectification"})
WARNING = "警告"

# Settings the law leaves to local rules (LAW.md, last table), added to the cases app's settings.
SETTING_MASK_PARTY = "disclosure_mask_party_name"
SETTING_YEARS = "disclosure_years"
SETTING_YEARS_PERSON = "disclosure_years_person"


def register_settings() -> None:
    """Add the publication settings to zhifa.cases.settings_defaults.DEFAULTS (idempotent)."""
    from zhifa.cases.settings_defaults import DEFAULTS, SettingDefault

    for default in (
        SettingDefault(
            SETTING_MASK_PARTY,
            gettext_lazy("公开时隐去受处罚自然人的姓名（1=隐去，0=公开）"),
            1,
            gettext_lazy("地方规定不一（见LAW.md“未确认”）；默认隐去，保护隐私"),
        ),
        SettingDefault(
            SETTING_YEARS,
            gettext_lazy("处罚决定公示期限（年）"),
            3,
            gettext_lazy("《市场监督管理行政处罚信息公示规定》第十三条；默认3年"),
        ),
        SettingDefault(
            SETTING_YEARS_PERSON,
            gettext_lazy("当事人为自然人时的公示期限（年）"),
            2,
            gettext_lazy("地方做法（河北雨花区）：自然人2年"),
        ),
    ):
        DEFAULTS.setdefault(default.key, default)


@dataclass(frozen=True)
class Duty:
    """Whether a decided case must be published, as what, and why (or why not)."""

    required: bool
    kind: str = ""
    reason: str = ""


def publication_duty(
    *,
    procedure: str,
    outcome: str,
    penalty_types: list[str] | tuple[str, ...],
    party_minor: bool,
) -> Duty:
    """What the law asks to publish of a decided case (GO118 (六); SAMR Order 45 Art. 2; ZJ-PUB Art. 5)."""
    if outcome != PENALTY_OUTCOME and outcome not in OTHER_OUTCOMES:
        return Duty(False, reason=_("该处理结果不属于须公示的执法决定"))
    if party_minor:
        return Duty(
            False, reason=_("当事人为未成年人，不予公开（浙江省行政处罚结果信息网上公开暂行办法第五条）")
        )
    if procedure != "general":
        return Duty(False, reason=_("简易程序案件不公示（《市场监督管理行政处罚信息公示规定》第二条）"))
    if outcome == PENALTY_OUTCOME:
        if set(penalty_types) <= {WARNING}:
            return Duty(
                False, reason=_("仅给予警告的处罚决定不公示（《市场监督管理行政处罚信息公示规定》第二条）")
            )
        return Duty(True, PublicationKind.PENALTY)
    return Duty(True, PublicationKind.OTHER)


def publication_due(kind: str, decided_on: datetime.date) -> Deadline:
    """The day a decision must be public by: 7 working days for penalties, 20 for others (GO118 (六))."""
    if kind == PublicationKind.PENALTY:
        return cal.deadline(
            decided_on, PENALTY_WORKING_DAYS, WORKING, _("国办发〔2018〕118号（六）：处罚决定7个工作日内公开")
        )
    return cal.deadline(
        decided_on, OTHER_WORKING_DAYS, WORKING, _("国办发〔2018〕118号（六）：执法决定20个工作日内公开")
    )


def withdrawal_due(revoked_on: datetime.date) -> Deadline:
    """Withdrawal within 3 working days of the revocation or change (APL Art. 48, Art. 85)."""
    return cal.deadline(
        revoked_on, WITHDRAWAL_WORKING_DAYS, WORKING, _("《行政处罚法》第四十八条：3个工作日内撤回")
    )


def is_minor(birth_date: datetime.date | None, on_date: datetime.date) -> bool:
    """Under 18 on `on_date` (the decision date). Unknown birth dates count as adult."""
    if birth_date is None:
        return False
    had_birthday = (on_date.month, on_date.day) >= (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - (0 if had_birthday else 1) < ADULT_AGE


def expires_on(published_on: datetime.date, *, years: int) -> datetime.date:
    """The day a publication leaves the portal: `years` after publication (SAMR Order 45 Art. 13).

    29 February moves to 28 February in a year without it.
    """
    year = published_on.year + years
    try:
        return published_on.replace(year=year)
    except ValueError:
        return published_on.replace(year=year, day=28)


def publication_years(settings: dict[str, Any], *, natural_person: bool) -> int:
    """The configured publication period for this party (LAW.md settings: 3 years, 2 for a person)."""
    key = SETTING_YEARS_PERSON if natural_person else SETTING_YEARS
    return int(settings[key].value)
