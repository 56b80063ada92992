"""Parties: identity checks (GB 11643, GB 32100), address (APL Art. 59(1)), e-service consent (Art. 61)."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.utils import timezone

from zhifa.cases.models import Evidence, IdType, Party, PartyKind
from zhifa.cases.services.evidence import EvidenceUpload
from zhifa.cases.services.parties import PartyInput, party_add, party_update
from zhifa.cases.tests.factories import open_case
from zhifa.cases.tests.test_acts_support import PDF, decided_case, filed_case, media_files
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode

COMPANY = PartyInput(
    kind=PartyKind.ORGANISATION,
    name="深圳市腾讯计算机系统有限公司",
    id_type=IdType.USCC,
    id_number="9144030071526726XG",
    legal_representative="马某",
    address="深圳市南山区",
)
PERSON = PartyInput(
    kind=PartyKind.PERSON,
    name="张某",
    id_type=IdType.RESIDENT_ID,
    id_number="11010519491231002x",
    address="北京市朝阳区",
)


def fields_of(exc: ServiceError) -> set[str]:
    errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
    return {e.field for e in errors}


def test_add_organisation_with_valid_uscc(world):
    case = open_case(world)
    party = party_add(actor=world.officer, case=case, data=COMPANY)
    assert party.id_number == "9144030071526726XG" and party.version == 1
    assert Event.objects.filter(action="case.party_add").count() == 1


def test_person_birth_date_taken_from_the_resident_id(world):
    case = open_case(world)
    party = party_add(actor=world.officer, case=case, data=PERSON)
    assert party.id_number == "11010519491231002X"
    assert party.birth_date == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"id_number": "9144030071526726XA"}, "id_number", "GB 32100"),
        ({"id_type": IdType.RESIDENT_ID, "id_number": "11010519491231002X"}, "id_type", "统一社会信用代码"),
        ({"address": " "}, "address", "第五十九条"),
        ({"name": ""}, "name", "姓名或名称"),
        ({"legal_representative": ""}, "legal_representative", "法定代表人"),
        ({"birth_date": datetime.date(1990, 1, 1)}, "birth_date", "出生日期"),
        ({"phone": "call me"}, "phone", "联系电话"),
    ],
)
def test_organisation_input_refused_naming_the_field(world, changes, field, fragment):
    case = open_case(world)
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.officer, case=case, data=replace(COMPANY, **changes))
    assert field in fields_of(exc.value)
    assert fragment in exc.value.message
    assert not Party.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "GB 11643"),
        ({"birth_date": datetime.date(1950, 1, 1)}, "birth_date", "不一致"),
        ({"id_type": IdType.USCC, "id_number": "9144030071526726XG"}, "id_type", "身份证件"),
        (
            {"id_type": IdType.PASSPORT, "id_number": "E1234", "birth_date": datetime.date(1890, 1, 1)},
            "birth_date",
            "早于",
        ),
        (
            {"id_type": IdType.PASSPORT, "id_number": "E12345678", "birth_date": datetime.date(2999, 1, 1)},
            "birth_date",
            "晚于",
        ),
        ({"id_type": IdType.PASSPORT, "id_number": "E1"}, "id_number", "格式"),
    ],
)
def test_person_input_refused_naming_the_field(world, changes, field, fragment):
    case = open_case(world)
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.officer, case=case, data=replace(PERSON, **changes))
    assert field in fields_of(exc.value)
    assert fragment in exc.value.message


def test_resident_id_of_someone_born_too_long_ago_is_implausible(world):
    # 440524188001010014 is GB 11643's own example (born 1880): well-formed, but not a living party.
    case = open_case(world)
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.officer, case=case, data=replace(PERSON, id_number="440524188001010014"))
    assert "早于" in exc.value.message


def test_same_id_twice_is_refused(world):
    case = open_case(world)
    party_add(actor=world.officer, case=case, data=COMPANY)
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.officer, case=case, data=COMPANY)
    assert exc.value.code == ErrorCode.DUPLICATE


def test_e_service_consent_needs_address_and_signed_consent_art61(world, media):
    case = open_case(world)
    with pytest.raises(ValidationErrors) as exc:
        party_add(actor=world.officer, case=case, data=replace(COMPANY, e_service_consent=True))
    assert {"e_service_address", "consent_upload"} <= fields_of(exc.value)
    assert "第六十一条" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        party_add(
            actor=world.officer,
            case=case,
            data=replace(
                COMPANY, e_service_consent=True, e_service_address="not an address", consent_upload=None
            ),
        )
    assert "e_service_address" in fields_of(exc.value)
    assert media_files(media) == []
    upload = EvidenceUpload("送达地址确认书.pdf", PDF, "application/pdf")
    party = party_add(
        actor=world.officer,
        case=case,
        data=replace(COMPANY, e_service_consent=True, e_service_address="13800000000", consent_upload=upload),
    )
    consent = party.e_service_consent_evidence
    assert consent is not None and consent.case_id == case.pk and consent.content_type == "application/pdf"
    assert consent.file == f"cases/{case.pk}/evidence/{consent.sha256}.pdf"
    assert (media / consent.file).read_bytes() == PDF


def test_consent_from_another_case_is_refused(world):
    case = open_case(world)
    other = open_case(world, title="另一案件")
    foreign = Evidence.objects.create(
        case=other, kind="documentary", title="确认书", collected_at=timezone.now(), place="某地"
    )
    with pytest.raises(ServiceError) as exc:
        party_add(
            actor=world.officer,
            case=case,
            data=replace(
                COMPANY, e_service_consent=True, e_service_address="a@b.cn", consent_evidence=foreign
            ),
        )
    assert "consent_evidence" in fields_of(exc.value)


def test_update_with_version_one_wins(world):
    case = open_case(world)
    party = party_add(actor=world.officer, case=case, data=COMPANY)
    updated = party_update(
        actor=world.officer, party=party, data=replace(COMPANY, phone="0591-1234567"), version=1
    )
    assert updated.version == 2 and updated.phone == "0591-1234567"
    with pytest.raises(ServiceError) as exc:
        party_update(actor=world.officer, party=party, data=replace(COMPANY, address="别处"), version=1)
    assert exc.value.code == ErrorCode.CONFLICT
    party.refresh_from_db()
    assert party.address == "深圳市南山区"


def test_after_decision_name_and_id_are_fixed_but_service_details_are_not_art59(world, media):
    case = decided_case(world)
    party = case.parties.get()
    data = PartyInput(
        kind=party.kind,
        name=party.name,
        id_type=party.id_type,
        id_number="91350100M000100Y43",
        legal_representative=party.legal_representative,
        address=party.address,
    )
    with pytest.raises(ServiceError) as exc:
        party_update(actor=world.officer, party=party, data=data, version=party.version)
    assert exc.value.code == ErrorCode.INVALID_STATE and "第五十九条" in exc.value.message
    # the factories' USCC is not well-formed, so correct only contact details through a fresh party
    Party.objects.filter(pk=party.pk).update(id_number="91350100M000100Y43")
    party.refresh_from_db()
    data = replace(data, address="东湖镇新地址8号")
    updated = party_update(actor=world.officer, party=party, data=data, version=party.version)
    assert updated.address == "东湖镇新地址8号"
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.officer, case=case, data=PERSON)
    assert exc.value.code == ErrorCode.INVALID_STATE


@pytest.mark.parametrize("place", ["t1", "dept"])
def test_outsiders_are_not_allowed(world, place):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.county.user(RoleCode.OFFICER, place), case=case, data=PERSON)
    assert exc.value.code == ErrorCode.NOT_ALLOWED


def test_legal_reviewer_of_the_township_may_not_add_parties(world):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        party_add(actor=world.reviewer, case=case, data=PERSON)
    assert exc.value.code == ErrorCode.NOT_ALLOWED
