"""Evidence (APL Art. 46) collected by two certified officers (Art. 42, 55), frozen once decided, and the
inspection and interview records issued as documents and kept as evidence."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import CaseDocument, DocType, Evidence, EvidenceKind
from zhifa.cases.services.evidence import (
    EvidenceUpload,
    evidence_add,
    evidence_remove,
    record_inspection,
    record_interview,
)
from zhifa.cases.tests.test_acts_support import PNG, decided_case, filed_case, media_files, officer_ids
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode


def add(world, case, **overrides):
    values = {
        "actor": world.officer,
        "case": case,
        "kind": EvidenceKind.AUDIOVISUAL,
        "title": "现场照片",
        "description": "灭火器被挪作他用",
        "collected_at": timezone.now() - datetime.timedelta(hours=1),
        "place": "东湖镇工业园1号",
        "collector_ids": officer_ids(world),
        "upload": EvidenceUpload("IMG_0001.JPG", PNG, "image/jpeg"),
    }
    values.update(overrides)
    return evidence_add(**values)


def test_add_stores_the_file_by_sha256_with_collectors_and_certificates(world, media):
    case = filed_case(world)
    before = case.evidence.count()
    evidence = add(world, case)
    sha = hashlib.sha256(PNG).hexdigest()
    assert evidence.sha256 == sha and evidence.size == len(PNG)
    assert evidence.file == f"cases/{case.pk}/evidence/{sha}.png"  # ours, not the uploader's name
    assert evidence.content_type == "image/png"  # sniffed, not the client's claim
    assert evidence.original_name == "IMG_0001.JPG"
    assert (media / evidence.file).read_bytes() == PNG
    names = [c["name"] for c in evidence.collectors]
    assert names == [world.officer.person.name, world.second_officer.name]
    assert all(c["certificate"] for c in evidence.collectors)
    assert case.evidence.count() == before + 1
    assert Event.objects.filter(action="case.evidence_add").count() == 1


def test_one_collector_is_refused_and_nothing_is_left_art42(world, media):
    case = filed_case(world)
    before = case.evidence.count()
    with pytest.raises(ServiceError) as exc:
        add(world, case, collector_ids=[world.officer.person.pk])
    assert exc.value.field == "collector_ids" and "第四十二条" in exc.value.message
    assert case.evidence.count() == before
    assert media_files(media) == []


def test_collector_not_on_the_case_is_refused(world, media):
    case = filed_case(world)
    outsider = world.county.person(RoleCode.OFFICER, "t1")
    with pytest.raises(ServiceError) as exc:
        add(world, case, collector_ids=[world.officer.person.pk, outsider.pk])
    assert "不是本案承办人员" in exc.value.message
    assert media_files(media) == []


def test_collector_without_a_valid_certificate_on_the_day_is_refused_art42_55(world, media):
    case = filed_case(world)
    world.second_officer.certificates.update(valid_from=timezone.localdate())
    with pytest.raises(ValidationErrors) as exc:
        add(world, case, collected_at=timezone.now() - datetime.timedelta(days=2))
    assert "不在有效期内" in exc.value.message
    assert media_files(media) == []
    assert add(world, case).pk  # today the certificate is valid


def test_too_large_upload_is_refused_before_anything_is_written(world, media, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 50
    case = filed_case(world)
    before = case.evidence.count()
    with pytest.raises(ServiceError) as exc:
        add(world, case)
    assert exc.value.field == "file" and "过大" in exc.value.message
    assert case.evidence.count() == before and media_files(media) == []


def test_empty_file_and_missing_file_for_audiovisual_are_refused(world, media):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        add(world, case, upload=EvidenceUpload("a.jpg", b""))
    assert "空文件" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        add(world, case, upload=None)
    assert exc.value.field == "file"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"title": ""}, "title"),
        ({"place": ""}, "place"),
        ({"collected_at": None}, "collected_at"),
        ({"collected_at": timezone.now() + datetime.timedelta(days=1)}, "collected_at"),
        ({"collected_at": timezone.now() - datetime.timedelta(days=30)}, "collected_at"),  # before discovery
    ],
)
def test_bad_input_names_the_field(world, media, overrides, field):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        add(world, case, **overrides)
    errors = exc.value.errors if isinstance(exc.value, ValidationErrors) else [exc.value]
    assert field in {e.field for e in errors}
    assert media_files(media) == []


def test_same_file_twice_is_refused(world, media):
    case = filed_case(world)
    add(world, case)
    with pytest.raises(ServiceError) as exc:
        add(world, case, title="同一张照片")
    assert exc.value.code == ErrorCode.DUPLICATE


def test_a_rolled_back_transaction_leaves_no_row_and_no_file(world, media):
    case = filed_case(world)
    before = case.evidence.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        add(world, case)
        assert len(media_files(media)) == 1  # written at its final path inside the transaction...
        raise RuntimeError("the caller's transaction fails")
    assert case.evidence.count() == before
    assert media_files(media) == []  # ...and removed when it rolled back


def test_evidence_is_frozen_once_decided(world, media):
    case = decided_case(world)
    with pytest.raises(ServiceError) as exc:
        add(world, case)
    assert exc.value.code == ErrorCode.INVALID_STATE and "已作出决定" in exc.value.message
    assert media_files(media) == []
    existing = case.evidence.first()
    with pytest.raises(ServiceError) as exc:
        evidence_remove(actor=world.officer, evidence=existing, reason="误传")
    assert exc.value.code == ErrorCode.INVALID_STATE
    assert Evidence.objects.filter(pk=existing.pk).exists()


def test_remove_deletes_row_and_file_after_commit(world, media, django_capture_on_commit_callbacks):
    case = filed_case(world)
    evidence = add(world, case)
    path = media / evidence.file
    with pytest.raises(ServiceError) as exc:
        evidence_remove(actor=world.officer, evidence=evidence, reason="")
    assert exc.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(actor=world.officer, evidence=evidence, reason="上传错误的照片")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()
    event = Event.objects.get(action="case.evidence_remove")
    assert evidence.sha256 in event.data


@pytest.mark.parametrize("place", ["t1", "dept"])
def test_outsiders_are_not_allowed(world, media, place):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        add(world, case, actor=world.county.user(RoleCode.OFFICER, place))
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    assert media_files(media) == []


# --- records --------------------------------------------------------------------------------------------


def test_inspection_record_is_a_document_and_evidence_art46_55(world, media):
    case = filed_case(world)
    evidence = record_inspection(
        actor=world.officer,
        case=case,
        inspected_at=timezone.now() - datetime.timedelta(hours=2),
        place="东湖镇工业园1号车间",
        content="车间东侧灭火器2具被移作他用，疏散通道堆放纸箱。",
        officer_ids=officer_ids(world),
        present="王某（厂长）",
    )
    document = CaseDocument.objects.get(case=case, doc_type=DocType.INSPECTION_RECORD)
    assert evidence.kind == EvidenceKind.INSPECTION_RECORD
    assert evidence.file == document.file and evidence.sha256 == document.sha256
    assert hashlib.sha256((media / document.file).read_bytes()).hexdigest() == document.sha256
    assert document.fields["inspection_place"] == "东湖镇工业园1号车间"
    assert document.fields["present"] == "王某（厂长）"
    assert world.second_officer.name in document.fields["present_officers"]


def test_interview_of_a_witness_is_witness_testimony(world, media):
    case = filed_case(world)
    evidence = record_interview(
        actor=world.officer,
        case=case,
        interviewed_at=timezone.now() - datetime.timedelta(hours=1),
        place="东湖镇综合执法队询问室",
        interviewee="赵某",
        interviewee_id="11010519491231002X",
        content="问：你看到了什么？答：灭火器被搬走了。",
        officer_ids=officer_ids(world),
        as_party=False,
    )
    assert evidence.kind == EvidenceKind.WITNESS
    document = CaseDocument.objects.get(case=case, doc_type=DocType.INTERVIEW_RECORD)
    assert document.fields["interviewee"] == "赵某"


def test_record_needs_two_certified_officers_and_leaves_nothing_otherwise(world, media):
    case = filed_case(world)
    with pytest.raises(ServiceError) as exc:
        record_interview(
            actor=world.officer,
            case=case,
            interviewed_at=timezone.now(),
            place="询问室",
            interviewee="王某",
            content="问答",
            officer_ids=[world.officer.person.pk],
        )
    assert "第四十二条" in exc.value.message
    assert not CaseDocument.objects.filter(case=case).exists()
    assert media_files(media) == []


def test_record_refused_once_decided(world, media):
    case = decided_case(world)
    with pytest.raises(ServiceError) as exc:
        record_inspection(
            actor=world.officer,
            case=case,
            inspected_at=timezone.now(),
            place="车间",
            content="复查",
            officer_ids=officer_ids(world),
        )
    assert exc.value.code == ErrorCode.INVALID_STATE
    assert media_files(media) == []
