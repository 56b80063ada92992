"""Findings of a visit: photos taken on site, and a finding opened as a case in one step.

Photos are checked by content (JPEG or PNG signature, at most MAX_PHOTO_BYTES, at most
MAX_PHOTOS per finding) and stored on disk like clue photos are (zhifa.intake.services.photos):
under MEDIA_ROOT/inspections/<aa>/<sha256>.<ext>, content-addressed, written atomically, with no
file name typed by a user ever reaching the file system. The case carries the photos as evidence
(collect once, use many: DESIGN.md) with the visit's inspectors and certificates (APL Art. 42, 55).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event
from zhifa.inspections import policies
from zhifa.inspections.models import Finding, FindingPhoto, InspectionItem, VisitState
from zhifa.intake.services.photos import PhotoUpload
from zhifa.powers.models import PowerItem

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9
PHOTO_DIR = "inspections"
SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"))

__all__ = ["PhotoUpload", "case_items_for", "finding_photo_add", "finding_to_case", "photo_path"]


def _allowed(actor: Any, finding: Finding) -> None:
    # APL Art. 42, 55: only the certified inspectors on the visit (and their team leaders) record it.
    if not policies.can_work_visit(actor, finding.visit):
        raise ServiceError(ErrorCode.NOT_ALLOWED, _("无权办理该检查。"))


def _sniff(content: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if content.startswith(magic):
            return content_type, ext
    return None


def check_photo(photo: PhotoUpload) -> tuple[str, str, str]:
    """(content type, extension, sha256) of an acceptable photo; raises naming the field `photo`."""
    label = photo.name or _("照片")
    if not photo.content:
        raise ServiceError(ErrorCode.REQUIRED, _("照片“%(name)s”是空文件。") % {"name": label}, field="photo")
    if len(photo.content) > MAX_PHOTO_BYTES:
        raise ServiceError(
            ErrorCode.INVALID,
            _("照片“%(name)s”过大：最大%(mb)d MB。") % {"name": label, "mb": MAX_PHOTO_BYTES // 1024 // 1024},
            field="photo",
        )
    kind = _sniff(photo.content)
    if kind is None:
        raise ServiceError(
            ErrorCode.INVALID,
            _("“%(name)s”不是照片：只接受 JPEG 或 PNG 格式。") % {"name": label},
            field="photo",
        )
    return kind[0], kind[1], hashlib.sha256(photo.content).hexdigest()


def relative_path(sha256: str, ext: str) -> str:
    return f"{PHOTO_DIR}/{sha256[:2]}/{sha256}.{ext}"


def photo_path(photo: FindingPhoto) -> Path:
    """The file of a stored photo (its path was built by us from the SHA-256, never by a user)."""
    return Path(settings.MEDIA_ROOT) / str(photo.file)


def _write(relative: str, content: bytes) -> None:
    path = Path(settings.MEDIA_ROOT) / relative
    if path.exists():
        return  # content-addressed: the same photo sent twice is stored once
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)  # atomic: a reader never sees half a photo


def finding_photo_add(*, actor: Any, finding: Finding, photo: PhotoUpload) -> FindingPhoto:
    """Attach one photo to a finding while the visit is in progress (the photo is taken on site)."""
    _allowed(actor, finding)
    content_type, ext, sha = check_photo(photo)
    with transaction.atomic():
        finding = Finding.objects.select_for_update(of=("self",)).select_related("visit").get(pk=finding.pk)
        if finding.visit.state != VisitState.IN_PROGRESS:
            raise ServiceError(ErrorCode.INVALID_STATE, _("检查进行中才能上传照片。"), field="photo")
        if finding.photos.count() >= MAX_PHOTOS:
            raise ServiceError(
                ErrorCode.INVALID, _("每个问题最多%(n)d张照片。") % {"n": MAX_PHOTOS}, field="photo"
            )
        relative = relative_path(sha, ext)
        _write(relative, photo.content)
        row = FindingPhoto.objects.create(
            finding=finding, file=relative, sha256=sha, content_type=content_type, size=len(photo.content)
        )
        record_event(
            actor=actor,
            action="inspections.finding.photo",
            obj=finding,
            after={"photo": row.pk, "sha256": sha, "size": row.size},
        )
    return row


def case_items_for(item: InspectionItem) -> QuerySet[PowerItem]:
    """Penalty items a finding under `item` may be opened as: the item's `checks`, or, when none are
    listed, the active penalty items of the item's domain."""
    listed = item.checks.filter(power_type="penalty", is_active=True)
    if listed.exists():
        return listed.order_by("code")
    return PowerItem.objects.filter(power_type="penalty", is_active=True, domain_id=item.domain_id).order_by(
        "code"
    )


def finding_to_case(*, actor: Any, finding: Finding, power_item: PowerItem | int) -> Finding:
    """Open a case (source: inspection) from a finding in one step and link it; refused a second time.

    The case belongs to the agency of the item's department (the competent body, APL Art. 22); the
    actor must be allowed to open cases for it (cases.policies.can_open_case, checked by case_open).
    case_open writes its own "case.open" event; both run in one outer transaction, plus one event
    "inspections.finding.to_case". The subject is named in title and facts and, when its register
    facts make a valid party (APL Art. 59(1): name, USCC, address; an enterprise also its person in
    charge, taken from the contact), registered as the case's party by party_add ("case.party_add");
    otherwise the officer adds the party on the case page, where filing waits for one.
    """
    from zhifa.cases.models import CaseSource, Evidence, EvidenceKind
    from zhifa.cases.services.cases import CaseInput, case_open

    _allowed(actor, finding)
    item_id = power_item.pk if isinstance(power_item, PowerItem) else power_item
    with transaction.atomic():
        finding = (
            Finding.objects.select_for_update(of=("self",))
            .select_related("visit__subject__township", "item__department__agency")
            .get(pk=finding.pk)
        )
        if finding.case_id is not None:
            raise ServiceError(ErrorCode.DUPLICATE, _("该问题已立案。"), field="finding")
        chosen = case_items_for(finding.item).filter(pk=item_id).first()
        if chosen is None:
            raise ServiceError(ErrorCode.INVALID, _("请选择该检查事项对应的处罚事项。"), field="power_item")
        agency = getattr(finding.item.department, "agency", None)
        if agency is None:
            raise ServiceError(ErrorCode.INVALID, _("该事项的实施部门没有执法主体。"), field="power_item")
        visit, subject = finding.visit, finding.visit.subject
        found_on = timezone.localdate(visit.started_at) if visit.started_at else timezone.localdate()
        facts = _(
            "检查%(code)s发现：%(text)s（检查对象：%(name)s，统一社会信用代码%(uscc)s，%(address)s）"
        ) % {
            "code": visit.code,
            "text": finding.text,
            "name": subject.name,
            "uscc": subject.uscc,
            "address": subject.address,
        }
        case = case_open(
            actor=actor,
            data=CaseInput(
                agency=agency,
                item=chosen,
                region=subject.township,
                title=f"{subject.name}：{finding.text}"[:200],
                act_on=found_on,
                discovered_on=found_on,
                source=CaseSource.INSPECTION,
                facts=facts,
                address=subject.address[:200],
                lng=subject.lng,
                lat=subject.lat,
                source_note=_("检查码%(code)s") % {"code": visit.code},
            ),
        )
        collectors = [
            {"id": vi.person_id, "name": vi.person.name, "certificate": vi.certificate_number}
            for vi in visit.inspectors.select_related("person").order_by("id")
        ]
        for photo in finding.photos.all():
            Evidence.objects.create(
                case=case,
                kind=EvidenceKind.AUDIOVISUAL,
                title=_("现场检查照片"),
                description=_("检查%(code)s现场拍摄：%(text)s")
                % {"code": visit.code, "text": finding.text[:100]},
                file=photo.file.name,
                sha256=photo.sha256,
                content_type=photo.content_type,
                size=photo.size,
                collected_at=photo.created_at,
                place=subject.address[:200] or subject.township.name,
                collectors=collectors,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        _add_subject_party(actor, case, subject, found_on)
        finding.case = case
        finding.save(update_fields=["case"])
        record_event(
            actor=actor,
            action="inspections.finding.to_case",
            obj=finding,
            after={"case": case.code, "item": chosen.code},
        )
    return finding


def _add_subject_party(actor: Any, case: Any, subject: Any, on_date: Any) -> None:
    """Register the subject as the case's party when its register facts suffice (see finding_to_case)."""
    from zhifa.cases.models import IdType, PartyKind
    from zhifa.cases.services.parties import PartyInput, party_add, party_problems
    from zhifa.inspections.models import SubjectKind

    data = PartyInput(
        kind=PartyKind.BUSINESS if subject.kind == SubjectKind.INDIVIDUAL else PartyKind.ORGANISATION,
        name=subject.name[:100],
        id_type=IdType.USCC,
        id_number=subject.uscc,
        address=subject.address[:200],
        legal_representative=subject.contact_name,
        phone=subject.contact_phone,
    )
    if party_problems(case, data, on_date):
        return
    party_add(actor=actor, case=case, data=data, on_date=on_date)
