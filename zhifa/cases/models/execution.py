"""Execution: payment notices and payments (罚缴分离), remedies that pause the surcharge, coercive
measures, transfers, and the local procedure settings.

APL Art. 67-73 (payment apart from the decision, surcharge, no accrual during review or litigation);
ACL Art. 25 (sealing or detention 30 + 30 days); APL Art. 27, 57 (transfer).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models.case import Case
from zhifa.core.scoping import ScopeRule


class PaymentNotice(models.Model):
    """缴款通知书: the amount, the non-tax payment code (非税收入缴款码) and the due date (APL Art. 67)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payment_notices")
    amount = models.DecimalField(_("应缴金额（元）"), max_digits=14, decimal_places=2)
    payment_code = models.CharField(_("缴款码"), max_length=24, unique=True)
    due_on = models.DateField(_("缴款期限"))
    issued_at = models.DateTimeField(_("开具时间"))

    class Meta:
        verbose_name = _("缴款通知")
        verbose_name_plural = _("缴款通知")
        ordering = ["case", "issued_at", "id"]

    def __str__(self) -> str:
        return self.payment_code


class PaymentChannel(models.TextChoices):
    BANK = "bank", _("代收银行确认")
    IMPORT = "import", _("银行对账文件导入")
    ON_THE_SPOT = "on_the_spot", _("当场收缴")


class Payment(models.Model):
    """Money received for a case. Only the bank's confirmation counts, except on-the-spot cash (Art. 68)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    notice = models.ForeignKey(
        PaymentNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    surcharge = models.DecimalField(_("其中加处罚款（元）"), max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField(_("缴款日期"))
    channel = models.CharField(_("来源"), max_length=12, choices=PaymentChannel.choices)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, null=True, blank=True, unique=True)
    receipt_number = models.CharField(_("票据号码"), max_length=40, blank=True)
    import_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缴款记录")
        verbose_name_plural = _("缴款记录")
        ordering = ["case", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="cases_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.amount}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyProceeding(models.Model):
    """A reconsideration or lawsuit against the decision: no surcharge accrues meanwhile (APL Art. 73)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(_("类型"), max_length=16, choices=RemedyKind.choices)
    started_on = models.DateField(_("受理日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    body = models.CharField(_("受理机关"), max_length=100)
    result = models.CharField(_("结果"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        ordering = ["case", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class MeasureKind(models.TextChoices):
    SEAL = "seal", _("查封")
    DETAIN = "detain", _("扣押")
    PRESERVE = "preserve", _("先行登记保存")


class CoerciveMeasure(models.Model):
    """Sealing, detention (ACL Art. 24-28) or preservation by registration (APL Art. 56)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施"), max_length=10, choices=MeasureKind.choices)
    items = models.TextField(_("物品清单"))
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("期限"))
    extended = models.BooleanField(_("已延长"), default=False)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("强制措施")
        verbose_name_plural = _("强制措施")
        ordering = ["case", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class CaseTransfer(models.Model):
    """案件移交: to the competent agency (APL Art. 22-25) or to the judiciary for a crime (Art. 27)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    to_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("移交机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_judiciary = models.CharField(_("移送司法机关"), max_length=100, blank=True)
    reason = models.TextField(_("移交理由"))
    transferred_on = models.DateField(_("移交日期"))
    accepted_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="accepted_transfers"
    )
    accepted_on = models.DateField(_("接收日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件移交")
        verbose_name_plural = _("案件移交")
        ordering = ["case", "transferred_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}->{self.to_agency_id or self.to_judiciary}"


class ProcedureSetting(models.Model):
    """A local value of a rule the law leaves to local rules (LAW.md, last table), with its source.

    The most specific row wins: an agency's, else its county's (region), else the province's, else the
    default in zhifa.cases.settings_defaults.
    """

    key = models.CharField(_("设置项"), max_length=40)
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("适用区划"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("适用主体"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.JSONField(_("取值"))
    source = models.CharField(_("依据"), max_length=300)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("程序设置")
        verbose_name_plural = _("程序设置")
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "region", "agency"],
                name="cases_setting_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return self.key
