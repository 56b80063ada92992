"""Identity numbers of parties: resident ID (GB 11643-1999), unified social credit code (GB 32100-2015).

A decision names the party (APL Art. 59(1)); a wrong ID number names someone else. Both numbers carry a
check character computed from the others, so a mistyped digit is caught here before it reaches a document:

- resident ID (公民身份号码, GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
  and a check character over ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11,
  10 written as "X";
- USCC (统一社会信用代码, GB 32100-2015): 18 characters from the 31-character set without I, O, Z, S, V:
  registration authority, organisation type, 6-digit region code, 9-character organisation code and a check
  character: weights 3^i mod 31, check = 31 - (sum mod 31), 31 written as "0".

Functions return problems in Chinese (empty list: the number is well-formed).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

RESIDENT_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
RESIDENT_ID_CHECK = "10X98765432"  # indexed by (sum mod 11)
# Province-level codes of GB/T 2260 (the first two digits of the address code); 71 Taiwan, 81 Hong Kong,
# 82 Macao (residence permits, GB 11643 numbering), 83 for Taiwan residence permits.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
    | {"71", "81", "82", "83"}
)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 32100-2015 Table 1: registration authority codes (1 organisation 机构编制, 5 civil affairs 民政,
# 9 market regulation 工商, Y others, and the codes of other registering departments).
USCC_AUTHORITIES = frozenset("123456789ANY")


def normalise(number: str) -> str:
    """Trim, drop inner spaces and upper-case (an "x" typed for the check character is an "X")."""
    return "".join((number or "").split()).upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("17 digits expected")
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def resident_id_birth_date(number: str) -> datetime.date | None:
    """The birth date coded in an 18-character resident ID, or None when it is not a real date."""
    number = normalise(number)
    if len(number) != 18 or not number[6:14].isdigit():
        return None
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def resident_id_problems(number: str) -> list[str]:
    """Why `number` is not a well-formed GB 11643-1999 resident ID (18 characters, real birth date,
    known province, right check character); empty when it is."""
    number = normalise(number)
    if len(number) == 15 and number.isdigit():
        return [_("15位第一代居民身份证已停止使用，请填写18位公民身份号码。")]
    if len(number) != 18:
        return [_("公民身份号码应为18位（GB 11643），现为%(n)d位。") % {"n": len(number)}]
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return [_("公民身份号码前17位应为数字，最后一位为数字或X。")]
    problems: list[str] = []
    if number[:2] not in PROVINCE_CODES:
        problems.append(
            _("公民身份号码的地址码“%(code)s”不是有效的省级行政区划代码。") % {"code": number[:6]}
        )
    if resident_id_birth_date(number) is None:
        problems.append(_("公民身份号码中的出生日期“%(date)s”不是有效日期。") % {"date": number[6:14]})
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        problems.append(_("公民身份号码校验码错误（GB 11643），请核对号码。"))
    return problems


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters."""
    if len(first17) != 17 or any(c not in USCC_CHARSET for c in first17):
        raise ValueError("17 characters of the USCC character set expected")
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    remainder = 31 - total % 31
    return USCC_CHARSET[0 if remainder == 31 else remainder]


def uscc_problems(code: str) -> list[str]:
    """Why `code` is not a well-formed GB 32100-2015 unified social credit code; empty when it is."""
    code = normalise(code)
    if len(code) != 18:
        return [_("统一社会信用代码应为18位（GB 32100），现为%(n)d位。") % {"n": len(code)}]
    wrong = sorted({c for c in code if c not in USCC_CHARSET})
    if wrong:
        return [
            _("统一社会信用代码含有不允许的字符“%(chars)s”（不使用I、O、Z、S、V）。")
            % {"chars": "".join(wrong)}
        ]
    problems: list[str] = []
    if code[0] not in USCC_AUTHORITIES:
        problems.append(_("统一社会信用代码第1位（登记管理部门代码）不正确。"))
    if not code[2:8].isdigit():
        problems.append(_("统一社会信用代码第3至8位应为行政区划代码（数字）。"))
    if code[17] != uscc_check_char(code[:17]):
        problems.append(_("统一社会信用代码校验码错误（GB 32100），请核对代码。"))
    return problems
