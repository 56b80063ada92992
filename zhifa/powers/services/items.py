"""Writing power items (行政执法事项): create and update, each checked and recorded.

The catalogue is what every penalty is checked against: APL Art. 38 makes a penalty without a legal
basis void, so an item must name its basis; APL Art. 39 requires the implementing body and basis to be
published, so the original subject is required too. Validation errors are Chinese and name the field;
`power_item_problems` is shared with the list import so a row and a form are judged alike.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.record import record_change, snapshot
from zhifa.org.models import EnforcementDomain
from zhifa.org.policies import Action, user_can
from zhifa.org.services.versioning import claim_version
from zhifa.powers.models import PowerItem, PowerType

# Published lists use digits, letters and separators (e.g. 330217001000, CF-XF-001, 0101.A.03).
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{1,39}$")

# APL Art. 9: the types of administrative penalty (detention, Art. 18, is for the police only).
PENALTY_TYPES: tuple[str, ...] = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
)

BASIS_REF_KEYS = frozenset({"law", "article", "paragraph", "item"})
FINE_LIMIT = Decimal("999999999999.99")  # max_digits=14, decimal_places=2

FIELDS = (
    "code",
    "name",
    "power_type",
    "domain",
    "original_subject",
    "basis_text",
    "basis_refs",
    "keywords",
    "penalty_types",
    "fine_min",
    "fine_max",
    "fine_formula",
    "note",
    "is_active",
)
TEXT_FIELDS = ("code", "name", "original_subject", "basis_text", "keywords", "fine_formula", "note")
REQUIRED = {
    "code": gettext_lazy("事项编码"),
    "name": gettext_lazy("事项名称"),
    "original_subject": gettext_lazy("原实施主体"),
    # APL Art. 38: a penalty without a legal basis is void, so no item without its basis.
    "basis_text": gettext_lazy("实施依据"),
}


def _max_length(name: str) -> int | None:
    return PowerItem._meta.get_field(name).max_length


def _decimal(value: Any, field: str, label: str, errors: list[ServiceError]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.append(
            ServiceError(ErrorCode.INVALID, _("%(label)s必须是金额数字") % {"label": label}, field=field)
        )
        return None
    if not amount.is_finite() or amount < 0 or amount > FINE_LIMIT:
        errors.append(
            ServiceError(
                ErrorCode.INVALID, _("%(label)s必须是不小于 0 的金额") % {"label": label}, field=field
            )
        )
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors.append(
            ServiceError(ErrorCode.INVALID, _("%(label)s最多保留两位小数") % {"label": label}, field=field)
        )
        return None
    return amount.quantize(Decimal("0.01"))


def basis_ref_problems(refs: Any) -> list[str]:
    """Problems with structured basis references: a list of {law, article, paragraph?, item?}.

    law is the statute's name without book-title marks; article, paragraph and item are positive
    integers (paragraph and item optional: an item may hang directly on a one-paragraph article).
    """
    if not isinstance(refs, list):
        return [_("依据条款必须是列表")]
    problems: list[str] = []
    for number, ref in enumerate(refs, start=1):
        if not isinstance(ref, dict):
            problems.append(_("依据条款第 %(n)d 条格式错误") % {"n": number})
            continue
        unknown = sorted(set(ref) - BASIS_REF_KEYS)
        if unknown:
            problems.append(
                _("依据条款第 %(n)d 条含有未知项：%(keys)s")
                % {"n": number, "keys": "、".join(map(str, unknown))}
            )
        law = ref.get("law")
        if not isinstance(law, str) or not law.strip() or len(law) > 100 or "《" in law or "》" in law:
            problems.append(_("依据条款第 %(n)d 条缺少法律名称（不含书名号）") % {"n": number})
        for key, label in (("article", _("条")), ("paragraph", _("款")), ("item", _("项"))):
            value = ref.get(key)
            if value is None and key != "article":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10000:
                problems.append(
                    _("依据条款第 %(n)d 条的“%(label)s”必须是正整数") % {"n": number, "label": label}
                )
    return problems


def power_item_problems(
    data: dict[str, Any], *, item: PowerItem | None = None, check_code_taken: bool = True
) -> tuple[dict, list[ServiceError]]:
    """Clean and check item fields: returns (cleaned fields, problems). Shared by forms and the import.

    `item` is the item being edited (its own code is not a duplicate). Fields absent from `data`
    take the item's current values, or the model defaults when creating. The import passes
    `check_code_taken=False` and checks the codes of a whole file in a few queries instead.
    """
    errors: list[ServiceError] = []
    cleaned: dict[str, Any] = {}
    for name in FIELDS:
        if name in data:
            cleaned[name] = data[name]
        elif item is not None:
            cleaned[name] = getattr(item, name)
        else:
            default = PowerItem._meta.get_field(name).get_default()
            cleaned[name] = default
    for name in TEXT_FIELDS:
        value = cleaned[name]
        cleaned[name] = "" if value is None else str(value).strip()
        limit = _max_length(name)
        if limit and len(cleaned[name]) > limit:
            label = PowerItem._meta.get_field(name).verbose_name
            errors.append(
                ServiceError(
                    ErrorCode.INVALID,
                    _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit},
                    field=name,
                )
            )
    for name, label in REQUIRED.items():
        if not cleaned[name]:
            errors.append(
                ServiceError(ErrorCode.REQUIRED, _("%(label)s不能为空") % {"label": label}, field=name)
            )
    code = cleaned["code"]
    if code and not CODE_PATTERN.match(code):
        errors.append(
            ServiceError(
                ErrorCode.INVALID,
                _("事项编码须为 2–40 位字母、数字、点、横线或下划线，且以字母或数字开头"),
                field="code",
            )
        )
    elif code and check_code_taken:
        others = PowerItem.objects.filter(code=code)
        if item is not None:
            others = others.exclude(pk=item.pk)
        if others.exists():
            errors.append(
                ServiceError(
                    ErrorCode.DUPLICATE, _("事项编码“%(code)s”已存在") % {"code": code}, field="code"
                )
            )
    if cleaned["power_type"] not in PowerType.values:
        errors.append(ServiceError(ErrorCode.INVALID, _("职权类型无效"), field="power_type"))
    domain = cleaned["domain"]
    if domain is not None and not isinstance(domain, EnforcementDomain):
        errors.append(ServiceError(ErrorCode.INVALID, _("执法领域无效"), field="domain"))
    ref_problems = basis_ref_problems(cleaned["basis_refs"])
    errors.extend(ServiceError(ErrorCode.INVALID, problem, field="basis_refs") for problem in ref_problems)
    if not ref_problems:
        cleaned["basis_refs"] = _normalise_refs(cleaned["basis_refs"])
    _check_penalty(cleaned, errors)
    cleaned["is_active"] = bool(cleaned["is_active"])
    return cleaned, errors


def _normalise_refs(refs: list[dict]) -> list[dict]:
    """Stable key order and no empty optional parts, so equal references compare and record alike."""
    result = []
    for ref in refs:
        clean = {"law": ref["law"].strip(), "article": ref["article"]}
        for key in ("paragraph", "item"):
            if ref.get(key) is not None:
                clean[key] = ref[key]
        result.append(clean)
    return result


def _check_penalty(cleaned: dict[str, Any], errors: list[ServiceError]) -> None:
    """The statutory range: APL Art. 9 penalty types and the fine range, for penalty items only."""
    types = cleaned["penalty_types"] or []
    if not isinstance(types, list | tuple) or any(t not in PENALTY_TYPES for t in types):
        errors.append(ServiceError(ErrorCode.INVALID, _("处罚种类无效"), field="penalty_types"))
        types = []
    cleaned["penalty_types"] = [t for t in PENALTY_TYPES if t in types]  # APL Art. 9 order, no repeats
    fine_min = _decimal(cleaned["fine_min"], "fine_min", _("罚款下限"), errors)
    fine_max = _decimal(cleaned["fine_max"], "fine_max", _("罚款上限"), errors)
    cleaned["fine_min"], cleaned["fine_max"] = fine_min, fine_max
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        errors.append(ServiceError(ErrorCode.INVALID, _("罚款下限不能大于罚款上限"), field="fine_min"))
    has_range = fine_min is not None or fine_max is not None or bool(cleaned["fine_formula"])
    if cleaned["power_type"] != PowerType.PENALTY and (has_range or cleaned["penalty_types"]):
        errors.append(
            ServiceError(
                ErrorCode.INVALID, _("处罚种类和罚款幅度只适用于行政处罚事项"), field="penalty_types"
            )
        )


def _check_actor(actor) -> None:
    # Commands (the catalogue loader) pass actor=None; people must be administrators.
    if actor is not None and not user_can(actor, Action.EDIT_ORG):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("您没有维护行政执法事项的权限。"))


def power_item_create(*, actor, **fields: Any) -> PowerItem:
    """Create a power item after checking every field; one `power_item.create` event."""
    _check_actor(actor)
    cleaned, errors = power_item_problems(fields)
    if errors:
        raise ValidationErrors(errors)
    try:
        with transaction.atomic():
            item = PowerItem.objects.create(**cleaned)
            record_change(actor=actor, action="power_item.create", obj=item, fields=FIELDS)
    except IntegrityError as exc:
        # Two people saving the same code at once: the unique index decides, the loser is told.
        raise ServiceError(
            ErrorCode.DUPLICATE, _("事项编码“%(code)s”已存在") % {"code": cleaned["code"]}, field="code"
        ) from exc
    return item


def power_item_update(*, actor, item: PowerItem, version: int | None, **fields: Any) -> PowerItem:
    """Change a power item; `version` is the one the form loaded (CONFLICT if someone saved since).

    Fields not passed keep their values. One `power_item.update` event with before and after.
    """
    _check_actor(actor)
    cleaned, errors = power_item_problems(fields, item=item)
    if errors:
        raise ValidationErrors(errors)
    try:
        with transaction.atomic():
            fresh = PowerItem.objects.select_for_update().get(pk=item.pk)
            before = snapshot(fresh, FIELDS)
            claim_version(fresh, version)
            for name, value in cleaned.items():
                setattr(fresh, name, value)
            fresh.save(update_fields=list(FIELDS))
            record_change(actor=actor, action="power_item.update", obj=fresh, fields=FIELDS, before=before)
    except IntegrityError as exc:
        raise ServiceError(
            ErrorCode.DUPLICATE, _("事项编码“%(code)s”已存在") % {"code": cleaned["code"]}, field="code"
        ) from exc
    return fresh
