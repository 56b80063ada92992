"""Finding photos (content checks, files on disk, SHA-256) and a finding opened as a case in one step."""

from __future__ import annotations

import datetime
import hashlib
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, CaseSource, Evidence, IdType, PartyKind
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.inspections.models import FindingPhoto, Subject, SubjectKind, VisitResult
from zhifa.inspections.services import findings as fsvc
from zhifa.inspections.services import visits as svc
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.powers.models import PowerItem, PowerType


def real_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid PNG image (any viewer opens it), built with zlib only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def make_visit(insp, key="market", items=("M1",), started=True):
    officers = insp.officers[key]
    with transaction.atomic():
        visit = create_visit(
            actor=None,
            subject_id=insp.subjects[0].pk,
            agency=insp.agencies[key],
            items=[insp.items[i] for i in items],
            planned_on=timezone.localdate(),
            team=[TeamMember(p, insp.agencies[key], f"C{p.pk}") for p in officers],
        )
    if started:
        visit = svc.visit_start(actor=insp.user(f"{key}-0"), visit=visit, version=visit.version)
    return visit


def finding_of(insp, key="market", item="M1"):
    visit = make_visit(insp, key, items=(item,))
    return svc.finding_add(
        actor=insp.user(f"{key}-0"), visit=visit, item=insp.items[item], text="未建立进货查验台账"
    )


def penalty_item(insp, code="M1", suffix="P1") -> PowerItem:
    item = insp.items[code]
    power = PowerItem.objects.create(
        code=f"{item.code}-{suffix}",
        name="对未建立进货查验记录制度的行政处罚",
        power_type=PowerType.PENALTY,
        domain=item.domain,
        original_subject=item.department.name,
        basis_text="《中华人民共和国食品安全法》第一百二十六条",
    )
    item.checks.add(power)
    return power


def events(action: str) -> int:
    return Event.objects.filter(action=action).count()


def test_photo_stored_on_disk_by_sha256(insp):
    finding = finding_of(insp)
    content = real_png()
    photo = fsvc.finding_photo_add(
        actor=insp.user("market-1"), finding=finding, photo=fsvc.PhotoUpload("现场.png", content)
    )
    sha = hashlib.sha256(content).hexdigest()
    assert (photo.sha256, photo.content_type, photo.size) == (sha, "image/png", len(content))
    path = Path(settings.MEDIA_ROOT) / f"inspections/{sha[:2]}/{sha}.png"
    assert path.read_bytes() == content and fsvc.photo_path(photo) == path
    assert events("inspections.finding.photo") == 1
    jpeg = fsvc.finding_photo_add(
        actor=insp.user("market-0"), finding=finding, photo=fsvc.PhotoUpload("a", JPEG)
    )
    assert jpeg.content_type == "image/jpeg" and str(jpeg.file).endswith(".jpg")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a" + b"\x00" * 50, ErrorCode.INVALID),  # only JPEG and PNG
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", ErrorCode.INVALID),
        (b"", ErrorCode.REQUIRED),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * fsvc.MAX_PHOTO_BYTES, ErrorCode.INVALID),  # one byte too many
    ],
    ids=["gif", "svg", "empty", "too-large"],  # not the 10 MB content itself in the test id
)
def test_photo_refused_by_content_and_size(insp, content, code):
    finding = finding_of(insp)
    with pytest.raises(ServiceError) as e:
        fsvc.finding_photo_add(
            actor=insp.user("market-0"), finding=finding, photo=fsvc.PhotoUpload("x", content)
        )
    assert (e.value.code, e.value.field) == (code, "photo") and e.value.message
    assert not FindingPhoto.objects.exists() and events("inspections.finding.photo") == 0
    assert not (Path(settings.MEDIA_ROOT) / "inspections").exists()


def test_photo_limits_state_and_who(insp, monkeypatch):
    finding = finding_of(insp)
    with pytest.raises(ServiceError) as e:  # an officer of another agency is not on the team
        fsvc.finding_photo_add(
            actor=insp.user("safety-0"), finding=finding, photo=fsvc.PhotoUpload("x", JPEG)
        )
    assert e.value.code == ErrorCode.NOT_ALLOWED
    monkeypatch.setattr(fsvc, "MAX_PHOTOS", 1)
    fsvc.finding_photo_add(actor=insp.user("market-0"), finding=finding, photo=fsvc.PhotoUpload("x", JPEG))
    with pytest.raises(ServiceError) as e:
        fsvc.finding_photo_add(
            actor=insp.user("market-0"), finding=finding, photo=fsvc.PhotoUpload("y", real_png())
        )
    assert e.value.field == "photo"
    monkeypatch.setattr(fsvc, "MAX_PHOTOS", 9)
    visit = finding.visit
    visit.refresh_from_db()
    svc.visit_finish(actor=insp.user("market-0"), visit=visit, result=VisitResult.PASS, version=visit.version)
    with pytest.raises(ServiceError) as e:  # after the visit no more photos "from the site"
        fsvc.finding_photo_add(
            actor=insp.user("market-0"), finding=finding, photo=fsvc.PhotoUpload("z", real_png())
        )
    assert e.value.code == ErrorCode.INVALID_STATE
    assert FindingPhoto.objects.count() == 1


def test_finding_to_case_once(insp):
    power = penalty_item(insp)
    Subject.objects.filter(pk=insp.subjects[0].pk).update(contact_name="赵大", contact_phone="13905991234")
    insp.subjects[0].refresh_from_db()
    finding = finding_of(insp)
    fsvc.finding_photo_add(
        actor=insp.user("market-0"), finding=finding, photo=fsvc.PhotoUpload("p", real_png())
    )
    before = Event.objects.count()
    finding = fsvc.finding_to_case(actor=insp.user("market-0"), finding=finding, power_item=power)
    case = Case.objects.get()
    assert finding.case_id == case.pk
    assert (case.source, case.agency_id, case.item_id) == (
        CaseSource.INSPECTION,
        insp.agencies["market"].pk,
        power.pk,
    )
    assert case.region_id == insp.subjects[0].township_id and insp.subjects[0].uscc in case.facts
    assert finding.visit.code in case.source_note and case.discovered_on == timezone.localdate()
    evidence = Evidence.objects.get(case=case)  # the photo is carried into the case (collect once)
    assert evidence.sha256 == finding.photos.get().sha256
    assert {c["certificate"] for c in evidence.collectors} == {f"C{p.pk}" for p in insp.officers["market"]}
    # The subject is the case's party, with its USCC and address (APL Art. 59(1)).
    party = case.parties.get()
    subject = insp.subjects[0]
    assert (party.kind, party.name, party.id_type, party.id_number, party.address) == (
        PartyKind.BUSINESS,  # 东湖饭店 is an individual business
        subject.name,
        IdType.USCC,
        subject.uscc,
        subject.address,
    )
    assert (party.legal_representative, party.phone) == ("赵大", "13905991234")
    # case_open and party_add record the case and its party; plus our one event for the finding.
    assert Event.objects.count() - before == 3 and events("inspections.finding.to_case") == 1
    assert events("case.party_add") == 1
    with pytest.raises(ServiceError) as e:
        fsvc.finding_to_case(actor=insp.user("market-0"), finding=finding, power_item=power)
    assert e.value.code == ErrorCode.DUPLICATE
    assert Case.objects.count() == 1 and events("inspections.finding.to_case") == 1


def test_enterprise_without_person_in_charge_is_left_for_the_officer(insp):
    # APL Art. 59(1): an organisation's party needs its person in charge, which the register lacks here.
    Subject.objects.filter(pk=insp.subjects[0].pk).update(kind=SubjectKind.ENTERPRISE, contact_name="")
    finding = fsvc.finding_to_case(
        actor=insp.user("market-0"), finding=finding_of(insp), power_item=penalty_item(insp)
    )
    assert finding.case_id is not None and not finding.case.parties.exists()
    assert events("case.party_add") == 0


def test_finding_to_case_refusals(insp):
    power = penalty_item(insp)
    other = penalty_item(insp, "S1", "P9")  # a safety penalty: not one the market item checks
    finding = finding_of(insp)
    for actor, item, code in (
        (insp.user("market-0"), other, ErrorCode.INVALID),
        (insp.user("market-0"), 999999, ErrorCode.INVALID),
        (insp.user("safety-0"), power, ErrorCode.NOT_ALLOWED),
        (insp.user("t0"), power, ErrorCode.NOT_ALLOWED),
    ):
        with pytest.raises(ServiceError) as e:
            fsvc.finding_to_case(actor=actor, finding=finding, power_item=item)
        assert e.value.code == code
    finding.refresh_from_db()
    assert (
        finding.case_id is None and not Case.objects.exists() and events("inspections.finding.to_case") == 0
    )


def test_case_items_fall_back_to_domain(insp):
    item = insp.items["U1"]
    domain_penalty = PowerItem.objects.create(
        code="U-PEN",
        name="对擅自设置招牌的行政处罚",
        power_type=PowerType.PENALTY,
        domain=item.domain,
        original_subject="城市管理局",
        basis_text="《城市市容和环境卫生管理条例》第三十六条",
    )
    assert list(fsvc.case_items_for(item)) == [domain_penalty]
    listed = penalty_item(insp, "U1", "P2")
    assert list(fsvc.case_items_for(item)) == [listed]  # listed `checks` win over the domain


def test_case_date_is_the_visit_day(insp):
    power = penalty_item(insp)
    finding = finding_of(insp)
    from zhifa.inspections.models import Visit

    started = timezone.now() - datetime.timedelta(days=2)
    Visit.objects.filter(pk=finding.visit_id).update(started_at=started)
    finding.refresh_from_db()
    finding = fsvc.finding_to_case(actor=insp.user("market-1"), finding=finding, power_item=power.pk)
    assert finding.case.act_on == timezone.localdate(started)
