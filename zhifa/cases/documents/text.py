"""Plain text helpers for documents: dates, amounts (with capital numerals), penalties, JSON-safe values.

GB/T 9704-2012 §7.3.5: the date of a document is written in Arabic numerals with year, month and day in
full (2026年7月1日). Amounts are written in figures and in capital numerals (大写金额, 《会计基础工作规范》
第五十二条): "元" or "角" at the end is followed by 整, "分" is not.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_BIG = ("", "万", "亿", "万亿")


def date_text(day: datetime.date | None) -> str:
    """2026年7月1日 (no leading zeros), "" for None."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def datetime_text(moment: datetime.datetime | None) -> str:
    """2026年7月1日9时05分 in local time, "" for None."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{date_text(moment.date())}{moment.hour}时{moment.minute:02d}分"


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal rounded to cents, or None for None, "" or text that is not a number."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


def rmb_upper(amount: Decimal) -> str:
    """The amount in capital numerals: 1000 -> 壹仟元整, 100010.5 -> 壹拾万零壹拾元伍角整."""
    amount = Decimal(amount).quantize(CENT, ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("amount must not be negative")
    yuan = int(amount)
    cents = int((amount - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    digits = str(yuan)
    out: list[str] = []
    zeros = False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        digit = int(char)
        if digit == 0:
            zeros = True
        else:
            if zeros and out:
                out.append("零")
            zeros = False
            out.append(_DIGITS[digit] + _SMALL[position % 4])
        if position % 4 == 0 and position > 0 and int(digits[max(0, index - 3) : index + 1]):
            out.append(_BIG[position // 4])
    if yuan == 0 and cents == 0:
        return "零元整"
    text = "".join(out) + "元" if yuan else ""
    if cents == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        return text + _DIGITS[fen] + "分"
    return text + "整"


def money_text(amount: Decimal | None) -> str:
    """人民币1,000.00元（大写：壹仟元整）, "" for None."""
    if amount is None:
        return ""
    return _("人民币%(figure)s元（大写：%(upper)s）") % {
        "figure": f"{amount:,.2f}",
        "upper": rmb_upper(amount),
    }


def penalty_items(types: list[str], fine: Decimal | None, confiscation: Decimal | None) -> list[str]:
    """The penalties as printed, one line per type (APL Art. 9): the fine and confiscation with amounts."""
    from zhifa.cases import rules

    items = []
    for kind in types or []:
        if kind == rules.FINE and fine is not None:
            items.append(_("罚款%(money)s") % {"money": money_text(fine)})
        elif kind in (rules.CONFISCATE_GAINS, rules.CONFISCATE_PROPERTY) and confiscation is not None:
            items.append(f"{kind}{money_text(confiscation)}")
        else:
            items.append(str(kind))
    return items


def plain(value: Any) -> Any:
    """`value` as JSON-safe content: text stripped, dates as 2026年7月1日, amounts as text, nested."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return value
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def iso_text(value: Any) -> Any:
    """An ISO date ("2026-07-15") or date and time ("2026-07-15 09:30") as printed text; else unchanged."""
    from django.utils.dateparse import parse_date, parse_datetime

    if not isinstance(value, str):
        return value
    try:
        day = parse_date(value)
        if day is not None:
            return date_text(day)
        moment = parse_datetime(value)
    except ValueError:
        return value
    return datetime_text(moment) if moment is not None else value


def blank(value: Any) -> bool:
    """Empty for the purpose of a required field: None, blank text, an empty list or dict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return False
