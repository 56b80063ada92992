"""The word lists and patterns of the name detection (zhifa.disclosure.redact_names).

They come from the way Chinese enforcement decisions write about people: labels and roles before a
name, descriptors and verbs after it, and the words of decisions that look like names but are not
(经查: 经 is a surname; jieba's dictionary tags 通知书 and 陈述 as person names). ZJ-PUB Art. 5-8: the names
of natural persons are hidden; organisations' names are not (ORG_SUFFIX tells them apart).
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Characters that cannot start a given name (function words, 某 of masked names).
FIRST_STOP = frozenset(
    "的了在于因称说讲将把被向对和与及等未已系是从无拒所也还又并即就都均仍曾其之该此这那没不予"
    "到去请要会能应需使让叫给按依据至过着们某＊*当本各每另"
)
# Words of decisions that look like names to the detectors (经查: 经 is a surname; jieba tags 查明 nr).
NOT_NAMES = _words(
    """经查 查明 经核 另查 又查 经审 经询 复查 核查 核实 经研究 经调查 经复核 经询问 经检查 年生 月生
    日生 于当日 时任 时值 于次日 于同日 连同 向其 向本 于是 和解 单位 方面 方式 方可 高度 安全 全部
    成立 管理 程序 文书 项目 车辆 房屋 明确 常住 林地 林区 山林 山场 江边 河道 水域 应当 应予 应急
    应对 金额 双方 相关 相应 关于 关系 关闭 公告 公示 公开 公民 法定 法律 法规 任何 任意 时间 时段
    时限 原告 原因 原状 原址 原有 包括 包装 包工 冯某 宁可 严重 严格 严禁 严肃 武装 林业 水利 农业
    城管 司法 司机 沙石 沙土 石料 石块 邱某 易燃 易爆 宋体 黄色 蓝色 白色 陈述 通知书 许可 许可证
    银行卡 公正 明白 师傅 顾问 顾客 封锁 宣传部 盖章 张贴 张望 张罗 张开 张口 周转 解密 权衡 许诺
    严重性 严重者 齐全 齐备 连贯 通达 通晓 阳光 明星 向东 向阳 过敏 康复 吉祥 祝贺 祝福 关怀 原谅
    安抚 容纳 杜绝 晋升 晋级 施舍 施政 盛世 陈列 陈设 陈旧 任凭 滑雪 高喊 高潮 高峰 高超 高昂 周全
    周详 周密 齐声 宁可 宁静 安静 温馨 冷笑 冷汗 于今 毋宁 诸如 钱财 钱粮 万世 马虎 林木 林子
    田园 山后 雷声 雷雨 红旗 红光 黄金 白天 金额 全家 全家福 庄园 包银 宗庙 范畴 封信 连成 卓越 卓绝
    凌空 洪水 洪亮 时髦 古老 古董 元老 宣言 言语 言辞 荣誉 荣获 荣耀 牛马 花白 毛发 毛巾 成仁 和善
    和睦 索引 伏兵 利剑 须知 容颜 苏醒 爱戴 归顺 通知 通报 通告 甘休 巴结 支付宝 淘宝 京东 美团 抖音
    快手 拼多多 应自 应于 应在 应当 应予 应按 应将 应向 应依 应即 应由 应对"""
)
# Characters before a name that end the words before it (系卢德旺之子, 与王五).
BOUNDARY_CHARS = frozenset("系为是与和及同由")
# Surnames that are function words first (向, 于, 和 …).
FUNCTION_SURNAMES = frozenset("于和从向时全都能有那后应经过代同常方以须原")
# Of those, the ones rarely a surname in practice (过长, 应缴: never a name on a weak signal alone).
RARE_FUNCTION_SURNAMES = frozenset("过须应都能有那后以从时全代原种盖")
# jieba tags of words that are never a name (verbs, adverbs, adjectives, pronouns, numbers …).
NOT_NAME_TAGS = frozenset("vdapcumqrtf")
# Words that never start a name (经查高某反映: 经查 + 高).
NOT_NAME_HEADS = _words(
    """经查 经核 另查 又查 经审 经询 复查 核查 核实 于当 时任 时值 应自 应于 应在 应当 应予 应按 应将
    应向 应依 应即 应由"""
)
# After a name, a place or an organisation: 沙溪县, 金山村, 张三小吃店.
PLACE_AFTER = frozenset("县市区镇乡村路街巷弄省州屯寨湾岭坑")
PLACE_END = frozenset("县市区镇乡村路街巷弄省")
# Last characters of organisations and rooms, not of names (家具厂, 储物间).
ORG_END = frozenset("厂店社馆局院站场部司队室间楼库棚")
# Where the words after a name stop being the rest of an organisation's name (张三经营的店).
ORG_BREAK = FIRST_STOP | frozenset("称说讲述承签确表介驾开骑经擅私拒违占现")
# Characters after which a two-character name ends rather than takes a third character.
NEXT_STOP = (
    FIRST_STOP
    | PLACE_AFTER
    | frozenset(
        "称说讲述承签确表介驾开骑经擅私拒违占现家夫妻父母子女儿一二两三四五六七八九十"
        "个名岁男女住系为由向到于和与及或等的曾已未均都共同先再又还仍将会能可应需要想让"
        "在正所以把被给替帮处罚款受认同承包租"
    )
)
# Words that start right after a two-character name.
STOP_BIGRAMS = _words(
    """现场 家中 家里 同意 明确 表示 承认 本人 所有 自己 一家 等人 驾驶 经营 负责 因为 违反 作为 当场
    当日 当天 陈述 供述 签字 签名 确认 介绍 辩称 反映 交代 认可 拒绝 在场 到场 夫妇 夫妻 父子 母子
    母女 父女 兄弟 姐妹 名下 同志 先生 女士 老师 师傅 擅自 私自 未经 随即 立即 已经 没有 不在 无法
    于是 从事 租用 承租 出租 购买 建设 搭建 堆放 焚烧 饲养 遛狗 施工 开挖 倾倒 运输 销售 占用 设置
    摆放 安装 使用"""
)
ORG_SUFFIX = re.compile(
    r"有限责任公司|股份有限公司|有限公司|分公司|公司|集团|厂|店|商行|车行|经营部|门市部|服务部|批发部"
    r"|维修部|销售部|项目部|超市|市场|饭店|酒店|宾馆|旅馆|餐馆|餐厅|食堂|小吃|排档|合作社|农场|林场"
    r"|养殖场|屠宰场|加工场|工作室|中心|事务所|诊所|研究所|药房|商店|商场|工作坊|作坊|农庄|山庄|茶楼"
    r"|酒楼|网吧|会所|馆|社|委员会|协会|学校|幼儿园|医院|卫生院|政府|办事处|银行|工地|砖厂|石场|沙场"
    r"|驾校|车队|经营户"
)

# Words before a name. Labels first (a colon after them makes the signal strong), then relations and
# roles. Officers (执法人员, 承办人) are natural persons too: kept only when the caller keeps them.
CONTEXT_WORDS = tuple(
    sorted(
        _words(
            """姓名 名字 当事人 被处罚人 违法行为人 行为人 证人 法定代表人 负责人 经营者 实际经营者
            实际控制人 业主 户主 驾驶人 驾驶员 委托代理人 代理人 联系人 受托人 申请人 举报人 投诉人
            被询问人 被检查人 见证人 在场人 在场人员 签收人 受送达人 收件人 监护人 户名 开户名 收款人
            缴款人 房东 租户 承租人 出租人 所有人 车主 股东 施工负责人 现场负责人 工地负责人 项目负责人
            建设人 建房人 承包人 记录人 询问人 检查人 执法人员 承办人 办案人员 翻译人员 陪同人 陪同人员
            签名 签字 当事人签名 家属 其妻 其夫 其子 其女 之女 之子 之妻 之夫 其父 其母 其兄 其弟 其姐
            其妹 儿子 女儿 父亲 母亲 妻子 丈夫 老婆 老公 爱人 哥哥 弟弟 姐姐 妹妹 儿媳 女婿 侄子 侄女
            外甥 孙子 孙女 岳父 岳母 公公 婆婆 亲属 邻居 村民 居民 员工 工人 雇员 店员 服务员 厨师 司机
            保安 店主 摊主 老板 老板娘 房主 屋主 农户 养殖户 种植户 村干部 村主任 村支书 组长 网格员
            护林员 保洁员 群众 市民 游客 学生 师傅 帮工 工友 同事 朋友 承租户 商户 经营户 摊贩 外卖员
            快递员 骑手 机手 名叫 叫做 名为 姓名为 犬主 饲养人 养犬人 负责人员 管理人员 法人 法人代表
            委托人 被委托人 证明人 报案人 发现人 施工人员 作业人员 操作人员 电工 焊工 伙同 同伙 调度员
            导游 环卫工人 环卫工 清洁工 会计 出纳 收银员 销售员 业务员 项目经理 经理 厂长 店长 主任 队长
            站长 技术员 安全员 管理员 仓管员 雇工 工头 包工头 班长 船主 船员 渔民 果农 菜农 农民 农妇
            村民代表 户主之子 户主之妻 前任店主 继承人 共有人 合伙人 担保人 第三人 利害关系人 受害人
            被害人 伤者 患者 死者 孙女婿 外孙 外孙女 舅舅 姑姑 阿姨 叔叔 伯父 婶婶 表哥 表弟 堂兄 堂弟
            男友 女友 前妻 前夫 家人 外公 外婆 爷爷 奶奶 祖父 祖母 外祖父 外祖母 叔父 姑父 姨父 姨妈
            舅妈 嫂子 弟媳 姐夫 妹夫 亲戚 父母 询问了 询问 告知 通知 责令 约谈 传唤 送达 交由 交给 雇佣
            雇请 聘请 请来 找来 指使 委托 安排 联系了 联系 发现 看见 看到 遇到 劝导 劝离 制止 教育 批评
            陪同 由"""
        ),
        key=lambda w: (-len(w), w),
    )
)
STRONG_WORDS = frozenset({"姓名", "名字", "姓名为", "名叫", "叫做", "名为", "户名", "开户名"})
CONTEXT = re.compile(
    "(?P<ctx>" + "|".join(CONTEXT_WORDS) + r")(?P<aside>（[^）\n]{1,12}）|\([^)\n]{1,12}\))?"
    r"(?P<colon>[ \t]*[：:][ \t]*)?[ \t]*(?:为|是|系|即|叫)?[ \t]*"
)
DESCRIPTOR = re.compile(
    r"(?P<strong>[，,]\s*[男女](?=[，,。；;）)\s])|[（(][男女]|[，,（(](?:身份证|公民身份|居民身份|性别|出生于?|\d{4}年\d{1,2}月"
    r"(?:\d{1,2}日)?(?:出)?生|[\u4e00-\u9fff]?族[，,]))"
    r"|[，,（(](?:住|现住|户籍|系|电话|联系电话|手机|年龄|\d{1,3}岁|\d{4}年|户主|港澳|护照|证件|\d{6})"
)
# Any role word ending like 员/工/长/师 before a name is a weak context (调度员上官婉清, 环卫工人缪春花).
ROLE = re.compile(r"(?<=[\u4e00-\u9fff])(?:员|工人|长|师|经理|主任|书记|老板|主|户|工)(?=[\u4e00-\u9fff])")
# Transliterated names with a middle dot (艾力·买买提): a person's name wherever they stand.
DOTTED = re.compile(r"(?<=[\u4e00-\u9fff]{2})[·•・][\u4e00-\u9fff]{2,8}")
# A name heading a line and followed by ：or （ (the addressee of a notice: "戴家豪：").
LINE_HEAD = re.compile(r"(?m)^[ \t]*(?=[\u4e00-\u9fff]{2,4}[：:（(])")
AMOUNT = re.compile(
    r"[零〇一二三四五六七八九十百千万亿壹贰贰叁肆伍陆柒捌玖拾佰仟]+(?:元|万元|角|分|整|万)[整]?"
)
VERB = re.compile(
    r"(?:称|说|讲|系|于|证实|证明|指认|辨认|报称|声称|承诺|保证|签收|拒签|拒收|赶到|出示|提供|缴纳|陈述|承认|供述|签字|签名|确认|表示|介绍|辩称|反映|交代|认可|拒绝|拒不|在场|到场|当场|驾驶|所驾"
    r"|的询问笔录|询问笔录|笔录|等人|等\d+人|两人|二人|三人|夫妇|夫妻|父子|母子|兄弟|姐妹|一家"
    r"|之子|之女|之妻|之夫|之父|之母|的儿子|的女儿|的妻子|的丈夫|的父亲|的母亲|进行了?询问|进行了?调查|作了?询问"
    r"|的陈述|的证言|的证词|的供述|谈话)"
)
LIST_SEPARATOR = re.compile(r"、|以及|和|与|及|同")
NR_COMMON_FREQ = 150  # jieba tags many words nr (通知书 211, 陈述 763): only rarer ones count
COMMON_WORD_FREQ = 100  # on a weak signal, a dictionary word this frequent is no name (宿舍; not 于洋)
RARE_NOUN_FREQ = 500  # a noun this rare may be a given name too (方圆), when the name plainly ends
COMMON_VERB_FREQ = 1000  # 明知道: a weak surname before a verb this frequent is no name
COMMON_INNER_FREQ = 1  # a name starting or ending inside a dictionary word this frequent is no name
COMMON_HEAD_FREQ = 100  # on a weak signal, a candidate starting with a word this frequent is no name
# Characters that plainly end a name right after it.
NAME_END = frozenset("称说讲在于因将把被向对和与及等的曾已未均都系是为")
