"""Property tests of zhifa.disclosure.redaction (hypothesis): whatever the text around them, valid resident
IDs, phone numbers, plates and bank cards are masked (ZJ-PUB Art. 5-8: ID number, contact details, bank
account; PIPL Art. 28: financial accounts); extra masks only add ("mask more, never less", GO118
"作适当处理"); redaction is idempotent; spans describe the original text."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases.identity import resident_id_check_char
from zhifa.disclosure.redaction import find_personal_identifiers, redact


def _split(text: str) -> list[str]:
    return text.split()


# Everyday words of decisions, surnames among them (王, 高, 林 …), and punctuation.
WORDS = _split(
    "经查 当事人 于 在 城关镇 解放路 东侧 擅自 搭建 房屋 一间 面积 约 平方米 违反 规定 决定 罚款 人民币 元 "
    "现场 检查 发现 村民 反映 属实 责令 改正 拆除 逾期 不 履行 申请 复议 诉讼 执法 人员 出示 证件 表明 身份 "
    "高 王 林 张 李 文明 金华 高明 王府 的 了 和 与 及 号 组 村 路 街道 办事处 公司 有限 小吃店 经营 者 "
    "， 。 、 ： （ ） ； 1 2 2024年 5月 3日 第十二条 《城乡规划法》 当事人： 证人 村民 称 表示 男 女 ，男， "
    "住址： 家住 身份证号 电话 司机 其妻 之子 陈 欧阳 司马 娜娜 光 秀英 建国 小明 某 某某 户主 经营者： "
    "法定代表人： 福建省 沙溪县 城关镇 解放村 3组 12号 小区 公司 有限公司 店 厂 等人 在场 驾驶 闽A 账号 户名"
)
PROVINCES = ("11", "31", "33", "35", "36", "44", "51", "65")
PLATE_PROVINCES = "京沪浙闽赣粤川新"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

chinese = st.lists(st.sampled_from(WORDS), max_size=25).map("".join)


@st.composite
def resident_ids(draw) -> str:
    province = draw(st.sampled_from(PROVINCES))
    area = province + draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2015, 12, 31)))
    first17 = area + born.strftime("%Y%m%d") + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return first17 + resident_id_check_char(first17)


@st.composite
def mobiles(draw) -> str:
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
    style = draw(st.sampled_from(["plain", "spaces", "dashes", "+86", "+86 spaces"]))
    grouped = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return {
        "plain": digits,
        "spaces": grouped,
        "dashes": grouped.replace(" ", "-"),
        "+86": "+86" + digits,
        "+86 spaces": "+86 " + grouped,
    }[style]


@st.composite
def landlines(draw) -> str:
    area = draw(st.sampled_from(["010", "021", "0591", "0598", "0579"]))
    local = draw(st.from_regex(r"[2-8][0-9]{6,7}", fullmatch=True))
    return draw(st.sampled_from([f"{area}-{local}", f"({area}){local}", f"（{area}）{local}"]))


@st.composite
def plates(draw) -> str:
    head = draw(st.sampled_from(PLATE_PROVINCES)) + draw(st.sampled_from(PLATE_LETTERS))
    serial = draw(st.from_regex(r"[0-9][0-9A-HJ-NP-Z]{3}[0-9]", fullmatch=True))
    kind = draw(st.sampled_from(["plain", "dot", "new energy", "trailer"]))
    if kind == "dot":
        return f"{head}·{serial}"
    if kind == "new energy":
        return head + draw(st.sampled_from("DF")) + serial
    if kind == "trailer":
        return head + serial[:4] + "挂"
    return head + serial


@st.composite
def bank_cards(draw) -> str:
    digits = "62" + draw(st.from_regex(r"[0-9]{17}", fullmatch=True))
    return draw(st.sampled_from([digits, " ".join(digits[i : i + 4] for i in range(0, 19, 4))]))


FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def full_width(value: str) -> str:
    """The identifier typed with a Chinese input method's full-width digits and letters."""
    return value.translate(FULL_WIDTH)


identifiers = st.one_of(resident_ids(), mobiles(), landlines(), plates(), bank_cards()).flatmap(
    lambda value: st.sampled_from([value, full_width(value)])
)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


UNITS = ("元", "万元", "平方", "立方", "米", "吨", "亩")


def full_width_folded(value: str) -> str:
    return value.translate(str.maketrans({chr(c + 0xFEE0): chr(c) for c in range(0x21, 0x7F) if c != 0x2A}))


def _join(*parts: str) -> str:
    """The parts in a row; a comma between two that would run digits or letters together (a number is
    never written glued to another, and then no detector could tell where it ends), and between a number
    and a unit (13000000000元 is an amount, not a phone)."""
    out = ""
    for part in parts:
        last, first = full_width_folded(out[-1:]), full_width_folded(part[:1])
        glued = (first.isascii() and first.isalnum()) or part.startswith(UNITS)
        if last and first and last.isascii() and last.isalnum() and glued:
            out += "，"
        out += part
    return out


@SETTINGS
@given(before=chinese, identifier=identifiers, after=chinese)
def test_identifiers_in_any_text_are_masked(before: str, identifier: str, after: str) -> None:
    """ZJ-PUB Art. 5-8: an ID number, phone, plate or bank card never survives, whatever surrounds it."""
    text = _join(before, identifier, after)
    result = redact(text)
    assert identifier not in result.text
    # no 7 digits of the identifier's number remain readable in a row
    digits = _digits(
        identifier.translate(str.maketrans({chr(c + 0xFEE0): chr(c) for c in range(0x21, 0x7F)}))
    )
    if len(digits) >= 7:
        assert digits[-7:] not in _digits(full_width_folded(result.text))
    assert find_personal_identifiers(result.text) == []


@SETTINGS
@given(parts=st.lists(st.one_of(chinese, identifiers), min_size=1, max_size=6))
def test_redaction_is_idempotent_and_spans_rebuild_the_text(parts: list[str]) -> None:
    """Redacting the published text again changes nothing; the spans lie on the original, sorted and
    apart, and replacing them rebuilds the redacted text (the review page relies on it)."""
    text = _join(*parts)
    result = redact(text)
    again = redact(result.text)
    assert again.text == result.text
    assert again.spans == ()
    rebuilt, pos = [], 0
    for span in result.spans:
        assert pos <= span.start < span.end <= len(text)
        rebuilt.append(text[pos : span.start] + span.replacement)
        pos = span.end
    assert "".join(rebuilt) + text[pos:] == result.text


@SETTINGS
@given(parts=st.lists(st.one_of(chinese, identifiers), min_size=1, max_size=5), data=st.data())
def test_extra_masks_only_add(parts: list[str], data) -> None:
    """ "Mask more, never less": every character masked without the reviewer's extra masks is masked
    with them, and each extra string is gone."""
    text = _join(*parts)
    start = data.draw(st.integers(0, max(0, len(text) - 1)))
    extra = text[start : start + data.draw(st.integers(1, 6))]
    plain, more = redact(text), redact(text, extra=[extra])

    def masked(result) -> set[int]:
        return {i for s in result.spans for i in range(s.start, s.end)}

    assert masked(plain) <= masked(more)
    if extra.strip():
        assert extra not in more.text or extra in "＊某"
