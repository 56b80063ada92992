"""Name candidates for zhifa.disclosure.redact_names: where a name starting at a surname ends, where one
ending before a descriptor or verb starts, and whether a candidate may be a person's name at all (ZJ-PUB
Art. 5-8 hides natural persons' names; OGI Art. 37 publishes the rest, so ordinary words, places and
organisations must not be taken for names). See redact_names for the signals that propose candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhifa.disclosure.redact_lexicon import (
    BOUNDARY_CHARS,
    COMMON_HEAD_FREQ,
    COMMON_INNER_FREQ,
    COMMON_VERB_FREQ,
    COMMON_WORD_FREQ,
    CONTEXT_WORDS,
    FIRST_STOP,
    FUNCTION_SURNAMES,
    NAME_END,
    NEXT_STOP,
    NOT_NAME_HEADS,
    NOT_NAME_TAGS,
    NOT_NAMES,
    NR_COMMON_FREQ,
    ORG_BREAK,
    ORG_END,
    ORG_SUFFIX,
    PLACE_AFTER,
    PLACE_END,
    RARE_FUNCTION_SURNAMES,
    RARE_NOUN_FREQ,
    STOP_BIGRAMS,
)
from zhifa.disclosure.redact_surnames import COMPOUND_SURNAMES, SURNAMES, WEAK_SURNAMES, surname_length

HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")
CONTEXTS = frozenset(CONTEXT_WORDS)


def is_han(char: str) -> bool:
    """A CJK unified ideograph (the characters names are written in)."""
    return "\u4e00" <= char <= "\u9fff"


@dataclass
class Doc:
    """The text and what the detectors share: jieba's words by start, protected characters."""

    text: str
    protected: bytearray
    words: dict[int, str]
    freq: dict[str, int]
    tags: dict[str, str]
    context_ends: set[int]
    cover: list[int] = field(default_factory=list)  # per character: the start of its jieba word

    def word_around(self, index: int) -> str:
        """The jieba word holding text[index] ("" when not segmented)."""
        if not self.cover:
            return ""
        start = self.cover[index]
        return self.words.get(start, "")

    def is_protected(self, start: int, end: int) -> bool:
        """Whether text[start:end] touches a protected character (kept, law title, document number)."""
        return any(self.protected[start:end])

    def dictionary_word(self, word: str, *, common: int = 1) -> bool:
        """An ordinary dictionary word (at least `common` times in jieba's corpus), not a person's name
        (宿舍, 经营, 双方)."""
        return self.freq.get(word, 0) >= common and not self.tags.get(word, "").startswith("nr")

    def place_or_organisation(self, start: int, end: int) -> bool:
        """Whether text[start:end] is the head of a place (沙溪县) or an organisation (张三小吃店)."""
        text = self.text
        if end < len(text) and text[end] in PLACE_AFTER:
            return True
        right = []
        for char in text[end : end + 10]:
            if not is_han(char) or char in ORG_BREAK:
                break
            right.append(char)
        return bool(right) and bool(ORG_SUFFIX.search("".join(right)))


def name_at(doc: Doc, start: int) -> int | None:
    """The end of a person's name starting at `start` (surname + 1 or 2 characters), or None."""
    text, n = doc.text, len(doc.text)
    surname = surname_length(text, start)
    if surname == 2 and (text[start + 2] in FIRST_STOP):
        surname = 1
    if not surname:
        return None
    first = start + surname
    if first >= n or not is_han(text[first]) or text[first] in FIRST_STOP:
        return None
    second = first + 1
    if second >= n or not is_han(text[second]) or text[second] in NEXT_STOP:
        return second
    if text[second : second + 2] in STOP_BIGRAMS:
        return second
    word = doc.words.get(second)
    if word and len(word) >= 2 and not doc.tags.get(word, "").startswith("nr"):
        return second
    return second + 1


def plausible(doc: Doc, start: int, end: int, *, strong: bool, jieba: bool = False) -> bool:
    """Whether text[start:end] may be a person's name: no 某, not a place or organisation head, not
    protected, and (on a weak signal) not an ordinary dictionary word."""
    text = doc.text
    name = text[start:end]
    if len(name) < 2 or not HAN_WORD.fullmatch(name) or "某" in name or name in NOT_NAMES or name in CONTEXTS:
        return False
    if name[:2] in NOT_NAME_HEADS or (end < len(text) and text[end] in "某＊*"):
        return False  # 经查高; part of a masked name (司马某: 司马 is no name)
    if start > 0 and (text[start - 1].isdigit() or text[start - 1] in "＊*"):
        return False  # after a number (1975年生), or after a masked one (the same on a second pass)
    if doc.is_protected(start, end) or doc.place_or_organisation(start, end):
        return False
    if name[-1] in PLACE_END:
        return False  # 章贡区, 王家村: a place
    tag = doc.tags.get(name, "")
    if strong:
        return not (doc.freq.get(name, 0) > 0 and tag[:2] in {"ns", "nt", "m", "t", "r", "p", "c", "u", "f"})
    return _weak_plausible(doc, start, end, name, tag, jieba=jieba)


def _weak_plausible(doc: Doc, start: int, end: int, name: str, tag: str, *, jieba: bool) -> bool:
    """The checks a candidate found on a weak signal (a role word, a verb, jieba alone) passes besides."""
    text, freq = doc.text, doc.freq.get(name, 0)
    proper = tag[:2] in {"nr", "ns", "nz"}
    ended = end < len(text) and ends_name(text, end)  # the end of the text proves nothing
    if freq > 0 and tag[:1] in NOT_NAME_TAGS:
        return False  # 解锁, 代收: a verb, adverb, adjective … of the dictionary
    if freq >= COMMON_WORD_FREQ:
        # 江山, 和平, 高明: a frequent word of the dictionary is a name when jieba calls it a proper
        # noun and the name plainly ends there (江山设置, 高明表示; not 陈述了, 宿舍内)
        proper = proper or (tag == "n" and freq < RARE_NOUN_FREQ)
        return proper and name[0] not in RARE_FUNCTION_SURNAMES and ended
    if freq > 0 and not proper and not ended:
        return False  # 通知文号不能: a rarer ordinary word
    one_word = len(name) == 3 and freq == 0 and doc.words.get(start) == name
    if name[0] in FUNCTION_SURNAMES and not ended and not one_word:
        return False  # 须上传邮件, 应缴金额 (not 于洋称, 向东升 as one unknown word)
    if name[0] in RARE_FUNCTION_SURNAMES and not one_word:
        return False  # 过多, 原实施: rarely a surname, often a word
    if doc.cover:
        inner = doc.word_around(start)
        if doc.cover[start] < start and doc.freq.get(inner, 0) >= COMMON_INNER_FREQ:
            return False  # 工程造价, 个体工商户: the name would start inside a word
        last = doc.cover[end - 1]
        around = doc.words.get(last, "")
        if last + len(around) > end and doc.freq.get(around, 0) >= COMMON_INNER_FREQ:
            return False  # 经营场所: the name would end inside a word
    head = doc.words.get(start, "")
    head_tag = doc.tags.get(head, "")[:2]
    common_head = 2 <= len(head) < len(name) and doc.dictionary_word(head, common=COMMON_HEAD_FREQ)
    if common_head and head_tag not in {"ns", "nz"}:
        return False  # 宿舍内: an ordinary word starts it (not 黄海波, 金华山: a place word may)
    if name[-1] in ORG_END:
        return False  # 家具厂, 储物间
    if len(name) == 3:
        head_word = doc.dictionary_word(name[:2], common=COMMON_HEAD_FREQ)
        if head_word and doc.tags.get(name[:2], "")[:2] not in {"ns", "nz"} and (jieba or not ended):
            return False  # 宿舍楼下, 宣传品: an ordinary word and one character more (not 万家乐曾)
        rest, rest_freq, rest_tag = name[1:], doc.freq.get(name[1:], 0), doc.tags.get(name[1:], "")
        if (
            name[0] in FUNCTION_SURNAMES
            and (rest_freq > 0 or rest in CONTEXTS)
            and not rest_tag.startswith("nr")
        ):
            return False  # 向隔壁, 和焊工: a function word before a word (not 向东升, 林金华, 贺建设)
        if name[0] in WEAK_SURNAMES and rest_freq >= COMMON_VERB_FREQ and rest_tag[:1] in NOT_NAME_TAGS:
            return False  # 明知道: an everyday character before a verb (not 贺建设: 贺 is no word)
    return True


def ends_name(text: str, end: int) -> bool:
    """Whether what follows text[:end] plainly ends a name: punctuation, 称/说/在 …, or a stop word."""
    return (
        end >= len(text)
        or not is_han(text[end])
        or text[end] in NAME_END
        or text[end : end + 2] in STOP_BIGRAMS
    )


def ending_at(doc: Doc, end: int) -> tuple[int, bool] | None:
    """The start of a name ending at `end` and whether a boundary (punctuation or a context word) is
    right before it."""
    text = doc.text
    options = []
    for length in (2, 3, 4):
        start = end - length
        if start < 0:
            break
        surname = 2 if length >= 3 and text[start : start + 2] in COMPOUND_SURNAMES else 1
        if length == 4 and surname != 2:
            continue
        if text[start] not in SURNAMES and surname == 1:
            continue
        if text[start + surname] in FIRST_STOP or not all(is_han(c) for c in text[start:end]):
            continue
        boundary = start == 0 or not is_han(text[start - 1]) or start in doc.context_ends
        boundary = boundary or text[start - 1] in BOUNDARY_CHARS
        options.append((start, boundary, start in doc.words))
    for start, boundary, _word in options:
        if boundary:
            return start, True
    for start, _boundary, word in options:
        if word:
            return start, False
    return None


def jieba_name(doc: Doc, word: str) -> bool:
    """jieba's view: a person's name tag on a rare word, or an unknown word after a firm surname."""
    tag = doc.tags.get(word)
    if tag is not None:
        if not tag.startswith("nr") or doc.freq.get(word, 0) >= NR_COMMON_FREQ or word in NOT_NAMES:
            return False
        if len(word) == 4 and word[:2] not in COMPOUND_SURNAMES:
            return False  # 申请回避, 法律顾问: jieba's tag on a rare four-character word
        return len(word) >= 3 or (word[0] not in WEAK_SURNAMES and tag != "nrt")  # 哈希: nrt
    return doc.freq.get(word, 0) == 0 and word[0] not in WEAK_SURNAMES and 2 <= len(word) <= 3
