"""Names of natural persons in free text, for zhifa.disclosure.redaction (ZJ-PUB Art. 5-8: the names of
natural persons are hidden; OGI Art. 37: the rest, organisations' names included, is published).

Every candidate starts with a surname of redact_surnames (compound ones included). The signals:

1. context words before the name (redact_lexicon.CONTEXT_WORDS): labels (当事人/姓名/证人/法定代表人/
   驾驶人/委托代理人 …, strong when a colon follows), relations and roles (其妻/之女/儿子/村民/员工/店主/
   房东/租户 …), verbs of the procedure (询问/送达/由 …); also any role word ending in 员/工/长/师/主/户
   (调度员上官婉清) and a name heading a line before ：or （ (the addressee of a notice);
2. descriptors after it: "，男，" "（女" "，身份证" "，公民身份号码" "，住" "，出生于" "，汉族" "，1975年" …;
3. verbs after it: 称/说/陈述/承认/供述/签字/确认/表示/介绍/于/系 …, taken when the word before the name
   ends there (punctuation, a context word, 系/由/与 …) or jieba sees a person's name;
4. jieba alone: a word its dictionary tags as a person's name (posseg's nr/nrfg/nrt tags) when the word
   is rare (the dictionary tags 通知书 and 陈述 nr too), or a word its HMM found outside the dictionary
   after a firm surname (张三, 陈秀英; not after everyday characters such as 于, 高, 文);
5. names with a middle dot (艾力·买买提), and names joined to a found one by 、/和/及/与.

Where a name ends is decided by the characters after it (stop characters such as 在/称/等, stop words
such as 现场/同意) and by jieba's word boundaries. A candidate is dropped when it heads a place (沙溪县,
金山村) or an organisation's name (张三小吃店: organisations' names stay), ends like a place or a room
(章贡区, 储物间), lies in a protected stretch (kept strings, 《law titles》 with their articles, document
numbers, amounts in words: 伍佰元), is a masked name already (张某, 司马某) or, on a weak signal, an
everyday word (员工宿舍, 当事人陈述了, 须上传). Common words are names only on clear evidence
(证人王府称, 当事人田野在: a proper noun of the dictionary where the name plainly ends).

jieba (pinned) is loaded once, lazily, into a Tokenizer of our own (about 0.7 s), apart from the
default one other code may change; segmentation uses its HMM cut and the tags of posseg's dictionary,
not posseg's own HMM (about 9 times slower: a 5,000-character decision would take ~90 ms).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from zhifa.disclosure.redact_candidates import (
    HAN_WORD,
    Doc,
    ending_at,
    is_han,
    jieba_name,
    name_at,
    plausible,
)
from zhifa.disclosure.redact_lexicon import (
    AMOUNT,
    CONTEXT,
    DESCRIPTOR,
    DOTTED,
    LINE_HEAD,
    LIST_SEPARATOR,
    NEXT_STOP,
    ROLE,
    STRONG_WORDS,
    VERB,
)
from zhifa.disclosure.redact_surnames import COMPOUND_SURNAMES, SURNAMES, WEAK_SURNAMES, surname_length

_lock = threading.Lock()
_loaded: tuple[Any, dict[str, str]] | None = None


def _jieba() -> tuple[Any, dict[str, str]]:
    """(Tokenizer, word -> posseg tag), loaded once per process (thread-safe)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                import jieba
                import jieba.posseg

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tags = jieba.posseg.POSTokenizer(tokenizer).word_tag_tab
                _loaded = (tokenizer, tags)
    return _loaded


def warm_up() -> None:
    """Load jieba now (e.g. at process start) instead of on the first redaction."""
    _jieba()


def _follow_lists(doc: Doc, found: dict[int, int]) -> None:
    """Names joined to a found one by 、/和/及/与 (forwards) and 、 (backwards)."""
    pending = list(found.items())
    while pending:
        start, end = pending.pop()
        match = LIST_SEPARATOR.match(doc.text, end)
        if match:
            nxt = match.end()
            name_end = name_at(doc, nxt)
            if name_end and nxt not in found and plausible(doc, nxt, name_end, strong=False):
                found[nxt] = name_end
                pending.append((nxt, name_end))
        if start > 0 and doc.text[start - 1] == "、":
            before = ending_at(doc, start - 1)
            if before and before[0] not in found and plausible(doc, before[0], start - 1, strong=True):
                found[before[0]] = start - 1
                pending.append((before[0], start - 1))


def detect_names(text: str, protected: bytearray) -> set[str]:
    """The names of natural persons found in `text` (outside its protected characters)."""
    tokenizer, tags = _jieba()
    words: dict[int, str] = {}
    tokens: list[tuple[str, int, int]] = []
    cover = [0] * len(text)
    for word, start, end in tokenizer.tokenize(text, HMM=True):
        words[start] = word
        tokens.append((word, start, end))
        if end - start > 1:
            cover[start:end] = [start] * (end - start)
        else:
            cover[start] = start
    contexts = list(CONTEXT.finditer(text))
    doc = Doc(text, protected, words, tokenizer.FREQ, tags, {m.end() for m in contexts}, cover)
    found: dict[int, int] = {}

    def add(start: int, end: int | None, *, strong: bool, jieba: bool = False) -> None:
        if end is not None and start not in found and plausible(doc, start, end, strong=strong, jieba=jieba):
            found[start] = end

    for match in contexts:
        label = match.group("ctx") in STRONG_WORDS and not match.group("aside")
        strong = bool(match.group("colon")) or label
        add(match.end(), name_at(doc, match.end()), strong=strong)
    for match in ROLE.finditer(text):
        add(match.end(), name_at(doc, match.end()), strong=False)
    for match in LINE_HEAD.finditer(text):
        end = name_at(doc, match.end())
        if end and not doc.dictionary_word(text[match.end() : end]):  # 经营者：, 负责人： are labels
            add(match.end(), end, strong=False)
    for match in DOTTED.finditer(text):
        start = _dotted_start(doc, match.start())
        if not doc.is_protected(start, match.end()) and "某" not in text[start : match.end()]:
            found[start] = max(match.end(), found.get(start, 0))
    for match in DESCRIPTOR.finditer(text):
        located = ending_at(doc, match.start())
        if located:
            add(located[0], match.start(), strong=bool(match.group("strong")))
    for match in VERB.finditer(text):
        located = ending_at(doc, match.start())
        word = text[located[0] : match.start()] if located else ""
        if located and (located[1] or (doc.words.get(located[0]) == word and jieba_name(doc, word))):
            add(located[0], match.start(), strong=False)
    for start, end in _jieba_names(doc, tokens):
        add(start, end, strong=False, jieba=True)
    _follow_lists(doc, found)
    return {text[start:end] for start, end in found.items()}


def _dotted_start(doc: Doc, dot: int) -> int:
    """Where a name with a middle dot begins: after the last context word before the dot (当事人艾力·
    买买提), else at most 6 characters before the dot (first names of 2-6 characters)."""
    start = dot
    while start > max(0, dot - 6) and is_han(doc.text[start - 1]):
        start -= 1
    ends = [end for end in doc.context_ends if start < end < dot - 1]
    return max(ends) if ends else start


def _jieba_names(doc: Doc, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Names as jieba sees them: a word starting with a surname that jieba calls a name (or does not
    know), or a surname standing alone followed by a given name jieba calls a name (陈 + 秀英)."""
    out = []
    for index, (word, start, end) in enumerate(tokens):
        if word[0] not in SURNAMES or len(word) > 4 or not HAN_WORD.fullmatch(word):
            continue
        if len(word) >= 2 and surname_length(word, 0) and (len(word) >= 3 or word not in COMPOUND_SURNAMES):
            if jieba_name(doc, word):
                out.append((start, end))
            continue
        alone = (
            len(word) == 1 and word in SURNAMES and word not in WEAK_SURNAMES
        ) or word in COMPOUND_SURNAMES
        if not alone or index + 1 >= len(tokens):
            continue
        given, _start, given_end = tokens[index + 1]
        if len(given) > 2 or given[0] in NEXT_STOP or not HAN_WORD.fullmatch(given):
            continue
        if doc.tags.get(given, "").startswith("nr") or (doc.freq.get(given, 0) == 0 and len(given) == 2):
            out.append((start, given_end))
    return out


def occurrences(
    text: str, names: Iterable[str], protected: bytearray, *, detected: bool
) -> list[tuple[int, int, str]]:
    """Every occurrence of each name outside protected characters. Names found by detection (not given
    by the caller) skip occurrences heading a place or an organisation's name (张三小吃店)."""
    doc = Doc(text, protected, {}, {}, {}, set())
    out = []
    for name in names:
        if len(name) < 2:
            continue
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            if not doc.is_protected(pos, end) and not (detected and doc.place_or_organisation(pos, end)):
                out.append((pos, end, name))
            pos = text.find(name, pos + 1)
    return out


def protect(text: str, protected: bytearray) -> None:
    """Mark law titles with their articles, document numbers and amounts in words (伍佰元: 伍 is a
    surname) as protected (never a name)."""
    for pattern in (_LAW, _DOC_NUMBER, AMOUNT):
        for match in pattern.finditer(text):
            protected[match.start() : match.end()] = b"\x01" * (match.end() - match.start())


_NUM = "[零一二三四五六七八九十百千0-9]"
_LAW = re.compile(rf"《[^》\n]{{1,60}}》(?:第{_NUM}+条)?(?:第{_NUM}+款)?(?:第{_NUM}+项)?")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔［\[(（]\d{4}[〕］\])）][\u4e00-\u9fff]{0,6}第?\d+号")
