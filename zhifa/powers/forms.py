"""Forms of the powers pages. Checks of meaning live in the services; forms only parse input."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.forms.styled import StyledForm
from zhifa.org.models import EnforcementDomain
from zhifa.powers.basis import parse_basis
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.services.items import PENALTY_TYPES

ITEM_FIELDS = (
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


class BasisRefsField(forms.CharField):
    """The structured references as JSON text: [{"law": ..., "article": 60, "paragraph": 1, "item": 3}]."""

    def to_python(self, value: str | None) -> list:
        text = (super().to_python(value) or "").strip()
        if not text:
            return []
        try:
            refs = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("依据条款不是有效的 JSON")) from exc
        return refs  # the service checks the structure and names the problem

    def prepare_value(self, value: object) -> str:
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False)
        return "" if value is None else str(value)


class PowerItemForm(StyledForm):
    """Create or edit a power item. `version` is the optimistic-concurrency token of an edit."""

    code = forms.CharField(label=_("事项编码"), max_length=40)
    name = forms.CharField(label=_("事项名称"), max_length=300)
    power_type = forms.ChoiceField(label=_("职权类型"), choices=PowerType.choices)
    domain = forms.ModelChoiceField(
        label=_("执法领域"),
        queryset=EnforcementDomain.objects.order_by("code"),
        required=False,
        empty_label=_("无"),
    )
    original_subject = forms.CharField(label=_("原实施主体"), max_length=200)
    basis_text = forms.CharField(label=_("实施依据"), widget=forms.Textarea(attrs={"rows": 4}))
    basis_refs = BasisRefsField(
        label=_("依据条款"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_(
            'JSON 列表，如 [{"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 3}]；'
            "留空则按实施依据自动识别"
        ),
    )
    keywords = forms.CharField(label=_("关键词"), max_length=300, required=False)
    penalty_types = forms.MultipleChoiceField(
        label=_("处罚种类"),
        choices=[(t, t) for t in PENALTY_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fine_min = forms.DecimalField(label=_("罚款下限（元）"), required=False, min_value=0, decimal_places=2)
    fine_max = forms.DecimalField(label=_("罚款上限（元）"), required=False, min_value=0, decimal_places=2)
    fine_formula = forms.CharField(
        label=_("罚款计算方式"),
        max_length=200,
        required=False,
        help_text=_("如：违法所得一倍以上三倍以下"),
    )
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, item: PowerItem | None = None, **kwargs) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(item, name) for name in ITEM_FIELDS} | {
                "domain": item.domain_id,
                "version": item.version,
            }
        super().__init__(*args, **kwargs)
        self.item = item
        if item is not None:
            self.fields["version"].required = True

    def item_fields(self) -> dict:
        """The cleaned values the services take; without references, those read from the basis text."""
        values = {name: self.cleaned_data[name] for name in ITEM_FIELDS}
        if not values["basis_refs"]:
            values["basis_refs"] = parse_basis(values["basis_text"])
        return values
