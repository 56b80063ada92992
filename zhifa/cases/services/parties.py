"""Parties (当事人): who the decision names (APL Art. 59(1)) and where documents reach them (Art. 61).

Natural persons carry their ID (resident ID checked against GB 11643), organisations their unified social
credit code (GB 32100); individual businesses either. The address is required (a decision states it and
service needs it). Electronic service only with the party's signed consent (送达地址确认书, APL Art. 61;
CPL Art. 90): an e-service address and the signed consent, as a piece of evidence of the case or an
uploaded file kept as one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases import identity
from zhifa.cases.models import Case, Evidence, EvidenceKind, IdType, Party, PartyKind
from zhifa.cases.services.acts import check, is_decided, lock, require_open, require_work, step, today
from zhifa.cases.services.evidence import EvidenceUpload, store_file, upload_problems
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.org.scoping import person_of

MAX_AGE_YEARS = 120
MOBILE = re.compile(r"^1[3-9]\d{9}$")
PHONE = re.compile(r"^[0-9+()\- ]{7,20}$")
OTHER_ID = re.compile(r"^[0-9A-Z()（）\-]{5,40}$")
# The fields a decision prints for the party: fixed once the case is decided (APL Art. 59(1)).
NAMING_FIELDS = ("kind", "name", "id_type", "id_number", "legal_representative")
PERSON_IDS = frozenset(
    {IdType.RESIDENT_ID, IdType.PASSPORT, IdType.HK_MACAO, IdType.TAIWAN, IdType.FOREIGN_PR}
)
ALLOWED_IDS = {
    PartyKind.PERSON: PERSON_IDS | {IdType.OTHER},
    PartyKind.BUSINESS: frozenset({IdType.USCC, IdType.RESIDENT_ID, IdType.OTHER}),
    PartyKind.ORGANISATION: frozenset({IdType.USCC, IdType.OTHER}),
}


@dataclass
class PartyInput:
    """What a party is made of; each field is checked with its name."""

    kind: str
    name: str
    id_type: str
    id_number: str
    address: str
    legal_representative: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""
    e_service_consent: bool = False
    e_service_address: str = ""
    consent_evidence: Evidence | None = None
    consent_upload: EvidenceUpload | None = None


def _err(message: str, field: str, code: ErrorCode = ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code, message, field=field)


def _id_problems(data: PartyInput, on_date: datetime.date) -> list[ServiceError]:
    problems: list[ServiceError] = []
    allowed = ALLOWED_IDS.get(data.kind, frozenset())
    if data.id_type not in IdType.values:
        return [_err(_("请选择证件类型。"), "id_type")]
    if data.id_type not in allowed:
        problems.append(
            _err(
                _("%(kind)s不能使用“%(type)s”：法人或其他组织填写统一社会信用代码，自然人填写身份证件。")
                % {"kind": PartyKind(data.kind).label, "type": IdType(data.id_type).label},
                "id_type",
            )
        )
    number = data.id_number
    if not number:
        return [*problems, _err(_("请填写证件号码。"), "id_number", ErrorCode.REQUIRED)]
    if data.id_type == IdType.RESIDENT_ID:
        problems.extend(_err(p, "id_number") for p in identity.resident_id_problems(number))
        born = identity.resident_id_birth_date(number)
        if born is not None and not problems:
            if data.birth_date is not None and data.birth_date != born:
                problems.append(
                    _err(
                        _("出生日期与公民身份号码中的出生日期（%(day)s）不一致。") % {"day": born},
                        "birth_date",
                    )
                )
            problems.extend(_birth_problems(born, on_date, "id_number"))
    elif data.id_type == IdType.USCC:
        problems.extend(_err(p, "id_number") for p in identity.uscc_problems(number))
    elif not OTHER_ID.match(number):
        problems.append(_err(_("证件号码格式不正确（5至40位字母、数字）。"), "id_number"))
    return problems


def _birth_problems(born: datetime.date, on_date: datetime.date, field: str) -> list[ServiceError]:
    """A birth date must lie in the past and within a human lifetime."""
    if born > on_date:
        return [_err(_("出生日期不能晚于今天。"), field)]
    if born.year < on_date.year - MAX_AGE_YEARS:
        return [_err(_("出生日期早于%(year)d年，请核对。") % {"year": on_date.year - MAX_AGE_YEARS}, field)]
    return []


def _clean(data: PartyInput) -> PartyInput:
    strip = {f.name: getattr(data, f.name) for f in fields(data)}
    for key in ("kind", "name", "id_type", "address", "legal_representative", "phone", "e_service_address"):
        strip[key] = str(strip[key] or "").strip()
    strip["id_number"] = identity.normalise(str(data.id_number or ""))
    return PartyInput(**strip)


def party_problems(case: Case, data: PartyInput, on_date: datetime.date) -> list[ServiceError]:
    """Every problem of the input, each naming its field (nothing is written while there are any)."""
    problems: list[ServiceError] = []
    if data.kind not in PartyKind.values:
        problems.append(_err(_("请选择当事人类型。"), "kind"))
    for key, label, limit in (("name", _("姓名或名称"), 100), ("address", _("住所（地址）"), 200)):
        value = getattr(data, key)
        if not value:
            problems.append(
                _err(
                    _("请填写%(label)s（《行政处罚法》第五十九条）。") % {"label": label},
                    key,
                    ErrorCode.REQUIRED,
                )
            )
        elif len(value) > limit:
            problems.append(_err(_("%(label)s过长（最多%(n)d字）。") % {"label": label, "n": limit}, key))
    if data.kind in PartyKind.values:
        problems.extend(_id_problems(data, on_date))
    if data.kind == PartyKind.ORGANISATION and not data.legal_representative:
        problems.append(_err(_("请填写法定代表人（负责人）。"), "legal_representative", ErrorCode.REQUIRED))
    if len(data.legal_representative) > 50:
        problems.append(_err(_("法定代表人（负责人）过长。"), "legal_representative"))
    if data.birth_date is not None:
        if data.kind == PartyKind.ORGANISATION:
            problems.append(_err(_("法人或其他组织不填写出生日期。"), "birth_date"))
        else:
            problems.extend(_birth_problems(data.birth_date, on_date, "birth_date"))
    if data.phone and not PHONE.match(data.phone):
        problems.append(_err(_("联系电话格式不正确。"), "phone"))
    problems.extend(_e_service_problems(case, data))
    return problems


def _e_service_problems(case: Case, data: PartyInput) -> list[ServiceError]:
    """APL Art. 61: electronic service only with the party's consent, its address and the signed form."""
    problems: list[ServiceError] = []
    address = data.e_service_address
    if address and not MOBILE.match(address):
        try:
            validate_email(address)
        except ValidationError:
            problems.append(_err(_("电子送达地址应为手机号码或电子邮箱。"), "e_service_address"))
    if len(address) > 120:
        problems.append(_err(_("电子送达地址过长。"), "e_service_address"))
    if not data.e_service_consent:
        if data.consent_evidence is not None or data.consent_upload is not None:
            problems.append(_err(_("未勾选同意电子送达，不需要送达地址确认书。"), "e_service_consent"))
        return problems
    if not address:
        problems.append(
            _err(
                _("同意电子送达须填写电子送达地址（《行政处罚法》第六十一条）。"),
                "e_service_address",
                ErrorCode.REQUIRED,
            )
        )
    if data.consent_evidence is None and data.consent_upload is None:
        problems.append(
            _err(
                _(
                    "电子送达须有当事人签署的送达地址确认书：选择已登记的材料或上传文件（《行政处罚法》第六十一条）。"
                ),
                "consent_upload",
                ErrorCode.REQUIRED,
            )
        )
    if data.consent_evidence is not None and data.consent_evidence.case_id != case.pk:
        problems.append(_err(_("送达地址确认书须是本案的材料。"), "consent_evidence"))
    if data.consent_upload is not None:
        problems.extend(_err(e.message, "consent_upload") for e in upload_problems(data.consent_upload))
    return problems


def _consent_row(case: Case, data: PartyInput, actor: Any) -> Evidence | None:
    """The signed consent: the chosen evidence, or the upload stored as documentary evidence."""
    if not data.e_service_consent:
        return None
    if data.consent_upload is None:
        return data.consent_evidence
    person = person_of(actor)
    return Evidence.objects.create(
        case=case,
        kind=EvidenceKind.DOCUMENTARY,
        title=_("送达地址确认书（%(name)s）") % {"name": data.name},
        description=_("当事人同意电子送达，电子送达地址：%(address)s") % {"address": data.e_service_address},
        collected_at=timezone.now(),
        place=data.address[:200],
        collectors=[{"id": person.pk, "name": person.name}] if person else [],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **store_file(case, data.consent_upload),
    )


def _values(data: PartyInput, consent: Evidence | None) -> dict[str, Any]:
    born = data.birth_date
    if data.id_type == IdType.RESIDENT_ID and born is None:
        born = identity.resident_id_birth_date(data.id_number)
    return {
        "kind": data.kind,
        "name": data.name,
        "id_type": data.id_type,
        "id_number": data.id_number,
        "legal_representative": data.legal_representative if data.kind != PartyKind.PERSON else "",
        "birth_date": born if data.kind != PartyKind.ORGANISATION else None,
        "address": data.address,
        "phone": data.phone,
        "e_service_consent": data.e_service_consent,
        "e_service_address": data.e_service_address,
        "e_service_consent_evidence": consent,
    }


def _duplicate(case: Case, data: PartyInput, exclude: int | None = None) -> None:
    same = case.parties.filter(id_type=data.id_type, id_number=data.id_number)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise _err(_("该证件号码的当事人已登记。"), "id_number", ErrorCode.DUPLICATE)


def party_add(*, actor: Any, case: Case, data: PartyInput, on_date: datetime.date | None = None) -> Party:
    """Register a party of the case (APL Art. 59(1), 61); the uploaded consent becomes evidence."""
    require_work(actor, case)
    data = _clean(data)
    check(party_problems(case, data, on_date or today()))
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        if is_decided(locked):
            raise _err(
                _("案件已作出决定，不能再增加当事人（《行政处罚法》第五十九条）。"),
                "state",
                ErrorCode.INVALID_STATE,
            )
        _duplicate(locked, data)
        consent = _consent_row(locked, data, actor)
        party = Party.objects.create(case=locked, **_values(data, consent))
        after = {"party": party.pk, "kind": party.kind, "e_service_consent": party.e_service_consent}
        step(locked, actor, "party_add", _("登记当事人"), party.name, after)
        record_event(actor=actor, action="case.party_add", obj=locked, after=after)
    return party


def party_update(
    *, actor: Any, party: Party, data: PartyInput, version: int, on_date: datetime.date | None = None
) -> Party:
    """Correct a party (conditional on the version the page showed: no lost update). Once the case is
    decided the fields the decision prints (name, type, ID, representative) are fixed (APL Art. 59(1));
    the address, phone and electronic service can still change (for service, Art. 61)."""
    case = party.case
    require_work(actor, case)
    data = _clean(data)
    if data.e_service_consent and data.consent_evidence is None and data.consent_upload is None:
        data.consent_evidence = party.e_service_consent_evidence
    check(party_problems(case, data, on_date or today()))
    with transaction.atomic():
        locked = lock(case)
        require_open(locked)
        current = Party.objects.select_for_update().get(pk=party.pk)
        if current.version != version:
            raise _err(_("当事人信息已被他人修改，请刷新后再改。"), "version", ErrorCode.CONFLICT)
        values = _values(data, None)
        if is_decided(locked):
            changed = [k for k in NAMING_FIELDS if values[k] != getattr(current, k)]
            if changed:
                raise ServiceError(
                    ErrorCode.INVALID_STATE,
                    _(
                        "案件已作出决定，决定书载明的当事人姓名（名称）、证件不能再改（《行政处罚法》第五十九条）。"
                    ),
                    field=changed[0],
                )
        _duplicate(locked, data, exclude=current.pk)
        values["e_service_consent_evidence"] = _consent_row(locked, data, actor)
        changed = sorted(k for k, v in values.items() if v != getattr(current, k))
        updated = Party.objects.filter(pk=current.pk, version=version).update(
            **values, version=F("version") + 1
        )
        if not updated:  # pragma: no cover - the row is locked
            raise _err(_("当事人信息已被他人修改，请刷新后再改。"), "version", ErrorCode.CONFLICT)
        current.refresh_from_db()
        after = {"party": current.pk, "changed": changed}
        step(locked, actor, "party_update", _("修改当事人信息"), current.name, after)
        record_event(actor=actor, action="case.party_update", obj=locked, after=after)
    return current
