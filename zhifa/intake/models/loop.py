"""The closed loop's record: each step of a clue, its photos, the time limits, transfers, joint meetings.

Every step is kept (APL Art. 47, 全过程记录: initiation is the first link of the record) with who,
when, the note and whether it was late. Time limits are not set by statute for clues; the command
centre configures them per category and priority (StepLimit), most specific first.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule
from zhifa.intake.models.clues import Clue, ClueCategory, Priority


class StepKind(models.TextChoices):
    REPORT = "report", _("上报")
    CLASSIFY = "classify", _("定性")
    DISPATCH = "dispatch", _("派遣")
    ACCEPT = "accept", _("签收")
    SEND_BACK = "send_back", _("退回")
    HANDLE = "handle", _("处置")
    FEEDBACK = "feedback", _("反馈")
    VERIFY = "verify", _("核查通过")
    REOPEN = "reopen", _("核查未通过")
    CLOSE = "close", _("结案")
    EVALUATE = "evaluate", _("评价")
    JOINT = "joint", _("提交联席会商")
    JOINT_DECIDE = "joint_decide", _("联席会商决定")
    TRANSFER = "transfer", _("线索移送")
    MERGE = "merge", _("合并")
    DISMISS = "dismiss", _("不予受理")
    CASE_RESULT = "case_result", _("案件办理结果")


# The step a clue waits for in each status: the limit of that step runs while it waits.
WAITING_STEP = {
    "reported": StepKind.DISPATCH,
    "joint": StepKind.JOINT_DECIDE,
    "dispatched": StepKind.ACCEPT,
    "handling": StepKind.HANDLE,
    "handled": StepKind.FEEDBACK,
    "fed_back": StepKind.VERIFY,
    "verified": StepKind.CLOSE,
}


class ClueStep(models.Model):
    """One step of one clue, as it happened."""

    scope_rule = ScopeRule(via="clue")

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=14, choices=StepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("办理人"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))
    due_at = models.DateTimeField(_("时限"), null=True, blank=True)
    late = models.BooleanField(_("超时"), default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("线索办理环节")
        verbose_name_plural = _("线索办理环节")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["clue", "at"], name="intake_step_clue_at_idx")]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.kind}"


class CluePhoto(models.Model):
    """A photo of a clue (at report or handling), stored on disk under MEDIA_ROOT with its SHA-256."""

    scope_rule = ScopeRule(via="clue")

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="photos")
    step = models.ForeignKey(
        ClueStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    file = models.CharField(_("文件"), max_length=200)  # path relative to MEDIA_ROOT, never user-chosen
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线索照片")
        verbose_name_plural = _("线索照片")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file


class StepLimit(models.Model):
    """The time allowed for one step, for a category (or every category) and a priority (or every one)."""

    category = models.ForeignKey(
        ClueCategory,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="limits",
    )
    priority = models.CharField(_("紧急程度"), max_length=10, choices=Priority.choices, blank=True)
    step = models.CharField(_("环节"), max_length=14, choices=StepKind.choices)
    minutes = models.PositiveIntegerField(_("时限（分钟）"))

    class Meta:
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")
        ordering = ["step", "category", "priority"]
        constraints = [
            # One limit per (category, priority, step); "every category" (NULL) is unique on its own,
            # with a partial index, because SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["category", "priority", "step"],
                condition=models.Q(category__isnull=False),
                name="intake_limit_unique_category",
            ),
            models.UniqueConstraint(
                fields=["priority", "step"],
                condition=models.Q(category__isnull=True),
                name="intake_limit_unique_default",
            ),
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="intake_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.minutes}"


class ClueTransfer(models.Model):
    """线索移送: the clue goes to the competent department because the township is not competent."""

    scope_rule = ScopeRule(via="clue")

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="transfers")
    to_agency = models.ForeignKey(
        "org.Agency", verbose_name=_("移送至"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("移送理由"))
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField(_("移送时间"))

    class Meta:
        verbose_name = _("线索移送")
        verbose_name_plural = _("线索移送")
        ordering = ["-transferred_at"]

    def __str__(self) -> str:
        return f"{self.clue_id} → {self.to_agency_id}"


class JointMeetingStatus(models.TextChoices):
    PENDING = "pending", _("待会商")
    DECIDED = "decided", _("已决定")


class JointMeeting(models.Model):
    """联席会议: a matter whose items belong to different agencies waits here for a lead to be decided."""

    scope_rule = ScopeRule(via="clue")

    clue = models.OneToOneField(Clue, on_delete=models.PROTECT, related_name="joint_meeting")
    status = models.CharField(
        _("状态"), max_length=10, choices=JointMeetingStatus.choices, default=JointMeetingStatus.PENDING
    )
    agencies = models.ManyToManyField("org.Agency", verbose_name=_("涉及主体"), related_name="+")
    lead_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("牵头主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.TextField(_("会商意见"), blank=True)
    opened_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("联席会商")
        verbose_name_plural = _("联席会商")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.status}"
