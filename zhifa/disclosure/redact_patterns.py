"""Pattern detectors of zhifa.disclosure.redaction: numbers, plates, e-mail, labelled ids and addresses.

What is masked and how (ZJ-PUB Art. 5-8: hide ID numbers, contact details, bank accounts and home
addresses; PIPL Art. 28: financial accounts are sensitive; OGI Art. 37: publish the rest):

- resident ID numbers (18 characters with the check character, grouped 6-8-4 or not; old 15-digit):
  the first 4 characters stay (province and city), the rest is masked, birth date included;
- 18-character strings that are a valid USCC (GB 32100) stay, unless they are a valid resident ID as
  well (privacy wins) and are not labelled 统一社会信用代码/信用代码 right before them;
- mobile numbers (1[3-9]x, 11 digits, spaces or dashes, +86/0086): the first 3 digits stay; landlines
  (0xx(x)-xxxxxxx(x)): the area code stays; any other number after 电话/手机/联系方式: all masked;
- bank account and card numbers (after 账号/卡号/账户 …, or 16-19 digit runs, or 4-digit groups): the
  first 4 digits (the bank) stay. Organisations' accounts are masked too (ZJ-PUB: "organisations' bank
  accounts"), the agency's treasury account included;
- licence plates (闽A12345, 闽A·12345, 闽AD12345, 闽A1234挂): province and letter stay;
- e-mail addresses; ids after 证件号码/护照/通行证/驾驶证/社保卡/QQ/微信: all masked;
- home addresses (zhifa.disclosure.redact_addresses): down to the township stays, the rest is ＊＊＊.

Numbers labelled as an organisation's code (统一社会信用代码, 注册号, 缴款码, 文号 …) are not personal
data and stay. Detection runs on a copy with full-width digits and letters folded to ASCII (same length,
so positions are those of the original text).
"""

from __future__ import annotations

import datetime
import re

from zhifa.cases.identity import (
    PROVINCE_CODES,
    USCC_AUTHORITIES,
    USCC_CHARSET,
    resident_id_check_char,
    uscc_check_char,
)
from zhifa.disclosure.redact_addresses import labelled_addresses
from zhifa.disclosure.redact_types import MASK, Span

_FOLD = str.maketrans(
    {chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
    | {"＋": "+", "－": "-", "—": "-", "–": "-", "＠": "@", "．": ".", "\u3000": " "}
)


_FULL_WIDTH = re.compile("[０-９Ａ-Ｚａ-ｚ＋－—–＠．\u3000]")


def fold(text: str) -> str:
    """`text` with full-width digits, letters, +, -, @, . and the ideographic space folded to ASCII;
    one character for one, so that positions stay those of `text`."""
    return text.translate(_FOLD) if _FULL_WIDTH.search(text) else text


def mask_tail(raw: str, keep: int) -> str:
    """`raw` with every letter and digit after the first `keep` ones masked; separators stay."""
    out, seen = [], 0
    for char, plain in zip(raw, fold(raw), strict=True):
        if plain.isascii() and plain.isalnum():  # full-width digits count as digits
            seen += 1
            out.append(char if seen <= keep else MASK)
        else:
            out.append(char)
    return "".join(out)


def _span(text: str, start: int, end: int, kind: str, keep: int) -> Span:
    return Span(start, end, kind, mask_tail(text[start:end], keep))


# --- identity numbers and long numbers -------------------------------------------------------------
# Around numbers, ＊ counts as a digit: a masked digit stays a digit for the next pass (idempotence).
_D = r"[\d＊*]"
_LONG_NUMBER = re.compile(
    rf"(?<!{_D})(?:\d{{6}}[ -]\d{{8}}[ -]\d{{3}}[\dXx]|\d{{17}}[Xx]|\d{{15,19}})(?![\dA-Za-z＊*])"
)
_ORG_LABEL = re.compile(
    r"统一社会信用代码|社会信用代码|信用代码|注册号|组织机构代码|纳税人识别号|税号|缴款码|缴款识别码|缴款编码"
    r"|执收单位编码|文号|案号|编号|订单号|流水号|交易号|凭证号|票据号"
)
_ID_LABEL = re.compile(r"身份证|身份号码|公民身份|证件号")
_LABEL_WINDOW = 16


def _label_before(folded: str, start: int) -> str:
    """ "org", "id" or "": the label closest before a number on its line, within a few characters."""
    window_start = max(0, start - _LABEL_WINDOW)
    line_start = folded.rfind("\n", window_start, start) + 1
    window = folded[max(window_start, line_start) : start]
    best, best_end = "", -1
    for label, pattern in (("org", _ORG_LABEL), ("id", _ID_LABEL)):
        for match in pattern.finditer(window):
            if match.end() > best_end:
                best, best_end = label, match.end()
    if best and re.search(r"\d", window[best_end:]):  # another number stands between label and this one
        return ""
    return best


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def id_like(code: str) -> bool:
    """An 18- or 15-character resident ID shape: known province and a real birth date (any check)."""
    if code[:2] not in PROVINCE_CODES:
        return False
    if len(code) == 18 and code[:17].isdigit():
        return _real_date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    if len(code) == 15 and code.isdigit():
        return _real_date(1900 + int(code[6:8]), int(code[8:10]), int(code[10:12]))
    return False


def valid_resident_id(code: str) -> bool:
    """A well-formed 18-character resident ID (GB 11643-1999), check character included."""
    code = code.upper()
    return len(code) == 18 and id_like(code) and resident_id_check_char(code[:17]) == code[17]


def valid_uscc(code: str) -> bool:
    """A well-formed unified social credit code (GB 32100-2015), check character included."""
    code = code.upper()
    return (
        len(code) == 18
        and all(c in USCC_CHARSET for c in code)
        and code[0] in USCC_AUTHORITIES
        and code[2:8].isdigit()
        and uscc_check_char(code[:17]) == code[17]
    )


def long_numbers(text: str, folded: str) -> list[Span]:
    """Resident IDs and other 15-19 digit numbers (bank cards, accounts); organisation codes stay."""
    spans = []
    for match in _LONG_NUMBER.finditer(folded):
        code = re.sub(r"[ -]", "", match.group()).upper()
        label = _label_before(folded, match.start())
        if label == "org":
            continue
        if len(code) == 18 and label != "id" and valid_uscc(code) and not valid_resident_id(code):
            continue  # an organisation's code: stays (a valid ID as well is masked: privacy wins)
        personal_id = label == "id" or id_like(code) or code.endswith("X")
        kind = "id_number" if personal_id else "bank_account"
        spans.append(_span(text, match.start(), match.end(), kind, 4))
    return spans


# --- phones ----------------------------------------------------------------------------------------
_MOBILE = re.compile(
    rf"(?:[（(](?:\+|00)?86[)）][ -]?|\+86[ -]?|(?<!{_D})(?:0086[ -]?|86[ -])|(?<!{_D}))"
    rf"(1[3-9]\d)[ -]?(\d{{4}})[ -]?(\d{{4}})(?!{_D})(?!\s*(?:元|万元|平方|立方|米|吨|亩))"
)
_LANDLINE = re.compile(
    rf"(?:[（(]0\d{{2,3}}[)）]|(?<!{_D})0\d{{2,3}})[ -]?[2-9]\d{{6,7}}(?:(?:-|转)\d{{1,5}})?(?!{_D})"
)
_AREA_CODE = re.compile(r"[（(]?0\d{2,3}[)）]?[ -]?")
_PHONE_LABEL = re.compile(
    r"(?:联系电话|联系方式|联系号码|电话号码|手机号码|手机号|移动电话|固定电话|电话|手机|座机|固话|TEL|Tel|tel)"
    r"(?:号码)?\s*[：:为是]?\s*(?:[（(]?\+?86[)）]?[ -]?)?(\d[\d \-]{5,18}\d)(?![\d＊*])"
)


def phones(text: str, folded: str) -> list[Span]:
    """Mobile numbers (first 3 digits stay), landlines (area code stays), labelled numbers (masked)."""
    spans = []
    for match in _MOBILE.finditer(folded):
        head = match.start(1) + 3
        masked = text[match.start() : head] + mask_tail(text[head : match.end()], 0)
        spans.append(Span(match.start(), match.end(), "phone", masked))
    for match in _LANDLINE.finditer(folded):
        area = _AREA_CODE.match(folded, match.start())
        cut = area.end() if area else match.start()
        masked = text[match.start() : cut] + mask_tail(text[cut : match.end()], 0)
        spans.append(Span(match.start(), match.end(), "phone", masked))
    covered = [(s.start, s.end) for s in spans]
    for match in _PHONE_LABEL.finditer(folded):
        start, end = match.start(1), match.end(1)
        if sum(c.isdigit() for c in match.group(1)) < 7 or any(a < end and start < b for a, b in covered):
            continue
        spans.append(_span(text, start, end, "phone", 0))
    return spans


# --- bank accounts -----------------------------------------------------------------------------------
_BANK_LABEL = re.compile(
    r"(?:银行账号|银行帐号|银行账户|银行帐户|银行卡号|开户账号|收款账号|缴款账号|对公账户|账号|帐号|账户|帐户|卡号|银行卡)"
    r"[^\d\n。；;＊*]{0,40}?(\d[\d \-]{6,34}\d)(?![\d＊*])(?![.,]\d|\s*(?:元|万元))"
)
_GROUPED = re.compile(rf"(?<!{_D})\d{{4}}(?:[ -]\d{{4}}){{2,5}}(?:[ -]\d{{1,4}})?(?!{_D})")


def bank_accounts(text: str, folded: str) -> list[Span]:
    """Accounts after a bank label and numbers written in 4-digit groups: the first 4 digits stay."""
    spans = []
    for match in _BANK_LABEL.finditer(folded):
        if sum(c.isdigit() for c in match.group(1)) >= 8:
            spans.append(_span(text, match.start(1), match.end(1), "bank_account", 4))
    for match in _GROUPED.finditer(folded):
        if _label_before(folded, match.start()) != "org":
            spans.append(_span(text, match.start(), match.end(), "bank_account", 4))
    return spans


# --- plates, e-mail, labelled ids --------------------------------------------------------------------
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]([A-Za-z])([·•・.\- ]?)"
    r"(?:([A-Za-z0-9]{4,5})([挂学警港澳领试超])|([A-Za-z0-9]{5,6})(?![A-Za-z0-9]))"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_OTHER_ID = re.compile(
    r"(?<!执法)(?:证件号码|证件号|护照号码|护照号|护照|港澳通行证号码|港澳通行证号|港澳通行证|台湾居民来往大陆通行证号码"
    r"|台胞证号码|台胞证号|台胞证|回乡证号码|回乡证|驾驶证档案编号|驾驶证号码|驾驶证号|驾驶证|军官证号|军官证"
    r"|社会保障卡号|社保卡号|医保卡号|居住证号码|居住证号|残疾证号|QQ号码|QQ号|QQ|qq号|qq|微信号码|微信号|微信账号|微信"
    r"|wechat|WeChat|车架号|车辆识别代号|车辆识别代码|VIN|发动机号码|发动机号)"
    r"\s*(?:号码)?\s*[：:为是（(]?\s*([A-Za-z0-9][A-Za-z0-9_\-]{3,24})(?![A-Za-z0-9_\-])"
)
# 证件号码：港澳居民来往内地通行证H1234567890 — the kind of document may stand between label and number.
_ID_AFTER_WORDS = re.compile(
    r"(?<!执法)(?:证件号码|证件号|其他证件)[^\n。；;\dA-Za-z]{1,16}?([A-Za-z]{0,3}\d[A-Za-z0-9\-]{3,24})(?![A-Za-z0-9\-])"
)
_OFFICER_CERT = re.compile(
    r"(?:执法证号|执法证件号码|执法证件号|执法证编号|执法证)\s*[：:为是]?\s*([\u4e00-\u9fff]{0,3}[A-Za-z0-9]{4,20})"
)


def plates(text: str, folded: str) -> list[Span]:
    """Licence plates: the province and the issuing letter stay."""
    spans = []
    for match in _PLATE.finditer(folded):
        serial = match.group(3) or match.group(5)
        if not any(c.isdigit() for c in serial):
            continue
        head = match.start(3) if match.group(3) else match.start(5)
        masked = MASK * (match.end() - head)
        spans.append(Span(match.start(), match.end(), "plate", text[match.start() : head] + masked))
    return spans


def emails(text: str, folded: str) -> list[Span]:
    """E-mail addresses: all masked."""
    return [_span(text, m.start(), m.end(), "email", 0) for m in _EMAIL.finditer(folded)]


def other_ids(text: str, folded: str) -> list[Span]:
    """Numbers after 证件号码, passport, permit, driving-licence, social-security, QQ and WeChat labels."""
    spans = []
    for match in _OTHER_ID.finditer(folded):
        raw = match.group(1)
        if not any(c.isdigit() for c in raw) and len(raw) < 6:
            continue  # "微信联系" and the like: a word, not an id
        spans.append(Span(match.start(1), match.end(1), "other_id", MASK * len(raw)))
    for match in _ID_AFTER_WORDS.finditer(folded):
        if not re.search(r"[＊*]", folded[match.start() : match.start(1)]):
            spans.append(Span(match.start(1), match.end(1), "other_id", MASK * len(match.group(1))))
    return spans


def officer_certificates(text: str, folded: str) -> list[Span]:
    """Officers' certificate numbers (执法证号): masked unless the caller keeps them (they are shown in
    person when officers act, 亮证执法, but not published by themselves)."""
    spans = []
    for match in _OFFICER_CERT.finditer(folded):
        raw = match.group(1)
        if any(c.isdigit() for c in raw):
            spans.append(Span(match.start(1), match.end(1), "other_id", MASK * len(raw)))
    return spans


_PARTLY_MASKED = re.compile(r"(?<![\d＊*])(\d{3,6})([*＊]{4,12})(\d{2,4}[\dXx]?)(?![\dA-Za-z])")


def partly_masked(text: str, folded: str) -> list[Span]:
    """Numbers someone masked in the middle only (138****5678, 350421********1234): the last digits are
    masked too (they still narrow the person down), the head kept as for a full number."""
    spans = []
    for match in _PARTLY_MASKED.finditer(folded):
        length = len(match.group())
        mobile = length == 11 and match.group(1).startswith("1")
        kind = "phone" if mobile else "id_number" if length in (15, 18) else "bank_account"
        keep = min(len(match.group(1)), 3 if mobile else 4)
        masked = text[match.start() : match.start() + keep] + MASK * (length - keep)
        spans.append(Span(match.start(), match.end(), kind, masked))
    return spans


IDENTIFIER_DETECTORS = (
    long_numbers,
    partly_masked,
    phones,
    bank_accounts,
    plates,
    emails,
    other_ids,
    labelled_addresses,
)
