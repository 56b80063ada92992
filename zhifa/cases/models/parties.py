"""Parties (当事人) and evidence (证据) of a case.

Parties are natural persons or organisations with their identity document; an organisation carries
its unified social credit code (USCC, GB 32100). Evidence is typed by APL Art. 46, stored on disk with
its SHA-256, with who collected it, when and where; it is frozen once the case is decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models.case import Case
from zhifa.core.scoping import ScopeRule


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    BUSINESS = "business", _("个体工商户")
    ORGANISATION = "organisation", _("法人或其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    USCC = "uscc", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class Party(models.Model):
    """A party to a case. Personal details are read only by those who see the case (PIPL Art. 34)."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("当事人类型"), max_length=14, choices=PartyKind.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=12, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    address = models.CharField(_("住所（地址）"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Electronic service only with the party's signed consent (APL Art. 61; CPL Art. 90).
    e_service_consent = models.BooleanField(_("同意电子送达"), default=False)
    e_service_address = models.CharField(_("电子送达地址"), max_length=120, blank=True)
    e_service_consent_evidence = models.ForeignKey(
        "cases.Evidence",
        verbose_name=_("送达地址确认书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind == PartyKind.ORGANISATION


class EvidenceKind(models.TextChoices):
    """APL Art. 46: the eight kinds of evidence."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    INSPECTION_RECORD = "inspection_record", _("勘验笔录、现场笔录")


class Evidence(models.Model):
    """One piece of evidence: typed, described, a file with its SHA-256, who collected it, when, where."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("证据种类"), max_length=18, choices=EvidenceKind.choices)
    title = models.CharField(_("证据名称"), max_length=200)
    description = models.TextField(_("证明内容"), blank=True)
    file = models.CharField(_("文件"), max_length=200, blank=True)  # path under MEDIA_ROOT, never user-chosen
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    content_type = models.CharField(max_length=80, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    collected_at = models.DateTimeField(_("收集时间"))
    place = models.CharField(_("收集地点"), max_length=200)
    # Names and certificate numbers of the collecting officers at the time (APL Art. 42, 55).
    collectors = models.JSONField(_("收集人"), default=list)
    # A clue photo carried into the case (collect once, use many: DESIGN.md).
    from_clue_photo = models.ForeignKey(
        "intake.CluePhoto", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["case", "collected_at", "id"]

    def __str__(self) -> str:
        return self.title
