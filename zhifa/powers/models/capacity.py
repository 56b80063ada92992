"""Capacity assessment (承接能力评估) of the powers granted to townships.

APL Art. 24: powers go to townships that can take them on (能够有效承接), with periodic evaluation
(定期组织评估). Seed 000: the justice bureau and the staffing office periodically evaluate the powers
handed down and cancel or adjust those a township cannot carry on (对承接能力不足、无法继续实施的事项，
及时取消或调整); seed 004: "112 granted items, 35 can be handled, 77 cannot". [ZJ-CAE] Art. 10: periodic
evaluation and dynamic adjustment.

One `CapacityAssessment` is a round for one county, over one published grant list version and a
period. It holds one `CapacityRating` per (township, item) granted in that version: the township's own
rating and reason, and the county's proposal (keep, revoke, adjust). When the round is concluded the
figures the judgement rests on (exercise counts, certified officers, judgement) are frozen on each row,
so that the report a later grant list version relies on never drifts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class AssessmentStatus(models.TextChoices):
    DRAFTING = "drafting", _("评估中")
    CONCLUDED = "concluded", _("已完成")


class SelfRating(models.TextChoices):
    """The township's own rating of whether it can carry the item (乡镇自评)."""

    ABLE = "able", _("能承接")
    MOSTLY = "mostly", _("基本能承接")
    UNABLE = "unable", _("不能承接")


class Proposal(models.TextChoices):
    """The county's proposal for the next grant list version (处理建议)."""

    KEEP = "keep", _("保留")
    REVOKE = "revoke", _("取消")
    ADJUST = "adjust", _("调整")


class Judgement(models.TextChoices):
    """The assessment's conclusion for one (township, item) (评估结论)."""

    CAN = "can", _("能承接")
    CANNOT = "cannot", _("尚无力承接")


class CapacityAssessment(models.Model):
    """One round of capacity assessment of a county's published grant list version over a period."""

    # Everyone in the county may see that a round exists; its rows are scoped per township.
    scope_rule = ScopeRule(region="county__adcode", directory=True)

    county = models.ForeignKey(
        "org.Region",
        verbose_name=_("县（区）"),
        on_delete=models.PROTECT,
        related_name="capacity_assessments",
    )
    grant_list = models.ForeignKey(
        "powers.GrantList",
        verbose_name=_("评估的赋权清单"),
        on_delete=models.PROTECT,
        related_name="capacity_assessments",
    )
    title = models.CharField(_("名称"), max_length=200)
    period_start = models.DateField(_("评估期起"))
    period_end = models.DateField(_("评估期止"))
    status = models.CharField(
        _("状态"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFTING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    concluded_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("承接能力评估")
        verbose_name_plural = _("承接能力评估")
        ordering = ["county__adcode", "-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="powers_capacity_period_ordered",
            ),
            # One round at a time per county: two rounds in progress would ask townships twice.
            models.UniqueConstraint(
                fields=["county"],
                condition=models.Q(status="drafting"),
                name="powers_capacity_one_drafting_per_county",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_drafting(self) -> bool:
        return self.status == AssessmentStatus.DRAFTING


class CapacityRating(models.Model):
    """One granted (township, item) in a round: the township's rating and the county's proposal.

    `certified_count`, `exercise` and `judgement` are empty while the round runs (the report computes
    them live) and frozen when it is concluded.
    """

    # A township sees its own rows; the county-wide roles see the county's.
    scope_rule = ScopeRule(region="township__adcode")

    assessment = models.ForeignKey(CapacityAssessment, on_delete=models.CASCADE, related_name="ratings")
    township = models.ForeignKey(
        "org.Region", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "powers.PowerItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("乡镇自评"), max_length=12, choices=SelfRating.choices, blank=True)
    reason = models.CharField(_("自评说明"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("自评人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("自评时间"), null=True, blank=True)
    proposal = models.CharField(_("处理建议"), max_length=12, choices=Proposal.choices, blank=True)
    proposal_note = models.CharField(_("建议说明"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建议人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    certified_count = models.PositiveIntegerField(_("持证人数"), null=True, blank=True)
    exercise = models.JSONField(_("行使次数"), default=dict, blank=True)
    judgement = models.CharField(_("评估结论"), max_length=12, choices=Judgement.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("承接能力评估明细")
        verbose_name_plural = _("承接能力评估明细")
        ordering = ["assessment", "township__adcode", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "township", "item"], name="powers_capacity_rating_unique"
            )
        ]
        indexes = [models.Index(fields=["assessment", "proposal"], name="powers_rating_proposal_idx")]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.township_id}:{self.item_id}"
