"""Forms of the reporter-facing pages: the staff report, the public report, verify, evaluate, track.

Forms only parse what the browser sends (types, choices); the rules (text length, plausible position,
photo type and size, categories in use) live in the services, whose errors are put back next to the
field they name (`apply_errors`). Photos are read up to one byte past the size limit, so a huge file
is refused by the service without being read whole into memory.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from zhifa.core.errors import ServiceError, ValidationErrors
from zhifa.intake.models import ClueCategory, ClueSource, Priority
from zhifa.intake.services.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PhotoUpload
from zhifa.org.models import Region
from zhifa.org.models.structure import TOWNSHIP_LEVELS

# Where a service's error field is shown on the form (position errors go to the map block).
FIELD_ALIASES = {"lng": "lat", "coord_system": "lat", "coordinate_system": "lat", "reason": "note"}
# The public's keys live in their own namespace: a staff member's key can never answer a public form.
PUBLIC_KEY_PREFIX = "public:"
# Sources by who reports (ClueSource): the command centre types hotline entries, referrals and
# inspection findings; officers report what they find on inspection; grid workers their patrols.
DISPATCHER_SOURCES = (
    ClueSource.HOTLINE,
    ClueSource.HOTLINE_12345,
    ClueSource.INSPECTION,
    ClueSource.REFERRAL,
    ClueSource.GRID,
)
OFFICER_SOURCES = (ClueSource.INSPECTION, ClueSource.GRID)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.Field):
    """Several uploaded files, passed on unchecked (the photo service checks content and size)."""

    widget = MultipleFileInput

    def clean(self, value: Any) -> list[UploadedFile]:
        if not value:
            return []
        return [f for f in (value if isinstance(value, list | tuple) else [value]) if f]


def photo_uploads(files: list[UploadedFile]) -> list[PhotoUpload]:
    """The uploads as PhotoUpload; at most MAX_PHOTOS + 1 files and MAX_PHOTO_BYTES + 1 bytes each are
    read (enough for the service to say "too many" or "too large")."""
    uploads = []
    for upload in files[: MAX_PHOTOS + 1]:
        upload.seek(0)
        uploads.append(PhotoUpload((upload.name or "")[:100], upload.read(MAX_PHOTO_BYTES + 1)))
    return uploads


class TownshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = obj.parent.name if obj.parent_id else ""
        return f"{parent} · {obj.name}" if parent else obj.name


def township_queryset():
    return Region.objects.filter(level__in=TOWNSHIP_LEVELS).select_related("parent").order_by("adcode")


def _category_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("类别"),
        queryset=ClueCategory.objects.filter(is_active=True),
        required=False,
        empty_label=_("请选择类别"),
        error_messages={"invalid_choice": _("请选择有效的线索类别。")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _coordinate(label: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("位置无效，请重新定位或在地图上选点。")},
    )


class ReportBase(forms.Form):
    """What every reporter sends: category, text, position (WGS84 from the browser), address, photos."""

    category = _category_field()
    text = forms.CharField(
        label=_("情况描述"),
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs={"class": "form-control", "rows": 3, "placeholder": _("例如：菜市场门口有商贩占道经营")}
        ),
    )
    address = forms.CharField(
        label=_("地址"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("可选，如：东湖路12号")}),
    )
    lat = _coordinate(_("纬度"))
    lng = _coordinate(_("经度"))
    photos = PhotosField(
        label=_("照片"),
        required=False,
        widget=MultipleFileInput(
            attrs={"class": "form-control", "accept": "image/*", "capture": "environment"}
        ),
    )
    client_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_client_key(self) -> str:
        value = (self.cleaned_data.get("client_key") or "").strip().lower()
        if not value:
            return ""
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise forms.ValidationError(_("提交标识无效，请刷新页面后重新提交。")) from None


class StaffReportForm(ReportBase):
    """The grid worker's phone form; dispatchers also give source, priority, caller and township."""

    source = forms.ChoiceField(
        label=_("来源"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("线索来源无效。")},
    )
    priority = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reporter_name = forms.CharField(
        label=_("来电人/举报人"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    reporter_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    region = TownshipChoiceField(
        label=_("事发乡镇（街道）"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("无定位时请选择"),
        error_messages={"invalid_choice": _("请选择有效的乡镇（街道）。")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, sources: tuple[str, ...], extras: bool, townships=None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(ClueSource.choices)
        self.fields["source"].choices = [(s, labels[s]) for s in sources]
        self.fields["source"].initial = sources[0]
        self.extras = extras
        self.sources = sources
        if len(sources) == 1:
            self.fields["source"].widget = forms.HiddenInput()
        if extras:
            self.fields["region"].queryset = townships if townships is not None else township_queryset()
        else:
            for name in ("priority", "reporter_name", "reporter_phone", "region"):
                del self.fields[name]

    def clean_source(self) -> str:
        return self.cleaned_data.get("source") or self.sources[0]


class PublicReportForm(ReportBase):
    """The public's complaint form (no login): contact optional, township when there is no position."""

    region = TownshipChoiceField(
        label=_("事发乡镇（街道）"),
        queryset=township_queryset(),
        required=False,
        empty_label=_("请选择（未定位时必选）"),
        error_messages={"invalid_choice": _("请选择有效的乡镇（街道）。")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reporter_name = forms.CharField(
        label=_("姓名（可不填）"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    reporter_phone = forms.CharField(
        label=_("联系电话（可不填）"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    # Honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1"}))

    def service_key(self) -> str:
        key = self.cleaned_data.get("client_key") or ""
        return PUBLIC_KEY_PREFIX + key if key else ""


class VerifyForm(forms.Form):
    """On-site verification: passed or not (a reason is required when not; the service says so)."""

    passed = forms.TypedChoiceField(
        label=_("核查结果"),
        choices=[("1", _("问题已解决，核查通过")), ("0", _("问题未解决，核查不通过"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择核查结果。"), "invalid_choice": _("请选择核查结果。")},
    )
    note = forms.CharField(
        label=_("核查说明"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EvaluateForm(forms.Form):
    """The reporter's evaluation after closing: 1 to 5 stars and a comment."""

    rating = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择1至5星。"), "invalid_choice": _("评价须为1至5星。")},
    )
    comment = forms.CharField(
        label=_("评价意见"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        error_messages={"max_length": _("评价意见最多300字。")},
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("请输入查询码。")},
    )


def apply_errors(form: forms.Form, exc: ServiceError) -> None:
    """Put a service's errors next to the fields they name (unknown fields above the form)."""
    errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
    for error in errors:
        name = FIELD_ALIASES.get(error.field or "", error.field)
        form.add_error(name if name in form.fields else None, error.message)


def errors_json(form: forms.Form) -> dict[str, list[str]]:
    """The form's errors as {field: [messages]} ("__all__" for those above the form)."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
