"""Legal review (法制审核), statement and defence, hearings, collective discussion, extensions.

APL Art. 44-45 (notice, statement, defence), Art. 63-65 (hearing), Art. 57 (collective discussion),
Art. 58 and GO118 (十二)-(十四) (legal review), Art. 60 (time limit and its extension).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models.case import Case, ReviewTier
from zhifa.core.scoping import ScopeRule


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("审核中")
    PASSED = "passed", _("审核通过")
    FAILED = "failed", _("退回补正")


class LegalReview(models.Model):
    """One round of legal review at one tier, with the GO118 (十三) checklist answered item by item."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    tier = models.CharField(_("审核层级"), max_length=12, choices=ReviewTier.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    status = models.CharField(
        _("审核状态"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    due_on = models.DateField(_("审核期限"))
    # Panel members from outside the agency (government counsel, public lawyers): [{"name", "role"}].
    panel = models.JSONField(_("会审人员"), default=list, blank=True)
    # {check_key: {"passed": bool, "opinion": str}} for every GO118 (十三) check.
    answers = models.JSONField(_("审核要点"), default=dict, blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)
    reviewer = models.ForeignKey(
        "org.Person",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["case", "round", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.tier}:{self.round}"


class StatementKind(models.TextChoices):
    STATEMENT = "statement", _("陈述申辩")
    WAIVER = "waiver", _("明确放弃陈述申辩")
    HEARING_REQUEST = "hearing_request", _("申请听证")
    HEARING_WAIVER = "hearing_waiver", _("放弃听证")


class Statement(models.Model):
    """What the party said after the notice, and how it was re-examined (APL Art. 45: 复核)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("类型"), max_length=16, choices=StatementKind.choices)
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("内容"), blank=True)
    adopted = models.BooleanField(_("是否采纳"), null=True, blank=True)
    reexamination = models.TextField(_("复核意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("陈述申辩")
        verbose_name_plural = _("陈述申辩")
        ordering = ["case", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class HearingResult(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已举行")
    ABSENT = "absent", _("当事人无正当理由未到场")
    WITHDRAWN = "withdrawn", _("当事人撤回")


class Hearing(models.Model):
    """A hearing (APL Art. 64): notice 7 WD ahead, chaired by a non-investigator, transcript signed."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    requested_on = models.DateField(_("申请日期"))
    scheduled_at = models.DateTimeField(_("听证时间"))
    place = models.CharField(_("听证地点"), max_length=200)
    chair = models.ForeignKey(
        "org.Person", verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="+"
    )
    public = models.BooleanField(_("公开举行"), default=True)
    notice_served_on = models.DateField(_("通知送达日期"), null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=10, choices=HearingResult.choices, default=HearingResult.SCHEDULED
    )
    transcript = models.TextField(_("听证笔录要点"), blank=True)
    held_at = models.DateTimeField(_("举行时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("听证")
        verbose_name_plural = _("听证")
        ordering = ["case", "scheduled_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.scheduled_at:%Y-%m-%d}"


class Discussion(models.Model):
    """Collective discussion by the agency's heads (集体讨论, APL Art. 57 para 2)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="discussions")
    held_on = models.DateField(_("讨论日期"))
    chair = models.CharField(_("主持人"), max_length=50)
    attendees = models.JSONField(_("参加人员"), default=list)
    conclusion = models.TextField(_("讨论结论"))
    agreed = models.BooleanField(_("同意拟处理意见"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.held_on}"


class Extension(models.Model):
    """An approved extension of the decision period (APL Art. 60 "unless ..."; local setting)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("延长天数"))
    reason = models.TextField(_("延长理由"))
    by_discussion = models.BooleanField(_("经集体讨论"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("批准日期"))

    class Meta:
        verbose_name = _("延长办案期限")
        verbose_name_plural = _("延长办案期限")
        ordering = ["case", "approved_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:+{self.days}"
