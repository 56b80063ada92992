"""Forms of the acts of investigation (the workspace's sections for officers, parties, evidence,
statements, extensions and measures).

They only parse: every rule is the services' (zhifa.cases.services.*), whose errors land on the field
of the same name (StyledForm.add_service_error). Field names therefore follow the services' field
names (officer_ids, consent_upload, ...). Each form has a fixed prefix, so that all sections can share
one workspace page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import (
    EvidenceKind,
    HearingResult,
    IdType,
    MeasureKind,
    OfficerRole,
    PartyKind,
    RemedyKind,
    StatementKind,
)
from zhifa.org.forms.styled import DateInput, StyledForm

YES_NO = [("1", _("是")), ("0", _("否"))]


def _yes(value: Any) -> bool:
    return value in ("1", 1, True)


class DateTimeLocalInput(forms.DateTimeInput):
    """A native date-and-time picker (works on phones)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _moment(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
    )


def _day(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _text(label: Any, *, required: bool = False, rows: int = 2, max_length: int = 20000) -> forms.CharField:
    # The services say what is required, in their words and on the field; the form only trims and caps.
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def _line(label: Any, *, max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


def _officers(choices: list[tuple[int, str]], label: Any = None) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label or _("在场执法人员（两名以上）"),
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
    )


# --- officers and recusal -------------------------------------------------------------------------------


class OfficerAssignForm(StyledForm):
    person = forms.ModelChoiceField(
        label=_("执法人员"), queryset=None, required=False, empty_label=_("请选择")
    )
    role = forms.ChoiceField(label=_("分工"), choices=OfficerRole.choices, initial=OfficerRole.ASSIST)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ReasonForm(StyledForm):
    reason = _line(_("理由"), max_length=500)


class RecusalApplyForm(StyledForm):
    person = forms.ChoiceField(label=_("申请回避的人员"), required=False)
    reason = _text(_("回避理由"))
    raised_by_party = forms.BooleanField(
        label=_("当事人申请（不勾选为执法人员自行回避）"), required=False, initial=True
    )

    def __init__(self, *args: Any, people: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("请选择"))] + [(str(p.pk), p.name) for p in people]


class RecusalDecideForm(StyledForm):
    granted = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("准予回避")), ("0", _("不予回避"))], coerce=_yes, empty_value=None
    )
    note = _line(_("决定理由"), max_length=500)


# --- parties --------------------------------------------------------------------------------------------


class PartyForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("当事人类型"), choices=PartyKind.choices)
    name = _line(_("姓名或名称"), max_length=100)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = _line(_("证件号码"), max_length=40)
    legal_representative = _line(_("法定代表人（负责人）"), max_length=50)
    birth_date = _day(_("出生日期"), required=False)
    address = _line(_("住所（地址）"))
    phone = _line(_("联系电话"), max_length=20)
    e_service_consent = forms.BooleanField(label=_("同意电子送达"), required=False)
    e_service_address = _line(_("电子送达地址（手机号码或电子邮箱）"), max_length=120)
    consent_evidence = forms.ModelChoiceField(
        label=_("已登记的送达地址确认书"), queryset=None, required=False, empty_label=_("（无）")
    )
    consent_upload = forms.FileField(label=_("或上传签署的送达地址确认书"), required=False)

    def __init__(self, *args: Any, evidence: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_evidence"].queryset = evidence


# --- evidence and records ----------------------------------------------------------------------------


class EvidenceForm(StyledForm):
    kind = forms.ChoiceField(label=_("证据种类（《行政处罚法》第四十六条）"), choices=EvidenceKind.choices)
    title = _line(_("证据名称"))
    description = _text(_("证明内容"), max_length=5000)
    collected_at = _moment(_("收集时间"), required=False)
    place = _line(_("收集地点"))
    collector_ids = _officers([], _("收集人（两名以上执法人员）"))
    file = forms.FileField(label=_("文件（照片、录音录像、电子数据、扫描件）"), required=False)

    def __init__(self, *args: Any, officers: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collector_ids"].choices = officers


class InspectionForm(StyledForm):
    inspected_at = _moment(_("检查时间"), required=False)
    place = _line(_("检查地点"))
    present = _line(_("在场人"))
    content = _text(_("检查情况"), rows=5)
    officer_ids = _officers([])

    def __init__(self, *args: Any, officers: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = officers


class InterviewForm(StyledForm):
    interviewed_at = _moment(_("询问时间"), required=False)
    place = _line(_("询问地点"))
    interviewee = _line(_("被询问人"), max_length=100)
    interviewee_id = _line(_("被询问人证件号码"), max_length=40)
    as_party = forms.TypedChoiceField(
        label=_("被询问人身份"),
        choices=[("1", _("当事人（或其代表）")), ("0", _("证人"))],
        initial="1",
        coerce=_yes,
    )
    content = _text(_("询问内容"), rows=5)
    officer_ids = _officers([])

    def __init__(self, *args: Any, officers: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = officers


# --- statements and hearings -----------------------------------------------------------------------------


class StatementForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=StatementKind.choices)
    received_on = _day(_("收到日期"), required=False)
    content = _text(_("内容（当事人的陈述申辩，或其签署的放弃声明）"), rows=4)

    def __init__(self, *args: Any, hearing_offered: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not hearing_offered:
            self.fields["kind"].choices = [
                (v, label)
                for v, label in StatementKind.choices
                if v not in (StatementKind.HEARING_REQUEST, StatementKind.HEARING_WAIVER)
            ]


class ReexamineForm(StyledForm):
    reexamination = _text(_("复核意见"), max_length=5000)
    adopted = forms.TypedChoiceField(
        label=_("是否采纳"),
        choices=[("", _("请选择")), *YES_NO],
        required=False,
        coerce=_yes,
        empty_value=None,
    )


class HearingRecordForm(StyledForm):
    result = forms.ChoiceField(
        label=_("听证结果"),
        choices=[(v, label) for v, label in HearingResult.choices if v != HearingResult.SCHEDULED],
    )
    held_at = _moment(_("举行（或确认）时间"), required=False)
    agents = _line(_("委托代理人"))
    transcript = _text(_("听证笔录"), rows=5, max_length=50000)


# --- extension, measures, remedies -------------------------------------------------------------------------


class ExtensionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=3650, required=False)
    reason = _text(_("延长理由"))
    by_discussion = forms.BooleanField(label=_("经负责人集体讨论决定"), required=False)
    discussion = forms.ModelChoiceField(
        label=_("集体讨论记录"), queryset=None, required=False, empty_label=_("（最近一次）")
    )

    def __init__(self, *args: Any, discussions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discussion"].queryset = discussions


class MeasureStartForm(StyledForm):
    kind = forms.ChoiceField(label=_("措施"), choices=MeasureKind.choices)
    items = _text(_("物品清单（《行政强制法》第二十四条）"), rows=3, max_length=10000)
    started_on = _day(_("开始日期"), required=False)
    note = _line(_("说明"), max_length=300)
    officer_ids = _officers([], _("实施人员（两名以上）"))

    def __init__(self, *args: Any, officers: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = officers


class MeasureExtendForm(StyledForm):
    days = forms.IntegerField(
        label=_("延长天数（最多30日）"), min_value=1, max_value=3650, initial=30, required=False
    )
    reason = _line(_("延长理由"), max_length=250)


class MeasureLiftForm(StyledForm):
    lifted_on = _day(_("解除日期"), required=False)
    reason = _line(_("解除理由"), max_length=250)


class RemedyStartForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=RemedyKind.choices)
    started_on = _day(_("受理日期"), required=False)
    body = _line(_("受理机关"), max_length=100)


class RemedyEndForm(StyledForm):
    ended_on = _day(_("结束日期"), required=False)
    result = _line(_("结果"), max_length=300)
