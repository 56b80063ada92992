"""Case documents (文书) and their service (送达).

Each document is issued from structured fields, numbered where its type has a number (文号), and kept
as a PDF file on disk with its SHA-256 (DESIGN.md: documents). Service records how and when the party
received it (APL Art. 61; CPL Art. 87-95); electronic service only with consent, the time the party
opens the document being the time of service (CPL Art. 90).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models.case import Case
from zhifa.core.scoping import ScopeRule


class DocType(models.TextChoices):
    FILING_APPROVAL = "filing_approval", _("立案审批表")
    INSPECTION_RECORD = "inspection_record", _("现场检查（勘验）笔录")
    INTERVIEW_RECORD = "interview_record", _("询问笔录")
    RECTIFICATION_ORDER = "rectification_order", _("责令改正通知书")
    REMINDER_LETTER = "reminder_letter", _("行政执法提示函")
    NOTICE_OF_INTENDED_PENALTY = "notice_of_intended_penalty", _("行政处罚事先告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    HEARING_TRANSCRIPT = "hearing_transcript", _("听证笔录")
    LEGAL_REVIEW_OPINION = "legal_review_opinion", _("法制审核意见书")
    DISCUSSION_MINUTES = "discussion_minutes", _("集体讨论记录")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    NO_PENALTY_DECISION = "no_penalty_decision", _("不予行政处罚决定书")
    ON_THE_SPOT_DECISION = "on_the_spot", _("当场行政处罚决定书")
    PROOF_OF_SERVICE = "proof_of_service", _("送达回证")
    PAYMENT_NOTICE = "payment_notice", _("缴款通知书")
    EXTENSION_APPROVAL = "extension_approval", _("延长办案期限审批表")
    TRANSFER_LETTER = "transfer_letter", _("案件移送函")
    TERMINATION_APPROVAL = "termination_approval", _("终止调查审批表")
    ENFORCEMENT_REMINDER = "enforcement_reminder", _("催告书")
    CLOSING_APPROVAL = "closing_approval", _("结案审批表")


class CaseDocument(models.Model):
    """One issued document of a case: its fields, number, PDF file and hash."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("文书种类"), max_length=28, choices=DocType.choices)
    number = models.CharField(_("文号"), max_length=80, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    fields = models.JSONField(_("内容"), default=dict)
    file = models.CharField(_("PDF文件"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    issued_on = models.DateField(_("日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A corrected document replaces the earlier one; both stay in the record.
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )

    class Meta:
        verbose_name = _("案件文书")
        verbose_name_plural = _("案件文书")
        ordering = ["case", "issued_on", "id"]
        indexes = [models.Index(fields=["case", "doc_type"], name="cases_doc_case_type_idx")]

    def __str__(self) -> str:
        return self.number or self.title


class ServiceMethod(models.TextChoices):
    """送达方式 (APL Art. 61; CPL Art. 87-95)."""

    ON_THE_SPOT = "on_the_spot", _("当场交付")
    DIRECT = "direct", _("直接送达")
    RELATIVE = "relative", _("同住成年家属代收")
    LODGED = "lodged", _("留置送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class Service(models.Model):
    """The service of one document on one party."""

    scope_rule = ScopeRule(via="case")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="services")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="services")
    method = models.CharField(_("送达方式"), max_length=14, choices=ServiceMethod.choices)
    recipient = models.CharField(_("签收人"), max_length=50, blank=True)
    served_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    proof = models.ForeignKey(
        "cases.Evidence",
        verbose_name=_("送达凭证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # Electronic service: the link's token and the one-time code are stored hashed only.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(_("查阅时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = _("送达")
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.method}"
