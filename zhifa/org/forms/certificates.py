"""Forms for certificate pages: issue, status actions (suspend, reinstate, revoke), renew, public lookup."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.org.forms.styled import DateInput, StyledForm
from zhifa.org.models import Certificate, EnforcementDomain, Person, PersonStatus
from zhifa.org.scoping import visible
from zhifa.org.services.certificate_rules import suggested_valid_to


class CertificateIssueForm(StyledForm):
    """Issue a certificate; the suggested end date is 5 years from the start [CERT-LOCAL], not enforced."""

    holder = forms.ModelChoiceField(label=_("持证人"), queryset=None, empty_label=_("请选择"))
    number = forms.CharField(label=_("证件编号"), max_length=40)
    issuer = forms.CharField(label=_("发证机关"), max_length=100)
    domains = forms.ModelMultipleChoiceField(
        label=_("执法领域"),
        queryset=EnforcementDomain.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(label=_("有效期起"), widget=DateInput)
    valid_to = forms.DateField(
        label=_("有效期至"), widget=DateInput, help_text=_("按本地做法建议有效期5年，可修改。")
    )

    def __init__(self, *args, user, holder: Person | None = None, **kwargs) -> None:
        today = timezone.localdate()
        initial = {"valid_from": today, "valid_to": suggested_valid_to(today)}
        if holder is not None:
            initial["holder"] = holder.pk
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = (
            visible(Person.objects.filter(status=PersonStatus.ACTIVE), user)
            .select_related("region")
            .order_by("name")
        )


class CertificateActionForm(StyledForm):
    """Suspend, reinstate or revoke: effective date and reason."""

    date = forms.DateField(label=_("生效日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, certificate: Certificate, **kwargs) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate(), "version": certificate.version})
        super().__init__(*args, **kwargs)


class CertificateRenewForm(CertificateActionForm):
    """Renew: a new end date (suggested: 5 years from the new period's start [CERT-LOCAL])."""

    valid_to = forms.DateField(
        label=_("新的有效期至"), widget=DateInput, help_text=_("按本地做法建议有效期5年，可修改。")
    )
    field_order = ["valid_to", "date", "reason", "version"]

    def __init__(self, *args, certificate: Certificate, **kwargs) -> None:
        today = timezone.localdate()
        start = max(today, certificate.valid_to + datetime.timedelta(days=1))
        kwargs.setdefault(
            "initial",
            {
                "date": today,
                "version": certificate.version,
                "valid_to": suggested_valid_to(start),
                "reason": _("复审合格"),
            },
        )
        super().__init__(*args, certificate=certificate, **kwargs)
        self.fields["reason"].required = False


class CertificateExpireForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("证件编号"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-lg", "autocomplete": "off", "inputmode": "text"}
        ),
    )
