"""Service of documents (APL Art. 61; CPL Art. 87-95): paper service with its proof, electronic service
with consent and a one-time code, and the decision's service moving the case into execution."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from zhifa.cases import deadlines
from zhifa.cases.guards import notice_served_on
from zhifa.cases.models import (
    CaseDocument,
    CaseState,
    CaseStep,
    DocType,
    Evidence,
    Hearing,
    Service,
    ServiceMethod,
)
from zhifa.cases.services.eservice import service_open_electronic, service_send_electronic
from zhifa.cases.services.service import MAX_CODE_ATTEMPTS, ProofUpload, service_record
from zhifa.cases.tests.execution_factories import (
    consenting,
    decided_case,
    document_of,
    events,
    notified_case,
    party_of,
)
from zhifa.cases.tests.factories import add_party
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.org.models import RoleCode

JPEG = b"\xff\xd8\xff\xe0" + b"photo of the door" * 10


def _record(world, case, doc_type=DocType.NOTICE_OF_INTENDED_PENALTY, **kwargs):
    values = {
        "actor": world.officer,
        "document": document_of(case, doc_type),
        "party": party_of(case),
        "method": ServiceMethod.DIRECT,
        "recipient": "王某",
        "served_at": timezone.now() - datetime.timedelta(minutes=5),
    }
    values.update(kwargs)
    return service_record(**values)


# --- paper service ---------------------------------------------------------------------------------


def test_direct_service_of_the_notice_starts_the_notice_period(world, media):
    case = notified_case(world)
    service = _record(world, case)
    assert notice_served_on(case) == timezone.localdate(service.served_at)
    proof = document_of(case, DocType.PROOF_OF_SERVICE)
    assert proof is not None and proof.fields["party_names"] == party_of(case).name
    assert proof.fields["method"] == "直接送达"
    assert (media / proof.file).is_file()
    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED  # the notice moves nothing; the guards read the Service row
    assert case.next_due_key == "statement"  # the statement period now runs (APL Art. 44-45)
    assert [e.action for e in events(case)][-1] == "case.service"


def test_paper_service_of_the_decision_moves_the_case_to_execution(world, media):
    """APL Art. 61, 67: served -> executing; payment due 15 days after service; one record event."""
    case = decided_case(world)
    before = len(events(case))
    _record(world, case, DocType.PENALTY_DECISION)
    case.refresh_from_db()
    today = timezone.localdate()
    assert case.state == CaseState.EXECUTING
    assert case.served_on == today
    assert case.payment_due_on == deadlines.payment_due(today).due
    assert case.payment_due_on >= today + datetime.timedelta(days=15)
    new = events(case)[before:]
    assert [e.action for e in new] == ["case.service"]
    assert '"transition":"serve"' in new[0].data
    assert CaseStep.objects.filter(case=case, action="serve", to_state=CaseState.EXECUTING).exists()


def test_lodged_service_needs_a_witness_or_photo_and_the_refusal_reason(world, media):
    """CPL Art. 89: lodged service on refusal, recorded with a witness or by photo/video."""
    case = notified_case(world)
    with pytest.raises(ServiceError) as caught:
        _record(world, case, method=ServiceMethod.LODGED, note="当事人拒绝签收")
    assert caught.value.field == "proof" and "第八十九条" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        _record(world, case, method=ServiceMethod.LODGED, proof=ProofUpload("door.jpg", JPEG))
    assert caught.value.field == "note"
    assert not Service.objects.filter(case=case, method=ServiceMethod.LODGED).exists()
    assert not Evidence.objects.filter(case=case, sha256=hashlib.sha256(JPEG).hexdigest()).exists()

    service = _record(
        world, case, method=ServiceMethod.LODGED, note="当事人拒绝签收", proof=ProofUpload("door.jpg", JPEG)
    )
    assert service.proof.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert service.proof.content_type == "image/jpeg"
    assert (media / service.proof.file).read_bytes() == JPEG


def test_lodged_service_with_a_witness_needs_no_photo(world, media):
    case = notified_case(world)
    service = _record(world, case, method=ServiceMethod.LODGED, note="拒收", witness="村委会主任张某")
    assert "张某" in service.note


def test_proof_must_be_a_photo_pdf_or_video(world, media):
    case = notified_case(world)
    with pytest.raises(ServiceError) as caught:
        _record(world, case, method=ServiceMethod.MAIL, proof=ProofUpload("receipt.exe", b"MZ\x90\x00binary"))
    assert caught.value.field == "proof"


def test_mail_service_needs_the_receipt(world, media):
    case = notified_case(world)
    with pytest.raises(ServiceError) as caught:
        _record(world, case, method=ServiceMethod.MAIL)
    assert "第九十一条" in caught.value.message


def test_relative_only_for_a_natural_person(world, media):
    """CPL Art. 88: an adult family member living with the party signs for a natural person only."""
    case = notified_case(world)  # the party is a company
    with pytest.raises(ServiceError) as caught:
        _record(world, case, method=ServiceMethod.RELATIVE, recipient="王某妻子")
    assert "第八十八条" in caught.value.message


def test_served_at_in_the_future_is_refused(world, media):
    case = notified_case(world)
    with pytest.raises(ServiceError) as caught:
        _record(world, case, served_at=timezone.now() + datetime.timedelta(hours=2))
    assert caught.value.field == "served_at"
    assert not Service.objects.filter(
        case=case, document__doc_type=DocType.NOTICE_OF_INTENDED_PENALTY
    ).exists()


def test_public_notice_is_served_thirty_days_after_it(world, media):
    """CPL Art. 95: deemed served 30 days after the notice; recorded once they have run."""
    case = notified_case(world)
    notice = document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    notice.issued_on = timezone.localdate() - datetime.timedelta(days=60)
    notice.save(update_fields=["issued_on"])
    published = timezone.now() - datetime.timedelta(days=10)
    kwargs = {
        "method": ServiceMethod.PUBLIC_NOTICE,
        "note": "下落不明",
        "proof": ProofUpload("n.pdf", b"%PDF-1.4"),
    }
    with pytest.raises(ServiceError) as caught:
        _record(world, case, served_at=published, **kwargs)
    assert "第九十五条" in caught.value.message
    published = timezone.now() - datetime.timedelta(days=40)
    service = _record(world, case, served_at=published, **kwargs)
    assert service.served_at == published + datetime.timedelta(days=30)


def test_the_same_document_is_not_served_twice_on_the_party(world, media):
    case = notified_case(world)
    _record(world, case)
    with pytest.raises(ServiceError) as caught:
        _record(world, case)
    assert caught.value.code == ErrorCode.DUPLICATE


def test_an_officer_of_another_township_may_not_record_service(world, media):
    case = notified_case(world)
    with pytest.raises(ServiceError) as caught:
        _record(world, case, actor=world.county.user(RoleCode.OFFICER, "t1"))
    assert caught.value.code == ErrorCode.NOT_ALLOWED


# --- electronic service ------------------------------------------------------------------------------


def test_electronic_service_is_refused_without_consent(world, media):
    """APL Art. 61 para 2: only with the party's signed consent (送达地址确认书)."""
    case = notified_case(world)
    notice = document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    with pytest.raises(ServiceError) as caught:
        service_send_electronic(actor=world.officer, document=notice, party=party_of(case))
    assert caught.value.code == ErrorCode.NOT_ALLOWED and "第六十一条" in caught.value.message
    person = add_party(case, organisation=False, consent=True)  # consent ticked, no signed confirmation
    with pytest.raises(ServiceError) as caught:
        service_send_electronic(actor=world.officer, document=notice, party=person)
    assert "送达地址确认书" in caught.value.message
    assert not Service.objects.filter(case=case, method=ServiceMethod.ELECTRONIC).exists()


def test_link_and_code_are_stored_only_hashed(world, media):
    case = notified_case(world)
    party = consenting(case, world)
    issued = service_send_electronic(
        actor=world.officer, document=document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY), party=party
    )
    token = issued.link.rstrip("/").rsplit("/", 1)[-1]
    service = Service.objects.get(pk=issued.service.pk)
    assert len(issued.code) == 6 and issued.code.isdigit()
    assert service.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in service.code_hash and issued.code not in service.code_hash
    assert issued.code not in events(case)[-1].data and token not in events(case)[-1].data
    assert service.served_at is None
    assert service.link_expires_at - timezone.now() > datetime.timedelta(days=29)


def test_five_wrong_codes_lock_the_link(world, media):
    case = notified_case(world)
    party = consenting(case, world)
    issued = service_send_electronic(
        actor=world.officer, document=document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY), party=party
    )
    token = issued.link.rstrip("/").rsplit("/", 1)[-1]
    wrong = f"{(int(issued.code) + 1) % 10**6:06d}"
    for attempt in range(1, MAX_CODE_ATTEMPTS):
        with pytest.raises(ServiceError) as caught:
            service_open_electronic(token=token, code=wrong)
        assert f"还可尝试{MAX_CODE_ATTEMPTS - attempt}次" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        service_open_electronic(token=token, code=wrong)
    assert "锁定" in caught.value.message
    with pytest.raises(ServiceError) as caught:
        service_open_electronic(token=token, code=issued.code)  # even the right code now
    assert caught.value.code == ErrorCode.INVALID_STATE
    service = Service.objects.get(pk=issued.service.pk)
    assert service.code_attempts == MAX_CODE_ATTEMPTS and service.served_at is None
    assert [e.action for e in events(case)].count("case.service_code_failed") == MAX_CODE_ATTEMPTS


def test_first_opening_serves_the_decision_and_moves_the_case(world, media):
    """CPL Art. 90 (issue 5: the time the party opens it); APL Art. 67: payment due 15 days later."""
    case = decided_case(world)
    party = consenting(case, world)
    issued = service_send_electronic(
        actor=world.officer, document=document_of(case, DocType.PENALTY_DECISION), party=party
    )
    token = issued.link.rstrip("/").rsplit("/", 1)[-1]
    before = len(events(case))
    service, first = service_open_electronic(token=token, code=issued.code)
    assert first and service.served_at == service.opened_at is not None
    case.refresh_from_db()
    served = timezone.localdate(service.served_at)
    assert case.state == CaseState.EXECUTING and case.served_on == served
    assert case.payment_due_on == deadlines.payment_due(served).due
    assert case.payment_due_on >= served + datetime.timedelta(days=15)
    proof = document_of(case, DocType.PROOF_OF_SERVICE)
    assert proof.fields["method"] == "电子送达"
    assert [e.action for e in events(case)[before:]] == ["case.service"]

    again, first = service_open_electronic(token=token, code=issued.code)
    assert not first and again.served_at == service.served_at
    assert len(events(case)) == before + 1


def test_resending_a_link_stops_the_earlier_one(world, media):
    case = notified_case(world)
    party = consenting(case, world)
    notice = document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    first = service_send_electronic(actor=world.officer, document=notice, party=party)
    service_send_electronic(actor=world.officer, document=notice, party=party)
    with pytest.raises(ServiceError) as caught:
        service_open_electronic(token=first.link.rstrip("/").rsplit("/", 1)[-1], code=first.code)
    assert caught.value.code == ErrorCode.INVALID_STATE


def test_serving_the_hearing_notice_dates_the_hearing_notice(world, media):
    """APL Art. 64(2): the hearing notice reaches the party 7 working days ahead; its date is kept."""
    case = notified_case(world)
    hearing = Hearing.objects.create(
        case=case,
        requested_on=timezone.localdate(),
        scheduled_at=timezone.now() + datetime.timedelta(days=20),
        place="镇政府会议室",
        chair=world.county.person(RoleCode.LEGAL_REVIEWER, "t0"),
    )
    notice = CaseDocument.objects.create(
        case=case, doc_type=DocType.HEARING_NOTICE, title="听证通知书", issued_on=timezone.localdate()
    )
    service = _record(world, case, document=notice)
    hearing.refresh_from_db()
    assert hearing.notice_served_on == timezone.localdate(service.served_at)
