"""The shapes of the case API (django-ninja Schemas) and the checks of a transition's input.

A transition's `payload` is open (each transition reads its own keys, see zhifa.cases.effects), so it is
bounded here instead: flat JSON values or lists of them, no NUL or other control characters that
PostgreSQL would refuse, integers within the database's 64-bit range, ids where the effects expect ids.
Bad input is a 422 (shape) or a 400 naming the field, never a 500.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from zhifa.cases.models import CaseSource, Procedure
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.org.api_common import MAX_ID

ADCODE = r"^\d{12}$"
# One line of text: no control characters. Long text: tabs and line breaks only.
LINE = r"^[^\x00-\x1f\x7f]*$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
MAX_PAYLOAD_KEYS = 40
MAX_PAYLOAD_TEXT = 10_000
MAX_PAYLOAD_LIST = 50
MAX_VERSION = 2**31 - 1
# Payload keys the effects and guards read as lists (of ids or of penalty types) and as single ids.
LIST_KEYS = frozenset({"officer_ids", "intended_types", "penalty_types"})
ID_LIST_KEYS = frozenset({"officer_ids"})
ID_KEYS = frozenset({"chair_id", "to_agency_id"})

Scalar = str | int | float | bool | None
PayloadValue = Scalar | list[str | int | float]


class RefOut(Schema):
    id: int
    name: str


class ItemRefOut(Schema):
    code: str
    name: str


class RegionRefOut(Schema):
    adcode: str
    name: str


class CaseOut(Schema):
    """A row of the case list."""

    id: int
    code: str
    procedure: str
    procedure_label: str
    state: str
    state_label: str
    title: str
    agency: RefOut
    item: ItemRefOut
    region: RegionRefOut
    team: RefOut | None
    first_party: str = Field(..., description="第一个登记的当事人")
    party_count: int
    lead_officer: str
    outcome: str
    created_at: datetime.datetime
    filed_on: datetime.date | None
    next_due_on: datetime.date | None
    next_due_key: str
    overdue: bool
    version: int


class CasePageOut(Schema):
    count: int = Field(..., description="符合条件的案件数；capped 为真时表示超过该数")
    capped: bool
    items: list[CaseOut]


class PartyOut(Schema):
    """A party. Identity numbers, birth dates, contact details and a natural person's address only for
    those who work on the case (PIPL Art. 34: personal information only within the statutory duty)."""

    id: int
    kind: str
    kind_label: str
    name: str
    id_type: str
    id_number: str | None
    legal_representative: str
    birth_date: datetime.date | None
    address: str | None
    phone: str | None
    e_service_consent: bool
    e_service_address: str | None
    version: int


class OfficerOut(Schema):
    person_id: int
    name: str
    role: str
    role_label: str
    assigned_on: datetime.date
    no_conflict_declared: bool
    withdrawn_on: datetime.date | None


class DeadlineOut(Schema):
    key: str
    label: str
    due: datetime.date
    start: datetime.date | None
    days: int
    unit: str
    basis: str = Field(..., description="时限依据（法条）")
    provisional: bool
    level: str = Field(..., description="ok / warning / due_today / overdue / done")
    done: bool


class DocumentOut(Schema):
    id: int
    doc_type: str
    doc_type_label: str
    number: str
    title: str
    issued_on: datetime.date
    sha256: str
    superseded_by: int | None
    url: str | None
    pdf_url: str | None


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    note: str
    at: datetime.datetime


class CaseDetailOut(CaseOut):
    source: str
    source_note: str
    clue_id: int | None
    facts: str
    address: str
    lng: float | None
    lat: float | None
    act_on: datetime.date
    act_continuing_until: datetime.date | None
    discovered_on: datetime.date
    art36_harm: bool
    complex_case: bool
    filing_number: str
    decision_due_on: datetime.date | None
    extension_days: int
    paused_days: int
    intended_types: list[str]
    intended_fine: Decimal | None
    intended_confiscation: Decimal | None
    hearing_offered: bool
    review_tier: str
    outcome_label: str
    penalty_types: list[str]
    fine_amount: Decimal | None
    confiscation_amount: Decimal | None
    decided_on: datetime.date | None
    decision_number: str
    served_on: datetime.date | None
    payment_due_on: datetime.date | None
    paid_amount: Decimal
    closed_on: datetime.date | None
    archived_on: datetime.date | None
    personal_details: bool = Field(..., description="是否显示当事人证件号码等个人信息（承办人员可见）")
    parties: list[PartyOut]
    officers: list[OfficerOut]
    deadlines: list[DeadlineOut]
    documents: list[DocumentOut]
    steps: list[StepOut]


class ActionOut(Schema):
    name: str
    label: str
    article: str
    form: str = Field(..., description="需要填写的内容（payload 的键见接口说明），空为仅确认")
    allowed: bool
    reasons: list[str]


class CaseIn(Schema):
    """What registering a case source needs (APL Art. 54 follows: filing with approval)."""

    agency_id: int = Field(..., ge=1, le=MAX_ID, description="执法主体ID")
    item: str = Field(..., min_length=1, max_length=40, pattern=LINE, description="执法事项编码")
    region: str = Field(..., pattern=ADCODE, description="违法行为发生地区划代码")
    title: str = Field(..., max_length=200, pattern=LINE, description="案由")
    act_on: datetime.date = Field(..., description="违法行为发生日期")
    discovered_on: datetime.date = Field(..., description="发现日期")
    source: CaseSource = CaseSource.SELF
    procedure: Procedure = Procedure.GENERAL
    facts: str = Field("", max_length=10_000, pattern=TEXT)
    address: str = Field("", max_length=200, pattern=LINE)
    lng: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    source_note: str = Field("", max_length=300, pattern=LINE)
    act_continuing_until: datetime.date | None = None
    art36_harm: bool = Field(
        False, description="涉及生命健康、金融安全且有危害后果（《行政处罚法》第三十六条）"
    )
    complex_case: bool = False


class FromClueIn(Schema):
    item: str | None = Field(None, max_length=40, pattern=LINE, description="执法事项编码；空则取线索的事项")
    title: str = Field("", max_length=200, pattern=LINE)


def _check_scalar(key: str, value: Any) -> None:
    if isinstance(value, str):
        if len(value) > MAX_PAYLOAD_TEXT:
            raise ValueError(f"{key}: text longer than {MAX_PAYLOAD_TEXT} characters")
        if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value) or "\x7f" in value:
            raise ValueError(f"{key}: control characters are not allowed")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_ID:
            raise ValueError(f"{key}: number out of range")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{key}: number must be finite")


class ActionIn(Schema):
    """A transition's input: the case version read by the caller and the step's own fields."""

    version: int = Field(..., ge=1, le=MAX_VERSION, description="读取案件时的版本号；不一致时返回冲突")
    payload: dict[str, PayloadValue] = Field(
        default_factory=dict,
        description="该环节需要填写的内容，例如 note、reason、intended_types、intended_fine、fine_amount",
    )

    @field_validator("payload")
    @classmethod
    def _bounded(cls, payload: dict[str, Any]) -> dict[str, Any]:
        if len(payload) > MAX_PAYLOAD_KEYS:
            raise ValueError(f"at most {MAX_PAYLOAD_KEYS} fields")
        for key, value in payload.items():
            if not key or len(key) > 40 or not key.replace("_", "").isalnum() or not key.isascii():
                raise ValueError(f"invalid field name {key[:40]!r}")
            if isinstance(value, list):
                if len(value) > MAX_PAYLOAD_LIST:
                    raise ValueError(f"{key}: at most {MAX_PAYLOAD_LIST} values")
                for element in value:
                    _check_scalar(key, element)
            else:
                _check_scalar(key, value)
        return payload


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 1 <= value <= MAX_ID else None


def clean_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with list and id fields checked (400 naming the field), so that the guards and effects
    only see the types they read."""
    cleaned = dict(payload)
    problems: list[ServiceError] = []
    for key in LIST_KEYS & cleaned.keys():
        if cleaned[key] is None:
            continue
        if not isinstance(cleaned[key], list):
            problems.append(ServiceError(ErrorCode.INVALID, _("应为列表。"), field=key))
        elif key in ID_LIST_KEYS:
            ids = [_as_id(v) for v in cleaned[key]]
            if None in ids:
                problems.append(ServiceError(ErrorCode.INVALID, _("应为人员ID列表。"), field=key))
            cleaned[key] = ids
        elif not all(isinstance(v, str) for v in cleaned[key]):
            problems.append(ServiceError(ErrorCode.INVALID, _("应为文字列表。"), field=key))
    for key in ID_KEYS & cleaned.keys():
        if cleaned[key] in (None, ""):
            continue
        value = _as_id(cleaned[key])
        if value is None:
            problems.append(ServiceError(ErrorCode.INVALID, _("ID不正确。"), field=key))
        cleaned[key] = value
    if isinstance(cleaned.get("attendees"), list):  # the discussion's attendees: a list or "甲,乙,丙"
        cleaned["attendees"] = ",".join(str(a) for a in cleaned["attendees"])
    if problems:
        raise ValidationErrors(problems)
    return cleaned
