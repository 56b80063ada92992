"""Writing the inspection catalogue: items with checklists and frequency rules, and scenarios (issue 7, 2-3).

Who: policies.can_edit_item (the county's catalogue keepers, and the department's own team leaders and
administrators) for items and their rules; policies.can_edit_catalogue for scenarios; a department's
team leader joins a scenario with its own items and leaves it (can_edit_item on the department).
Every write runs in one transaction with exactly one record event (APL Art. 47, 全过程记录); writes that
take `version` refuse a stale one (CONFLICT) with a conditional UPDATE on (pk, version).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event, snapshot
from zhifa.inspections import policies
from zhifa.inspections.models import FrequencyMode, FrequencyRule, Industry, InspectionItem
from zhifa.inspections.models.subjects import RiskLevel
from zhifa.org.models import Department, EnforcementDomain
from zhifa.powers.models import PowerItem, PowerType

CHECKLIST_MAX = 50  # a visit works through the points on a phone; more than ~50 is no longer a checklist
POINT_MAX = 200
BASIS_MAX = 200
MINUTES_MIN, MINUTES_MAX = 5, 480
ITEM_FIELDS = (
    "code",
    "name",
    "department",
    "power_item",
    "checks",
    "domain",
    "industries",
    "checklist",
    "minutes",
)
ITEM_FIELDS += ("is_active",)
ONE = Decimal("1")
STEP = Decimal("0.0001")  # FrequencyRule.ratio/floor keep four decimal places


@dataclass
class ItemInput:
    """What a form or API call says about an inspection item. `checks` are penalty PowerItems."""

    code: str = ""
    name: str = ""
    department: Department | None = None
    power_item: PowerItem | None = None
    checks: list[PowerItem] = field(default_factory=list)
    domain: EnforcementDomain | None = None
    industries: list[Industry] = field(default_factory=list)
    checklist: Any = field(default_factory=list)
    minutes: Any = 30
    is_active: bool = True


def _bad(message: str, name: str, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=name)


def _text(value: Any, *, name: str, label: str, max_length: int, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _bad(_("请填写%(label)s。") % {"label": label}, name, ErrorCode.REQUIRED)
    if len(text) > max_length:
        raise _bad(_("%(label)s最长%(n)d个字符。") % {"label": label, "n": max_length}, name)
    return text


def percent(value: Decimal) -> str:
    """0.055 -> "5.5%" (how people read sampling ratios)."""
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01')).normalize():f}%"


def validate_checklist(value: Any) -> list[dict[str, str]]:
    """The checklist as a list of {point, basis}: each part non-empty, no point twice, at most 50 points.

    The basis is required because the subject is told on which legal basis each point is checked
    (APL Art. 55: inspectors show their certificates and state the basis of the inspection).
    """
    value = [] if value is None else value
    if not isinstance(value, list | tuple):
        raise _bad(_("检查要点格式无效。"), "checklist")
    if len(value) > CHECKLIST_MAX:
        raise _bad(_("检查要点最多%(n)d条。") % {"n": CHECKLIST_MAX}, "checklist")
    result: list[dict[str, str]] = []
    for n, row in enumerate(value, start=1):
        row = row if isinstance(row, dict) else {}
        point, basis = str(row.get("point") or "").strip(), str(row.get("basis") or "").strip()
        if not point:
            raise _bad(_("第%(n)d条的检查要点不能为空。") % {"n": n}, "checklist", ErrorCode.REQUIRED)
        if not basis:
            message = _("第%(n)d条检查要点的法律依据不能为空。") % {"n": n}
            raise _bad(message, "checklist", ErrorCode.REQUIRED)
        if len(point) > POINT_MAX or len(basis) > BASIS_MAX:
            message = _("第%(n)d条的检查要点和法律依据各最长%(max)d个字符。") % {"n": n, "max": POINT_MAX}
            raise _bad(message, "checklist")
        if any(point == earlier["point"] for earlier in result):
            raise _bad(_("第%(n)d条检查要点与前面重复。") % {"n": n}, "checklist", ErrorCode.DUPLICATE)
        result.append({"point": point, "basis": basis})
    return result


def _share(value: Any, *, name: str, label: str, level: str, low: Decimal) -> Decimal:
    """A share (fraction) in [low, 1] with at most four decimals (0.01%), else an error on `name`."""
    words = {"level": level, "label": label}
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise _bad(_("风险等级%(level)s的%(label)s应为数字。") % words, name) from None
    if not number.is_finite() or number != number.quantize(STEP):
        raise _bad(_("风险等级%(level)s的%(label)s最多精确到0.01%%。") % words, name)
    if not (low <= number <= ONE):
        if low > 0:
            raise _bad(_("风险等级%(level)s的%(label)s应大于0%%且不超过100%%。") % words, name)
        raise _bad(_("风险等级%(level)s的%(label)s应在0%%到100%%之间。") % words, name)
    return number


def validate_rules(rules: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Frequency rules by risk level, each {risk_level, mode, ratio, floor} with shares as fractions.

    EVERY means each subject once a year (ratio 1); SAMPLE a random share in (0, 1]. The ratio never
    falls below the floor the rules set (issue 7: "sampling ratios never fall below the floor"); the
    model's check constraint holds the same line in the database. Errors name `mode_A`, `ratio_B`, ...
    """
    result: dict[str, dict[str, Any]] = {}
    for rule in rules or []:
        level = str(rule.get("risk_level") or "")
        if level not in RiskLevel.values:
            raise _bad(_("风险等级“%(level)s”无效。") % {"level": level}, "rules")
        if level in result:
            raise _bad(
                _("风险等级%(level)s的规则重复。") % {"level": level}, f"mode_{level}", ErrorCode.DUPLICATE
            )
        mode = str(rule.get("mode") or "")
        if mode not in FrequencyMode.values:
            raise _bad(_("请选择风险等级%(level)s的检查方式。") % {"level": level}, f"mode_{level}")
        floor = Decimal(0)
        if rule.get("floor") not in (None, ""):
            floor = _share(
                rule["floor"], name=f"floor_{level}", label=_("比例下限"), level=level, low=Decimal(0)
            )
        ratio = ONE  # EVERY: every subject once a year
        if mode == FrequencyMode.SAMPLE:
            if rule.get("ratio") in (None, ""):
                message = _("请填写风险等级%(level)s的抽查比例。") % {"level": level}
                raise _bad(message, f"ratio_{level}", ErrorCode.REQUIRED)
            ratio = _share(rule["ratio"], name=f"ratio_{level}", label=_("抽查比例"), level=level, low=STEP)
        if ratio < floor:
            message = _("风险等级%(level)s的抽查比例（%(ratio)s）不能低于比例下限（%(floor)s）。") % {
                "level": level,
                "ratio": percent(ratio),
                "floor": percent(floor),
            }
            raise _bad(message, f"ratio_{level}")
        result[level] = {"risk_level": level, "mode": mode, "ratio": ratio, "floor": floor}
    return result


def _rules_snapshot(item: InspectionItem) -> list[dict[str, str]]:
    return [
        {"risk_level": r.risk_level, "mode": r.mode, "ratio": str(r.ratio), "floor": str(r.floor)}
        for r in FrequencyRule.objects.filter(item=item).order_by("risk_level")
    ]


def _write_rules(actor: Any, item: InspectionItem, rules: dict[str, dict[str, Any]]) -> None:
    """Replace the item's rules. Only the county's catalogue keepers move a floor or drop a level that has
    one: a department must not lower its own bar (issue 7: the floor is set by the rules)."""
    existing = {r.risk_level: r.floor for r in FrequencyRule.objects.filter(item=item)}
    if not policies.can_edit_catalogue(actor, item.department.region):
        for level in sorted(set(existing) | set(rules)):
            old, new = existing.get(level, Decimal(0)), rules.get(level)
            if new is None and old > 0:
                message = _("风险等级%(level)s设有比例下限，不能取消检查。") % {"level": level}
                raise _bad(message, f"mode_{level}", ErrorCode.NOT_ALLOWED)
            if new is not None and new["floor"] != old:
                message = _("比例下限由县级检查目录管理员设定，部门不能修改。")
                raise _bad(message, f"floor_{level}", ErrorCode.NOT_ALLOWED)
    FrequencyRule.objects.filter(item=item).exclude(risk_level__in=list(rules)).delete()
    for level, new in rules.items():
        defaults = {"mode": new["mode"], "ratio": new["ratio"], "floor": new["floor"]}
        FrequencyRule.objects.update_or_create(item=item, risk_level=level, defaults=defaults)


def _check_item(actor: Any, data: ItemInput, current: InspectionItem | None) -> dict[str, Any]:
    """Validate an item's fields and the actor's right to keep it; returns the values to store."""
    department = data.department
    if department is None:
        raise _bad(_("请选择实施部门。"), "department", ErrorCode.REQUIRED)
    if not policies.can_edit_item(actor, department):
        raise _bad(_("无权维护该部门的检查事项。"), "department", ErrorCode.NOT_ALLOWED)
    values: dict[str, Any] = {
        "code": _text(data.code, name="code", label=_("事项编码"), max_length=40),
        "name": _text(data.name, name="name", label=_("事项名称"), max_length=200),
        "department": department,
    }
    duplicate = InspectionItem.objects.filter(code=values["code"])
    if current is not None:
        duplicate = duplicate.exclude(pk=current.pk)
    if duplicate.exists():
        raise _bad(_("事项编码“%(code)s”已存在。") % {"code": values["code"]}, "code", ErrorCode.DUPLICATE)
    domain = data.domain
    if domain is None:
        raise _bad(_("请选择执法领域。"), "domain", ErrorCode.REQUIRED)
    department_domains = set(department.domains.values_list("pk", flat=True))
    if department_domains and domain.pk not in department_domains:
        # Inspectors must hold a certificate for the item's domain (APL Art. 42), which is the department's.
        raise _bad(_("执法领域须为实施部门的执法领域之一。"), "domain")
    values["domain"] = domain
    power = data.power_item
    checks = list(dict.fromkeys(data.checks or []))
    linked = {p.pk for p in current.checks.all()} if current is not None else set()
    if power is None and not checks:
        raise _bad(_("请选择检查职权（行政检查）或所检查的处罚事项。"), "power_item", ErrorCode.REQUIRED)
    if power is not None:
        if power.power_type != PowerType.INSPECTION:
            raise _bad(_("检查职权须为“行政检查”类事项。"), "power_item")
        if not power.is_active and (current is None or current.power_item_id != power.pk):
            raise _bad(_("职权事项“%(code)s”已停用。") % {"code": power.code}, "power_item")
    for check in checks:
        if check.power_type != PowerType.PENALTY:
            raise _bad(_("“%(code)s”不是行政处罚事项。") % {"code": check.code}, "checks")
        if not check.is_active and check.pk not in linked:
            raise _bad(_("处罚事项“%(code)s”已停用。") % {"code": check.code}, "checks")
    values["power_item"] = power
    values["checks"] = checks
    industries = list(dict.fromkeys(data.industries or []))
    if not industries:
        raise _bad(_("请至少选择一个适用行业。"), "industries", ErrorCode.REQUIRED)
    values["industries"] = industries
    values["checklist"] = validate_checklist(data.checklist)
    try:
        minutes = int(data.minutes)
    except (TypeError, ValueError):
        raise _bad(_("预计用时应为整数分钟。"), "minutes") from None
    if not (MINUTES_MIN <= minutes <= MINUTES_MAX):
        raise _bad(
            _("预计用时应在%(low)d到%(high)d分钟之间。") % {"low": MINUTES_MIN, "high": MINUTES_MAX},
            "minutes",
        )
    values["minutes"] = minutes
    values["is_active"] = bool(data.is_active)
    return values


ITEM_SCALARS = ("code", "name", "department", "power_item", "domain", "checklist", "minutes", "is_active")


@contextmanager
def _unique_code(message: str, code: str) -> Iterator[None]:
    """Two keepers saving the same code at once: the unique constraint decides, the loser is told."""
    try:
        yield
    except IntegrityError:
        raise _bad(message % {"code": code}, "code", ErrorCode.DUPLICATE) from None


def _bump(model: type[models.Model], obj: Any, version: int | None, label: str) -> None:
    """Conditional UPDATE on (pk, version): a stale version matches no row (CONFLICT)."""
    version = obj.version if version is None else version
    if model.objects.filter(pk=obj.pk, version=version).update(version=F("version") + 1) != 1:
        message = _("“%(name)s”已被他人修改，请刷新后重试。") % {"name": label}
        raise ServiceError(ErrorCode.CONFLICT, message, field="version")
    obj.version = version + 1


def _store_item(
    actor: Any, item: InspectionItem | None, values: dict, version: int | None, rules
) -> InspectionItem:
    with _unique_code(_("事项编码“%(code)s”已存在。"), values["code"]), transaction.atomic():
        before = None
        if item is None:
            item = InspectionItem()
        else:
            item = InspectionItem.objects.select_for_update().get(pk=item.pk)
            before = snapshot(item, ITEM_FIELDS)
            _bump(InspectionItem, item, version, item.name)
        for name in ITEM_SCALARS:
            setattr(item, name, values[name])
        item.save()
        item.checks.set(values["checks"])
        item.industries.set(values["industries"])
        after = snapshot(item, ITEM_FIELDS)
        if rules is not None:
            _write_rules(actor, item, rules)
            after["rules"] = _rules_snapshot(item)
        action = "inspections.item.create" if before is None else "inspections.item.update"
        record_event(actor=actor, action=action, obj=item, before=before, after=after)
    return item


def item_create(
    *, actor: Any, data: ItemInput, rules: Iterable[dict[str, Any]] | None = None
) -> InspectionItem:
    """Create an item of a department, optionally with its frequency rules (one event for both)."""
    values = _check_item(actor, data, None)
    return _store_item(actor, None, values, None, validate_rules(rules or []))


def item_update(*, actor: Any, item: InspectionItem, version: int, data: ItemInput) -> InspectionItem:
    """Change an item's fields and checklist. Moving it to another department needs rights on both."""
    if not policies.can_edit_item(actor, item.department):
        raise _bad(_("无权维护该部门的检查事项。"), "department", ErrorCode.NOT_ALLOWED)
    return _store_item(actor, item, _check_item(actor, data, item), version, None)


def frequency_rules_set(
    *, actor: Any, item: InspectionItem, version: int, rules: Iterable[dict[str, Any]]
) -> InspectionItem:
    """Replace the item's frequency rules (levels not given are dropped); bumps the item's version."""
    if not policies.can_edit_item(actor, item.department):
        raise _bad(_("无权维护该部门的检查事项。"), "rules", ErrorCode.NOT_ALLOWED)
    checked = validate_rules(rules)
    with transaction.atomic():
        item = InspectionItem.objects.select_for_update().select_related("department__region").get(pk=item.pk)
        before = _rules_snapshot(item)
        _bump(InspectionItem, item, version, item.name)
        _write_rules(actor, item, checked)
        record_event(
            actor=actor,
            action="inspections.item.rules",
            obj=item,
            before={"rules": before},
            after={"rules": _rules_snapshot(item)},
        )
    return item
