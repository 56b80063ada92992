"""The vocabulary of the classification suggestion (zhifa/intake/classify.py): stop words, extra words
for jieba's dictionary and a curated lexicon from the words citizens, hotline operators and grid
workers use to the words the published power lists use.

Why a lexicon at all: the catalogue speaks the statute's language (露天焚烧秸秆, 占用城市道路, 使用禁用的
渔具), clues speak the street's (烧稻草, 摆摊, 地笼). BM25 only scores words both sides share, so each
line of LEXICON adds, to a clue containing one of its everyday phrases, the catalogue words they stand
for (at a lower weight than the clue's own words, classify.EXPANSION_WEIGHT). One line per concept,
grouped by domain; no line names an item code, so the ranking stays BM25 over the catalogue's own text.
It is what lifts held-out accuracy most (bench/intake_classify.py measures with and without it). When
the catalogue gains items whose wording citizens do not use, add a line here and a labelled example to
data/classification_labelled.csv.

Stop words are of four kinds: function words; the boilerplate of item names that every item shares
(对……的处罚, 违反规定, 未按照); the boilerplate of clue texts (市民来电反映, 网格员巡查发现, 请尽快处理) and
their everyday places (小区, 车库), which would otherwise match whatever item happens to contain 巡查 or
养殖小区; and artefacts of jieba's search mode (CUT_ARTEFACTS).

The word lists are whitespace-separated strings, split once at import.
"""

from __future__ import annotations

_FUNCTION_WORDS = """
的 了 在 是 有 和 与 及 或 或者 以及 并 并且 而 但 但是 也 就 都 还 又 很 太 把 被 将 向 从 给 让 为 于 对
对于 其 其他 其它 此 该 这 那 这个 那个 这些 那些 这样 那样 之 以 以上 以下 等 等等 各 各类 各种 每 个 些 一
一个 一些 一直 已经 已 正在 还是 就是 不是 没 没有 不 未 无 非 所 所有 如 如果 若 因 因为 所以 着 过 啊 吧
呢 吗 呀 哦 嗯 上 下 中 里 内 外 前 后 旁 边 旁边 附近 时 时候 天 年 月 日 号 点 我 我们 你 你们 他 他们 她
它 咱 大家 自己 别人 有人 某 某某 某个 什么 怎么 为什么 哪 哪里 这里 那里 去 来 到 说 要 会 能 可以 可能
应该 需要 好 大 小 多 少 很多 好多 非常 特别 比较 一下 一样 一起 几 几个 好几 两 三 四 五 十 百 千 万 次
每天 天天 今天 昨天 晚上 早上 白天 半夜 经常 总是 现在
"""

# Words every item name, or most of them, shares: alone they must never make a suggestion.
_LEGAL_BOILERPLATE = """
处罚 行政处罚 行政 违反 规定 按照 未按照 按规定 依法 依照 有关 相关 进行 从事 活动 行为 情况 情形 单位和个人
责令 改正 逾期 拒不 罚款 没收 违法 违法行为 法律 法规 法律法规 条例 办法 实施 细则 管理 管理条例 中华 华人
人民 共和 共和国 中华人民共和国 国家 地方 县级 政府 人民政府 主管 主管部门 部门 机关 批准 未经 未经批准 经
取得 要求 标准 措施 采取 不符合 符合 方式 方法 范围 期限 以外 期间 及时 定期 不及时 造成 影响 可能 危害 危及
其中 相应 有效 设置 不按 不按照 处理 有关部门 违反规定 审批 手续
"""

# Words of clue texts, not of violations: who reports, how, what they ask for, and everyday places.
_CLUE_BOILERPLATE = """
市民 群众 居民反映 来电 来电人 致电 反映 反应 投诉 举报 热线 12345 转办 工单 网格 网格员 网格长 上报 报告
发现 巡查 巡查发现 检查发现 请 请求 希望 尽快 马上 立即 处理 处置 解决 核实 查处 管一管 严重 问题 一处 地方
位置 村民反映 群众反映 诉求 建议 严重影响 小区 车库 地下
"""

# jieba's search mode also emits every dictionary word inside a long word; some straddle the long
# word's parts and mean something else (报废机动车 -> 动车, 未成年人 -> 成年人, 生产经营 -> 产经). Found
# by listing the catalogue's sub-words that are never words of the catalogue's own segmentation.
_CUT_ARTEFACTS = """
一场 中用 产经 会生 全职 全防 六个 养家 内燃 内装 加剂 动车 化处 化用 合一 合规 响器 地保 场主 大事 市道
常性 律法 明文 木花 格法 治法 洗消 洪河 火器 物产 理法 用权 用水 用者 益性 石流 管理法 自取 药包 菜瓜 装货
责人 通运 道经 闭式 露地 非公 长时间 险区 气管 未成 成年 成年人 原材 当事 说明
"""

# Single characters are dropped (most are function words) except these, which name things clues and
# items share.
_SINGLE_CHAR_TERMS = """
鱼 虾 鸟 兽 砂 沙 坟 墓 树 狗 犬 猪 鸡 鸭 羊 牛 船 桥 堤 坝 井 网 药 烟
"""

# Words jieba's general dictionary cuts apart. The catalogue's own keywords and the lexicon's catalogue
# words are added at index time (classify._build_index); these are the colloquial and technical words
# clues use.
_DOMAIN_WORDS = """
灭火器 消火栓 消防栓 消防车道 消防通道 生命通道 三合一 防盗网 私拉乱接 飞线充电 液化气罐 煤气罐 动火 电气焊
电焊工 焊工证 电工证 特种作业证 操作证 无证上岗 安全员 警示牌 报警器 燃气报警器 劳保用品 烟花爆竹 礼花弹
占道经营 出店经营 摆摊设点 流动摊贩 小广告 牛皮癣 乱涂乱画 私搭乱建 乱搭乱建 门前三包 渣土车 泥头车 装修垃圾
建筑垃圾 厨余垃圾 生活垃圾 油烟净化器 高音喇叭 广场舞 雨污分流 雨水井 电鱼 电打鱼 电鱼机 毒鱼 炸鱼 闹鱼 地笼
绝户网 密网 密眼网 迷魂阵 禁渔期 捕捞证 养殖证 百草枯 喷雾器 狂犬疫苗 检疫章 病死猪 洗砂 洗沙 制砂 洗砂场
洗沙场 采砂 采沙 挖砂 挖沙 抽沙 河沙 护岸林 防汛沙袋 弃土弃渣 秸秆 烧秸秆 烧稻草 烧麦秆 禁养区 粪水 打桩
夜间施工 黑网吧 无证行医 黑诊所 承重墙 燃气表 燃气管 防尘网 彩钢房 宅基地 基本农田 滥伐 盗伐 采伐证 毁林
土葬 冥币 纸人纸马 骨灰盒 报废车 报废汽车 拆车 司炉证 叉车证 健康证 台账 地沟油 三无产品 明码标价 营业执照
无照经营
"""

# Clues report violations, so inspection and coercion items are discounted (classify.TYPE_PRIOR)
# unless the text asks for an inspection (开展……检查) or a coercive measure (查封, 扣押, 强制, 不拆).
_INSPECTION_CUES = """
开展 进行 日常 专项 例行 巡河
"""
_COERCION_CUES = """
查封 扣押 扣下 封存 封了 封停 强制 强行 不拆 拒不拆除 逾期不 代为清理 屡教不改 限期
"""

# Some items come as a pair, one against units (对单位……) and one against individuals (对个人……). These
# cues in a clue tell which of the pair is meant; without a cue the unit's item ranks first.
_UNIT_CUES = """
厂 公司 企业 单位 作坊 车间 工地 店 超市 商场 饭店 餐馆 饭馆 酒店 宾馆 网吧 KTV 市场 仓库 学校 医院 物流
加油站 景区 物业 商户 老板 经营者
"""
_PERSON_CUES = """
有人 住户 居民 村民 业主 个人 男子 女子 邻居 老人 私家车 自家 家里 一家人 某人 路人 行人
"""

FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
LEGAL_BOILERPLATE = frozenset(_LEGAL_BOILERPLATE.split())
CLUE_BOILERPLATE = frozenset(_CLUE_BOILERPLATE.split())
CUT_ARTEFACTS = frozenset(_CUT_ARTEFACTS.split())
STOP_WORDS = FUNCTION_WORDS | LEGAL_BOILERPLATE | CLUE_BOILERPLATE | CUT_ARTEFACTS
SINGLE_CHAR_TERMS = frozenset(_SINGLE_CHAR_TERMS.split())
DOMAIN_WORDS = tuple(_DOMAIN_WORDS.split())
INSPECTION_CUES = tuple(_INSPECTION_CUES.split())
COERCION_CUES = tuple(_COERCION_CUES.split())
UNIT_CUES = tuple(_UNIT_CUES.split())
PERSON_CUES = tuple(_PERSON_CUES.split())

# One concept per line: everyday phrases (separated by |) = the catalogue's words for them. A phrase
# matches as a substring of the clue, so it need not survive segmentation; the words are segmented
# like the catalogue. Grouped by domain, with the statutes whose wording the right side follows.
LEXICON = """
# 消防安全 (消防法)
消防栓|消防龙头=消火栓
挪作他用|挪去|挪走|搬走|搬回家|拿走|拿去|挪作=挪用
消防通道=疏散通道 消防车通道
消防车道|生命通道=消防车通道
楼道|楼梯间|楼梯口|过道|走廊=疏散通道
逃生通道|紧急出口|安全门=疏散通道 安全出口
堵死|堵住|堵塞|锁死|锁住|上锁|封死|锁着=堵塞 封闭 锁闭
防盗网|防盗窗|铁栅栏|铁栏杆|防护栏|铁窗|封窗|窗户封|木板封=门窗障碍物 障碍物
应急照明|疏散指示|指示灯|安全出口标志=消防安全标志 消防设施
消防水带|水带|消防水箱|喷淋头|烟感=消防设施
住人|住着|住了|住家|楼上住|睡人|群租|多合一=居住场所
电线|插线板|插排|私拉|乱拉|充电|飞线=电气线路
汽油|柴油|天那水|稀释剂|酒精|锂电池=易燃易爆 危险品
抽烟=吸烟
点火|烧纸=明火
软管|燃气灶|灶具|热水器=燃气用具
电焊|气割|烧焊=电气焊 动火
着火|起火|失火=火灾隐患 火灾
# 应急管理 (安全生产法, 烟花爆竹安全管理条例)
焊工|电焊工=电气焊 特种作业
电工|架子工|高空作业|高处作业|登高=特种作业
焊工证|电工证|特种作业证|操作证|上岗证|操作资格=特种作业 持证上岗
无证上岗|没证上岗|无证作业=持证上岗 无证
安全员|安全管理员=安全管理人员
警示牌|警示标识|警告牌|危险标识|当心=安全警示标志
报警器|报警装置|泄漏报警=燃气报警 可燃气体 报警装置
口罩|护目镜|安全帽|手套|防护服|耳塞|安全带|劳保=劳动防护用品
安全装置|防护装置|保护装置=安全设备
拉临时电|临时拉电=临时用电
鞭炮|炮仗|烟花|礼花|炮竹|花炮=烟花爆竹
礼花弹|大型烟花=专业燃放
宿舍=员工宿舍
放炮|炸山|炸石=爆破
在场|看管|监护|盯着|指挥=现场安全管理 专门人员
不让进|不让查|阻挠|不配合检查|锁门=拒绝检查 阻碍检查
责任制|安全责任|不管安全=安全生产职责 主要负责人
不整改|没整改|没有整改=整改 事故隐患
化学品|危化品=危险物品 危险品
扣下|扣留|暂扣=扣押
封存|封了|封掉|封停|贴封条|关停=查封
不拆|拒不拆除|到期不拆|还不拆=逾期不拆除 强制拆除 强行拆除
# 市场监管 (食品安全法, 无证无照经营查处办法, 价格法, 特种设备安全法)
没有营业执照|没营业执照|营业执照都没|没办营业执照|无照|没执照|没有执照|没办执照=无照经营 设立登记
没挂|没亮|没有挂|未公示=悬挂 醒目位置
没有证|没证|没办证|证都没|证照=无证
没有许可|无许可|没许可证=未经许可 许可
租给|出租给|借给|房东|提供仓库|提供房子=提供场所 提供经营场所
小吃|卤菜|卤味|熟食|凉菜|早点|豆腐|零食|饮料|奶茶|牛奶|面包|蛋糕|糕点|月饼|包子|馒头|凉皮|米粉|腊肠|香肠|腊肉|辣条|饭菜|盒饭|外卖|调料|食用油|散装酒=食品
拉肚子|肚子疼|呕吐|食物中毒|吃坏=食品安全
变质|发霉|腐烂|馊|地沟油|病死肉|注水肉=食品原料 不符合食品安全标准
饭店|饭馆|餐馆|餐厅|小吃店|快餐店|面馆|早餐店|早点摊|奶茶店|火锅店|大排档|农家乐=餐饮
后厨|厨师|炒菜|做菜|做饭=餐饮 食品
三无|生产日期|保质期|没标签|没有标签|厂名|没有厂家=标签 预包装食品
进货|供货商|来源不明|进货票据=进货查验 台账
碗|筷子|杯子|盘子|消毒柜=餐具 消毒
健康证|体检证明=健康证明 健康合格证
皮肤病|传染病|肝炎|化脓=疾病 有碍食品安全
食堂|幼儿园|托儿所|养老院|敬老院=集中用餐 学校食堂
菜市场|农贸市场|菜场|集市|早市=集贸市场
市场方|市场管理方|市场管理处|摊位出租=开办者 集贸市场
标价|价签|要价|乱收费|宰客|价格欺诈|结账=明码标价 价格
电梯|锅炉|压力容器|气瓶|叉车|起重机|吊车|天车|行吊|龙门吊|游乐设施|过山车|摩天轮|压力管道=特种设备
司炉证|叉车证|电梯证|起重证|特种设备作业证=特种设备作业人员 持证上岗
年检|没检验|未检验|检验过期|合格证过期=定期检验 检验
# 城市管理 (城市市容和环境卫生管理条例, 城市道路管理条例, 城市绿化条例, 城镇排水与污水处理条例,
# 固体废物污染环境防治法, 噪声污染防治法, 大气污染防治法)
吐痰|痰|口水=随地吐痰
大小便|随地小便=便溺
烟头|果皮|纸屑|纸巾|乱扔|乱丢|随手扔=乱扔垃圾 废弃物
牛皮癣|小广告|乱贴|贴满|办证广告|开锁电话|喷涂|涂鸦|乱涂|喷字=张贴小广告 乱涂乱画
窗外|阳台外|晾晒|晒被子|晾衣服|晾被子|挂衣服|挂满|腊肉=阳台窗外 吊挂
门前|门口卫生|门口脏|门口垃圾=门前三包 清扫保洁
撒了|撒满|撒落|抛洒|滴漏|洒落|掉落|一路掉|漏了一路=遗撒
篷布|没盖|没覆盖|没有覆盖|不盖=覆盖 密闭
一路|沿路|沿途=沿途
货车|大货车|拉货|运货|拉沙|拉土|运沙|拉石子=运输 车辆
拆了|拆掉|拆走|被拆=拆除
砸坏|砸烂|推倒|弄坏|破坏=损坏
不清理|没清理|没人清理|不回填|没回填=清理现场 清理
超范围|超出范围|多挖=变更审批 面积
堆|堆满|堆成=堆放
养鸡|养鸭|养鹅|养鸽子|养猪|家禽|鸡鸭=饲养家禽 畜禽养殖
广告牌|招牌|灯箱|横幅|条幅=广告牌 户外广告
摆摊|摊贩|小贩|菜贩|商贩|流动摊|地摊|出摊=占道经营 摊点 占道
出店经营|店外经营|占道|马路市场=占道经营 占道
人行道|马路|大街|路面|车道=城市道路 道路
私搭乱建|乱搭乱建|违章搭建|铁皮棚|搭棚|窝棚|简易房|遮阳棚|雨棚=乱搭乱建 搭建
违建|违章建筑|违法建筑|违章房=违法建设
公厕|厕所|垃圾桶|果皮箱|垃圾箱|垃圾站|垃圾房=环境卫生设施 环卫设施
挖路|破路|开挖路面|挖开路|开挖=挖掘道路 挖掘 道路施工
围栏|防护栏杆|警示灯=安全防围 围挡
草坪|花草|花坛|踩踏|折花|摘花=树木花草 城市绿化
行道树|绿化树|景观树=树木 城市绿化
绿地|绿化带|草地=绿化用地 城市绿化
公园=公共绿地 绿化设施
雨水井|雨水口|雨水管|雨水沟=雨水 雨污分流
下水道|污水管|管网|市政管网=排水 排水设施 污水
污水井|窨井|井盖|检查井=排水设施
洗车店|洗车场=排水许可 污水
装修垃圾|砖头|瓦块|拆房|建筑废料|碎砖|渣土=建筑垃圾
乱倒|偷倒|随便倒|倒在|倒进=倾倒 随意倾倒 乱倒
扔在|扔进|丢在|丢进=丢弃 倾倒
油烟|排烟|油烟味=餐饮油烟 油烟
净化器|油烟机=油烟净化
烟道|排烟道|排烟管=专用烟道 餐饮油烟
烧烤|撸串|烤串=露天烧烤
渣土车|泥头车|土方车=渣土运输 建筑垃圾
喇叭|扩音器|叫卖|吆喝=高音喇叭
音响|音箱|低音炮|放歌|放音乐|唱歌=音响器材 噪声
跳舞=广场舞
电钻|敲墙|电锤|切割机|打墙|砸墙=装修噪声 装修
厨余|泔水|剩饭|剩菜=生活垃圾
不分类|混投|混装=垃圾分类 分类投放
噪音|吵|太响|响个不停|扰民|轰鸣=噪声
# 自然资源 (土地管理法, 城乡规划法, 地质灾害防治条例)
卖地|地卖|买卖土地|倒卖土地|土地转让|转让|转卖=土地买卖 非法转让土地
农田|基本农田|良田|责任田|承包地=耕地
圈地|占地|占用土地=非法占地
规划许可证|规划证|规划手续=规划许可
开发商|建设方=建设单位 建设工程
加盖|多盖|超高|加层|超规划=规划许可 违法建设
盖房|盖楼|建房子|盖房子|起房子|修房子|建楼=建房 建筑物 修建
彩钢房|活动板房|板房|工棚|临时房|临时搭建|临建|售楼处=临时建筑 临时建设
滑坡|塌方|山体|泥石流|切坡|削坡=地质灾害 滑坡 崩塌
# 生态环境 (大气污染防治法, 水污染防治法, 畜禽规模养殖污染防治条例, 噪声污染防治法)
尘土|灰尘|粉尘|灰大=扬尘
煤堆|料堆|沙堆|砂石料|堆料|石粉=物料堆场 物料
臭|刺鼻|异味=恶臭气体 异味
烧|焚=焚烧
稻草|麦秆|玉米秆|稻秆|枯草|杂草=秸秆 落叶
轮胎=橡胶
泡沫|薄膜=塑料
电线皮|电缆皮|废旧电线|黑烟|浓烟|冒烟=有毒有害烟尘 烟尘
网箱|围网养|拦网养=网箱养殖
水源地|水源保护区|饮用水源|取水口=饮用水水源 饮用水
钓鱼|野钓=垂钓 游泳垂钓
游泳|野泳|下河洗澡=游泳 游泳垂钓
养猪场|猪场|养殖场|养鸡场|养鸭场|养牛场|牛场|羊场|养殖户|猪圈|鸡舍=畜禽养殖
粪=畜禽粪污 养殖废弃物 粪便
禁止养殖=禁养区
沼气池|化粪池|治污设施|粪污处理=污染防治设施
打桩|夜间施工|半夜施工|连夜施工|夜里施工|晚上施工|凌晨施工|夜间作业|搅拌机|浇混凝土=施工噪声 夜间施工
排污|偷排|直排|乱排|暗管=排放 污染物
废渣|废料|工业垃圾|矿渣|炉渣=工业废渣 废渣
# 农业农村 (渔业法, 农药管理条例, 动物防疫法, 土地管理法)
电打鱼|电捕|电瓶打鱼|电瓶捕鱼|电鱼机|逆变器|电击鱼=电鱼
药鱼|闹鱼|投毒|下药=毒鱼
炸药捕鱼=炸鱼
休渔|禁渔|禁捕=禁渔期 禁渔区
地笼|绝户网|密网|密眼网|迷魂阵|三层网|拖网|定置网|串网=禁用渔具 网目尺寸
鱼苗|小鱼=幼鱼 网目尺寸
捕鱼|打鱼|捞鱼|撒网|网鱼|抓鱼=捕捞
捕捞证|捕鱼证=捕捞许可证
渔具店|卖渔具=渔具 销售
百草枯|甲胺磷|克百威|违禁农药|毒鼠强=禁用农药
高毒|剧毒=高毒农药 剧毒
敌敌畏|除草剂|杀虫剂=农药
打药|喷药|施药|打农药=农药 施药
喷雾器|打药桶|药桶|药箱=施药器械
农药瓶|农药袋|药瓶|农药包装|包装袋=农药包装物
疫苗|防疫针=免疫接种 强制免疫
狂犬|狗|宠物犬=狂犬病免疫 犬只
运猪|拉猪|运畜|运牛|运羊|运鸡|拉牲口=运载工具 动物
检疫章|检疫票|检疫证|检疫合格|蓝印章=检疫证明 检疫标志
病死|死猪|死鸡|死鸭|死羊|死牛|病猪|病鸡|瘟猪=病死畜禽 无害化处理
宅基地|自建房|建新房|盖新房=宅基地 农村建房
村集体|集体的地=集体土地 集体
# 交通运输 (公路法, 公路安全保护条例)
国道|省道|县道|乡道|村道|高速=公路
晒粮|晒稻谷|晒玉米|晒麦子|晒谷|打场=堆放物品 晒粮
界桩|里程碑|百米桩|路标|防撞墩=公路附属设施 标桩
排水沟|路边沟=边沟
桥下|桥底|桥边|大桥=桥梁
挖沟|开口子|挖口子=挖掘公路 挖掘
# 卫生健康, 文化旅游 (公共场所卫生管理条例, 医疗机构管理条例, 互联网上网服务营业场所管理条例)
宾馆|旅馆|酒店|招待所|理发|美容|美发|足浴|浴室|澡堂|洗浴|游泳馆|游泳池=公共场所
毛巾|床单|被套|拖鞋|水质=卫生标准 公共场所卫生
行医|看病|开药|吊针|输液|打针|诊所|医生|郎中|游医=非法行医 医疗机构 执业
卫生监督员=卫生监督
网咖=网吧
通宵|凌晨=营业时间
学生|初中生|高中生|小学生|小孩|孩子|未成年|校服=未成年人
# 水利 (水法, 防洪法, 河道管理条例, 水土保持法)
洗砂|洗沙|制砂|水洗砂|机制砂=洗砂制砂 河道滩地
河沙|采沙|挖沙|抽沙|盗采|偷挖|挖砂|采砂船|挖沙船|抽沙船=采砂 挖砂 河道采砂
河里|河中|河床|溪里|江里=河道 水体
河边|河岸|岸边|河沿=岸坡 河岸
河滩|滩涂=滩地 河道滩地
挡水|阻水|堵河|拦河|泄洪|排洪|挡住水|堵住水|水流不畅=阻碍行洪 行洪
水渠|沟渠|水沟|渠里=渠道
便桥|跨河|拦河坝|过河管=涉河建设 桥梁
地下水|抽河水|提水=取水 取水许可
河堤|大堤|堤坝|堤岸|江堤=堤防
护岸林|护堤林=护堤护岸林木
闸门|泵站=水闸 闸坝 抽水站
水文站|水位尺|雨量站=水文监测
沙袋|防汛物资|防汛器材|抢险物资=防汛物料
开荒|垦荒=开垦
树兜|树根=挖树兜 铲草皮
弃土|弃渣|废土|尾矿=弃土弃渣 倾倒砂石
# 住房城乡建设 (建筑法, 住宅室内装饰装修管理办法, 城镇燃气管理条例, 村庄和集镇规划建设管理条例)
施工许可证|施工证|开工手续|无证施工=施工许可
承重墙|承重梁|承重柱|剪力墙|拆墙=承重结构
改成卫生间|改卫生间|改厨房=防水 卫生间
燃气管|煤气管|天然气管=燃气管道
燃气表|煤气表=燃气表 燃气计量装置
总阀|燃气阀|阀门=燃气阀门
液化气|煤气罐|液化石油气|煤气|天然气|钢瓶=燃气 瓶装燃气
防尘网|苫盖|盖网=施工扬尘 遮盖
裸露|黄土|裸土=裸露地面
楼板|楼面|荷载|负重=楼面荷载
# 林业 (森林法)
偷砍|盗砍|偷伐|偷树=盗伐林木
乱砍|滥砍|砍自家=滥伐林木
砍|伐木=林木采伐 林木
砍伐证|采伐许可=采伐许可证
毁林=毁林开垦
放羊|放牛|赶羊=放牧
木头|原木|松树|杉树|松木|杉木=林木 木材
山林|林子|林区=林地
树苗|幼树=幼林地
# 民政, 商务 (殡葬管理条例, 报废机动车回收管理办法)
墓园|陵园|墓地|卖墓|骨灰堂=殡葬设施 墓地
坟|坟头|修坟|埋坟=墓穴 坟墓
大坟|很大的坟=超标墓地
大墓|豪华墓|豪华坟=超标墓地
土葬|偷埋|私埋|乱埋|没有火化|不火化=火化 乱埋乱葬
冥币|纸人|纸马|纸扎|纸钱|迷信用品=封建迷信殡葬用品
骨灰盒|寿衣|棺材|棺木=殡葬设备 丧葬用品
报废车|报废汽车|报废摩托|报废电动车|拆车|拆解汽车=报废机动车 回收
"""


def parse_lexicon(text: str = LEXICON) -> dict[str, str]:
    """phrase -> its catalogue words (space separated); a phrase on several lines gets all their words."""
    lexicon: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        phrases, _, words = line.partition("=")
        for phrase in filter(None, (p.strip() for p in phrases.split("|"))):
            lexicon[phrase] = f"{lexicon[phrase]} {words}" if phrase in lexicon else words.strip()
    return lexicon


SYNONYMS: dict[str, str] = parse_lexicon()
