"""Home addresses for zhifa.disclosure.redaction (ZJ-PUB Art. 5-8: the home address is hidden).

An address after a home-address label (住址/家住/户籍地/现住/居住地/住在/，住 …; 住所/地址/联系地址/送达地址
only in a natural person's block), the party's home named in the facts (其位于…的住宅), and the home
addresses the case records give (also where the text repeats only the part below the township, or the
part after the community or village) keep their administrative prefix down to the township (province,
city, county, 镇/乡/街道); the village, road and number become ＊＊＊ (their length would hint at them).
Organisations' addresses (住所 of a company) are published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zhifa.disclosure.redact_surnames import SURNAMES
from zhifa.disclosure.redact_types import ADDRESS_MASK, MASK, Span

_ADDRESS_LABEL = re.compile(
    r"(?:家庭住址|家庭地址|现住址|现住地|现居住地|现居住于|现住于|现居于|居住地址|居住地|居住于|户籍地址|户籍所在地"
    r"|户口所在地|户籍地|经常居住地|暂住地址|暂住地|暂住于|家住|住在|住址|现住|现居|户籍|(?P<cond>联系地址|通讯地址"
    r"|送达地址|住所地|住所|地址))(?!码|栏|信息|变更)[ \t]*[：:]?[ \t]*(?:为|是|在|于)?[ \t]*"
)
_SHORT_LIVES = re.compile(
    r"(?<=[，,；;])住(?=[\u4e00-\u9fff])(?![宿房宅户院所址在处]|建局|建部|建委|建设|建领域|建部门)"
)
_HOME_IN_TEXT = re.compile(
    r"(?:其|自家|家)(?:位于|坐落于|在)([^，,。；;、\n]{4,40}?)的(?:家中|住宅|住房|住处|家|自建房|房屋|私房|宅基地|院子|院内)"
)
_ADDRESS_VALUE = re.compile(r"[^\n。；;，,、（()）\t：:]+")
_ADDRESS_STOP = re.compile(r"\s{2,}|联系电话|联系方式|电话|手机|身份证|性别|出生|邮编|民族|的")
_PERSON_MARKERS = re.compile(r"性别|[，,（(\s]\s*[男女][，,）)\s]|出生|身份证|公民身份|民族|汉族|\d{1,3}岁")
_PARTY_START = re.compile(r"当事人|单位名称|名称|被处罚人|被检查人|姓名")
_PARTY_NAME = re.compile(r"[：:\s]*([\u4e00-\u9fff]{2,4})(?:[，,。；;\s（(]|$)")
_ORG_LAST = frozenset("厂店社馆局院站场部司队行所会处室园")
_B = r"[^\s\d省市县区镇乡村路街道号巷弄组栋楼室幢，。；、：:（）()＊*]"
_LEVELS = (
    re.compile(
        rf"(?:内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区|北京市|天津市|上海市|重庆市|{_B}{{2,3}}省)"
    ),
    re.compile(rf"{_B}{{1,4}}?(?:自治州|地区|盟|市)(?![场民政委级辖内面])"),
    re.compile(rf"{_B}{{1,5}}?(?:自治县|县|区|市|旗)(?![场民政委级辖内面])"),
    re.compile(rf"{_B}{{1,5}}?(?:街道办事处|街道|镇|乡|苏木)(?![村政])"),
)
_NOT_DISTRICT = re.compile(
    r"(?:小|园|工业|开发|景|社|校|厂|矿|库|片|营|街|住宅|生活|商业|服务|保护|示范|风景|城)区$"
)


def admin_prefix(address: str) -> int:
    """The length of the administrative part of `address` that may be published: province, city,
    county and township (镇/乡/街道), each optional; the village, road and number come after it."""
    pos = 0
    for level in _LEVELS:
        match = level.match(address, pos)
        if match and not _NOT_DISTRICT.search(match.group()):
            pos = match.end()
    return pos


def _masked_rest(text: str, start: int, end: int) -> Span | None:
    """The span masking the part of the address text[start:end] below the township, or None."""
    value = text[start:end].rstrip()
    cut = start + admin_prefix(value)
    rest = text[cut : start + len(value)]
    if not rest.strip() or not rest.strip(MASK + "*" + " "):
        return None  # nothing below the township, or already masked
    return Span(cut, start + len(value), "address", ADDRESS_MASK)


def _personal_block(folded: str, label_start: int) -> bool:
    """Whether a 住所/地址 label stands in a natural person's block: gender, birth or ID before it, or a
    party named like a person (当事人：张三，住所：…; organisations' names are longer or end in 厂/店 …)."""
    window = folded[max(0, label_start - 150) : label_start]
    starts = [m.end() for m in _PARTY_START.finditer(window)]
    window = window[starts[-1] :] if starts else window[-100:]
    if _PERSON_MARKERS.search(window):
        return True
    named = _PARTY_NAME.match(window) if starts else None
    return bool(named and named.group(1)[0] in SURNAMES and named.group(1)[-1] not in _ORG_LAST)


def labelled_addresses(text: str, folded: str) -> list[Span]:
    """Home addresses after their labels: below the township masked."""
    spans = []
    starts = [(m.end(), m.group("cond"), m.start()) for m in _ADDRESS_LABEL.finditer(folded)]
    starts += [(m.end(), None, m.start()) for m in _SHORT_LIVES.finditer(folded)]
    for match in _HOME_IN_TEXT.finditer(folded):  # 其位于解放村三组27号的住宅: the party's home
        span = _masked_rest(text, match.start(1), match.end(1))
        if span is not None:
            spans.append(span)
    for value_start, conditional, label_start in starts:
        if conditional and not _personal_block(folded, label_start):
            continue
        match = _ADDRESS_VALUE.match(folded, value_start)
        if not match:
            continue
        end = match.end()
        stop = _ADDRESS_STOP.search(folded, value_start, end)
        if stop:
            end = stop.start()
        span = _masked_rest(text, value_start, end)
        if span is not None:
            spans.append(span)
    return spans


_DETAIL_HEAD = re.compile(r"社区|居委会|村委会|小区|村|组")


def address_details(detail: str) -> list[str]:
    """The part of an address below the township and its shorter forms after a community or village
    (水南社区水南路66号 -> 水南路66号), as a text may repeat it; 4 characters at least, with a number."""
    out = [detail] if len(detail) >= 4 else []
    for match in _DETAIL_HEAD.finditer(detail):
        tail = detail[match.end() :]
        if len(tail) >= 4 and re.search(r"\d|号", tail):
            out.append(tail)
    return out


def known_addresses(text: str, addresses: Iterable[str], details: Iterable[str] = ()) -> list[Span]:
    """Every occurrence of a known home address (the part below the township masked) and of the part
    below the township alone, in full or after its community or village (`details` adds such parts,
    e.g. those found after address labels)."""
    needles: dict[str, int] = {}  # needle -> characters that stay at its start
    for address in {a.strip() for a in addresses if a and a.strip()}:
        cut = admin_prefix(address)
        if len(address) >= 4 and cut < len(address):
            needles[address] = cut
        for part in address_details(address[cut:]):
            needles.setdefault(part, 0)
    for detail in details:
        for part in address_details(detail.strip()):
            needles.setdefault(part, 0)
    spans = []
    for needle, cut in needles.items():
        pos = text.find(needle)
        while pos >= 0:
            start, end = pos + cut, pos + len(needle)
            if text[start:end].strip(MASK):
                spans.append(Span(start, end, "address", ADDRESS_MASK))
            pos = text.find(needle, end)
    return spans
