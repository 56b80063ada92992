"""What the cases demo holds: the four seed cases run to their end, and the same stories left at every
main stage with other parties (a few per state, some overdue), plus cases opened from the demo's clues.

Each row names a story of zhifa.cases.scenarios, the stage it stops at and how many days before today
that stage happened; the earlier stages lie before it on the story's own days. Stories that reach a
payment end today (the payment notice is issued today, APL Art. 67). Overdue on purpose: a case source
not filed for weeks (filing, APL Art. 54), a decision not served within 7 working days (Art. 61) and a
fine not paid within 15 days (Art. 67, with the 3% daily surcharge of Art. 72).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhifa.cases.scenarios import PartySpec

ORGANISATION, BUSINESS, PERSON = "organisation", "business", "person"


@dataclass(frozen=True)
class DemoCase:
    story: str
    until: str | None  # None: to the story's end
    days_ago: int = 0
    texts: dict[str, Any] = field(default_factory=dict)
    township: int | None = None  # index of the township in the county; None: the story's own


def _uscc_body(index: int, business: bool = False) -> str:
    return f"{'92' if business else '91'}350499MA2{index:05d}D"


def plant(index: int, name: str, owner: str, place: str, count: int) -> dict[str, Any]:
    """A plant that moved its extinguishers, as in the Longcheng case (消防法 §28, §60(1)(2))."""
    party = PartySpec(
        ORGANISATION,
        f"沙溪县{name}",
        "uscc",
        _uscc_body(index),
        f"{{town}}{place}",
        legal_representative=owner,
        phone=f"1390598{index:04d}",
    )
    return {
        "title": f"{name}擅自挪用消防器材案",
        "party": party,
        "facts": f"当事人沙溪县{name}擅自将生产场所配置的{count}具灭火器挪作他用，致使配置点灭火器缺失。",
        "inspection": (
            f"执法人员出示执法证件，表明身份。经检查：该单位生产场所{count}处灭火器配置点空置，灭火器被挪作他用。"
        ),
        "present": f"{owner}（负责人）",
        "interview": "问：灭火器哪里去了？答：搬去别处用了，马上放回。",
        "statement": "已将灭火器放回原位，请求从轻处罚。",
    }


def shop(index: int, name: str, owner: str, place: str) -> dict[str, Any]:
    """A shop's first minor fire-safety violation, corrected on the spot (APL Art. 33 para 1)."""
    party = PartySpec(
        BUSINESS,
        f"沙溪县{name}",
        "uscc",
        _uscc_body(index, business=True),
        f"{{town}}{place}",
        legal_representative=owner,
        phone=f"1370598{index:04d}",
    )
    return {"title": f"{name}灭火器未保持完好有效案", "party": party, "present": f"{owner}（经营者）"}


# The four seed cases, as the seeds tell them, to their end.
SEED_CASES: tuple[DemoCase, ...] = (
    DemoCase("longcheng", None),
    DemoCase("gaosha", "closed", 2),
    DemoCase("xianxi", None),
    DemoCase("first_minor", None, 6),
)

# The same stories left at each main stage (the first township's team sees most of them: demo logins).
VARIANTS: tuple[DemoCase, ...] = (
    DemoCase("longcheng", "source", 35, plant(11, "鑫源纸品厂", "刘建华", "城南路18号", 3)),
    DemoCase("longcheng", "evidence", 1, plant(12, "恒达木业加工厂", "吴德胜", "桃溪路66号", 2)),
    DemoCase("longcheng", "filing", 0, plant(13, "新宇塑料制品厂", "郑少平", "工业东路9号", 4)),
    DemoCase("longcheng", "notice_served", 2, plant(14, "佳美服装加工厂", "林美华", "新华路120号", 2)),
    DemoCase("longcheng", "review", 1, plant(15, "顺发物流仓库", "张顺发", "物流园B区2号", 6)),
    DemoCase("longcheng", "deciding", 0, plant(16, "兴隆家具厂", "邱兴隆", "家具城5号", 3)),
    DemoCase("longcheng", "decided", 14, plant(17, "宏图印刷厂", "许宏图", "印刷路3号", 2)),
    DemoCase("longcheng", "executing", 3, plant(18, "金峰五金加工厂", "陈金峰", "五金街21号", 2)),
    DemoCase("longcheng", "executing", 24, plant(19, "丰泰食品厂", "蔡丰泰", "食品园7号", 3)),
    DemoCase("first_minor", "investigating", 3, shop(23, "好又多便利店", "周晓燕", "人民路30号")),
    DemoCase("first_minor", "review", 0, shop(21, "福源小吃店", "黄福源", "解放路12号")),
    DemoCase("first_minor", "deciding", 1, shop(22, "万家便利店", "万丽", "和平街8号")),
    DemoCase("gaosha", "order_served", 2, {"title": "高砂新型建材厂（二车间）特种作业人员未持证案"}),
    DemoCase(
        "xianxi",
        "review",
        1,
        {
            "title": "叶金福使用禁用渔具捕捞案",
            "party": PartySpec(PERSON, "叶金福", "resident_id", "35049919800612051", "{town}溪口村3号"),
            "interviewee": "叶金福",
            "facts": "当事人叶金福在溪口河段使用密眼地笼网12条进行捕捞，渔获物约6公斤。",
            "nets": "密眼地笼网12条（网目约6毫米）",
            "waiver": "本人对告知的违法事实和拟处罚内容无异议，放弃陈述、申辩权利。签名：叶金福",
            "address": "{town}溪口河段",
        },
        township=10,
    ),
)

# Clues of the intake demo opened as cases (one click, DESIGN.md): category -> the party the officers
# found, and the stage the case reached.
CLUE_PARTIES: dict[str, tuple[PartySpec, str]] = {
    "advertising": (
        PartySpec(
            ORGANISATION, "沙溪县济民大药房有限公司", "uscc", _uscc_body(31), "{town}桃城大道88号", "邹济民"
        ),
        "filing",
    ),
    "refuse": (
        PartySpec(
            ORGANISATION, "沙溪县宏达装饰工程有限公司", "uscc", _uscc_body(32), "{town}凤塘路20号", "何宏达"
        ),
        "evidence",
    ),
}
