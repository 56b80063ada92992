"""Forms of the catalogue pages. They only parse input; the services check meaning and name the field.

Shares are typed as percentages (30 = 30%) and handed to the services as fractions (0.3).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zhifa.inspections.models import FrequencyMode, Industry, InspectionItem, Scenario
from zhifa.inspections.models.subjects import RiskLevel
from zhifa.inspections.services.catalogue import CHECKLIST_MAX, ItemInput
from zhifa.inspections.services.scenarios import ScenarioInput
from zhifa.org.forms.styled import StyledForm
from zhifa.org.models import Department, EnforcementDomain
from zhifa.powers.models import PowerItem, PowerType

HUNDRED = Decimal(100)
BLANK_ROWS = 3


def checklist_from_post(data: Any) -> list[dict[str, str]]:
    """The checklist rows of a form (repeated `point` and `basis` inputs); fully empty rows are dropped."""
    points, bases = data.getlist("point"), data.getlist("basis")
    rows = [{"point": p.strip(), "basis": b.strip()} for p, b in zip(points, bases, strict=False)]
    return [row for row in rows if row["point"] or row["basis"]][: CHECKLIST_MAX + 1]


def checklist_rows(checklist: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows to show: the points so far and a few blank ones to add more (works without JavaScript)."""
    return list(checklist) + [{"point": "", "basis": ""}] * BLANK_ROWS


class ItemForm(StyledForm):
    """Create or edit an inspection item; the checklist comes as repeated rows (checklist_from_post)."""

    code = forms.CharField(label=_("事项编码"), max_length=40)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    department = forms.ModelChoiceField(label=_("实施部门"), queryset=Department.objects.none())
    domain = forms.ModelChoiceField(label=_("执法领域"), queryset=EnforcementDomain.objects.order_by("code"))
    power_item = forms.CharField(
        label=_("检查职权（行政检查事项编码）"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "power-items", "autocomplete": "off"}),
    )
    checks = forms.CharField(
        label=_("对应处罚事项编码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "font-monospace"}),
        help_text=_("每行或以逗号分隔一个行政处罚事项编码"),
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("适用行业"), queryset=Industry.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.IntegerField(label=_("预计用时（分钟）"), initial=30)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, departments: list[Department], item: InspectionItem | None = None, **kwargs
    ) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": item.code,
                "name": item.name,
                "department": item.department_id,
                "domain": item.domain_id,
                "power_item": item.power_item.code if item.power_item else "",
                "checks": "\n".join(p.code for p in item.checks.all()),
                "industries": [i.pk for i in item.industries.all()],
                "minutes": item.minutes,
                "is_active": item.is_active,
                "version": item.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(pk__in=[d.pk for d in departments])
        if item is not None:
            self.fields["version"].required = True

    def clean_power_item(self) -> PowerItem | None:
        code = self.cleaned_data["power_item"].strip()
        if not code:
            return None
        found = PowerItem.objects.filter(code=code).first()
        if found is None:
            raise forms.ValidationError(_("职权事项编码“%(code)s”不存在。") % {"code": code})
        return found

    def clean_checks(self) -> list[PowerItem]:
        codes = list(dict.fromkeys(self.cleaned_data["checks"].replace("，", ",").replace(",", "\n").split()))
        found = {p.code: p for p in PowerItem.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(_("职权事项编码“%(code)s”不存在。") % {"code": "、".join(missing)})
        return [found[code] for code in codes]

    def item_input(self, checklist: list[dict[str, str]]) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            code=data["code"],
            name=data["name"],
            department=data["department"],
            power_item=data["power_item"],
            checks=data["checks"],
            domain=data["domain"],
            industries=list(data["industries"]),
            checklist=checklist,
            minutes=data["minutes"],
            is_active=data["is_active"],
        )


def power_item_suggestions() -> list[PowerItem]:
    """Active 行政检查 items for the code field's suggestions."""
    return list(
        PowerItem.objects.filter(power_type=PowerType.INSPECTION, is_active=True).order_by("code")[:500]
    )


def _rule_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {"version": forms.IntegerField(widget=forms.HiddenInput, required=False)}
    for level in RiskLevel.values:
        fields[f"mode_{level}"] = forms.ChoiceField(
            label=format_lazy("{}{}", level, _("类检查方式")),
            required=False,
            choices=[("", _("不检查")), *FrequencyMode.choices],
        )
        fields[f"ratio_{level}"] = forms.DecimalField(
            label=format_lazy("{}{}", level, _("类抽查比例（%）")),
            required=False,
            decimal_places=2,
            max_digits=6,
        )
        fields[f"floor_{level}"] = forms.DecimalField(
            label=format_lazy("{}{}", level, _("类比例下限（%）")),
            required=False,
            decimal_places=2,
            max_digits=6,
        )
    return fields


class RulesForm(type("_RuleFields", (StyledForm,), _rule_fields())):  # type: ignore[misc]
    """Frequency rules per risk level. Floors are shown to all but only the county's keepers change them
    (a disabled field keeps its initial value, so a department's post cannot move a floor)."""

    def __init__(self, *args, item: InspectionItem | None = None, keeper: bool = True, **kwargs) -> None:
        initial: dict[str, Any] = {"version": item.version if item else None}
        existing = {r.risk_level: r for r in item.frequency_rules.all()} if item else {}
        for level, rule in existing.items():
            initial[f"mode_{level}"] = rule.mode
            initial[f"ratio_{level}"] = f"{(rule.ratio * HUNDRED).normalize():f}"  # 30, not 3E+1
            initial[f"floor_{level}"] = f"{(rule.floor * HUNDRED).normalize():f}"
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.levels = []
        for level, label in RiskLevel.choices:
            self.fields[f"floor_{level}"].disabled = not keeper
            self.levels.append(
                {
                    "level": level,
                    "label": label,
                    "mode": self[f"mode_{level}"],
                    "ratio": self[f"ratio_{level}"],
                    "floor": self[f"floor_{level}"],
                }
            )
        if item is not None:
            self.fields["version"].required = True

    def rules(self) -> list[dict[str, Any]]:
        """Rules for frequency_rules_set / item_create; a level without a mode has no rule."""
        result = []
        for level in RiskLevel.values:
            mode = self.cleaned_data.get(f"mode_{level}")
            if not mode:
                continue
            ratio, floor = self.cleaned_data.get(f"ratio_{level}"), self.cleaned_data.get(f"floor_{level}")
            result.append(
                {
                    "risk_level": level,
                    "mode": mode,
                    "ratio": None if ratio is None else ratio / HUNDRED,
                    "floor": None if floor is None else floor / HUNDRED,
                }
            )
        return result


class ScenarioForm(StyledForm):
    """Create or edit a scenario of a county: its industries, items (any department) and lead."""

    code = forms.SlugField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    industries = forms.ModelMultipleChoiceField(
        label=_("适用行业"), queryset=Industry.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    lead_department = forms.ModelChoiceField(
        label=_("牵头部门"), queryset=Department.objects.none(), required=False, empty_label=_("无")
    )
    items = forms.ModelMultipleChoiceField(
        label=_("检查事项"),
        queryset=InspectionItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, county, items, scenario: Scenario | None = None, **kwargs) -> None:
        if scenario is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": scenario.code,
                "name": scenario.name,
                "industries": [i.pk for i in scenario.industries.all()],
                "lead_department": scenario.lead_department_id,
                "items": [i.pk for i in scenario.items.all()],
                "description": scenario.description,
                "is_active": scenario.is_active,
                "version": scenario.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = Department.objects.filter(region=county).order_by("name")
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = (
            lambda i: f"{i.department.short_name or i.department.name} · {i.name}"
        )
        if scenario is not None:
            self.fields["version"].required = True

    def scenario_input(self) -> ScenarioInput:
        data = self.cleaned_data
        return ScenarioInput(
            code=data["code"],
            name=data["name"],
            industries=list(data["industries"]),
            items=list(data["items"]),
            lead_department=data["lead_department"],
            description=data["description"],
            is_active=data["is_active"],
        )
