"""Publications (行政执法公示, the first of the "three systems"): what a decision looks like in public.

A publication is written once, by the reviewer who publishes it, from a decided case: the redacted text
and the summary fields the public may see (SAMR Order 45 Art. 4; GO118 (六)). Nothing else of the case
is ever read by the portal. A withdrawn publication stays here (and in the record) with its public
notice (APL Art. 48); an exempt one records why the law lets it stay unpublished (OGI Art. 15).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.core.scoping import ScopeRule


class PublicationKind(models.TextChoices):
    # GO118 (六): licensing and penalty decisions within 7 working days.
    PENALTY = "penalty", _("行政处罚决定")
    # GO118 (六): other enforcement decisions (agency, target, category, conclusion) within 20 working days.
    OTHER = "other", _("其他执法决定")
    # GO118 (六) and 双随机一公开: inspection results (written by the inspections app).
    INSPECTION = "inspection", _("检查结果")


class PublicationState(models.TextChoices):
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXEMPT = "exempt", _("不予公开")


class WithdrawalReason(models.TextChoices):
    """APL Art. 48: a published decision that is changed, revoked, confirmed illegal or void is withdrawn;
    GO118 (六) adds decisions ordered to be remade."""

    REVOKED = "revoked", _("决定被撤销")
    CHANGED = "changed", _("决定被变更")
    ILLEGAL = "illegal", _("决定被确认违法")
    VOID = "void", _("决定被确认无效")
    REMADE = "remade", _("决定被责令重新作出")


class ExemptReason(models.TextChoices):
    """Why a decision the law would otherwise publish stays unpublished (OGI Art. 14-15; ZJ-PUB Art. 5)."""

    MINOR = "minor", _("当事人为未成年人")
    STATE_SECRET = "state_secret", _("涉及国家秘密")
    PRIVACY = "privacy", _("主要事实涉及商业秘密或个人隐私")
    SECURITY = "security", _("公开后可能危及国家安全、公共安全、经济安全或社会稳定")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Publication(models.Model):
    """One published (or withdrawn, or exempt) enforcement decision. Every public field is redacted."""

    scope_rule = ScopeRule(region="region__adcode", agency="agency_id")

    kind = models.CharField(_("公示类型"), max_length=12, choices=PublicationKind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=PublicationState.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="publications"
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="publications"
    )
    # The region's 12-digit code, kept beside the key so the portal of a county or township filters by
    # prefix on one index.
    adcode = models.CharField(_("区划代码"), max_length=12)
    domain = models.ForeignKey(
        "org.EnforcementDomain",
        verbose_name=_("执法领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "powers.PowerItem",
        verbose_name=_("执法事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The public summary (SAMR Order 45 Art. 4: number, party, violation, penalty, agency, date).
    decision_number = models.CharField(_("决定书文号"), max_length=80, blank=True)
    decided_on = models.DateField(_("决定日期"))
    title = models.CharField(_("案由"), max_length=200)
    party_kind = models.CharField(_("当事人类型"), max_length=12, choices=PartyKind.choices)
    party_name = models.CharField(_("当事人"), max_length=100)
    party_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    violation = models.CharField(_("违法行为类型"), max_length=200, blank=True)
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    penalty_text = models.CharField(_("处罚内容"), max_length=300, blank=True)
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    body = models.TextField(_("公开文本"), blank=True)
    # What the reviewer masked beyond the automatic redaction (never shown in public).
    extra_masks = models.JSONField(_("审核人补充遮盖"), default=list, blank=True)
    # Space-separated search terms of the public fields (filled by the search index).
    search_terms = models.TextField(blank=True, default="")

    due_on = models.DateField(_("公示期限"))
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # SAMR Order 45 Art. 13; LAW.md's settings: 3 years, 2 for a natural person.
    expires_on = models.DateField(_("公示截止日期"), null=True, blank=True)

    revoked_on = models.DateField(_("撤销（变更）日期"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("撤回原因"), max_length=10, choices=WithdrawalReason.choices, blank=True
    )
    withdrawal_due_on = models.DateField(_("撤回期限"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_notice = models.TextField(_("撤回说明"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    exempt_reason = models.CharField(
        _("不予公开理由"), max_length=14, choices=ExemptReason.choices, blank=True
    )
    exempt_note = models.CharField(_("说明"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("公示信息")
        verbose_name_plural = _("公示信息")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["state", "published_on"], name="disclosure_pub_state_date_idx"),
            models.Index(fields=["state", "adcode", "published_on"], name="disclosure_pub_area_idx"),
            models.Index(fields=["agency", "state", "published_on"], name="disclosure_pub_agency_idx"),
            models.Index(fields=["state", "withdrawal_due_on"], name="disclosure_pub_withdraw_idx"),
        ]
        constraints = [
            # One publication per decided case: a withdrawn one stays, with its notice (APL Art. 48).
            models.UniqueConstraint(fields=["case", "kind"], name="disclosure_pub_case_kind_uniq"),
        ]

    def __str__(self) -> str:
        return self.decision_number or self.title
