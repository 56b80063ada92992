"""A ranked suggestion of power items for a clue's text (issue 4, point 2: "the matter is classified to
power items: the dispatcher chooses, helped by a ranked suggestion").

The suggestion only helps: the dispatcher picks the items, and competence then comes from the grant-list
resolver. `suggest_items(text)` segments the text with jieba, adds the catalogue words that the
everyday phrases in it stand for (classify_terms.LEXICON) and ranks the active PowerItems by BM25
(rank-bm25's BM25Okapi) over five fields of each item, weighted (FIELD_WEIGHTS):

- name (事项名称), weighted highest: what the statute forbids, in its words;
- keywords (关键词): the short words the published lists give each item;
- examples: the "如……" / "含……" clauses of the item's note (备注), e.g. 如擅自将灭火器挪作他用;
- domain: the enforcement domain's name (消防安全, 水利 ...);
- law: the names of the laws in the basis (中华人民共和国渔业法 -> 渔业法, 渔业).

Each field has its own BM25 statistics; an item's score is the weighted sum of its fields' BM25 scores.
Because the score of a query is a sum over its distinct terms, the index stores, per term, the items
containing it and their weighted BM25 contributions (BM25Okapi's formula, from its idf, term frequencies
and document lengths), and a query costs one sparse addition per term. Words added by the lexicon count
EXPANSION_WEIGHT of a word of the clue itself. Two small adjustments follow the sum: items that come
as a unit / individual pair (对单位…… / 对个人……) are ordered by the cues in the text (a factory, a
resident), and inspection and coercion items, which clues rarely ask for directly, are discounted
against penalties unless the text asks for them (TYPE_PRIOR).

Accuracy is measured by bench/intake_classify.py on the labelled clue texts of data/ (how those sets
were written, and which one the lexicon was tuned on, is told there).

Process-wide state: jieba's dictionary is loaded once (about 0.6 s) into a Tokenizer of our own (its
`add_word` calls do not change the segmentation of other jieba users), and the index is built once and
rebuilt when the catalogue changes. Both are guarded by locks, so concurrent requests build each once.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass

import jieba
import numpy as np
from django.db.models import Count, Max, Sum
from rank_bm25 import BM25Okapi

from zhifa.intake.classify_terms import (
    COERCION_CUES,
    DOMAIN_WORDS,
    INSPECTION_CUES,
    PERSON_CUES,
    SINGLE_CHAR_TERMS,
    STOP_WORDS,
    SYNONYMS,
    UNIT_CUES,
)
from zhifa.powers.models import PowerItem, PowerType

FIELD_WEIGHTS: dict[str, float] = {"name": 1.0, "keywords": 0.9, "examples": 0.6, "domain": 0.3, "law": 0.3}
EXPANSION_WEIGHT = 0.8
# Term-frequency saturation and length normalisation (rank-bm25 defaults 1.5 / 0.75): item names vary
# from eight characters to a hundred, so length is normalised less than usual.
BM25_K1 = 1.2
BM25_B = 0.5
# Clues report violations: penalties first. Inspection and coercion items are discounted, unless the
# text asks for that kind of measure (classify_terms.INSPECTION_CUES / COERCION_CUES): then preferred.
TYPE_PRIOR: dict[str, float] = {PowerType.PENALTY: 1.0, PowerType.COERCION: 0.8, PowerType.INSPECTION: 0.7}
OTHER_TYPE_PRIOR = 0.8
ASKED_TYPE_PRIOR = 1.2
# Unit / individual variants: the variant the text's cues point to is kept, the other discounted.
VARIANT_DISCOUNT = 0.7
# Below this score a match is one weak shared word (a place, a common noun): no suggestion at all.
MIN_SCORE = 1.0
# Clues are short; a pasted document is cut here (segmentation time grows with the text).
MAX_TEXT = 2000

_TERM = re.compile(r"^[\w\u4e00-\u9fff]+$")
_NUMBER = re.compile(r"^[\d.]+$")
_EXAMPLE = re.compile(r"(?:^|[；。，,;])\s*(?:如|含)([^；。;]+)")

logger = logging.getLogger(__name__)
_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()
_index: _Index | None = None
_index_lock = threading.Lock()


@dataclass(frozen=True)
class Suggestion:
    """One suggested item: the item (shared by every caller: do not modify it), its score and the
    catalogue terms the text matched."""

    item: PowerItem
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class _Index:
    stamp: tuple
    items: tuple[PowerItem, ...]
    postings: dict[str, tuple[np.ndarray, np.ndarray]]  # term -> (item positions, weighted BM25 scores)
    prior: np.ndarray  # per item: TYPE_PRIOR
    coercion: np.ndarray  # per item: is it a coercive measure
    inspection: np.ndarray  # per item: is it an inspection
    variant: np.ndarray  # per item: +1 unit variant, -1 individual variant, 0 neither
    synonyms: dict[str, tuple[str, ...]]  # phrase -> its catalogue terms, segmented


def tokenizer() -> jieba.Tokenizer:
    """The process's jieba Tokenizer, loaded once, with the domain vocabulary added (thread-safe).

    jieba logs "Building prefix dict ..." on loading; its logger is set to WARNING first.
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                loaded = jieba.Tokenizer()
                loaded.initialize()
                for word in DOMAIN_WORDS:
                    loaded.add_word(word)
                _tokenizer = loaded
    return _tokenizer


def terms(text: str) -> list[str]:
    """The index terms of `text`: jieba's search-mode segmentation (words and the dictionary words
    inside them), lower-cased, without stop words, punctuation, numbers and most single characters."""
    out = []
    for token in tokenizer().cut_for_search(text, HMM=False):
        term = token.strip().lower()
        if not term or term in STOP_WORDS or not _TERM.match(term) or _NUMBER.match(term):
            continue
        if len(term) == 1 and term not in SINGLE_CHAR_TERMS:
            continue
        out.append(term)
    return out


def _law_names(refs: object) -> list[str]:
    names = []
    for ref in refs if isinstance(refs, list) else []:
        law = ref.get("law") if isinstance(ref, dict) else None
        if law and law not in names:
            names.append(law)
    return names


def _fields(item: PowerItem) -> dict[str, str]:
    return {
        "name": item.name,
        "keywords": " ".join(re.split(r"[、，,;；\s]+", item.keywords or "")),
        "examples": " ".join(match.group(1) for match in _EXAMPLE.finditer(item.note or "")),
        "domain": item.domain.name if item.domain_id else "",
        "law": " ".join(_law_names(item.basis_refs)),
    }


def catalogue_stamp() -> tuple:
    """A cheap fingerprint of the catalogue, one aggregate query: (count, sum of versions, max id).

    Every write goes through the powers services, which bump the item's `version` by one on each
    update (claim_version), so an edit (name, keywords, is_active ...) raises Sum(version) — Max(version)
    would not move when an item with a lower version is edited. A new item raises Count and Max(id);
    a deleted one lowers Count; a delete followed by a create still raises Max(id) (ids are not
    reused, except on SQLite after a rolled-back insert). Writes that bypass the services
    (queryset.update) and renamed domains are not seen until `clear_index()` or the next change of the
    catalogue. The query reads a few hundred rows: far below the 10 ms budget of a suggestion.
    """
    row = PowerItem.objects.aggregate(count=Count("id"), versions=Sum("version"), last=Max("id"))
    return (row["count"], row["versions"] or 0, row["last"] or 0)


def _build_index(stamp: tuple) -> _Index:
    tk = tokenizer()
    items = tuple(PowerItem.objects.filter(is_active=True).select_related("domain").order_by("code"))
    # The catalogue's keywords and the lexicon's catalogue words must segment as words (灭火器, 洗砂制砂,
    # 岸坡), in the catalogue's text as in the clue's.
    vocabulary = {word for item in items for word in re.split(r"[、，,;；\s]+", item.keywords or "")}
    vocabulary.update(word for words in SYNONYMS.values() for word in words.split())
    for word in sorted(vocabulary):
        if len(word) > 1 and not tk.FREQ.get(word):
            tk.add_word(word)
    n = len(items)
    contributions: dict[str, dict[int, float]] = {}
    documents = [_fields(item) for item in items]
    for field, weight in FIELD_WEIGHTS.items():
        corpus = [terms(document[field]) for document in documents]
        if not any(corpus):
            continue
        bm25 = BM25Okapi(corpus, k1=BM25_K1, b=BM25_B)
        # BM25Okapi.get_scores, term by term: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgdl)).
        for position, frequencies in enumerate(bm25.doc_freqs):
            norm = bm25.k1 * (1 - bm25.b + bm25.b * bm25.doc_len[position] / bm25.avgdl)
            for term, tf in frequencies.items():
                score = weight * bm25.idf[term] * tf * (bm25.k1 + 1) / (tf + norm)
                per_item = contributions.setdefault(term, {})
                per_item[position] = per_item.get(position, 0.0) + score
    postings = {
        term: (np.fromiter(per_item, dtype=np.intp), np.fromiter(per_item.values(), dtype=np.float64))
        for term, per_item in contributions.items()
    }
    prior = np.array([TYPE_PRIOR.get(item.power_type, OTHER_TYPE_PRIOR) for item in items], dtype=np.float64)
    coercion = np.array([item.power_type == PowerType.COERCION for item in items], dtype=bool)
    inspection = np.array([item.power_type == PowerType.INSPECTION for item in items], dtype=bool)
    variant = np.array([_variant(item.name) for item in items], dtype=np.int8)
    synonyms = {phrase: _expansion(canonical, postings) for phrase, canonical in SYNONYMS.items()}
    logger.debug("classification index built: %d items, %d terms", n, len(postings))
    return _Index(stamp, items, postings, prior, coercion, inspection, variant, synonyms)


def _variant(name: str) -> int:
    if name.startswith("对单位"):
        return 1
    return -1 if name.startswith("对个人") else 0


def _expansion(canonical: str, postings: dict) -> tuple[str, ...]:
    """The index terms a lexicon entry adds: each word as a whole when the index has it (not also its
    parts, which would count the entry several times), else the terms it segments into."""
    found: list[str] = []
    for word in canonical.split():
        found.extend([word] if word in postings else terms(word))
    return tuple(dict.fromkeys(term for term in found if term in postings))


def current_index() -> _Index:
    """The index of the catalogue as it is now: built on first use, rebuilt when the stamp changes."""
    global _index
    stamp = catalogue_stamp()
    index = _index
    if index is None or index.stamp != stamp:
        with _index_lock:
            index = _index
            if index is None or index.stamp != stamp:
                index = _build_index(stamp)
                _index = index
    return index


def clear_index() -> None:
    """Forget the index (the next suggestion rebuilds it)."""
    global _index
    with _index_lock:
        _index = None


def query_terms(text: str, index: _Index, *, synonyms: bool = True) -> dict[str, float]:
    """The index terms of `text` with their weights: its own words (1), then the catalogue words of the
    everyday phrases in it (EXPANSION_WEIGHT)."""
    weights = {term: 1.0 for term in terms(text) if term in index.postings}
    if synonyms:
        for phrase, canonical in index.synonyms.items():
            if phrase in text:
                for term in canonical:
                    weights.setdefault(term, EXPANSION_WEIGHT)
    return weights


def _priors(text: str, index: _Index) -> np.ndarray:
    prior = index.prior.copy()
    if any(cue in text for cue in COERCION_CUES):
        prior[index.coercion] = ASKED_TYPE_PRIOR
    if ("检查" in text or "巡" in text) and any(cue in text for cue in INSPECTION_CUES):
        prior[index.inspection] = ASKED_TYPE_PRIOR
    return prior


def _variant_cue(text: str) -> int:
    unit = any(cue in text for cue in UNIT_CUES)
    person = any(cue in text for cue in PERSON_CUES)
    return -1 if person and not unit else 1


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, at most MAX_TEXT characters."""
    return unicodedata.normalize("NFKC", text or "")[:MAX_TEXT].lower()


def rank(text: str, index: _Index, limit: int = 5, *, synonyms: bool = True) -> list[Suggestion]:
    """The ranking itself, on a given index (suggest_items uses the current one)."""
    text = normalise(text)
    if not index.items or not text.strip() or limit <= 0:
        return []
    query = query_terms(text, index, synonyms=synonyms)
    if not query:
        return []
    scores = np.zeros(len(index.items), dtype=np.float64)
    for term, weight in query.items():
        positions, values = index.postings[term]
        scores[positions] += weight * values
    scores *= _priors(text, index)
    cue = _variant_cue(text)
    scores[index.variant == -cue] *= VARIANT_DISCOUNT
    candidates = np.flatnonzero(scores >= MIN_SCORE)
    if not len(candidates):
        return []
    order = candidates[np.lexsort((candidates, -scores[candidates]))][:limit]  # ties by code
    return [
        Suggestion(
            item=index.items[i],
            score=round(float(scores[i]), 4),
            matched=tuple(term for term in query if i in index.postings[term][0]),
        )
        for i in order
    ]


def suggest_items(text: str, limit: int = 5) -> list[Suggestion]:
    """Active power items ranked for a clue's text, best first; [] when nothing matches well enough.

    One aggregate query per call (the catalogue stamp); the index is rebuilt only when it changed.
    """
    return rank(text, current_index(), limit)


def warm_up() -> None:
    """Load jieba and build the index now (e.g. at process start) instead of on the first clue."""
    current_index()
