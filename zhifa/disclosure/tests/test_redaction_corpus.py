"""The redaction corpus (tests/corpus/*.txt): decisions of township integrated enforcement as they are
written, each with a sidecar JSON naming what must go and what must stay.

Sidecar fields: `persons`, `keep`, `addresses` (what the case records give `redact`: the parties and
legal representatives, the agency, officers and organisations, the parties' home addresses),
`must_not_appear` (exact substrings that must be gone: names of natural persons, ID numbers, phones,
bank accounts, plates, e-mail, ids, home addresses below the township) and `must_appear` (what the
public must still read: organisations' names and USCC, law articles, amounts, document numbers).

Law: ZJ-PUB Art. 5-8 (hide home address, contact details, ID number, bank account, names of natural
persons, organisations' bank accounts); OGI Art. 15 and 37 (publish the rest, 区分处理); GO118
"作适当处理"; APL Art. 48 and 50; PIPL Art. 28 (financial accounts are sensitive).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from zhifa.disclosure.redaction import find_personal_identifiers, redact

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)")
PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·.\- ]?[A-Z0-9]{4,6}"
)


def load(path: Path) -> tuple[str, dict]:
    return path.read_text(encoding="utf-8"), json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_and_annotated() -> None:
    """At least 30 decisions, each with its sidecar, listing something to mask and something to keep."""
    assert len(FILES) >= 30
    for path in FILES:
        text, side = load(path)
        assert side["must_not_appear"], path.name
        assert side["must_appear"], path.name
        for value in side["must_not_appear"] + side["must_appear"]:
            assert value in text, (path.name, value)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_detection_alone_masks_every_identifier(path: Path) -> None:
    """ZJ-PUB Art. 5-8: without any case record (no persons, no keep), nothing listed survives, and the
    generic leak check finds nothing: no 11-digit mobile, no 15/18-digit ID, no plate."""
    text, side = load(path)
    out = redact(text).text
    assert [v for v in side["must_not_appear"] if v in out] == []
    assert find_personal_identifiers(out) == []
    assert not MOBILE.search(out)
    assert not ID_NUMBER.search(out)
    assert not PLATE.search(out)
    assert [v for v in side["must_appear"] if v not in out] == []


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_with_the_case_records(path: Path) -> None:
    """With the records (persons, keep, addresses) as zhifa.disclosure.drafting passes them: nothing
    listed survives; what must stay and every kept string (the agency, officers with their certificate
    numbers, organisations) stays (OGI Art. 37: the rest is published)."""
    text, side = load(path)
    result = redact(text, persons=side["persons"], keep=side["keep"], addresses=side["addresses"])
    assert [v for v in side["must_not_appear"] if v in result.text] == []
    assert find_personal_identifiers(result.text) == []
    kept = [v for v in side["must_appear"] + side["keep"] if v in text]
    assert [v for v in kept if v not in result.text] == []


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_idempotent_and_spans_on_the_original(path: Path) -> None:
    """Redacting the published text again changes nothing; each span describes the original text."""
    text, side = load(path)
    result = redact(text, keep=side["keep"])
    assert redact(result.text, keep=side["keep"]).text == result.text
    pos, parts = 0, []
    for span in result.spans:
        assert pos <= span.start < span.end
        parts.append(text[pos : span.start] + span.replacement)
        pos = span.end
    assert "".join(parts) + text[pos:] == result.text


def test_names_are_masked_at_every_occurrence() -> None:
    """A name found once (证人王府称) is masked wherever it occurs, also where nothing marks it."""
    text, _side = load(CORPUS / "28_shop_signs_common_word_names.txt")
    out = redact(text).text
    assert "王府" not in out.replace("王府茶庄", "")
    assert out.count("王某") >= 3
