"""Evidence (证据, APL Art. 46) and the records of investigation (现场检查笔录, 询问笔录, Art. 55).

Each piece of evidence is typed by Art. 46, described, collected at a time and place by at least two of
the case's officers who could enforce that day (Art. 42, 55), and - when it has a file - stored under
MEDIA_ROOT/cases/<case id>/evidence/<sha256>.<ext> with its SHA-256 (the path is ours, never the
uploader's). A file written in a transaction that rolls back is removed again (documents.storage), so a
refused upload leaves neither a row nor a file. Once the case is decided its evidence is fixed.

An inspection or interview record is issued as a case document (its PDF with SHA-256) and becomes a
piece of evidence pointing at that PDF: 勘验笔录/现场笔录, 当事人的陈述 or 证人证言.
"""

from __future__ import annotations

import datetime
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.documents.storage import absolute, case_dir, write_case_file
from zhifa.cases.models import Case, CaseDocument, DocType, Evidence, EvidenceKind, Party, Service
from zhifa.cases.services.acts import check, issue, lock, require_not_decided, require_work, step, text
from zhifa.cases.services.officers import collector_rows, two_officers
from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.record import record_event

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CLOCK_SKEW = datetime.timedelta(minutes=5)
# Kinds that are nothing without their file (audio-visual material, electronic data).
FILE_REQUIRED = frozenset({EvidenceKind.AUDIOVISUAL, EvidenceKind.ELECTRONIC})
_EXT = re.compile(r"^[a-z0-9]{1,8}$")


def max_bytes() -> int:
    """The upload limit: setting ZHIFA_EVIDENCE_MAX_BYTES, default 50 MB."""
    return int(getattr(settings, "ZHIFA_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class EvidenceUpload:
    """An uploaded file: its bytes, the name the client gave it (kept for display) and its content type."""

    name: str
    content: bytes
    content_type: str = ""


def sniff(content: bytes, name: str) -> tuple[str, str]:
    """(content type, extension) from the file's first bytes; else from the name's extension."""
    head = content[:16]
    given = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav", "wav"
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heis"):
            return "image/heic", "heic"
        if brand == b"qt  ":
            return "video/quicktime", "mov"
        if brand.startswith(b"M4A"):
            return "audio/mp4", "m4a"
        return "video/mp4", "mp4"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg", "mp3"
    if head.startswith(b"#!AMR"):
        return "audio/amr", "amr"
    ext = given if _EXT.match(given) else "bin"
    if head.startswith(b"PK\x03\x04") and ext not in ("docx", "xlsx", "pptx", "ofd", "zip"):
        ext = "zip"
    guessed = mimetypes.guess_type(f"x.{ext}")[0]
    return guessed or "application/octet-stream", ext


def upload_problems(upload: EvidenceUpload) -> list[ServiceError]:
    limit = max_bytes()
    label = upload.name or _("上传文件")
    if not upload.content:
        return [ServiceError(ErrorCode.INVALID, _("“%(name)s”是空文件。") % {"name": label}, field="file")]
    if len(upload.content) > limit:
        return [
            ServiceError(
                ErrorCode.INVALID,
                _("“%(name)s”过大：证据文件最大%(mb)d MB。") % {"name": label, "mb": limit // 1024 // 1024},
                field="file",
            )
        ]
    return []


def store_file(case: Case, upload: EvidenceUpload) -> dict[str, Any]:
    """Write the file under cases/<id>/evidence/<sha256>.<ext> (inside the caller's transaction: removed
    again on rollback) and return the Evidence fields describing it."""
    sha = hashlib.sha256(upload.content).hexdigest()
    content_type, ext = sniff(upload.content, upload.name)
    relative = f"{case_dir(case.pk)}/evidence/{sha}.{ext}"
    if not absolute(relative).exists():  # content-addressed: the same bytes are already there
        write_case_file(relative, upload.content)
    return {
        "file": relative,
        "sha256": sha,
        "content_type": content_type,
        "size": len(upload.content),
        "original_name": (upload.name or "")[-200:],
    }


def moment_problems(
    case: Case, moment: datetime.datetime | None, field: str, label: str
) -> list[ServiceError]:
    if moment is None:
        return [ServiceError(ErrorCode.REQUIRED, _("请填写%(label)s。") % {"label": label}, field=field)]
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + CLOCK_SKEW:
        return [ServiceError(ErrorCode.INVALID, _("%(label)s不能晚于现在。") % {"label": label}, field=field)]
    if timezone.localdate(moment) < case.discovered_on:
        return [
            ServiceError(
                ErrorCode.INVALID,
                _("%(label)s不能早于发现违法行为的日期（%(day)s）。")
                % {"label": label, "day": case.discovered_on},
                field=field,
            )
        ]
    return []


def aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def evidence_add(
    *,
    actor: Any,
    case: Case,
    kind: str,
    title: str,
    collected_at: datetime.datetime | None,
    place: str,
    collector_ids: list[Any],
    description: str = "",
    upload: EvidenceUpload | None = None,
) -> Evidence:
    """Register a piece of evidence (APL Art. 46) collected by two or more of the case's certified
    officers (Art. 42, 55). Refused once the case is decided; a refused call leaves no row and no file."""
    require_work(actor, case)
    problems: list[ServiceError] = []
    if kind not in EvidenceKind.values:
        problems.append(
            ServiceError(ErrorCode.INVALID, _("请选择证据种类（《行政处罚法》第四十六条）。"), field="kind")
        )
    for key, value, label, limit, required in (
        ("title", title, _("证据名称"), 200, True),
        ("place", place, _("收集地点"), 200, True),
        ("description", description, _("证明内容"), 5000, False),
    ):
        try:
            text(value, key, label, limit=limit, required=required)
        except ServiceError as exc:
            problems.append(exc)
    problems.extend(moment_problems(case, collected_at, "collected_at", _("收集时间")))
    if upload is not None:
        problems.extend(upload_problems(upload))
    elif kind in FILE_REQUIRED:
        problems.append(ServiceError(ErrorCode.REQUIRED, _("视听资料、电子数据须上传文件。"), field="file"))
    check(problems)
    collected_at = aware(collected_at)
    with transaction.atomic():
        locked = lock(case)
        require_not_decided(locked, _("增加证据"))
        people = two_officers(
            locked, actor, collector_ids, timezone.localdate(collected_at), field="collector_ids"
        )
        stored: dict[str, Any] = {}
        if upload is not None:
            sha = hashlib.sha256(upload.content).hexdigest()
            twin = locked.evidence.filter(sha256=sha).first()
            if twin is not None:
                raise ServiceError(
                    ErrorCode.DUPLICATE,
                    _("该文件已登记为证据“%(title)s”。") % {"title": twin.title},
                    field="file",
                )
            stored = store_file(locked, upload)
        evidence = Evidence.objects.create(
            case=locked,
            kind=kind,
            title=title.strip(),
            description=(description or "").strip(),
            collected_at=collected_at,
            place=place.strip(),
            collectors=collector_rows(locked, people, timezone.localdate(collected_at)),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **stored,
        )
        after = {"evidence": evidence.pk, "kind": kind, "title": evidence.title, "sha256": evidence.sha256}
        step(locked, actor, "evidence_add", _("登记证据"), evidence.title, after)
        record_event(actor=actor, action="case.evidence_add", obj=locked, after=after)
    return evidence


def evidence_remove(*, actor: Any, evidence: Evidence, reason: str) -> None:
    """Remove a piece of evidence registered in error, with the reason (kept in the record with its
    SHA-256). Refused once the case is decided, and while a party's consent or a service refers to it."""
    case = evidence.case
    require_work(actor, case)
    reason = text(reason, "reason", _("删除理由"), limit=500)
    with transaction.atomic():
        locked = lock(case)
        require_not_decided(locked, _("删除证据"))
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if (
            Party.objects.filter(e_service_consent_evidence=evidence).exists()
            or Service.objects.filter(proof=evidence).exists()
        ):
            raise ServiceError(
                ErrorCode.INVALID_STATE, _("该材料是送达地址确认书或送达凭证，不能删除。"), field="evidence"
            )
        relative, sha = evidence.file, evidence.sha256
        before = {"evidence": evidence.pk, "kind": evidence.kind, "title": evidence.title, "sha256": sha}
        evidence.delete()
        own_file = relative.startswith(f"{case_dir(locked.pk)}/evidence/")
        if own_file and not Evidence.objects.filter(file=relative).exists():
            path = absolute(relative)
            transaction.on_commit(lambda: path.unlink(missing_ok=True))
        step(locked, actor, "evidence_remove", _("删除证据"), reason, {**before, "reason": reason})
        record_event(
            actor=actor, action="case.evidence_remove", obj=locked, before=before, after={"reason": reason}
        )


# --- records of investigation (APL Art. 46, 55) ------------------------------------------------------------


def _record(
    *,
    actor: Any,
    case: Case,
    doc_type: str,
    kind: str,
    title: str,
    moment: datetime.datetime,
    place: str,
    officer_ids: list[Any],
    extra: dict[str, Any],
    action: str,
    label: str,
) -> Evidence:
    with transaction.atomic():
        locked = lock(case)
        require_not_decided(locked, _("制作笔录"))
        day = timezone.localdate(moment)
        people = two_officers(locked, actor, officer_ids, day)
        collectors = collector_rows(locked, people, day)
        present = "、".join(
            f"{c['name']}（{c['certificate']}）" if c["certificate"] else c["name"] for c in collectors
        )
        document: CaseDocument = issue(locked, doc_type, {**extra, "present_officers": present}, actor, day)
        evidence = Evidence.objects.create(
            case=locked,
            kind=kind,
            title=title,
            description=str(extra.get("content", ""))[:5000],
            file=document.file,
            original_name=f"{document.title}.pdf",
            sha256=document.sha256,
            content_type="application/pdf",
            size=absolute(document.file).stat().st_size,
            collected_at=moment,
            place=place,
            collectors=collectors,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        after = {"evidence": evidence.pk, "document": document.pk, "kind": kind, "sha256": document.sha256}
        step(locked, actor, action, label, title, after)
        record_event(actor=actor, action=f"case.{action}", obj=locked, after=after)
    return evidence


def record_inspection(
    *,
    actor: Any,
    case: Case,
    inspected_at: datetime.datetime | None,
    place: str,
    content: str,
    officer_ids: list[Any],
    present: str = "",
) -> Evidence:
    """现场检查（勘验）笔录: issued as a document and kept as evidence of kind 勘验笔录、现场笔录 (APL Art.
    46, 55), with two or more certified officers present (Art. 42)."""
    require_work(actor, case)
    problems = moment_problems(case, inspected_at, "inspected_at", _("检查时间"))
    for key, value, label, limit, required in (
        ("place", place, _("检查地点"), 200, True),
        ("content", content, _("检查情况"), 20000, True),
        ("present", present, _("在场人"), 200, False),
    ):
        try:
            text(value, key, label, limit=limit, required=required)
        except ServiceError as exc:
            problems.append(exc)
    check(problems)
    moment = aware(inspected_at)
    return _record(
        actor=actor,
        case=case,
        doc_type=DocType.INSPECTION_RECORD,
        kind=EvidenceKind.INSPECTION_RECORD,
        title=_("现场检查笔录（%(time)s）") % {"time": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")},
        moment=moment,
        place=place.strip(),
        officer_ids=officer_ids,
        extra={"inspected_at": moment, "inspection_place": place, "content": content, "present": present},
        action="record_inspection",
        label=_("制作现场检查笔录"),
    )


def record_interview(
    *,
    actor: Any,
    case: Case,
    interviewed_at: datetime.datetime | None,
    place: str,
    interviewee: str,
    content: str,
    officer_ids: list[Any],
    interviewee_id: str = "",
    as_party: bool = True,
) -> Evidence:
    """询问笔录: issued as a document and kept as evidence: the party's statement (当事人的陈述) when the
    party (or its representative) is interviewed, else witness testimony (证人证言) (APL Art. 46, 55)."""
    require_work(actor, case)
    problems = moment_problems(case, interviewed_at, "interviewed_at", _("询问时间"))
    for key, value, label, limit, required in (
        ("place", place, _("询问地点"), 200, True),
        ("interviewee", interviewee, _("被询问人"), 100, True),
        ("interviewee_id", interviewee_id, _("被询问人证件号码"), 40, False),
        ("content", content, _("询问内容"), 20000, True),
    ):
        try:
            text(value, key, label, limit=limit, required=required)
        except ServiceError as exc:
            problems.append(exc)
    check(problems)
    moment = aware(interviewed_at)
    return _record(
        actor=actor,
        case=case,
        doc_type=DocType.INTERVIEW_RECORD,
        kind=EvidenceKind.PARTY_STATEMENT if as_party else EvidenceKind.WITNESS,
        title=_("询问笔录（%(name)s）") % {"name": interviewee.strip()},
        moment=moment,
        place=place.strip(),
        officer_ids=officer_ids,
        extra={
            "interviewed_at": moment,
            "interview_place": place,
            "interviewee": interviewee,
            "interviewee_id": interviewee_id,
            "content": content,
        },
        action="record_interview",
        label=_("制作询问笔录"),
    )
