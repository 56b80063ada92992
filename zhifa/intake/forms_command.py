"""Forms of the command centre, the clue page and the team page (issue 4).

They only parse the input: every rule (who may act, in which status, required reasons, photo checks,
the lead agency among those involved ...) is the services'. Every action form carries the clue's
`version` as loaded, so that of two people acting on the same clue exactly one wins and the other is
told (services.common.moved_on, CONFLICT).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.intake.models import OPEN_STATUSES, ClueCategory, ClueStatus, HandlingResult
from zhifa.intake.services.photos import MAX_PHOTOS
from zhifa.org.forms.styled import StyledForm
from zhifa.org.models import Agency, Region, Team
from zhifa.powers.models import PowerItem

NOTE_MAX = 2000


def _note(label: Any, *, required: bool = False, rows: int = 2) -> forms.CharField:
    # The services say what is required (in their words, on the field); the form only trims and caps.
    return forms.CharField(
        label=label, required=required, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": rows})
    )


class QueueFilterForm(StyledForm):
    """The command centre's filters: township, status, category, overdue only (GET)."""

    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    overdue = forms.BooleanField(label=_("只看超时"), required=False)

    def __init__(self, *args: Any, townships: list[Region] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["township"].choices = everything + [(t.adcode, t.name) for t in townships]
        self.fields["status"].choices = everything + [
            (value, label) for value, label in ClueStatus.choices if value in OPEN_STATUSES
        ]
        self.fields["category"].choices = everything + [
            (c.code, c.name) for c in ClueCategory.objects.filter(is_active=True)
        ]

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments (invalid values are dropped, not an error: it is a filter)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "township": data.get("township") or None,
            "status": data.get("status") or None,
            "category": data.get("category") or None,
            "overdue": bool(data.get("overdue")),
        }


class VersionForm(StyledForm):
    """Sign for a clue (签收): only the version the page was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ClassifyForm(VersionForm):
    """定性: the power items the matter touches (ids; the chooser on the page fills them)."""

    items = forms.ModelMultipleChoiceField(
        label=_("涉及的执法事项"),
        queryset=PowerItem.objects.all(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )


class DispatchForm(VersionForm):
    """派遣: the route is the resolver's; the dispatcher may name the team and add a note."""

    team = forms.ModelChoiceField(label=_("承办队伍"), queryset=Team.objects.none(), required=False)
    note = _note(_("派遣说明"))

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams
        self.fields["team"].empty_label = _("默认（主体的执法队）")


class JointDecisionForm(VersionForm):
    """联席会商决定: the lead agency among those involved, the decision, optionally the lead's team."""

    lead_agency = forms.ModelChoiceField(label=_("牵头主体"), queryset=Agency.objects.none())
    decision = _note(_("会商意见"), rows=3)
    team = forms.ModelChoiceField(label=_("承办队伍"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["lead_agency"].queryset = agencies
            self.fields["team"].queryset = Team.objects.filter(agency__in=agencies).select_related("agency")
        self.fields["team"].empty_label = _("默认（牵头主体的执法队）")
        self.fields["team"].label_from_instance = (
            lambda team: f"{team.agency.short_name or team.agency} · {team}"
        )


class MergeForm(VersionForm):
    """Merge into one of the duplicate candidates the page lists."""

    into = forms.IntegerField(label=_("合并至"), min_value=1, widget=forms.HiddenInput)


class ReasonForm(VersionForm):
    """不予受理 / 退回: a reason is required (the service says so)."""

    reason = _note(_("理由"))


class NoteForm(VersionForm):
    """结案 / 反馈: a note (required for feedback, by the service)."""

    note = _note(_("说明"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the phone's camera or gallery); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("照片最多%(n)d张。") % {"n": MAX_PHOTOS})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class HandleForm(VersionForm):
    """处置: the result, what was done, photos."""

    result = forms.ChoiceField(
        label=_("处置结果"), choices=[("", "—"), *HandlingResult.choices], required=False
    )
    note = _note(_("处置情况"), rows=3)
    photos = MultipleFileField(label=_("现场照片"), required=False)


class VerifyForm(VersionForm):
    """核查: passed or not; a failed verification needs the reason (the service says so)."""

    passed = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("通过")), ("0", _("未通过，退回处置"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = _note(_("核查情况"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["passed"].widget.attrs["class"] = "form-check-input"
