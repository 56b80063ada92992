"""Case files on disk: MEDIA_ROOT/cases/<case id>/<generated name>, kept only if the transaction commits.

Paths are built here from the case id, the document type, the date and a random token; no name typed by
a user reaches the file system. A file is written at its final path at once (so that the same
transaction can read it back, e.g. to bind the archive), and removed again if the transaction that
wrote it rolls back:

Django 5.2 has no rollback hook, but it drops the callables registered with `transaction.on_commit` when
the transaction or savepoint that registered them rolls back (BaseDatabaseWrapper.rollback,
savepoint_rollback, close) and after running them on commit. A `weakref.finalize` on our on-commit
callable therefore runs exactly when Django lets go of it: after the commit (the callable ran and marked
the file as kept) or at the rollback (it never ran: the file is deleted). Tested on SQLite and
PostgreSQL in zhifa/cases/tests/test_documents_storage.py.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref
from pathlib import Path

from django.conf import settings
from django.db import transaction

CASES_DIR = "cases"


def case_dir(case_id: int) -> str:
    return f"{CASES_DIR}/{int(case_id)}"


def new_relative_path(case_id: int, stem: str, suffix: str = "pdf") -> str:
    """A fresh path cases/<id>/<stem>-<token>.<suffix>; `stem` comes from our code, never from a user."""
    if not stem.replace("_", "").replace("-", "").isalnum() or not suffix.isalnum():
        raise ValueError(f"unsafe file name part {stem!r}.{suffix!r}")
    return f"{case_dir(case_id)}/{stem}-{secrets.token_hex(6)}.{suffix}"


def absolute(relative: str) -> Path:
    """The file on disk of a stored relative path (refused if it would leave MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise ValueError(f"path {relative!r} leaves MEDIA_ROOT")
    return path


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_sha256(relative: str) -> str | None:
    """The SHA-256 of a stored file, None when it is missing."""
    try:
        return sha256_of(absolute(relative).read_bytes())
    except FileNotFoundError:
        return None


def _keep_on_commit(path: Path) -> None:
    state = {"committed": False}

    def committed() -> None:
        state["committed"] = True

    def released(path: Path = path, state: dict = state) -> None:
        if not state["committed"]:
            path.unlink(missing_ok=True)

    weakref.finalize(committed, released)
    transaction.on_commit(committed)


def write_case_file(relative: str, content: bytes) -> Path:
    """Write `content` at `relative` (atomically: a reader never sees half a file); inside a transaction the
    file is removed again if that transaction, or the savepoint it was written in, rolls back."""
    path = absolute(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(content)
    temporary.replace(path)
    if transaction.get_connection().in_atomic_block:
        _keep_on_commit(path)
    return path
