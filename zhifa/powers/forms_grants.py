"""Forms of the grant list pages (the services check every rule; these only parse the input)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.powers.models import GrantList, GuidanceList


class GrantListCreateForm(StyledForm):
    title = forms.CharField(label=_("名称"), max_length=200)
    based_on = forms.ModelChoiceField(label=_("上一版本"), queryset=GrantList.objects.none(), required=False)
    guidance = forms.ModelChoiceField(
        label=_("依据的指导清单"), queryset=GuidanceList.objects.all(), required=False
    )

    def __init__(self, *args: Any, versions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if versions is not None:
            self.fields["based_on"].queryset = versions


class StepForm(StyledForm):
    """Confirm, coordinate or return: a comment and the version the page was loaded with."""

    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PublishForm(StepForm):
    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput)
    document = forms.CharField(label=_("发布文号"), max_length=100)


class ClaimForm(StyledForm):
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    claimed_on = forms.DateField(label=_("认领日期"), widget=DateInput)


class WithdrawForm(StyledForm):
    claim = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    withdrawn_on = forms.DateField(label=_("撤回日期"), widget=DateInput)
