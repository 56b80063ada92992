"""What the intake demo is made of (zhifa/intake/demo.py): the usual items of each default category,
a few time limits, how each kind of matter is usually handled, and the 40 clues of the demo week.

Texts follow what seeds 000-003 tell grid workers and the hotline report; places are the demo county's
(its townships are picked by index; a clue whose route needs a claimed item moves to the next township
that has claimed one, so the routes hold whatever the demo's grant lists contain).
"""

from __future__ import annotations

from dataclasses import dataclass

from zhifa.intake.models import ClueSource, ClueStatus, HandlingResult, StepKind

# The power items a category's matters usually touch (offered first when classifying).
CATEGORY_ITEMS: dict[str, tuple[str, ...]] = {
    "street-trading": ("CF-CG-013", "CF-CG-018", "CF-CG-023", "CF-CG-010", "CF-JT-001"),
    "refuse": ("CF-CG-004", "CF-CG-028", "CF-CG-038", "CF-CG-027", "CF-CG-006", "CF-CG-007", "CF-ZJ-013"),
    "illegal-building": ("CF-ZR-006", "CF-ZR-008", "CF-CG-014", "CF-NY-019", "CF-ZJ-002", "CF-ZJ-011"),
    "advertising": ("CF-CG-002", "CF-CG-009", "CF-CG-015"),
    "fire-hazard": ("CF-XF-001", "CF-XF-002", "CF-XF-003", "CF-XF-009", "CF-XF-017"),
    "work-safety": ("CF-AQ-006", "CF-AQ-011", "CF-AQ-013", "CF-AQ-015"),
    "pollution": ("CF-CG-029", "CF-CG-031", "CF-CG-035", "CF-ST-006", "CF-ST-014", "CF-ST-015", "CF-ST-002"),
    "fishing": ("CF-NY-001", "CF-NY-002", "CF-NY-003", "CF-NY-005"),
    "sand": ("CF-SL-010", "CF-SL-011", "CF-SL-001", "CF-SL-015"),
    "land": ("CF-ZR-002", "CF-ZR-003", "CF-LY-001", "CF-LY-003"),
    "food-market": ("CF-SJ-001", "CF-SJ-010", "CF-SJ-007", "CF-SJ-002"),
    "culture": ("CF-WL-001", "CF-WL-002", "CF-WL-003", "CF-WL-004"),
}

# (category, step, minutes): fire hazards are dispatched and signed for within 15 minutes and handled
# within 4 hours; street trading is handled within 2 hours. Not statutory (LAW.md: configurable).
LIMITS: tuple[tuple[str, str, int], ...] = (
    ("fire-hazard", StepKind.DISPATCH, 15),
    ("fire-hazard", StepKind.ACCEPT, 15),
    ("fire-hazard", StepKind.HANDLE, 4 * 60),
    ("street-trading", StepKind.HANDLE, 2 * 60),
)

# category -> (handling result, what the team did, what it reported back)
HANDLING: dict[str, tuple[str, str, str]] = {
    "street-trading": (
        HandlingResult.RECTIFIED,
        "到场劝导，责令摊主将摊位撤回店内经营，现场已恢复通行。",
        "占道摊位已当场整改，已告知摊主按规定时段在疏导点经营。",
    ),
    "refuse": (
        HandlingResult.RECTIFIED,
        "查明倾倒人，责令其当日清运完毕，并进行批评教育。",
        "垃圾已清运，已在该处设置警示牌，纳入网格日常巡查。",
    ),
    "illegal-building": (
        HandlingResult.CASE_FILED,
        "现场勘验并拍照取证，已下达责令停止建设通知书，拟立案调查。",
        "已立案查处，违建部分已停工。",
    ),
    "advertising": (
        HandlingResult.RECTIFIED,
        "责令设置单位当日拆除未经批准的广告设施，小广告已清理。",
        "广告设施已拆除，墙面已清洗。",
    ),
    "fire-hazard": (
        HandlingResult.RECTIFIED,
        "现场责令清除楼道杂物、停止飞线充电，督促配齐灭火器。",
        "隐患已当场整改，已对负责人进行消防安全提醒。",
    ),
    "work-safety": (
        HandlingResult.CASE_FILED,
        "现场责令停止作业，查验作业人员无特种作业操作证，已立案调查。",
        "已立案查处，企业已安排持证人员作业并完成整改。",
    ),
    "pollution": (
        HandlingResult.RECTIFIED,
        "现场检查，责令经营者安装使用油烟净化设施、控制音量。",
        "已整改，经复查达标，周边居民表示认可。",
    ),
    "fishing": (
        HandlingResult.CASE_FILED,
        "现场查获违规捕捞工具，渔获物已放流，依法扣押渔具并立案调查。",
        "已立案查处，涉案渔具已没收。",
    ),
    "sand": (
        HandlingResult.CASE_FILED,
        "现场责令停止采砂，暂扣采砂设备，已立案调查。",
        "已立案查处，河道滩地已恢复原状。",
    ),
    "land": (
        HandlingResult.CASE_FILED,
        "现场测量占地面积并取证，责令停止违法行为，已立案调查。",
        "已立案查处，责令限期恢复土地原状。",
    ),
    "food-market": (
        HandlingResult.NO_VIOLATION,
        "现场检查，经营者已取得营业执照和健康证明，未发现违法行为。",
        "经核实未发现违法行为，已向举报人说明情况。",
    ),
    "other": (HandlingResult.RECTIFIED, "到场处置完毕。", "已处置完毕。"),
}


@dataclass(frozen=True)
class ClueSpec:
    """One demo clue: where it is, what it says, how far round the loop it goes and how long ago.

    `route`: "team", "transfer" or "joint" (with `second`, the other category) once classified; None
    leaves it unclassified. `last`: minutes since its latest step (the countdown follows from it).
    `near`: the key of a clue it lies next to (a duplicate). `note`: the reason of a send-back, a failed
    verification or a dismissal. `items`: the items the text describes, tried before the category's.
    """

    key: str
    status: str
    category: str
    text: str
    last: float
    town: int = 0
    route: str | None = "team"
    second: str = ""
    source: str = ClueSource.GRID
    address: str = ""
    priority: str = "normal"
    near: str = ""
    outside: bool = False
    no_position: bool = False
    contact: tuple[str, str] | None = None
    send_back: bool = False
    reopen: bool = False
    note: str = ""
    dispatch_note: str = ""
    rating: tuple[int, str] | None = None
    reporter: int = 0
    items: tuple[str, ...] = ()  # the items the text describes, tried first


S = ClueStatus
H = 60  # minutes in an hour

# fmt: off
CLUES: tuple[ClueSpec, ...] = (
    # Waiting for the dispatcher (待派遣).
    ClueSpec("R1", S.REPORTED, "street-trading", last=6, route=None, address="农贸市场东门",
             text="农贸市场东门有三个水果摊占用人行道经营，行人只能绕到机动车道通行。"),
    ClueSpec("R2", S.REPORTED, "street-trading", last=3, route=None, near="R1", reporter=1,
             text="农贸市场东门水果摊占道经营，人行道被堵，行人走机动车道。"),
    ClueSpec("R3", S.REPORTED, "refuse", last=52, town=1, route=None, address="溪东路与青湾路交叉口",
             text="溪东路与青湾路交叉口绿化带内有人倾倒建筑垃圾约两车，一直无人清运。"),
    ClueSpec("R4", S.REPORTED, "fire-hazard", last=11, address="金凤小区3号楼", priority="urgent",
             items=("CF-XF-009", "CF-XF-017"),
             text="金凤小区3号楼楼道内电动车飞线充电，安全出口被杂物堵塞。"),
    ClueSpec("R5", S.REPORTED, "pollution", last=20, town=2, route=None, source=ClueSource.HOTLINE_12345,
             address="滨江花园小区临街商铺", no_position=True, contact=("陈先生", "13800138000"),
             text="市民来电反映：滨江花园小区楼下烧烤店每晚油烟直排，噪声扰民至凌晨。"),
    ClueSpec("R6", S.REPORTED, "other", last=8, route=None, source=ClueSource.HOTLINE,
             address="县道与邻县交界处", outside=True,
             text="来电反映：县道交界处山路边有车辆倾倒不明液体，气味刺鼻。"),
    ClueSpec("R7", S.REPORTED, "pollution", last=15, town=3, route=None, source=ClueSource.PUBLIC,
             contact=("林女士", ""),
             text="镇区一家KTV每晚营业到凌晨两点，音响声音很大，影响周边居民休息。"),
    ClueSpec("R8", S.REPORTED, "illegal-building", last=5, town=2, send_back=True, items=("CF-ZJ-002",),
             text="清城社区一住户装修时擅自拆除承重墙，楼上住户墙面开裂。",
             note="现场未找到该住户，门牌号有误，请联系上报人核实后重新派遣。"),
    # The joint meeting (待联席会商).
    ClueSpec("J1", S.JOINT, "food-market", last=95, route="joint", second="fire-hazard", address="小吃街",
             items=("CF-SJ-001", "CF-XF-001"),
             text="小吃街一家餐馆疑似无许可经营，后厨液化气钢瓶紧挨灶台，灭火器已过期。"),
    # Waiting to be signed for (待签收).
    ClueSpec("D1", S.DISPATCHED, "pollution", last=12, address="文化公园", items=("CF-CG-035",),
             text="文化公园每晚广场舞音响音量过大，周边居民反映影响休息。"),
    ClueSpec("D2", S.DISPATCHED, "advertising", last=45, address="桃城大道", items=("CF-CG-009",),
             text="桃城大道沿街商铺未经同意设置大型户外广告牌，部分已松动，存在坠落风险。"),
    ClueSpec("D3", S.DISPATCHED, "fire-hazard", last=8, priority="urgent", reporter=1,
             items=("CF-XF-001",), text="沿街仓库内堆放大量纸箱，消防通道被占用，灭火器缺失。"),
    ClueSpec("D4", S.DISPATCHED, "refuse", last=20, town=1, items=("CF-ZJ-013", "CF-CG-007"),
             text="龙尾社区一工地建筑渣土露天堆放未覆盖，风一吹尘土飞扬。"),
    ClueSpec("D5", S.DISPATCHED, "sand", last=25, town=4, items=("CF-SL-011",),
             text="松湾村河道滩地有人堆放砂石并架设洗砂设备。"),
    # Being handled (处置中).
    ClueSpec("H1", S.HANDLING, "street-trading", last=40, town=1, address="青湾夜市", items=("CF-CG-018",),
             text="青湾夜市部分摊位超出划定的经营范围，桌椅摆到机动车道上。"),
    ClueSpec("H2", S.HANDLING, "pollution", last=26 * H, reporter=1, items=("CF-ST-014",),
             text="玉坂社区一建筑工地晚上十一点后仍在打桩施工，噪声扰民。"),
    ClueSpec("H3", S.HANDLING, "refuse", last=90, reopen=True, reporter=2,
             items=("CF-CG-027", "CF-CG-006"), text="龙厝社区有装修公司的三轮车运输建筑垃圾，沿途遗撒。",
             note="复查发现路口仍有遗撒的建筑垃圾未清理。"),
    ClueSpec("H4", S.HANDLING, "work-safety", last=150, town=1, items=("CF-AQ-006",),
             text="富水社区一家钢材加工厂工人无证焊割作业，现场无防护措施。"),
    ClueSpec("H5", S.HANDLING, "fishing", last=200, town=2, items=("CF-NY-001",),
             text="桃岩社区溪段有人使用电瓶电鱼，沿岸可见死鱼。"),
    ClueSpec("H6", S.HANDLING, "land", last=300, town=5, items=("CF-ZR-002",),
             text="大石村有人在耕地上挖塘取土，已挖开约半亩。"),
    # Handled, waiting for the feedback (待反馈).
    ClueSpec("HD1", S.HANDLED, "advertising", last=30, items=("CF-CG-009",),
             text="一家药店未经同意在楼顶设置大型户外广告牌。"),
    ClueSpec("HD2", S.HANDLED, "street-trading", last=150, town=1, items=("CF-CG-018",),
             text="下林社区菜市场外摊贩超出划定的临时摊区，占用车行道。"),
    ClueSpec("HD3", S.HANDLED, "fire-hazard", last=40, town=3, items=("CF-XF-001",),
             text="一家小旅馆消防器材缺失，灭火器压力不足，应急照明损坏。"),
    # Fed back, waiting for verification on site (待核查).
    ClueSpec("F1", S.FED_BACK, "refuse", last=120, items=("CF-CG-027", "CF-CG-006"),
             text="凤塘路一工地渣土车未覆盖，沿途遗撒泥土。"),
    ClueSpec("F2", S.FED_BACK, "pollution", last=300, town=1, items=("CF-CG-029",),
             text="富水社区一家烧烤店油烟直排居民楼。"),
    ClueSpec("F3", S.FED_BACK, "fishing", last=30 * H, town=2, items=("CF-NY-003",),
             text="石桥社区水库有人用密眼地笼网捕鱼，网目很小。"),
    # Verified, waiting to be closed (待结案).
    ClueSpec("V1", S.VERIFIED, "pollution", last=50, items=("CF-ST-006",),
             text="一家废品收购站露天焚烧电线外皮，黑烟刺鼻。"),
    ClueSpec("V2", S.VERIFIED, "work-safety", last=20, town=3, items=("CF-AQ-006",),
             text="一家木材加工厂电工无证上岗接线作业。"),
    # Closed (已结案), two of them evaluated by the grid worker who reported them.
    ClueSpec("C1", S.CLOSED, "work-safety", last=3 * 24 * H, rating=(5, "处理很及时，现场已有人监护。"),
             items=("CF-AQ-011",), text="一家广告公司在临街楼顶电焊作业，无人监护，火花四溅。"),
    ClueSpec("C2", S.CLOSED, "fire-hazard", last=2 * 24 * H, rating=(4, "整改到位，建议定期复查。"),
             items=("CF-XF-017",), text="一幢出租屋楼道内电动车集中充电，私拉电线。"),
    ClueSpec("C3", S.CLOSED, "pollution", last=30 * H, town=1, items=("CF-ST-015",),
             text="富水社区一家棋牌室音响声音过大，夜间噪声扰民。"),
    ClueSpec("C4", S.CLOSED, "refuse", last=20 * H, town=2, items=("CF-CG-007",),
             text="清城社区一临街工地围挡缺失，渣土堆在路边。"),
    ClueSpec("C5", S.CLOSED, "sand", last=4 * 24 * H, town=4, items=("CF-SL-011",),
             text="南厝村溪边滩地被用作砂石堆场，堆放高度超过两米。"),
    ClueSpec("C6", S.CLOSED, "fishing", last=5 * 24 * H, town=6, items=("CF-NY-003",),
             text="玉口村溪流有人使用拦河密网捕鱼。"),
    # Transferred to the competent department (已移送).
    ClueSpec("T1", S.TRANSFERRED, "culture", last=6 * H, route="transfer", items=("CF-WL-003",),
             text="一家网吧深夜接纳未成年人上网。"),
    ClueSpec("T2", S.TRANSFERRED, "food-market", last=9 * H, town=2, route="transfer",
             items=("CF-SJ-007",), text="一家熟食店安排无健康证人员直接接触熟食。"),
    ClueSpec("T3", S.TRANSFERRED, "land", last=27 * H, town=6, route="transfer", items=("CF-LY-001",),
             text="杉洋社区山坡林地被推平，疑似未经审批改变林地用途。"),
    # Merged into the clue it repeats (已合并).
    ClueSpec("M1", S.MERGED, "street-trading", last=35, route=None, near="H1", reporter=1,
             text="青湾夜市有摊位把桌椅摆上机动车道，影响通行。"),
    # Dismissed (不予受理).
    ClueSpec("X1", S.DISMISSED, "other", last=4 * H, route=None,
             text="楼上邻居家漏水到我家，物业不管，请求处理。",
             note="属民事纠纷，已告知通过物业协商或诉讼解决，不属于行政执法事项。"),
    ClueSpec("X2", S.DISMISSED, "other", last=7 * H, town=1, route=None,
             text="小区停车位被业主私装地锁，要求拆除。",
             note="小区内部停车管理属物业服务事项，已转社区居委会协调。"),
)
# fmt: on
