"""Search terms of publications: the public fields cut into terms that both databases index.

Chinese has no spaces, so the text is cut into overlapping character bigrams (the usual unit of Chinese
full-text search); runs of Latin letters and digits stay whole words (decision numbers, USCC). The same
function cuts the query, so a query matches when all its terms are among a publication's terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")
MAX_TERMS = 400


def terms(text: str) -> list[str]:
    """The distinct terms of `text` in order of first appearance: CJK bigrams (a lone character stays a
    unigram) and lower-cased Latin/digit words."""
    seen: dict[str, None] = {}
    for run in _CJK.findall(text or ""):
        if len(run) == 1:
            seen.setdefault(run, None)
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    for word in _WORD.findall(text or ""):
        seen.setdefault(word.lower(), None)
    return list(seen)[:MAX_TERMS]


def search_terms_for(parts: Iterable[str]) -> str:
    """The stored `search_terms` of a publication: its public fields' terms, space-separated."""
    return " ".join(terms(" ".join(p for p in parts if p)))
