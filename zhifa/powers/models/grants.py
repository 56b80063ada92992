"""Versioned county grant lists (赋权清单), their approval steps and the townships' claims (认领).

APL Art. 24: the province hands county-department penalty powers to townships that can take them on,
with periodic evaluation; the decision is published. The flow (seeds 000, 002): townships draft their
selection from the guidance list (乡镇梳理), the county confirms (县级确认), the city coordinates
(市级统筹), then the list is published with an effective date. A published version never changes;
an adjustment is a new version. Townships then claim the granted items they take on; an unclaimed item
stays with the original department.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class GrantListStatus(models.TextChoices):
    DRAFTING = "drafting", _("乡镇梳理中")
    CONFIRMED = "confirmed", _("县级已确认")
    COORDINATED = "coordinated", _("市级已统筹")
    PUBLISHED = "published", _("已发布")


class GrantList(models.Model):
    """One version of a county's grant list. Effective from `effective_from` until the next published
    version of the same county takes effect."""

    scope_rule = ScopeRule(region="county__adcode", directory=True)  # published lists are public

    county = models.ForeignKey(
        "org.Region", verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="grant_lists"
    )
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=GrantListStatus.choices, default=GrantListStatus.DRAFTING
    )
    guidance = models.ForeignKey(
        "powers.GuidanceList",
        verbose_name=_("依据的指导清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_lists",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    document = models.CharField(_("发布文号"), max_length=100, blank=True)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("赋权清单版本")
        verbose_name_plural = _("赋权清单版本")
        ordering = ["county__adcode", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["county", "number"], name="powers_grantlist_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(effective_from__isnull=False),
                name="powers_grantlist_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "status", "effective_from"], name="powers_grantlist_eff_idx")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class GrantEntry(models.Model):
    """An item granted to a township in a version (赋予对象)."""

    scope_rule = ScopeRule(region="township__adcode", directory=True)

    grant_list = models.ForeignKey(GrantList, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(
        "powers.PowerItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "org.Region", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="grant_entries"
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("赋权事项")
        verbose_name_plural = _("赋权事项")
        constraints = [
            models.UniqueConstraint(fields=["grant_list", "item", "township"], name="powers_entry_unique")
        ]
        indexes = [models.Index(fields=["township", "item"], name="powers_entry_township_item_idx")]

    def __str__(self) -> str:
        return f"{self.grant_list_id}:{self.item_id}→{self.township_id}"


class GrantStepKind(models.TextChoices):
    TOWNSHIP_SUBMITTED = "township_submitted", _("乡镇提交梳理结果")
    CONFIRMED = "confirmed", _("县级确认")
    COORDINATED = "coordinated", _("市级统筹")
    PUBLISHED = "published", _("发布")
    RETURNED = "returned", _("退回修改")


class GrantStep(models.Model):
    """One approval step with its comment (each also writes a record event)."""

    grant_list = models.ForeignKey(GrantList, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=20, choices=GrantStepKind.choices)
    township = models.ForeignKey(
        "org.Region",
        verbose_name=_("乡镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")
        ordering = ["grant_list", "at", "id"]

    def __str__(self) -> str:
        return f"{self.grant_list_id} {self.kind}"


class Claim(models.Model):
    """A township takes on a granted item of a published version (认领), from `claimed_on`."""

    scope_rule = ScopeRule(region="township__adcode", directory=True)  # the claimed list is public

    grant_list = models.ForeignKey(GrantList, on_delete=models.PROTECT, related_name="claims")
    township = models.ForeignKey(
        "org.Region", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="claims"
    )
    item = models.ForeignKey(
        "powers.PowerItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    claimed_on = models.DateField(_("认领日期"))
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("事项认领")
        verbose_name_plural = _("事项认领")
        constraints = [
            models.UniqueConstraint(fields=["grant_list", "township", "item"], name="powers_claim_unique"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gt=models.F("claimed_on")),
                name="powers_claim_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township_id} 认领 {self.item_id}"
