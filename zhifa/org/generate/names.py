"""Plausible Chinese names from a seeded random generator: places, departments, people, codes.

Nothing here touches the database; every function takes the `random.Random` it draws from, so the
same seed always gives the same names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# The most common surnames (weighted by rough frequency: the list repeats the commonest ones).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "陈林黄张李王吴刘蔡杨郑许谢"  # Fujian's commonest surnames, once more
)
# Given names of one character, and of two characters (the commoner), as they are actually used.
GIVEN_ONE = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚斌辉鹏华红玲燕峰琳颖"
GIVEN_TWO = (
    "秀英秀兰桂英建国建华志强志明海燕晓东晓明红梅文斌文辉俊杰"
    "婷婷雪梅丹丹鹏飞宇航思远子涵浩然欣怡嘉怡雨涵佳琪振宇国强"
    "永春荣华淑芬丽萍少华德华春生金水福清美玲玉兰玉珍素珍秀珍"
    "进财志坚一鸣立新卫东向阳明辉建平清华惠珍丽华国平海峰金龙"
    "永福"
)
# First and second characters of place names, in the style of rural Fujian (溪, 坑, 洋, 坪, 岭...).
PLACE_FIRST = "沙青富洋高夏南北东西上下大小新长白石黄龙凤桂梅竹松杉兰莲荷桃李清金银玉湖溪岩"
PLACE_SECOND = "溪口坑洋坪岭田源阳山林塘桥湖石坊埔洲岗头尾墩厝坂垄湾亭岩城水村"
NUMERALS = "一二三四五六七八九十"


def person_name(rng: random.Random) -> str:
    """A surname and a given name of one or two characters."""
    if rng.random() < 0.3:
        return rng.choice(SURNAMES) + rng.choice(GIVEN_ONE)
    pair = rng.randrange(len(GIVEN_TWO) // 2)
    return rng.choice(SURNAMES) + GIVEN_TWO[2 * pair : 2 * pair + 2]


def phone_number(rng: random.Random) -> str:
    """An 11-digit mobile number with a plausible operator prefix."""
    prefix = rng.choice(("130", "133", "135", "136", "137", "138", "139", "150", "151", "158", "177", "189"))
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


class NamePool:
    """Distinct two-character place stems, so that sibling places never share a name."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None) -> None:
        self.rng = rng
        self.taken: set[str] = taken if taken is not None else set()  # shared across calls when given

    def stem(self) -> str:
        for _attempt in range(200):
            stem = self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND)
            if stem not in self.taken and stem[0] != stem[1]:
                self.taken.add(stem)
                return stem
        # The pool is nearly exhausted (large provinces): add a third character.
        stem = self.rng.choice(PLACE_FIRST) + self.rng.choice(PLACE_SECOND) + self.rng.choice(PLACE_SECOND)
        while stem in self.taken:
            stem = stem + self.rng.choice(PLACE_SECOND)
        self.taken.add(stem)
        return stem


def township_name(stem: str, index: int, streets: int) -> str:
    """The first `streets` are streets (街道); then every third a township (乡), the rest towns (镇)."""
    if index < streets:
        return f"{stem}街道"
    return f"{stem}{'乡' if (index - streets) % 3 == 2 else '镇'}"


def community_name(stem: str, urban: bool) -> str:
    return f"{stem}社区" if urban else f"{stem}村"


@dataclass(frozen=True)
class DepartmentSpec:
    """A county department: name suffix after the county name, short name suffix, kind, domains."""

    name: str
    short: str
    kind: str
    domains: tuple[str, ...]


# Enforcement domains (执法领域) named on certificates and held by departments.
DOMAINS: tuple[tuple[str, str], ...] = (
    ("market", "市场监管"),
    ("urban", "城市管理"),
    ("natural_resources", "自然资源"),
    ("ecology", "生态环境"),
    ("agriculture", "农业农村"),
    ("transport", "交通运输"),
    ("emergency", "应急管理"),
    ("health", "卫生健康"),
    ("culture_tourism", "文化旅游"),
    ("water", "水利"),
    ("housing", "住房城乡建设"),
    ("forestry", "林业"),
    ("civil_affairs", "民政"),
    ("commerce", "商务"),
)

# The 16 county departments: 14 functional ones, the justice bureau and the staffing office. Public
# security is left out on purpose: its powers are not among those delegated to townships.
DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("市场监督管理局", "市监", "functional", ("market",)),
    DepartmentSpec("城市管理局", "城管", "functional", ("urban",)),
    DepartmentSpec("自然资源局", "自然资源", "functional", ("natural_resources",)),
    DepartmentSpec("生态环境局", "环境", "functional", ("ecology",)),
    DepartmentSpec("农业农村局", "农业农村", "functional", ("agriculture",)),
    DepartmentSpec("交通运输局", "交通", "functional", ("transport",)),
    DepartmentSpec("应急管理局", "应急", "functional", ("emergency",)),
    DepartmentSpec("卫生健康局", "卫健", "functional", ("health",)),
    DepartmentSpec("文化体育和旅游局", "文旅", "functional", ("culture_tourism",)),
    DepartmentSpec("水利局", "水利", "functional", ("water",)),
    DepartmentSpec("住房和城乡建设局", "住建", "functional", ("housing",)),
    DepartmentSpec("林业局", "林业", "functional", ("forestry",)),
    DepartmentSpec("民政局", "民政", "functional", ("civil_affairs",)),
    DepartmentSpec("商务局", "商务", "functional", ("commerce",)),
    DepartmentSpec("司法局", "司法", "justice_bureau", ()),
    DepartmentSpec("机构编制委员会办公室", "编办", "staffing_office", ()),
)

# Characters of the unified social credit code (GB 32100-2015) and the weights of its check character.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc(rng: random.Random, adcode: str) -> str:
    """A well-formed 18-character USCC of a state organ (category 11) in the county `adcode`."""
    body = "11" + adcode[:6] + "".join(rng.choice("0123456789") for _ in range(9))
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def numeral(n: int) -> str:
    """Chinese numerals 1-99 (for 第三片区 and the like)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return head + "十" + (NUMERALS[ones - 1] if ones else "")
