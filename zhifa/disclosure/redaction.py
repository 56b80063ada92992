"""Redaction of enforcement decisions before they are published (issue 6, point 3).

Law (LAW.md section 4): a decision is published (APL Art. 48, 50; GO118 (六) "作适当处理"; OGI Art. 20(6))
but privacy that would harm a third party is not (OGI Art. 15), so the rest is published with the private
parts masked (OGI Art. 37, 区分处理). ZJ-PUB Art. 5-8 lists what to hide: home address, contact details,
ID number, bank account, health status, the names of natural persons other than the punished party and
organisations' bank accounts; PIPL Art. 28 makes financial accounts sensitive personal information.
Zhifa masks the punished natural person's name too (the agency's setting, LAW.md "configurable").

What `redact` masks, and how (every masked character is ＊, U+FF0A, except names):
- names of natural persons: surname + 某 per remaining character (张三 -> 张某, 欧阳娜娜 -> 欧阳某某), at
  every occurrence: those given in `persons` and those found in the text (redact_names: context words,
  descriptors, verbs, jieba), once found anywhere, everywhere;
- resident ID numbers (first 4 characters stay), mobile numbers (first 3 digits stay), landlines (area
  code stays), bank accounts and cards (first 4 digits stay), plates (province and letter stay), e-mail
  addresses, ids after 证件号码/护照/微信/QQ labels, officers' certificate numbers not kept (all masked);
- home addresses, after their labels or given in `addresses`: below the township becomes ＊＊＊;
- `extra`: what the reviewer marks, every occurrence, "＊" per character ("mask more, never less").

What stays: organisations' names and their USCC (GB 32100), and everything in `keep` (the agency, the
officers with their certificate numbers, the parties that are organisations). Law titles with their
articles (《中华人民共和国…法》第X条), amounts, dates and document numbers (〔2024〕12号) are never taken
for names or numbers to mask.

Decisions worth knowing:
- an organisation named after a person (张三小吃店) stays whole when it is in `keep`; when it is not, the
  name detection leaves it alone (an organisation's name is public registration data), but a name
  given in `persons` is masked inside it too (privacy wins when the organisation is not confirmed);
- `keep` wins over detection and over `persons` inside its occurrences, except when a string is in both
  `persons` and `keep` (then it is masked: privacy wins); `extra` wins over everything;
- a string that is both a valid USCC and a valid resident ID is masked unless kept or labelled
  统一社会信用代码/信用代码 right before it.

`find_personal_identifiers` is the leak check: the number, plate, e-mail, labelled-id and address
detectors without the name detection (a name the caller keeps, such as an unmasked punished party,
would otherwise block publication). `redact` is idempotent: its output redacted again is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhifa.disclosure import redact_addresses, redact_names, redact_patterns
from zhifa.disclosure.redact_surnames import COMPOUND_SURNAMES
from zhifa.disclosure.redact_types import ADDRESS_MASK, KINDS, MASK, Span

__all__ = ["KINDS", "MASK", "Redacted", "Span", "find_personal_identifiers", "mask_person_name", "redact"]

# When spans overlap, the merged span takes the kind of the first of these among them.
_KIND_ORDER = (
    "extra",
    "id_number",
    "bank_account",
    "phone",
    "plate",
    "email",
    "other_id",
    "address",
    "person",
)


@dataclass(frozen=True)
class Redacted:
    """The redacted text and the masked stretches of the original (sorted, non-overlapping)."""

    text: str
    spans: tuple[Span, ...]


def mask_person_name(name: str) -> str:
    """A natural person's name as published: surname + 某 per remaining character (张三 -> 张某,
    张三丰 -> 张某某, 欧阳娜娜 -> 欧阳某某, 司马光 -> 司马某). Names written with a middle dot keep their
    first character (买买提·艾力 -> 买某某·某某); Latin names keep each word's initial (John Smith ->
    J＊＊＊ S＊＊＊＊)."""
    name = name.strip()
    if len(name) < 2:
        return name
    if any(c.isascii() and c.isalpha() for c in name):
        return " ".join(w[:1] + MASK * (len(w) - 1) for w in name.split(" "))
    if any(c in "·•・." for c in name):
        return name[0] + "".join(c if c in "·•・." else "某" for c in name[1:])
    keep = 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "".join(c if c in ("某", MASK) else "某" for c in name[keep:])


def find_personal_identifiers(text: str) -> list[Span]:
    """Personal identifiers still readable in `text` (numbers, plates, e-mail, labelled ids, home
    addresses below the township), as the spans `redact` would mask; names are not looked for."""
    folded = redact_patterns.fold(text)
    spans = [span for detector in redact_patterns.IDENTIFIER_DETECTORS for span in detector(text, folded)]
    return list(_merge(text, spans))


def redact(
    text: str,
    *,
    persons: Iterable[str] = (),
    keep: Iterable[str] = (),
    extra: Iterable[str] = (),
    addresses: Iterable[str] = (),
) -> Redacted:
    """`text` with personal data masked (see the module docstring), and the masked spans."""
    if not text:
        return Redacted(text or "", ())
    persons_set = {p.strip() for p in persons if p and len(p.strip()) >= 2}
    keep_set = {k.strip() for k in keep if k and len(k.strip()) >= 2} - persons_set
    kept = _occurrence_mask(text, keep_set)

    folded = redact_patterns.fold(text)
    found = [span for detector in redact_patterns.IDENTIFIER_DETECTORS for span in detector(text, folded)]
    found += redact_patterns.officer_certificates(text, folded)
    labelled = [text[s.start : s.end] for s in found if s.kind == "address"]
    found += redact_addresses.known_addresses(text, addresses, labelled)

    protected = bytearray(kept)
    redact_names.protect(text, protected)
    detected = redact_names.detect_names(text, protected) - persons_set
    for start, end, name in redact_names.occurrences(text, persons_set, kept, detected=False):
        found.append(Span(start, end, "person", mask_person_name(name)))
    for start, end, name in redact_names.occurrences(text, detected, protected, detected=True):
        found.append(Span(start, end, "person", mask_person_name(name)))

    spans = [piece for span in found for piece in _outside_kept(span, kept)]
    for value in {e for e in extra if e and e.strip()}:
        pos = text.find(value)
        while pos >= 0:
            spans.append(Span(pos, pos + len(value), "extra", MASK * len(value)))
            pos = text.find(value, pos + 1)
    merged = _merge(text, spans)
    return Redacted(_apply(text, merged), merged)


def _outside_kept(span: Span, kept: bytearray) -> list[Span]:
    """The parts of `span` outside kept characters (a kept string stays whole; the rest of an address
    or number running into it is still masked)."""
    if not any(kept[span.start : span.end]):
        return [span]
    resized = len(span.replacement) != span.end - span.start
    pieces, start = [], None
    for index in range(span.start, span.end + 1):
        inside = index < span.end and not kept[index]
        if inside and start is None:
            start = index
        elif not inside and start is not None:
            offset = start - span.start
            replacement = ADDRESS_MASK if resized else span.replacement[offset : offset + index - start]
            pieces.append(Span(start, index, span.kind, replacement))
            start = None
    return pieces


def _occurrence_mask(text: str, strings: Iterable[str]) -> bytearray:
    mask = bytearray(len(text))
    for value in strings:
        pos = text.find(value)
        while pos >= 0:
            mask[pos : pos + len(value)] = b"\x01" * len(value)
            pos = text.find(value, pos + 1)
    return mask


def _merge(text: str, spans: list[Span]) -> tuple[Span, ...]:
    """Sorted, non-overlapping spans; overlapping ones merge into one that masks all they mask."""
    spans = sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, -s.end))
    groups: list[list[Span]] = []
    end = -1
    for span in spans:
        if groups and span.start < end:
            groups[-1].append(span)
            end = max(end, span.end)
        else:
            groups.append([span])
            end = span.end
    out = []
    for group in groups:
        span = group[0] if len(group) == 1 else _combine(text, group)
        if span.replacement != text[span.start : span.end]:
            out.append(span)
    return tuple(out)


def _combine(text: str, group: list[Span]) -> Span:
    start, end = min(s.start for s in group), max(s.end for s in group)
    resized = [s for s in group if len(s.replacement) != s.end - s.start]
    cut = min((s.start for s in resized), default=end)
    chars = []
    for index in range(start, cut):
        char = text[index]
        for span in group:
            if span.start <= index < span.end and len(span.replacement) == span.end - span.start:
                masked = span.replacement[index - span.start]
                if masked != char:
                    char = masked
                    break
        chars.append(char)
    replacement = "".join(chars) + (resized[0].replacement if resized else "")
    kind = min((s.kind for s in group), key=_KIND_ORDER.index)
    return Span(start, end, kind, replacement)


def _apply(text: str, spans: tuple[Span, ...]) -> str:
    parts, pos = [], 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(span.replacement)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
