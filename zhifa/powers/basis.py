"""Reading a legal basis as published (实施依据) into structured references.

Published lists write bases like 《中华人民共和国消防法》第二十八条；第六十条第一款第（三）项 or
《城市市容和环境卫生管理条例》第十四条、第三十四条第（一）项. Every item's basis names the statute,
the article and where needed the paragraph (款) and item (项): APL Art. 38 makes a penalty without a
legal basis void, and the later case file cites exactly these provisions, so the catalogue keeps them
structured ({"law", "article", "paragraph"?, "item"?}) beside the text as published.

Rules of the reading (how statutes and lists cite): a 款 or 项 without its own 条 belongs to the
article last named; a law name carries on until the next 《…》; 项 numbers may be written 第（三）项,
第(三)项 or 第三项; a range 第六十条至第六十二条 names each article.
"""

from __future__ import annotations

import re

from zhifa.powers.numerals import from_chinese

_NUMBER = r"[零〇一二两三四五六七八九十百千\d]+"
_TOKEN = re.compile(
    rf"《(?P<law>[^《》]{{1,100}})》"
    rf"|第(?P<article>{_NUMBER})条"
    rf"|(?:至|到|—|-|～|~)第?(?P<upto>{_NUMBER})条"
    rf"|第(?P<paragraph>{_NUMBER})款"
    rf"|第[（(](?P<item>{_NUMBER})[）)]项?"
    rf"|、[（(](?P<item_listed>{_NUMBER})[）)]项?"
    rf"|第(?P<item_plain>{_NUMBER})项"
)
MAX_RANGE = 20  # 第一条至第九百条 is a typo, not twenty thousand references


def parse_basis(text: str) -> list[dict]:
    """The structured references in `text`, in order and without repeats ([] when none is found).

    >>> parse_basis("《中华人民共和国消防法》第六十条第一款第（一）项")
    [{'law': '中华人民共和国消防法', 'article': 60, 'paragraph': 1, 'item': 1}]
    """
    refs: list[dict] = []
    law: str | None = None
    current: dict | None = None

    def emit() -> None:
        nonlocal current
        if current is not None and current not in refs:
            refs.append(current)
        current = None

    for match in _TOKEN.finditer(text or ""):
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "law":
            emit()
            law = value.strip()
            continue
        if law is None:
            continue  # an article before any statute is named cannot be placed
        number = from_chinese(value)
        if number is None or not 0 < number < 10000:
            continue
        if kind == "article":
            emit()
            current = {"law": law, "article": number}
        elif kind == "upto" and current is not None:
            start = current["article"]
            emit()
            for article in range(start, min(number, start + MAX_RANGE) + 1):
                ref = {"law": law, "article": article}
                if ref not in refs:
                    refs.append(ref)
            current = None
        elif kind == "paragraph":
            base = current or (refs[-1] if refs and refs[-1]["law"] == law else None)
            if base is None:
                continue
            if current is not None and "paragraph" not in current and "item" not in current:
                current["paragraph"] = number
            else:
                emit()
                current = {"law": law, "article": base["article"], "paragraph": number}
        else:  # item, written 第（三）项 or 第三项
            base = current or (refs[-1] if refs and refs[-1]["law"] == law else None)
            if base is None:
                continue
            if current is not None and "item" not in current:
                current["item"] = number
            else:
                emit()
                current = {"law": law, "article": base["article"]}
                if "paragraph" in base:
                    current["paragraph"] = base["paragraph"]
                current["item"] = number
    emit()
    return refs


def laws_named(text: str) -> list[str]:
    """The statutes named in `text` (inside 《》), in order, without repeats."""
    names: list[str] = []
    for name in re.findall(r"《([^《》]{1,100})》", text or ""):
        if name.strip() not in names:
            names.append(name.strip())
    return names
