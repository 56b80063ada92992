"""The words of the seed cases: parties, facts, records, opinions (zhifa.cases.scenarios.stories).

The facts are the seeds' (000 Longcheng, 002 Gaosha, 001 Xianxi; APL Art. 33 for the first minor
violation); names, numbers and addresses are fictional, the addresses in the township that runs the case.
"""

from __future__ import annotations

from typing import Any

from zhifa.cases.scenarios.cast import Cast
from zhifa.cases.scenarios.kit import PartySpec


def longcheng_texts(cast: Cast) -> dict[str, Any]:
    party = PartySpec(
        "organisation",
        "沙溪县龙城包装加工厂",
        "uscc",
        "91350499MA2LC0B1X",
        f"{cast.township.name}龙城工业区8号",
        legal_representative="陈志强",
        phone="13905981234",
    )
    return {
        "title": "龙城包装加工厂擅自挪用消防器材案",
        "party": party,
        "address": party.address,
        "act_days_before": 3,
        "source_note": "消防安全检查发现",
        "facts": (
            "当事人沙溪县龙城包装加工厂管理人员擅自将生产车间配置的4具灭火器挪至办公区和仓库另作他用，"
            "车间内无灭火器可用。该厂系纸品包装加工企业，车间堆放大量纸板等可燃物，属严禁烟火场所。"
        ),
        "inspection": (
            "执法人员出示执法证件，表明身份。经检查：该厂生产车间灭火器配置点4处均为空置，"
            "灭火器被挪至办公区作门挡和仓库角落堆放；车间内堆放纸板约30吨。现场拍照取证2张。"
        ),
        "present": "陈志强（厂长）",
        "photos": ["车间灭火器配置点空置", "灭火器被挪至办公区作门挡"],
        "interview": (
            "问：车间的灭火器哪里去了？答：上个月我让人把灭火器搬到办公室和仓库，车间里碍事。"
            "问：你是否知道挪用消防器材违法？答：不知道这么严重，马上搬回去。"
        ),
        "types": ["罚款"],
        "intended_fine": "10000",
        "statement": "灭火器已于检查当日全部放回原位，系初次违法，请求从轻处罚。",
        "reexamination": "当事人已当场改正，挪用事实清楚；从轻处罚的请求予以采纳，罚款由一万元调整为八千元。",
        "fine": "8000",
        "review_opinion": (
            "主体适格，事实清楚，证据确凿，程序合法，适用法律正确，裁量适当，同意作出处罚决定。"
        ),
    }


def gaosha_texts(cast: Cast) -> dict[str, Any]:
    from zhifa.org.models import Zone

    zone = Zone.objects.filter(townships=cast.township).select_related("leader").first()
    organiser = f"{zone.name}片长{zone.leader.name}" if zone and zone.leader else "片区片长"
    party = PartySpec(
        "organisation",
        "沙溪县高砂新型建材厂",
        "uscc",
        "91350499MA2GX7C2K",
        f"{cast.township.name}高砂工业园3号",
        legal_representative="黄德明",
        phone="13859871234",
    )
    return {
        "title": "高砂新型建材厂未建立特种作业人员档案案",
        "party": party,
        "address": party.address,
        "act_days_before": 0,
        "source_note": f"{organiser}组织安全生产联合执法检查发现",
        "facts": (
            "当事人沙溪县高砂新型建材厂安排2名电气焊作业人员从事焊接与热切割作业，"
            "未建立特种作业人员档案，未能提供特种作业操作证。"
        ),
        "inspection": (
            f"{organiser}组织片区联合执法检查。执法人员出示执法证件，表明身份。经检查：该厂钢构车间有2名人员"
            "正在进行电气焊作业，企业未建立特种作业人员档案，现场未能出示特种作业操作证。"
        ),
        "present": "黄德明（厂长）",
        "checklist": "片区联合执法现场检查记录表：特种作业人员持证上岗、档案管理等12项，1项不符合。",
        "photos": ["车间电气焊作业现场", "特种作业人员档案柜（空）"],
        "interview": (
            "问：电焊工是否取得特种作业操作证？答：一个有证放在家里，另一个在考。"
            "问：厂里有没有特种作业人员档案？答：没有建立。"
        ),
        "requirement": (
            "立即停止无证人员特种作业；于期限内建立特种作业人员档案，"
            "安排作业人员参加培训并取得特种作业操作证后上岗。"
        ),
        "rectify_days": 7,
        "rectified_note": "复查：已建立特种作业人员档案，2名电焊工均持有效特种作业操作证上岗，整改到位。",
        "closing_note": "当事人已按期整改到位，卷宗齐全，同意结案。",
    }


def xianxi_texts(cast: Cast) -> dict[str, Any]:
    party = PartySpec(
        "person",
        "林水生",
        "resident_id",
        "35049919720315031",
        f"{cast.township.name}仙溪村12号",
        phone="13605987788",
    )
    justice = cast.justice.person.name
    return {
        "title": "林水生使用禁用渔具捕捞案",
        "party": party,
        "address": f"{cast.township.name}仙溪水库库湾",
        "interview_place": f"{cast.township.name}综合执法队询问室",
        "interviewee": party.name,
        "act_days_before": 1,
        "source_note": "渔政联合巡查发现",
        "facts": (
            "当事人林水生在仙溪水库库湾使用网目小于最小网目尺寸的密眼地笼网20条进行捕捞，渔获物约15公斤。"
        ),
        "inspection": (
            "执法人员出示执法证件，表明身份。经检查：仙溪水库库湾水域布设密眼地笼网20条，"
            "网目约8毫米，小于规定最小网目尺寸；现场渔获物约15公斤，多为幼鱼。现场拍照取证2张。"
        ),
        "present": "林水生",
        "photos": ["库湾布设的密眼地笼网", "地笼网网目测量"],
        "nets": "密眼地笼网20条（网目约8毫米）",
        "interview": (
            "问：地笼网是谁的？答：是我的，放了两天。问：是否知道密眼地笼网禁用？答：听说过，以为没人管。"
        ),
        "types": ["罚款", "没收非法财物"],
        "intended_fine": "2000",
        "fine": "2000",
        "waiver": "本人对告知的违法事实和拟处罚内容无异议，放弃陈述、申辩权利。签名：林水生",
        "review_opinion": (
            "主体适格，事实清楚，证据确凿，程序合法，扣押物品依法处理，适用法律正确，同意提交集体讨论。"
        ),
        "panel": [
            {"name": justice, "role": "official"},
            {"name": "王立诚", "role": "government_counsel"},
            {"name": "陈静", "role": "public_lawyer"},
        ],
        "discussion": {
            "chair": cast.leader.person.name,
            "attendees": f"{cast.leader.person.name},郑国华,刘海燕",
            "conclusion": "同意对当事人罚款二千元，没收密眼地笼网20条。",
            "agreed": True,
        },
    }


def first_minor_texts(cast: Cast) -> dict[str, Any]:
    party = PartySpec(
        "business",
        f"沙溪县{cast.township.name[:2]}惠民便利店",
        "uscc",
        "92350499MA2HM3D4Y",
        f"{cast.township.name}中山路56号",
        legal_representative="李秀英",
        phone="13705981122",
    )
    return {
        "title": "惠民便利店灭火器未保持完好有效案",
        "party": party,
        "address": party.address,
        "act_days_before": 0,
        "source_note": "九小场所消防安全检查发现",
        "facts": "当事人店内配置的2具灭火器压力指针处于红区、已超过检验期限，未保持完好有效。",
        "inspection": (
            "执法人员出示执法证件，表明身份。"
            "经检查：店内2具灭火器压力不足、超过检验期限。当事人当场购置新灭火器更换。"
        ),
        "present": "李秀英（经营者）",
        "photos": ["压力不足的灭火器", "当场更换后的灭火器"],
        "interview": (
            "问：灭火器多久没检查了？答：开店两年没注意过。"
            "问：以前是否因消防问题被处罚？答：没有，这是第一次。"
        ),
        "no_penalty": (
            "当事人系初次违法，危害后果轻微，已当场更换灭火器改正，依据《行政处罚法》第三十三条第一款可以不予行政处罚；"
            "已对当事人进行消防安全教育。"
        ),
        "review_opinion": (
            "事实清楚，当事人初次违法且危害后果轻微并及时改正，符合首违不罚情形，同意不予行政处罚。"
        ),
        "closing_note": "不予行政处罚决定已送达，已对当事人进行教育，同意结案。",
    }
