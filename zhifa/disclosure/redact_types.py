"""The span type shared by the redaction modules (zhifa.disclosure.redaction re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass

# Every masked character is the full-width asterisk U+FF0A, except in masked names, which keep the
# surname and write 某 for each remaining character (张三 -> 张某), the form Chinese decisions use.
MASK = "＊"
# What replaces the masked part of an address (its length would hint at the address).
ADDRESS_MASK = MASK * 3

KINDS = ("person", "id_number", "phone", "bank_account", "address", "plate", "email", "other_id", "extra")


@dataclass(frozen=True)
class Span:
    """A masked stretch [start, end) of the ORIGINAL text and what replaces it."""

    start: int
    end: int
    kind: str
    replacement: str
