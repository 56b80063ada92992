"""Chinese numerals as statutes write article, paragraph and item numbers (第六十条第一款第（三）项)."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {char: value for value, char in enumerate(DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def to_chinese(number: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 105 → 一百零五, 110 → 一百一十 (1..9999), as statutes print them."""
    if not 0 < number < 10000:
        raise ValueError(f"article numbers are 1..9999, not {number}")
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(DIGITS[digit] + unit)
    text = "".join(parts)
    # Statutes write 第十条, 第十五条 (not 一十) when the number starts with ten.
    return text[1:] if text.startswith("一十") else text


def from_chinese(text: str) -> int | None:
    """一百零五 → 105, 十五 → 15, 六十 → 60, "12" → 12; None for anything that is not a numeral."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    total, current = 0, None
    for char in text:
        if char in _DIGIT_VALUES:
            current = _DIGIT_VALUES[char]
        elif char in _UNITS:
            total += (1 if current is None else current) * _UNITS[char]
            current = None
        else:
            return None
    total += current or 0
    return total or None
