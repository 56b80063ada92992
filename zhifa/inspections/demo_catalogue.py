"""The demo county's inspection catalogue: industries, items with checklists, and scenarios.

Shaped after seed 002 (Sha County bundled the items of many departments into scenarios such as the
restaurant, the hotel and the building site, "进一次门、查多项事"). Item codes are the department's
short code and a number; `power` names the power item of type 行政检查 the item exercises, where the
catalogue has one; otherwise the item is tied to the penalty items whose duties it checks (`checks`).
"""

from __future__ import annotations

INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("catering", "餐饮"),
    ("lodging", "住宿"),
    ("retail", "零售商超"),
    ("construction", "建筑工地"),
    ("entertainment", "文化娱乐场所"),
    ("workshop", "小微工业企业"),
)

# (code, name, department domain, power item code or "", industries, checklist [(point, basis)], minutes)
ITEMS: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[tuple[str, str], ...], int], ...] = (
    (
        "SJ-01",
        "食品经营规范检查",
        "market",
        "JC-SJ-001",
        ("catering", "retail"),
        (
            ("食品经营许可证在有效期内并悬挂", "《食品安全法》第三十五条"),
            ("从业人员持有效健康证明", "《食品安全法》第四十五条"),
            ("进货查验记录完整", "《食品安全法》第五十三条"),
        ),
        40,
    ),
    (
        "SJ-02",
        "明码标价检查",
        "market",
        "JC-SJ-004",
        ("catering", "retail", "lodging", "entertainment"),
        (("商品和服务明码标价", "《价格法》第十三条"),),
        15,
    ),
    (
        "SJ-03",
        "特种设备使用检查",
        "market",
        "JC-SJ-002",
        ("lodging", "retail", "workshop"),
        (
            ("电梯、锅炉等特种设备办理使用登记", "《特种设备安全法》第三十三条"),
            ("特种设备在检验合格有效期内使用", "《特种设备安全法》第四十条"),
        ),
        30,
    ),
    (
        "SJ-04",
        "亮照经营检查",
        "market",
        "JC-SJ-003",
        ("catering", "retail", "lodging", "entertainment", "workshop"),
        (("营业执照置于住所或营业场所醒目位置", "《市场主体登记管理条例》第三十六条"),),
        10,
    ),
    (
        "AQ-01",
        "安全生产主体责任检查",
        "emergency",
        "JC-AQ-001",
        ("workshop", "retail", "lodging"),
        (
            ("建立全员安全生产责任制", "《安全生产法》第二十二条"),
            ("开展安全生产教育和培训并记录", "《安全生产法》第二十八条"),
            ("建立事故隐患排查治理制度", "《安全生产法》第四十一条"),
        ),
        45,
    ),
    (
        "AQ-02",
        "燃气使用场所安全检查",
        "emergency",
        "JC-AQ-001",
        ("catering", "lodging"),
        (
            ("使用燃气场所安装可燃气体报警装置", "《安全生产法》第三十六条"),
            ("燃气管道、软管无老化破损", "《安全生产法》第四十一条"),
        ),
        20,
    ),
    (
        "WJ-01",
        "公共场所卫生检查",
        "health",
        "",
        ("lodging", "entertainment"),
        (
            ("取得公共场所卫生许可证", "《公共场所卫生管理条例》第八条"),
            ("公共用品用具清洗消毒", "《公共场所卫生管理条例》第三条"),
        ),
        30,
    ),
    (
        "WL-01",
        "娱乐场所经营检查",
        "culture_tourism",
        "",
        ("entertainment",),
        (
            ("取得娱乐经营许可证", "《娱乐场所管理条例》第九条"),
            ("未接纳未成年人（歌舞娱乐场所）", "《娱乐场所管理条例》第二十三条"),
        ),
        30,
    ),
    (
        "ZJ-01",
        "建设工程质量检查",
        "housing",
        "JC-ZJ-001",
        ("construction",),
        (
            ("按照工程设计图纸和施工技术标准施工", "《建设工程质量管理条例》第二十八条"),
            ("对建筑材料进行检验", "《建设工程质量管理条例》第二十九条"),
        ),
        60,
    ),
    (
        "ZJ-02",
        "施工现场安全检查",
        "housing",
        "",
        ("construction",),
        (
            ("设置安全警示标志和围挡", "《建设工程安全生产管理条例》第二十八条"),
            ("特种作业人员持证上岗", "《建设工程安全生产管理条例》第二十五条"),
        ),
        40,
    ),
    (
        "ST-01",
        "排污单位现场检查",
        "ecology",
        "JC-ST-001",
        ("workshop",),
        (
            ("按排污许可证要求排放污染物", "《环境保护法》第四十五条"),
            ("防治污染设施正常运行", "《环境保护法》第四十一条"),
        ),
        45,
    ),
    (
        "ST-02",
        "餐饮油烟排放检查",
        "ecology",
        "JC-ST-002",
        ("catering",),
        (("安装油烟净化设施并保持正常使用", "《大气污染防治法》第八十一条"),),
        15,
    ),
    (
        "CG-01",
        "门前三包与户外招牌检查",
        "urban",
        "",
        ("catering", "retail", "lodging", "entertainment"),
        (
            ("门前责任区整洁、无占道经营", "《城市市容和环境卫生管理条例》第十七条"),
            ("户外招牌设置牢固、规范", "《城市市容和环境卫生管理条例》第十一条"),
        ),
        15,
    ),
    (
        "CG-02",
        "建筑垃圾处置检查",
        "urban",
        "",
        ("construction",),
        (("建筑垃圾按核准的运输路线和消纳场所处置", "《固体废物污染环境防治法》第六十三条"),),
        20,
    ),
    (
        "ZR-01",
        "建设用地使用检查",
        "natural_resources",
        "JC-ZR-001",
        ("construction", "workshop"),
        (("按批准的用途和范围使用土地", "《土地管理法》第五十六条"),),
        30,
    ),
    (
        "SW-01",
        "单用途预付卡经营检查",
        "commerce",
        "",
        ("catering", "retail"),
        (("发卡企业按规定备案", "《单用途商业预付卡管理办法（试行）》第七条"),),
        20,
    ),
)

# (code, name, lead department domain, industries, item codes)
SCENARIOS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "catering",
        "餐饮店“综合查一次”",
        "market",
        ("catering",),
        ("SJ-01", "SJ-02", "SJ-04", "AQ-02", "ST-02", "CG-01"),
    ),
    (
        "lodging",
        "宾馆民宿“综合查一次”",
        "culture_tourism",
        ("lodging",),
        ("SJ-02", "SJ-03", "SJ-04", "AQ-02", "WJ-01", "CG-01"),
    ),
    (
        "retail",
        "商超便利店“综合查一次”",
        "market",
        ("retail",),
        ("SJ-01", "SJ-02", "SJ-04", "CG-01", "SW-01"),
    ),
    (
        "construction",
        "建筑工地“综合查一次”",
        "housing",
        ("construction",),
        ("ZJ-01", "ZJ-02", "CG-02", "ZR-01"),
    ),
    (
        "entertainment",
        "娱乐场所“综合查一次”",
        "culture_tourism",
        ("entertainment",),
        ("WL-01", "WJ-01", "SJ-02"),
    ),
    ("workshop", "小微企业“综合查一次”", "emergency", ("workshop",), ("AQ-01", "SJ-03", "ST-01", "ZR-01")),
)

# Subjects per industry: (name stems, kind) — the township's short name is put in front.
SUBJECT_NAMES: dict[str, tuple[str, ...]] = {
    "catering": ("老街小吃店", "溪畔饭庄", "兴旺面馆", "福满楼酒家", "阿婆米粉店", "山里人家农家乐"),
    "lodging": ("悦来宾馆", "溪景民宿", "客家人家旅馆"),
    "retail": ("惠民超市", "便民商店", "鑫源百货", "万家福便利店"),
    "construction": ("安置房二期工地", "中心小学改扩建工地"),
    "entertainment": ("星光KTV", "网络会所"),
    "workshop": ("竹木制品厂", "五金加工厂", "茶叶加工厂"),
}
