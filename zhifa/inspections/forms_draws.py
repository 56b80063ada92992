"""Forms of the draw pages: they parse the input; draw_create and friends check every rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.inspections.models import Industry, InspectionItem, RiskLevel, Scenario
from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.models import Agency, Region


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InspectionItem) -> str:
        return f"{obj.name}（{obj.department.short_name or obj.department.name}）"


class DrawCreateForm(StyledForm):
    """A random-inspection task: what (items), when (period), whom (region and filters), how many."""

    title = forms.CharField(label=_("任务名称"), max_length=200)
    agency = forms.ModelChoiceField(label=_("组织单位"), queryset=Agency.objects.none(), empty_label=None)
    items = ItemChoiceField(
        label=_("检查事项"),
        queryset=InspectionItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scenario = forms.ModelChoiceField(
        label=_("检查场景"),
        queryset=Scenario.objects.none(),
        required=False,
        help_text=_("选择场景且未勾选事项时，按场景包含的事项抽查。"),
    )
    period_start = forms.DateField(label=_("检查期间起"), widget=DateInput)
    period_end = forms.DateField(label=_("检查期间止"), widget=DateInput)
    region = forms.ModelChoiceField(
        label=_("抽查范围（乡镇、街道）"), queryset=Region.objects.none(), empty_label=None
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("行业"),
        queryset=Industry.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则为所选事项适用的全部行业。"),
    )
    risk_levels = forms.MultipleChoiceField(
        label=_("风险等级"),
        choices=RiskLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则为全部风险等级（A类须全覆盖检查）。"),
    )
    ratio = forms.DecimalField(
        label=_("抽查比例"),
        max_digits=5,
        decimal_places=4,
        help_text=_("0 到 1 之间的小数，如 0.1 表示抽取 10%；不得低于检查频次规则规定的下限。"),
        widget=forms.NumberInput(attrs={"step": "0.0001", "min": "0", "max": "1"}),
    )
    inspectors_per_subject = forms.IntegerField(
        label=_("每户检查人员数"),
        initial=2,
        min_value=1,
        max_value=10,
        help_text=_("不少于两人（《行政处罚法》第四十二条）。"),
        widget=forms.NumberInput(attrs={"min": "2"}),
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[Agency],
        regions: list[Region],
        items: Any,
        scenarios: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        self.fields["region"].queryset = Region.objects.filter(pk__in=[r.pk for r in regions]).order_by(
            "adcode"
        )
        self.fields["items"].queryset = items
        self.fields["scenario"].queryset = scenarios
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk

    def subject_filter(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            "industries": [i.code for i in data.get("industries") or []],
            "risk_levels": list(data.get("risk_levels") or []),
        }


class DrawStepForm(forms.Form):
    """Commit, run or cancel: the version the page was loaded with (a stale one is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
