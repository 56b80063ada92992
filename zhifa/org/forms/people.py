"""Forms for people pages: create/edit, status change, secondment. Choices are limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.models import AgencyKind, CommandCenter, Person, PersonStatus, Role
from zhifa.org.scoping import visible
from zhifa.org.selectors.people import scoped_agencies, scoped_regions, scoped_teams


class PersonForm(StyledForm):
    """Create or edit a person. `version` is the optimistic-concurrency token of an edit."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("电话"), max_length=20, required=False)
    region = forms.ModelChoiceField(label=_("工作区划"), queryset=None, empty_label=_("请选择"))
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=None, required=False, empty_label=_("无"))
    team = forms.ModelChoiceField(label=_("执法队伍"), queryset=None, required=False, empty_label=_("无"))
    command_center = forms.ModelChoiceField(
        label=_("指挥中心"), queryset=None, required=False, empty_label=_("无")
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("角色"),
        queryset=Role.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Only when creating: the login account (optional).
    username = forms.CharField(
        label=_("用户名"), max_length=150, required=False, help_text=_("选填；填写后创建登录账号")
    )
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("选填；留空则账号不能登录，须由管理员重置密码"),
    )

    def __init__(self, *args, user, person: Person | None = None, **kwargs) -> None:
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": person.name,
                "phone": person.phone,
                "region": person.region_id,
                "agency": person.agency_id,
                "team": person.team_id,
                "command_center": person.command_center_id,
                "roles": [r.pk for r in person.roles.all()],
                "version": person.version,
            }
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["region"].queryset = scoped_regions(user).order_by("adcode")
        self.fields["agency"].queryset = scoped_agencies(user)
        self.fields["team"].queryset = scoped_teams(user)
        self.fields["command_center"].queryset = visible(CommandCenter.objects.all(), user)
        if person is not None:
            self.fields["version"].required = True
            del self.fields["username"]
            del self.fields["password"]


class PersonStatusForm(StyledForm):
    """Transfer, retire, or return a person to active duty, with date and reason."""

    status = forms.ChoiceField(label=_("新状态"))
    date = forms.DateField(label=_("日期"), widget=DateInput)
    reason = forms.CharField(
        label=_("原因"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, person: Person, **kwargs) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate(), "version": person.version})
        super().__init__(*args, **kwargs)
        if person.status == PersonStatus.ACTIVE:
            choices = [
                (PersonStatus.TRANSFERRED, PersonStatus.TRANSFERRED.label),
                (PersonStatus.RETIRED, PersonStatus.RETIRED.label),
            ]
        else:
            choices = [(PersonStatus.ACTIVE, _("恢复在岗"))]
        self.fields["status"].choices = choices


class SecondmentForm(StyledForm):
    """Second a person to a township (下沉/派驻)."""

    from_agency = forms.ModelChoiceField(label=_("派出单位"), queryset=None, empty_label=_("请选择"))
    to_agency = forms.ModelChoiceField(label=_("派驻单位"), queryset=None, empty_label=_("请选择"))
    to_team = forms.ModelChoiceField(label=_("派驻队伍"), queryset=None, required=False, empty_label=_("无"))
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput)
    end_date = forms.DateField(
        label=_("结束日期"), widget=DateInput, required=False, help_text=_("不填表示长期派驻，结束时再登记。")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user, person: Person, **kwargs) -> None:
        kwargs.setdefault("initial", {"from_agency": person.agency_id, "start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["from_agency"].queryset = scoped_agencies(user)
        self.fields["to_agency"].queryset = scoped_agencies(user).filter(kind=AgencyKind.TOWNSHIP_GOVERNMENT)
        self.fields["to_team"].queryset = scoped_teams(user)


class SecondmentEndForm(StyledForm):
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput)
