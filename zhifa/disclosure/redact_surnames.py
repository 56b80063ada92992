"""Chinese surnames for the name detection of zhifa.disclosure.redaction.

The full 百家姓 (single and compound surnames) plus the common modern surnames it lacks (肖, 付, 覃 …).
A name found by context is only taken for a person's name when it starts with one of these
(ZJ-PUB Art. 5-8: names of natural persons are hidden, organisations' names are not).

`WEAK_SURNAMES` are surnames that are also everyday words or function characters (于, 和, 高, 文 …):
a word starting with one of them counts as a name only on a strong signal (a label, a gender or ID
descriptor, or jieba's person tag), never on jieba's out-of-vocabulary guess alone.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BAIJIAXING = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双"
    "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍卻璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
    "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦归海岳帅缑亢况郈有琴商牟佘佴"
    "伯赏墨哈谯笪年爱阳佟言福"
)
# Common today, missing from the 百家姓 (or written with a simplified character it lacks).
_MODERN = "肖付覃兰官冼邝练揭粟银眭母信过仝庹檀线门代种旷谌战盘丛郄寻原奉凡尧来校庞郭揭麦钞区练凃邸"

SURNAMES: frozenset[str] = frozenset(_BAIJIAXING + _MODERN)

COMPOUND_SURNAMES: frozenset[str] = _words(
    """万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔
    申屠 公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 子车 颛孙 端木 巫马
    公西 漆雕 乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 羊舌 微生 梁丘 左丘 东门
    西门 南宫 第五"""
)

# Surnames that are everyday words or function characters as well.
WEAK_SURNAMES: frozenset[str] = frozenset(
    "于和从向常时全都能有那后方高明成安万江云车水花山谷白文国东左石经应单宁通边习易步空相查关公法年爱言"
    "福来原代门过信占母平乐元计伏谈强路危盛支管房干解宗宣包诸吉程滑荣惠家封井富乌巴弓牧班仰秋仲宫暴甘"
    "厉祖武符景束龙叶幸司印宿怀索咸籍卓屠双闻党贡劳申扶堵宰桑桂牛寿燕浦尚农温别庄柴充连艾鱼容古慎戈终居"
    "衡满弘广禄欧利越隆师融冷辛简毋沙养须丰巢荆红游权盖益晋楚归海岳帅琴商伯墨阳付兰官银种奉凡校线战盘"
    "丛寻金马田华苗凤任史夏洪齐康元顾孟穆汤毕米贝项祝麻季席蓝梅凌柯莫丁区松林池勾哈须过种盖储卫"
)


def surname_length(text: str, start: int) -> int:
    """The length of the surname at `start` (2 for a compound surname followed by a given name, 1 for a
    single one), 0 when no surname starts there."""
    if text[start : start + 2] in COMPOUND_SURNAMES and start + 2 < len(text) and _is_han(text[start + 2]):
        return 2
    return 1 if text[start : start + 1] in SURNAMES else 0


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"
