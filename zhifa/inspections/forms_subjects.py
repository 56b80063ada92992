"""Forms of the subject pages. They only parse input; the rules (USCC check character, the township in
the editor's scope, the position in its grid cell) live in services.subjects and come back as a
ServiceError shown on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.inspections.models import Industry, RiskLevel, Subject, SubjectKind
from zhifa.inspections.selectors.subjects import editable_townships
from zhifa.inspections.services.subjects import SubjectInput
from zhifa.org.forms.styled import StyledForm
from zhifa.org.models import Person, Region


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.adcode}）"


class SubjectForm(StyledForm):
    """Register or edit a subject. `version` is the optimistic-concurrency token of an edit."""

    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,  # the service names a wrong length; a hard cut here would hide the typo
        help_text=_("18位，含校验位（GB 32100-2015）"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "font-monospace"}),
    )
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("主体类型"), choices=SubjectKind.choices)
    industry = forms.ModelChoiceField(
        label=_("行业"), queryset=Industry.objects.order_by("code"), empty_label=_("请选择")
    )
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices, initial=RiskLevel.C)
    address = forms.CharField(label=_("经营地址"), max_length=300)
    township = TownshipChoiceField(
        label=_("乡镇（街道）"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("按经纬度自动确定"),
        help_text=_("填写经纬度时，乡镇（街道）和网格按位置自动确定"),
    )
    lng = forms.CharField(
        label=_("经度"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lat = forms.CharField(
        label=_("纬度"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, subject: Subject | None = None, **kwargs: Any) -> None:
        if subject is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "uscc": subject.uscc,
                "name": subject.name,
                "kind": subject.kind,
                "industry": subject.industry_id,
                "risk_level": subject.risk_level,
                "address": subject.address,
                "township": subject.township_id,
                "lng": "" if subject.lng is None else subject.lng,
                "lat": "" if subject.lat is None else subject.lat,
                "contact_name": subject.contact_name,
                "contact_phone": subject.contact_phone,
                "version": subject.version,
            }
        super().__init__(*args, **kwargs)
        self.subject = subject
        townships = editable_townships(user)
        self.fields["township"].queryset = Region.objects.filter(pk__in=[t.pk for t in townships]).order_by(
            "adcode"
        )
        if subject is not None:
            self.fields["version"].required = True

    def subject_input(self) -> SubjectInput:
        """The cleaned values as the service takes them."""
        data = self.cleaned_data
        return SubjectInput(
            uscc=data["uscc"],
            name=data["name"],
            kind=data["kind"],
            address=data["address"],
            industry=data["industry"],
            risk_level=data["risk_level"],
            township=data["township"],
            lng=data["lng"],
            lat=data["lat"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.agency.short_name}）" if obj.agency_id else obj.name


class ConflictForm(StyledForm):
    """Declare a recusal (回避, APL Art. 43): who must not inspect the subject, and why."""

    person = PersonChoiceField(label=_("执法人员"), queryset=Person.objects.none(), empty_label=None)
    reason = forms.CharField(
        label=_("回避事由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：本人近亲属为该主体的经营者"),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
