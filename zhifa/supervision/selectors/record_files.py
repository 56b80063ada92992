"""Stored files of a case or clue and the state of their bytes (GO118 (九) tamper-proof storage).

Every document, evidence file and clue photo was stored with its SHA-256. Here each is re-hashed and
compared: missing, altered, or as registered. A page re-hashes at most FILE_CHECK_BUDGET bytes per view
(a missing file is always found: it costs a stat) and marks the rest "not checked here"; the case-file
export passes no budget and checks every file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifa.cases.documents.storage import absolute
from zhifa.cases.models import Case, CaseDocument, Evidence
from zhifa.intake.models import Clue, CluePhoto

SHORT_HASH = 12
FILE_CHECK_BUDGET = 32 * 1024 * 1024  # bytes re-hashed per page view; the export checks everything
CHUNK = 1024 * 1024


class FileState(StrEnum):
    OK = "ok"
    MISSING = "missing"
    ALTERED = "altered"
    NO_FILE = "no_file"
    UNCHECKED = "unchecked"


FILE_STATE_LABELS = {
    FileState.OK: gettext_lazy("一致"),
    FileState.MISSING: gettext_lazy("文件缺失"),
    FileState.ALTERED: gettext_lazy("校验不符"),
    FileState.NO_FILE: gettext_lazy("无文件"),
    FileState.UNCHECKED: gettext_lazy("未在本页校验（导出卷宗时校验）"),
}


@dataclass
class StoredFile:
    """A document, evidence file or clue photo with its registered SHA-256 and the state of its bytes."""

    kind: str  # "document", "evidence" or "photo"
    pk: int
    title: str
    number: str
    date: Any
    name: str
    sha256: str
    state: FileState
    actual_sha256: str = ""
    url: str | None = None
    download_url: str | None = None
    superseded: bool = False

    @property
    def short_sha256(self) -> str:
        return self.sha256[:SHORT_HASH]

    @property
    def state_label(self) -> str:
        return str(FILE_STATE_LABELS[self.state])

    @property
    def ok(self) -> bool:
        return self.state in (FileState.OK, FileState.NO_FILE, FileState.UNCHECKED)


class Budget:
    """How many bytes may still be re-hashed (None: no limit)."""

    def __init__(self, remaining: int | None) -> None:
        self.remaining = remaining


def file_state(relative: str, expected: str, budget: Budget) -> tuple[FileState, str]:
    """Whether the stored file's bytes still have the registered SHA-256, and their SHA-256."""
    if not relative:
        return FileState.NO_FILE, ""
    try:
        path = absolute(relative)
        size = path.stat().st_size if path.is_file() else None
    except (OSError, ValueError):
        size = None
    if size is None:
        return FileState.MISSING, ""
    if budget.remaining is not None:
        if size > budget.remaining:
            return FileState.UNCHECKED, ""
        budget.remaining -= size
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError:  # unreadable is as good as missing: it cannot be shown to match
        return FileState.MISSING, ""
    actual = digest.hexdigest()
    return (FileState.OK if actual == expected else FileState.ALTERED), actual


def url_or_none(name: str, *args: Any) -> str | None:
    """The page's URL, or None where the page is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def document_files(case: Case, budget: Budget) -> list[StoredFile]:
    """Every document of the case (corrected ones marked), in the order issued."""
    rows = []
    for d in CaseDocument.objects.filter(case=case).order_by("issued_on", "id"):
        state, actual = file_state(d.file, d.sha256, budget)
        rows.append(
            StoredFile(
                "document", d.pk, d.title, d.number, d.issued_on, d.title, d.sha256, state, actual,
                url=url_or_none("case-document", case.pk, d.pk),
                download_url=url_or_none("case-document-pdf", case.pk, d.pk) if d.file else None,
                superseded=d.superseded_by_id is not None,
            )
        )  # fmt: skip
    return rows


def evidence_files(case: Case, budget: Budget) -> list[StoredFile]:
    """Every piece of evidence of the case, in the order collected."""
    rows = []
    for e in Evidence.objects.filter(case=case).order_by("collected_at", "id"):
        state, actual = file_state(e.file, e.sha256, budget)
        rows.append(
            StoredFile(
                "evidence", e.pk, e.title, "", e.collected_at, e.original_name, e.sha256, state, actual,
                download_url=url_or_none("case-evidence-file", case.pk, e.pk) if e.file else None,
            )
        )  # fmt: skip
    return rows


def photo_files(clue: Clue, budget: Budget) -> list[StoredFile]:
    """The clue's photos, in the order uploaded."""
    rows = []
    for n, p in enumerate(CluePhoto.objects.filter(clue=clue).order_by("created_at", "id"), start=1):
        state, actual = file_state(p.file, p.sha256, budget)
        title = _("照片%(n)d") % {"n": n}
        rows.append(
            StoredFile(
                "photo", p.pk, title, "", p.created_at, p.file.rsplit("/", 1)[-1], p.sha256, state, actual,
                download_url=url_or_none("intake-photo", p.pk),
            )
        )  # fmt: skip
    return rows
