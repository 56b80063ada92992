"""Forms of the disclosure staff pages: the queue's filters, the reviewer's extra masks, "not published",
recording a revocation and withdrawing a publication.

They only parse: every rule is the services' (zhifa.disclosure.services), whose errors land on the field
of the same name (StyledForm.add_service_error), so the field names follow the services' (extra_masks,
reason, note, revoked_on, notice). Messages name the field in Chinese.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhifa.core.errors import ServiceError
from zhifa.disclosure.models import ExemptReason, PublicationKind, WithdrawalReason
from zhifa.disclosure.services import MAX_EXTRA_MASKS, MAX_MASK_LENGTH, NOTE_MAX, NOTICE_MAX
from zhifa.org.forms.styled import DateInput, StyledForm

OVERDUE = "overdue"
# The textarea holds at most every allowed mask at its longest, one per line.
MASKS_TEXT_MAX = (MAX_MASK_LENGTH + 1) * MAX_EXTRA_MASKS


def service_error_messages(form: StyledForm, exc: ServiceError) -> list[str]:
    """Put a service error at its field; returns the messages for above the form (none when placed)."""
    if exc.field and exc.field in form.fields:
        form.add_service_error(exc)
        return []
    return [exc.message]


def _messages(required: Any, invalid: Any = None, choice: Any = None) -> dict[str, Any]:
    found = {"required": required}
    if invalid is not None:
        found["invalid"] = invalid
    if choice is not None:
        found["invalid_choice"] = choice
    return found


REVOKED_ON_MESSAGES = _messages(
    _("请填写撤销（变更）日期。"), invalid=_("撤销（变更）日期格式不正确，请按“年-月-日”填写。")
)
WITHDRAWAL_REASON_MESSAGES = _messages(_("请选择撤回原因。"), choice=_("撤回原因不在可选范围内。"))


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "invalid": _("页面版本号无效，请刷新后重试。"),
            "min_value": _("页面版本号无效，请刷新后重试。"),
            "max_value": _("页面版本号无效，请刷新后重试。"),
        },
    )


class QueueFilterForm(StyledForm):
    """The queue's filters (GET): agency, kind of decision, overdue only. Bad values are reported and
    ignored, never a 500."""

    agency = forms.TypedChoiceField(
        label=_("执法主体"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages=_messages(_("请选择执法主体。"), choice=_("执法主体不在可选范围内，请重新选择。")),
    )
    kind = forms.ChoiceField(
        label=_("公示类型"),
        required=False,
        choices=[
            ("", _("全部类型")),
            (PublicationKind.PENALTY, PublicationKind.PENALTY.label),
            (PublicationKind.OTHER, PublicationKind.OTHER.label),
        ],
        error_messages=_messages(_("请选择公示类型。"), choice=_("公示类型不在可选范围内。")),
    )
    level = forms.ChoiceField(
        label=_("期限"),
        required=False,
        choices=[("", _("全部")), (OVERDUE, _("仅看已超期"))],
        error_messages=_messages(_("请选择期限。"), choice=_("期限筛选不在可选范围内。")),
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("全部执法主体")), *agencies]

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments of selectors.queue.publication_queue."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # an invalid field is left out of cleaned_data: its filter is not applied
            data = self.cleaned_data
        return {
            "agency_id": data.get("agency"),
            "kind": data.get("kind") or "",
            "overdue_only": data.get("level") == OVERDUE,
        }


class ExtraMasksForm(StyledForm):
    """The reviewer's extra masks: one string of the original per line (GO118 "作适当处理": the reviewer
    may mask more than the automatic redaction, never less)."""

    extra_masks = forms.CharField(
        label=_("补充遮盖的内容（每行一项）"),
        required=False,
        max_length=MASKS_TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("填写原文中需要另外遮盖的文字，每行一项；也可以在左侧原文中选中文字后点“遮盖所选内容”。"),
        error_messages={"max_length": _("补充遮盖的内容过长（最多%(limit_value)d个字符）。")},
    )

    def masks(self) -> list[str]:
        """The non-empty lines, in order (the service checks each against the original)."""
        text = self.cleaned_data.get("extra_masks", "") if hasattr(self, "cleaned_data") else ""
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ExemptForm(StyledForm):
    """Not published, with the legal reason and the particular circumstances (OGI Art. 14-15;
    ZJ-PUB Art. 5)."""

    reason = forms.ChoiceField(
        label=_("不予公开理由"),
        choices=[("", "---------"), *ExemptReason.choices],
        error_messages=_messages(_("请选择不予公开的理由。"), choice=_("不予公开理由不在可选范围内。")),
    )
    note = forms.CharField(
        label=_("具体情况说明"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("请说明不予公开的具体情况。"),
            "max_length": _("说明不能超过%(limit_value)d个字。"),
        },
    )


class RevocationForm(StyledForm):
    """The published decision was revoked, changed, confirmed illegal or void, or ordered remade: the day
    it happened starts the 3-working-day withdrawal limit (APL Art. 48, Art. 85)."""

    revoked_on = forms.DateField(
        label=_("撤销（变更）日期"), widget=DateInput(), error_messages=REVOKED_ON_MESSAGES
    )
    reason = forms.ChoiceField(
        label=_("撤回原因"),
        choices=[("", "---------"), *WithdrawalReason.choices],
        error_messages=WITHDRAWAL_REASON_MESSAGES,
    )
    version = _version_field()


class WithdrawForm(StyledForm):
    """Withdraw with a public notice (APL Art. 48); the revocation's day and reason are asked here when
    they were not recorded before."""

    notice = forms.CharField(
        label=_("撤回说明（将向社会公开）"),
        max_length=NOTICE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("请填写撤回说明，它将向社会公开。"),
            "max_length": _("撤回说明不能超过%(limit_value)d个字。"),
        },
    )
    revoked_on = forms.DateField(
        label=_("撤销（变更）日期"),
        required=False,
        widget=DateInput(),
        error_messages=REVOKED_ON_MESSAGES,
    )
    reason = forms.ChoiceField(
        label=_("撤回原因"),
        required=False,
        choices=[("", "---------"), *WithdrawalReason.choices],
        error_messages=WITHDRAWAL_REASON_MESSAGES,
    )
    version = _version_field()

    def __init__(self, *args: Any, revocation_recorded: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if revocation_recorded:
            # The day and reason are on file already (publication_record_revocation).
            del self.fields["revoked_on"]
            del self.fields["reason"]
        else:
            self.fields["revoked_on"].required = True
            self.fields["reason"].required = True
