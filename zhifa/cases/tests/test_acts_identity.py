"""Check characters of the resident ID (GB 11643-1999) and the USCC (GB 32100-2015) on published numbers.

The expected check character is the last character of a number published in the standard or on a
business licence; the test computes it from the first 17 characters.
"""

from __future__ import annotations

import datetime

import pytest

from zhifa.cases import identity

# GB 11643-1999, appendix examples.
PUBLISHED_RESIDENT_IDS = ["11010519491231002X", "440524188001010014"]
# GB 32100-2015's own example, and the licences of Huawei Technologies (Shenzhen) and Tencent (Shenzhen).
PUBLISHED_USCCS = ["91350100M000100Y43", "914403001922038216", "9144030071526726XG"]


@pytest.mark.parametrize("number", PUBLISHED_RESIDENT_IDS)
def test_resident_id_check_char_of_published_examples(number):
    assert identity.resident_id_check_char(number[:17]) == number[17]
    assert identity.resident_id_problems(number) == []


def test_resident_id_weights_are_iso7064_mod11_2():
    assert identity.RESIDENT_ID_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_resident_id_lowercase_x_and_spaces_are_normalised():
    assert identity.resident_id_problems(" 110105 19491231002x ") == []


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("110105194912310021", "校验码"),  # one character changed
        ("110105194912310", "15位"),  # first-generation ID
        ("11010519491231002", "18位"),
        ("1101051949123100AX", "前17位"),
        ("110105194902300028", "出生日期"),  # 30 February
        ("990105194912310021", "地址码"),
    ],
)
def test_resident_id_problems(number, fragment):
    problems = identity.resident_id_problems(number)
    assert any(fragment in p for p in problems), problems


def test_resident_id_birth_date():
    assert identity.resident_id_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert identity.resident_id_birth_date("110105194902300028") is None


@pytest.mark.parametrize("code", PUBLISHED_USCCS)
def test_uscc_check_char_of_published_examples(code):
    assert identity.uscc_check_char(code[:17]) == code[17]
    assert identity.uscc_problems(code) == []


def test_uscc_weights_are_powers_of_3_mod_31():
    assert identity.USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("914403001922038217", "校验码"),
        ("91350100M000100Y4", "18位"),
        ("91350100M0001O0Y43", "不允许的字符"),  # letter O is not in the GB 32100 set
        ("X1350100M000100Y43", "登记管理部门"),  # X is in the set, not an authority code
        ("B1350100M000100Y4", "18位"),
        ("91ABCDEFM000100Y43", "行政区划"),
    ],
)
def test_uscc_problems(code, fragment):
    problems = identity.uscc_problems(code)
    assert any(fragment in p for p in problems), problems


def test_check_char_needs_17_valid_characters():
    with pytest.raises(ValueError):
        identity.resident_id_check_char("1234")
    with pytest.raises(ValueError):
        identity.uscc_check_char("91350100M000100I4")
