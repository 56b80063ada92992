"""What the law leaves to local rules: the settings, their defaults and where the defaults come from.

LAW.md's last table: each value is configurable per province, county or agency (ProcedureSetting rows),
and is shown with its value and source wherever a deadline or decision depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import ProcedureSetting
from zhifa.org.models import Agency


@dataclass(frozen=True)
class SettingDefault:
    key: str
    label: Any
    value: Any
    source: Any


DEFAULTS: dict[str, SettingDefault] = {
    d.key: d
    for d in (
        SettingDefault(
            "statement_days",
            _("陈述申辩期限（工作日）"),
            5,
            _("《行政处罚法》第四十四条、第四十五条未规定期限，按地方规定；默认5个工作日"),
        ),
        SettingDefault(
            "hearing_fine_person",
            _("较大数额罚款（自然人，元）"),
            "10000",
            _("《行政处罚法》第六十三条，数额由地方规定；默认参照福建住建标准1万元"),
        ),
        SettingDefault(
            "hearing_fine_organisation",
            _("较大数额罚款（法人或其他组织，元）"),
            "100000",
            _("《行政处罚法》第六十三条，数额由地方规定；默认参照福建住建标准10万元"),
        ),
        SettingDefault(
            "review_days",
            _("法制审核期限（工作日）"),
            7,
            _("国办发〔2018〕118号（十四）由各机关规定；默认7个工作日"),
        ),
        SettingDefault(
            "review_extra_days",
            _("法制审核延长（工作日）"),
            3,
            _("国办发〔2018〕118号（十四）；默认经批准延长3个工作日"),
        ),
        SettingDefault(
            "extension_days",
            _("办案期限延长（日）"),
            30,
            _("《行政处罚法》第六十条“法律、法规、规章另有规定的除外”；默认经负责人批准延长30日"),
        ),
        SettingDefault(
            "filing_days",
            _("立案审批期限（工作日）"),
            15,
            _("《行政处罚法》第五十四条要求及时立案；默认15个工作日（市场监管程序规定的做法）"),
        ),
    )
}


@dataclass(frozen=True)
class SettingValue:
    key: str
    label: Any
    value: Any
    source: str
    is_default: bool

    def as_int(self) -> int:
        return int(self.value)

    def as_decimal(self) -> Decimal:
        return Decimal(str(self.value))


def _specificity(row: ProcedureSetting) -> int:
    if row.agency_id is not None:
        return 100
    if row.region_id is not None:
        return len(row.region.adcode.rstrip("0"))
    return 0


def settings_for(agency: Agency) -> dict[str, SettingValue]:
    """Every setting as it applies to `agency`: its own row, else its region's, else the default.

    One query: the rows for the agency, for regions whose code prefix covers the agency's region, and
    the global rows.
    """
    region = agency.region
    rows = list(
        ProcedureSetting.objects.filter(Q(agency_id=agency.pk) | Q(agency__isnull=True)).select_related(
            "region"
        )
    )
    values: dict[str, SettingValue] = {
        key: SettingValue(key, d.label, d.value, str(d.source), True) for key, d in DEFAULTS.items()
    }
    best: dict[str, int] = {}
    for row in rows:
        if row.key not in DEFAULTS:
            continue
        outside = row.region_id is not None and not region.adcode.startswith(row.region.prefix)
        if row.agency_id is None and outside:
            continue
        rank = _specificity(row)
        if rank >= best.get(row.key, -1):
            best[row.key] = rank
            values[row.key] = SettingValue(row.key, DEFAULTS[row.key].label, row.value, row.source, False)
    return values
