"""The penalty case (行政处罚案件): where it came from, who runs it, where it stands, what was decided.

A case belongs to the agency in whose name it is decided (a township government or a department, APL
Art. 22-24) and is scoped by the agency's region and by the agency itself (DESIGN.md: data scoping).
The procedure it follows is defined in `zhifa.cases.procedure`; the state here is only moved by
`zhifa.cases.engine`, one conditional UPDATE on (id, version, state) per transition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLIFIED = "simplified", _("简易程序")


class CaseState(models.TextChoices):
    """Where the case stands; the transitions between them live in zhifa.cases.procedure."""

    SOURCE = "source", _("案源登记")
    FILING = "filing", _("立案审批")
    INVESTIGATING = "investigating", _("调查取证")
    RECTIFYING = "rectifying", _("限期整改")
    NOTIFIED = "notified", _("告知陈述申辩")
    HEARING = "hearing", _("听证")
    REVIEW = "review", _("法制审核")
    DISCUSSION = "discussion", _("集体讨论")
    DECIDING = "deciding", _("待作出决定")
    DECIDED = "decided", _("待送达")
    EXECUTING = "executing", _("执行中")
    ENFORCEMENT = "enforcement", _("强制执行")
    EXECUTED = "executed", _("待结案")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    SUSPENDED = "suspended", _("中止")
    TERMINATED = "terminated", _("已终止")
    TRANSFERRED = "transferred", _("已移送")


# States in which the case is still being worked on (lists, deadlines, the overdue filter).
OPEN_STATES = tuple(
    s
    for s in CaseState
    if s not in (CaseState.CLOSED, CaseState.ARCHIVED, CaseState.TERMINATED, CaseState.TRANSFERRED)
)


class CaseSource(models.TextChoices):
    CLUE = "clue", _("线索转立案")
    INSPECTION = "inspection", _("检查发现")
    TRANSFER = "transfer", _("其他机关移交")
    COMPLAINT = "complaint", _("投诉举报")
    SELF = "self", _("执法人员发现")


class Outcome(models.TextChoices):
    """How the case ended (the case file's required documents depend on it)."""

    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")
    RECTIFICATION = "rectification", _("责令改正")
    REMINDER = "reminder", _("行政执法提示")
    TRANSFER = "transfer", _("移送其他机关")
    JUDICIARY = "judiciary", _("移送司法机关")
    TERMINATED = "terminated", _("终止调查")


class ReviewTier(models.TextChoices):
    """Three-tier legal review (seed 000): township, department co-review, justice bureau panel."""

    TOWNSHIP = "township", _("乡镇主审")
    DEPARTMENT = "department", _("部门协审")
    PANEL = "panel", _("司法局联合会审")


TIER_ORDER = {ReviewTier.TOWNSHIP: 1, ReviewTier.DEPARTMENT: 2, ReviewTier.PANEL: 3}


def _reviewing_agency(scope) -> models.Q | None:
    if not scope.agency_ids:
        return None
    return models.Q(review_agency_id__in=sorted(scope.agency_ids))


class Case(models.Model):
    """One administrative penalty case, from its source to the archive."""

    # The agency whose legal section co-reviews the case (department tier) also reads it (seed 000).
    scope_rule = ScopeRule(region="region__adcode", agency="agency_id", extra=_reviewing_agency)

    code = models.CharField(_("案件编号"), max_length=32, unique=True)
    procedure = models.CharField(
        _("程序"), max_length=12, choices=Procedure.choices, default=Procedure.GENERAL
    )
    state = models.CharField(
        _("状态"), max_length=14, choices=CaseState.choices, default=CaseState.SOURCE, db_index=True
    )
    source = models.CharField(_("案件来源"), max_length=12, choices=CaseSource.choices)
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    clue = models.ForeignKey(
        "intake.Clue",
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("移交来源案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases"
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("承办队伍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("违法行为发生地"), on_delete=models.PROTECT, related_name="cases"
    )
    item = models.ForeignKey(
        "powers.PowerItem", verbose_name=_("执法事项"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("案由"), max_length=200)
    facts = models.TextField(_("违法事实"), blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    # APL Art. 36: the limitation runs from the act, or from its end when continuing.
    act_on = models.DateField(_("违法行为发生日期"))
    act_continuing_until = models.DateField(_("连续或继续状态终了日期"), null=True, blank=True)
    discovered_on = models.DateField(_("发现日期"))
    art36_harm = models.BooleanField(_("涉及生命健康、金融安全且有危害后果"), default=False)
    complex_case = models.BooleanField(_("重大、复杂或疑难案件"), default=False)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True, db_index=True)
    filing_number = models.CharField(_("立案文号"), max_length=80, blank=True)
    # The penalty the team intends (notice of intended penalty, APL Art. 44) and the decision (Art. 59).
    intended_types = models.JSONField(_("拟处罚种类"), default=list, blank=True)
    intended_fine = models.DecimalField(
        _("拟罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    intended_confiscation = models.DecimalField(
        _("拟没收金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hearing_offered = models.BooleanField(_("告知听证权利"), default=False)
    review_tier = models.CharField(_("法制审核层级"), max_length=12, choices=ReviewTier.choices, blank=True)
    # The agency whose legal section co-reviews (department tier) or the justice bureau (panel tier).
    review_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("审核机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("处理结果"), max_length=14, choices=Outcome.choices, blank=True)
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    confiscation_amount = models.DecimalField(
        _("没收金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=80, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    payment_due_on = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_amount = models.DecimalField(_("已缴金额（元）"), max_digits=14, decimal_places=2, default=0)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    # APL Art. 60: 90 days from filing, plus approved extensions and excluded (paused) days.
    extension_days = models.PositiveIntegerField(_("延长天数"), default=0)
    paused_days = models.PositiveIntegerField(_("不计入天数"), default=0)
    decision_due_on = models.DateField(_("决定期限"), null=True, blank=True)
    # The nearest running time limit, kept by the engine so that lists filter "overdue" by index.
    next_due_on = models.DateField(_("最近时限"), null=True, blank=True)
    next_due_key = models.CharField(max_length=32, blank=True)
    suspended_state = models.CharField(max_length=14, choices=CaseState.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), db_index=True)
    updated_at = models.DateTimeField(_("更新时间"))
    data = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "created_at"], name="cases_case_agency_state_idx"),
            models.Index(fields=["region", "state", "created_at"], name="cases_case_region_state_idx"),
            models.Index(fields=["state", "next_due_on"], name="cases_case_state_due_idx"),
            models.Index(fields=["item", "created_at"], name="cases_case_item_idx"),
            models.Index(fields=["agency", "created_at"], name="cases_case_agency_time_idx"),
            models.Index(fields=["state", "created_at"], name="cases_case_state_time_idx"),
            # The state tabs of a township user filtering by an agency: the scope (the township's
            # regions) and the agency together, per state (bench/cases_list.py: "township · agency").
            models.Index(fields=["agency", "region", "state"], name="cases_case_agency_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fine_amount__isnull=True) | models.Q(fine_amount__gte=0),
                name="cases_case_fine_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_amount__gte=0), name="cases_case_paid_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class OfficerRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class CaseOfficer(models.Model):
    """An officer assigned to a case (APL Art. 42: at least two), with their recusal statement (Art. 43)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="officers")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("分工"), max_length=8, choices=OfficerRole.choices, default=OfficerRole.ASSIST)
    assigned_on = models.DateField(_("指派日期"))
    # The officer's own statement that no Art. 43 ground applies (无应当回避情形).
    no_conflict_declared = models.BooleanField(_("已声明无回避情形"), default=False)
    withdrawn_on = models.DateField(_("回避/调出日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("调出原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("承办人员")
        verbose_name_plural = _("承办人员")
        ordering = ["case", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="cases_officer_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class RecusalDecision(models.TextChoices):
    PENDING = "pending", _("待决定")
    GRANTED = "granted", _("准予回避")
    REFUSED = "refused", _("不予回避")


class Recusal(models.Model):
    """A recusal (回避) raised by the party or the officer; the agency head decides (APL Art. 43)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("申请回避人员"), on_delete=models.PROTECT, related_name="+"
    )
    raised_by_party = models.BooleanField(_("当事人申请"), default=True)
    reason = models.TextField(_("回避理由"))
    decision = models.CharField(
        _("决定"), max_length=8, choices=RecusalDecision.choices, default=RecusalDecision.PENDING
    )
    decision_note = models.CharField(_("决定理由"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class CaseStep(models.Model):
    """One transition or act in a case, as it happened (the case's timeline; APL Art. 47)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("环节"), max_length=32)
    from_state = models.CharField(max_length=14, blank=True)
    to_state = models.CharField(max_length=14, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("办理人"), max_length=50, blank=True)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("案件环节")
        verbose_name_plural = _("案件环节")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="cases_step_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.action}"
