"""Clue photos: checked by content (not by name), stored on disk by SHA-256, recorded with the clue.

A photo is accepted when its first bytes are a JPEG, PNG, WebP or HEIC signature and it is at most
MAX_PHOTO_BYTES; at most MAX_PHOTOS per step. Files live under MEDIA_ROOT/clues/<aa>/<sha256>.<ext>:
content-addressed, so the same photo sent twice (a retry) is stored once, and a file name typed by a
user never reaches the file system. Photos are served only through a scoped view.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.intake.models import Clue, CluePhoto, ClueStep

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9
PHOTO_DIR = "clues"


@dataclass(frozen=True)
class PhotoUpload:
    """An uploaded photo's bytes and the name the client gave it (kept only for messages)."""

    name: str
    content: bytes


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's signature, or None when it is not a photo we take."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp", "webp"
    if content[4:8] == b"ftyp" and content[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heis"):
        return "image/heic", "heic"
    return None


def check_photos(photos: list[PhotoUpload]) -> list[tuple[PhotoUpload, str, str, str]]:
    """Each photo with (content type, extension, sha256); raises naming the photo and the problem."""
    if len(photos) > MAX_PHOTOS:
        raise ServiceError(ErrorCode.INVALID, _("照片最多%(n)d张。") % {"n": MAX_PHOTOS}, field="photos")
    checked = []
    for number, photo in enumerate(photos, start=1):
        label = photo.name or _("第%(n)d张") % {"n": number}
        if not photo.content:
            raise ServiceError(
                ErrorCode.INVALID, _("照片“%(name)s”是空文件。") % {"name": label}, field="photos"
            )
        if len(photo.content) > MAX_PHOTO_BYTES:
            raise ServiceError(
                ErrorCode.INVALID,
                _("照片“%(name)s”过大：最大%(mb)d MB。")
                % {"name": label, "mb": MAX_PHOTO_BYTES // 1024 // 1024},
                field="photos",
            )
        kind = sniff(photo.content)
        if kind is None:
            raise ServiceError(
                ErrorCode.INVALID,
                _("“%(name)s”不是照片：只接受 JPEG、PNG、WebP 或 HEIC 格式。") % {"name": label},
                field="photos",
            )
        checked.append((photo, kind[0], kind[1], hashlib.sha256(photo.content).hexdigest()))
    return checked


def relative_path(sha256: str, ext: str) -> str:
    return f"{PHOTO_DIR}/{sha256[:2]}/{sha256}.{ext}"


def store_photos(
    clue: Clue, checked: list[tuple[PhotoUpload, str, str, str]], actor: Any, step: ClueStep | None
) -> list[CluePhoto]:
    """Write the files (once per content) and their rows; call inside the service's transaction."""
    rows = []
    for photo, content_type, ext, sha in checked:
        relative = relative_path(sha, ext)
        path = Path(settings.MEDIA_ROOT) / relative
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(path.suffix + ".part")
            temporary.write_bytes(photo.content)
            temporary.replace(path)  # atomic: a reader never sees half a photo
        rows.append(
            CluePhoto(
                clue=clue,
                step=step,
                file=relative,
                sha256=sha,
                content_type=content_type,
                size=len(photo.content),
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    return CluePhoto.objects.bulk_create(rows)


def photo_path(photo: CluePhoto) -> Path:
    """The file of a stored photo (its path was built by us, never taken from a user)."""
    return Path(settings.MEDIA_ROOT) / photo.file
