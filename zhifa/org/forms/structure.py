"""Forms of the organisation pages: regions, departments, agencies, teams, zones, command centres, grid.

Forms only parse input and offer choices within what the user may change (selectors.structure.editable);
the services do every rule check, so pages, the admin and imports give the same messages.
`version` carries the optimistic-concurrency token of an edit.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.forms.styled import StyledForm
from zhifa.org.models import (
    Agency,
    AgencyKind,
    Department,
    DepartmentKind,
    EnforcementDomain,
    GridCell,
    GridLevel,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
    Team,
)
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.scoping import visible
from zhifa.org.selectors.structure import editable

PARENT_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, *TOWNSHIP_LEVELS)


class StructureForm(StyledForm):
    """Base: `initial_from(obj)` fills the form from an object; `service_kwargs()` gives the service input.

    Widgets get Bootstrap classes and fields with errors get `is-invalid` (StyledForm); the boxes of a
    checkbox list stay unstyled, as structure_fields.html lays them out.
    """

    checkbox_list_css = None
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fields_from_object: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance

    def initial_from(self, obj: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": getattr(obj, "version", None)}
        for name in self.fields_from_object:
            field = obj._meta.get_field(name)
            if field.many_to_many:
                initial[name] = [item.pk for item in getattr(obj, name).all()]
            elif field.is_relation:
                initial[name] = getattr(obj, field.attname)
            else:
                initial[name] = getattr(obj, name)
        return initial

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


def _person_choices(user: Any) -> Any:
    return (
        visible(Person.objects.filter(status=PersonStatus.ACTIVE), user)
        .select_related("region")
        .order_by("name")
    )


class RegionForm(StructureForm):
    fields_from_object = ("adcode", "name", "level", "parent")
    adcode = forms.CharField(label=_("区划代码"), max_length=12, help_text=_("12位统计用区划代码"))
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("层级"), choices=RegionLevel.choices)
    parent = forms.ModelChoiceField(label=_("上级"), queryset=None, required=False, empty_label=_("无"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = editable(Region.objects.filter(level__in=PARENT_LEVELS), self.user)
        if self.instance is not None and self.instance.parent_id:
            # The current parent stays selectable even when the editor cannot change it.
            parents = parents | Region.objects.filter(pk=self.instance.parent_id)
        self.fields["parent"].queryset = parents.order_by("adcode")


class DepartmentForm(StructureForm):
    fields_from_object = ("name", "short_name", "kind", "region", "domains")
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=20)
    kind = forms.ChoiceField(label=_("类型"), choices=DepartmentKind.choices)
    region = forms.ModelChoiceField(label=_("县（区）"), queryset=None, empty_label=_("请选择"))
    domains = forms.ModelMultipleChoiceField(
        label=_("执法领域"),
        queryset=EnforcementDomain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = editable(Region.objects.filter(level=RegionLevel.COUNTY), self.user)


class AgencyForm(StructureForm):
    fields_from_object = ("name", "short_name", "kind", "region", "department", "uscc", "is_active")
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=20, help_text=_("用于文号"))
    kind = forms.ChoiceField(label=_("类型"), choices=AgencyKind.choices)
    region = forms.ModelChoiceField(label=_("区划"), queryset=None, empty_label=_("请选择"))
    department = forms.ModelChoiceField(
        label=_("部门"), queryset=None, required=False, empty_label=_("无"), help_text=_("部门执法主体必填")
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.COUNTY, *TOWNSHIP_LEVELS)
        self.fields["region"].queryset = editable(
            Region.objects.filter(level__in=levels), self.user
        ).order_by("adcode")
        self.fields["department"].queryset = editable(Department.objects.all(), self.user)


class TeamForm(StructureForm):
    fields_from_object = ("name", "agency", "region", "parent")
    name = forms.CharField(label=_("名称"), max_length=100)
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=None, empty_label=_("请选择"))
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=None, required=False, empty_label=_("同执法主体")
    )
    parent = forms.ModelChoiceField(label=_("上级队伍"), queryset=None, required=False, empty_label=_("无"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = editable(Agency.objects.filter(is_active=True), self.user)
        levels = (RegionLevel.COUNTY, *TOWNSHIP_LEVELS)
        self.fields["region"].queryset = editable(
            Region.objects.filter(level__in=levels), self.user
        ).order_by("adcode")
        teams = editable(Team.objects.select_related("agency"), self.user)
        if self.instance is not None:
            teams = teams.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = teams


class ZoneForm(StructureForm):
    fields_from_object = ("name", "county", "townships", "leader", "deputy")
    name = forms.CharField(label=_("名称"), max_length=100)
    county = forms.ModelChoiceField(label=_("县（区）"), queryset=None, empty_label=_("请选择"))
    townships = forms.ModelMultipleChoiceField(
        label=_("乡镇（街道）"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    leader = forms.ModelChoiceField(label=_("片长"), queryset=None, required=False, empty_label=_("无"))
    deputy = forms.ModelChoiceField(label=_("协作组长"), queryset=None, required=False, empty_label=_("无"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = editable(Region.objects.filter(level=RegionLevel.COUNTY), self.user)
        self.fields["townships"].queryset = editable(
            Region.objects.filter(level__in=TOWNSHIP_LEVELS), self.user
        ).order_by("adcode")
        self.fields["leader"].queryset = _person_choices(self.user)
        self.fields["deputy"].queryset = _person_choices(self.user)


class CommandCenterForm(StructureForm):
    fields_from_object = ("name", "region")
    name = forms.CharField(label=_("名称"), max_length=100)
    region = forms.ModelChoiceField(label=_("区划"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.COUNTY, *TOWNSHIP_LEVELS)
        self.fields["region"].queryset = editable(
            Region.objects.filter(level__in=levels), self.user
        ).order_by("adcode")


class GridCellForm(StructureForm):
    """A grid cell. The parent is fixed by the page (a sub-cell is added from its parent's page)."""

    fields_from_object = ("code", "name", "level", "region", "parent")
    code = forms.CharField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.TypedChoiceField(label=_("层级"), choices=GridLevel.choices, coerce=int)
    region = forms.ModelChoiceField(label=_("区划"), queryset=None, empty_label=_("请选择"))
    parent = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    geometry = forms.CharField(
        label=_("范围（GeoJSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_("WGS84经纬度的Polygon或MultiPolygon，可粘贴GeoJSON的geometry或Feature。"),
    )

    def __init__(self, *args: Any, parent: GridCell | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = parent or (self.instance.parent if self.instance is not None else None)
        self.parent_cell = parent
        self.fields["parent"].queryset = visible(GridCell.objects.all(), self.user)
        regions = editable(Region.objects.all(), self.user)
        if parent is None:
            regions = regions.filter(level=RegionLevel.COUNTY)  # only a district cell has no parent
        else:
            regions = regions.filter(adcode__under=parent.region.prefix)
            if not self.is_bound:
                self.initial.setdefault("parent", parent.pk)
                if parent.level < GridLevel.MICRO_GRID:
                    self.initial.setdefault("level", parent.level + 1)
        self.fields["region"].queryset = regions.order_by("adcode")

    def initial_from(self, obj: Any) -> dict[str, Any]:
        initial = super().initial_from(obj)
        initial["geometry"] = json.dumps(obj.geometry, ensure_ascii=False) if obj.geometry else ""
        return initial


class GridAssignForm(StructureForm):
    """The grid leader (网格长) and grid workers (网格员) of a cell."""

    fields_from_object = ("leader", "workers")
    leader = forms.ModelChoiceField(label=_("网格长"), queryset=None, required=False, empty_label=_("无"))
    workers = forms.ModelMultipleChoiceField(
        label=_("网格员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people
        self.fields["workers"].queryset = people
