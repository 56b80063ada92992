"""The shapes of the disclosure API (django-ninja Schemas).

Input is bounded here (lengths, no control characters, version within the database's integers), so bad
input is a 422 naming the field; the rules (masks only add, the notice's length, dates) are the
services', answered as a 400 naming the field.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from zhifa.disclosure.models import ExemptReason, WithdrawalReason
from zhifa.disclosure.services import MAX_EXTRA_MASKS, NOTE_MAX, NOTICE_MAX

# One line of text: no control characters. Long text: tabs and line breaks only.
LINE = r"^[^\x00-\x1f\x7f]*$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
MAX_VERSION = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RefOut(Schema):
    id: int
    name: str


class DueOut(Schema):
    """A time limit with the article it comes from and its level on the day of the request."""

    due: datetime.date
    days: int
    unit: str
    basis: str = Field(..., description="时限依据（法条）")
    level: str = Field(..., description="ok / warning / due_today / overdue")
    provisional: bool


class PendingOut(Schema):
    """A decided case waiting for publication (GO118 (六): 7 working days for penalties, 20 for others)."""

    case_id: int
    case_code: str
    title: str
    agency: RefOut
    outcome: str
    outcome_label: str
    kind: str
    kind_label: str
    decided_on: datetime.date
    due: DueOut


class PublicationRowOut(Schema):
    id: int
    case_id: int | None
    kind: str
    state: str
    state_label: str
    decision_number: str
    title: str
    agency: RefOut
    published_on: datetime.date | None
    revoked_on: datetime.date | None
    withdrawal_reason: str
    withdrawal_due_on: datetime.date | None
    level: str = Field("", description="撤回期限的提醒级别（待撤回时）")


class QueueOut(Schema):
    pending: list[PendingOut]
    withdrawals: list[PublicationRowOut]
    truncated: bool = Field(..., description="待公示超过上限，只返回最早作出的部分")


class SpanOut(Schema):
    """A masked span, as positions in the original text (end exclusive)."""

    start: int
    end: int
    kind: str


class PublicFieldsOut(Schema):
    """What the public sees (SAMR Order 45 Art. 4: number, party, violation, penalty, agency, date)."""

    kind: str
    decision_number: str
    decided_on: datetime.date | None
    title: str
    party_kind: str
    party_name: str
    party_uscc: str
    violation: str
    penalty_types: list[str]
    penalty_text: str
    fine_amount: Decimal | None
    agency: RefOut
    region: str = Field(..., description="区划代码")
    expires_on: datetime.date = Field(..., description="今日公示时的公示截止日期")


class DraftOut(Schema):
    case_id: int
    case_code: str
    required: bool = Field(..., description="法律是否要求公示")
    reason: str = Field(..., description="无须公示的理由")
    kind: str
    due: DueOut | None
    publication_id: int | None = Field(..., description="已处理时的公示信息ID")
    public: PublicFieldsOut
    body: str = Field(..., description="遮盖后的公开文本")
    spans: list[SpanOut]
    original: str | None = Field(..., description="决定书原文（仅公示审核人员可见）")


class PublicationOut(Schema):
    id: int
    case_id: int | None
    case_code: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    agency: RefOut
    decision_number: str
    decided_on: datetime.date
    title: str
    party_kind: str
    party_name: str
    party_uscc: str
    violation: str
    penalty_types: list[str]
    penalty_text: str
    fine_amount: Decimal | None
    body: str
    due_on: datetime.date
    published_on: datetime.date | None
    late: bool = Field(..., description="是否超过公示期限")
    expires_on: datetime.date | None
    revoked_on: datetime.date | None
    withdrawal_reason: str
    withdrawal_due_on: datetime.date | None
    withdrawn_at: datetime.datetime | None
    withdrawal_notice: str
    exempt_reason: str
    exempt_note: str
    extra_masks: list[str] | None = Field(..., description="审核人补充遮盖（仅公示审核人员可见）")
    portal_url: str | None
    version: int


class PublishIn(Schema):
    extra_masks: list[str] = Field(
        default_factory=list,
        max_length=MAX_EXTRA_MASKS,
        description="在自动遮盖之外补充遮盖的原文字符串（只能增加遮盖）",
    )

    @field_validator("extra_masks")
    @classmethod
    def _one_line_each(cls, value: list[str]) -> list[str]:
        # Checked here, not per item, so that the error names the field and not a list index.
        for mask in value:
            if _CONTROL.search(mask):
                raise ValueError(_("补充遮盖的每一项应为不含控制字符的一行文字"))
        return value


class ExemptIn(Schema):
    reason: ExemptReason = Field(..., description="不予公开理由")
    note: str = Field(..., max_length=NOTE_MAX, pattern=TEXT, description="具体情况说明")


class RevocationIn(Schema):
    revoked_on: datetime.date = Field(..., description="决定被撤销（变更）的日期")
    reason: WithdrawalReason = Field(..., description="撤回原因")
    version: int | None = Field(None, ge=1, le=MAX_VERSION, description="读取时的版本号；不一致时返回冲突")


class WithdrawIn(Schema):
    notice: str = Field(..., max_length=NOTICE_MAX, pattern=TEXT, description="撤回说明（向社会公开）")
    revoked_on: datetime.date | None = Field(None, description="尚未登记撤销时必填")
    reason: WithdrawalReason | None = Field(None, description="尚未登记撤销时必填")
    version: int | None = Field(None, ge=1, le=MAX_VERSION, description="读取时的版本号；不一致时返回冲突")
