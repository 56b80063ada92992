"""Enforcement certificates (行政执法证): APL Art. 42, 52, 55, 76(5); ACL Art. 17-18; LAW.md section 5."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("已注销")
    EXPIRED = "expired", _("已过期")


class Certificate(models.Model):
    """An enforcement certificate. Its history is in `CertificateStatusChange`, so that
    `can_enforce(person, domain, on_date)` answers for past dates too."""

    scope_rule = ScopeRule(via="holder")  # visible where its holder is

    number = models.CharField(_("证件编号"), max_length=40, unique=True)
    holder = models.ForeignKey(
        "org.Person", verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="certificates"
    )
    issuer = models.CharField(_("发证机关"), max_length=100)
    domains = models.ManyToManyField("org.EnforcementDomain", verbose_name=_("执法领域"))
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_reason = models.CharField(_("状态原因"), max_length=200, blank=True)
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("行政执法证")
        verbose_name_plural = _("行政执法证")
        ordering = ["number"]
        indexes = [models.Index(fields=["status", "valid_to"], name="org_cert_status_validto_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="org_cert_valid_range"
            )
        ]

    def __str__(self) -> str:
        return self.number


class CertificateStatusChange(models.Model):
    """One status change of a certificate, effective from `effective_date` (inclusive)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("状态"), max_length=12, choices=CertificateStatus.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    effective_date = models.DateField(_("生效日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证件状态变更")
        verbose_name_plural = _("证件状态变更")
        ordering = ["certificate", "effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.status} {self.effective_date}"
