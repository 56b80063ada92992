"""Unit tests of zhifa.disclosure.redaction, detector by detector, and of redact's options.

Law (LAW.md section 4): ZJ-PUB Art. 5-8 lists what a published decision hides (home address, contact
details, ID number, bank account, health status, names of natural persons, organisations' bank
accounts); OGI Art. 15 and 37 publish the rest; PIPL Art. 28 (financial accounts are sensitive); GO118
"作适当处理"; APL Art. 50.
"""

from __future__ import annotations

import pytest

from zhifa.cases.identity import resident_id_check_char, uscc_check_char
from zhifa.disclosure import redact_names
from zhifa.disclosure.redaction import (
    KINDS,
    Redacted,
    Span,
    find_personal_identifiers,
    mask_person_name,
    redact,
)


def rid(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


ID = rid("35042719750312123")


# --- names ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张某"),
        ("张三丰", "张某某"),
        ("欧阳娜娜", "欧阳某某"),
        ("司马光", "司马某"),
        ("张某", "张某"),
        ("艾力·买买提", "艾某·某某某"),
        ("John Smith", "J＊＊＊ S＊＊＊＊"),
    ],
)
def test_mask_person_name(name: str, masked: str) -> None:
    """ZJ-PUB Art. 5-8: a natural person's name is published as surname + 某 per remaining character."""
    assert mask_person_name(name) == masked


@pytest.mark.parametrize(
    ("text", "gone", "shown"),
    [
        ("当事人：张三，男，汉族。", "张三", "当事人：张某，男"),
        ("姓名：欧阳娜娜  性别：女", "欧阳娜娜", "欧阳某某"),
        ("证人王府称其亲眼看见。", "王府", "证人王某称"),
        ("其妻李秀英在场。", "李秀英", "其妻李某某在场"),
        ("村民高明、林金华和司马光等人反映属实。", "林金华", "高某、林某某和司马某等人"),
        ("驾驶员于洋驾驶闽A12345号车辆", "于洋", "驾驶员于某"),
        ("系卢德旺之子，住本村。", "卢德旺", "系卢某某之子"),
        ("调度员上官婉清安排其连夜运输。", "上官婉清", "上官某某"),
        ("戴家豪：\n你于2024年7月22日在滨江夜市……", "戴家豪", "戴某某："),
        ("刘建军，男，1968年5月生，汉族。", "刘建军", "刘某某，男"),
        ("当事人艾力·买买提，维吾尔族。", "买买提", "艾某·某某某"),
        ("当事人田野在店门前堆放货物。", "田野", "当事人田某在"),
        ("由魏长青带领查看现场。", "魏长青", "由魏某某带领"),
        ("据了解，方圆系该店实际经营者。", "方圆", "方某系"),
    ],
)
def test_names_found_by_context(text: str, gone: str, shown: str) -> None:
    """Names of natural persons are found by the words around them (labels, relations, descriptors,
    verbs, lists) and masked (ZJ-PUB Art. 5-8)."""
    out = redact(text).text
    assert gone not in out
    assert shown in out


def test_a_name_found_once_is_masked_everywhere() -> None:
    text = "证人张文明称其看见。后经核实，张文明所述属实，张文明签字确认。"
    out = redact(text).text
    assert "张文明" not in out and out.count("张某某") == 3


@pytest.mark.parametrize(
    "text",
    [
        "员工宿舍内堆放杂物。",
        "经查，当事人未经批准擅自搭建。",
        "当事人陈述了上述情况。",
        "执法人员向隔壁商户了解情况。",
        "罚款人民币伍佰元，没收违法所得陆万叁仟元。",
        "违反了《中华人民共和国城乡规划法》第四十一条第一款的规定。",
        "沙城政综执罚决〔2024〕第17号",
        "当事人：沙溪县龙城包装加工厂",
        "在沙溪县城关镇金山村文明施工",
        "1975年生，汉族。",
        "化学品仓库就在员工宿舍楼下。",
        "安全检查时发现家具厂的电焊工没有特种作业操作证。",
        "房东明知道租客在屋里开黑作坊。",
        "小区消火栓被居民种菜的架子挡住。",
        "会审人员过多。",
        "仍由原实施部门管辖。",
        "邮寄送达须上传邮件回执。",
        "至少一名政府法律顾问或公职律师。",
    ],
)
def test_words_that_only_look_like_names_stay(text: str) -> None:
    """Amounts, law titles with their articles, document numbers, places, organisations and ordinary
    words are no names (OGI Art. 37: what is not private is published)."""
    assert redact(text).text == text


def test_organisation_named_after_a_person_stays_when_kept() -> None:
    """An organisation's name stays (it is public registration data) — 张三小吃店 in keep stays whole,
    its operator's name standing alone is masked."""
    text = "当事人：沙溪县张三小吃店\n经营者：张三，身份证号：" + ID + "。经营者张三称不知情。"
    out = redact(text, keep=["沙溪县张三小吃店"]).text
    assert "沙溪县张三小吃店" in out
    assert "张三，" not in out and "张三称" not in out and "张某称" in out


def test_persons_given_by_the_caller_are_masked_everywhere() -> None:
    """Parties known from the case records are masked at every occurrence, even without any context."""
    out = redact("据查黄丽萍在路边摆摊，黄丽萍表示整改。", persons=["黄丽萍"]).text
    assert "黄丽萍" not in out and out.count("黄某某") == 2


def test_persons_win_over_the_same_string_in_keep() -> None:
    """A string both in persons and keep is masked: privacy wins."""
    out = redact("证人王伟称……", persons=["王伟"], keep=["王伟"]).text
    assert "王伟" not in out


def test_officers_stay_only_when_kept() -> None:
    """Officers act publicly (亮证执法): kept with their certificate numbers when the caller keeps them,
    masked like any natural person otherwise."""
    text = "执法人员：林文明（执法证号：闽执350427001）、黄少华（执法证号：闽执350427002）"
    kept = redact(text, keep=["林文明", "闽执350427001", "黄少华", "闽执350427002"]).text
    assert kept == text
    bare = redact(text).text
    assert "林文明" not in bare and "350427001" not in bare


# --- numbers ---------------------------------------------------------------------------------------
def test_resident_id_keeps_at_most_four_characters() -> None:
    """ZJ-PUB Art. 5-8: the ID number is hidden; the birth date and the last digits are not inferable."""
    out = redact(f"公民身份号码：{ID}。").text
    assert out == "公民身份号码：3504" + "＊" * 14 + "。"


@pytest.mark.parametrize(
    "number",
    [
        rid("35042719880509101"),
        rid("35042719880509101")[:6]
        + " "
        + rid("35042719880509101")[6:14]
        + " "
        + rid("35042719880509101")[14:],
        "350427630912101",  # first-generation 15-digit card
        rid("11010519491231002").replace("X", "x"),
    ],
)
def test_resident_id_forms(number: str) -> None:
    out = redact(f"身份证号{number}，").text
    assert number not in out and not any(c.isdigit() for c in out[8:])


def test_uscc_stays_and_an_ambiguous_one_is_masked() -> None:
    """An organisation's USCC (GB 32100) is published; a string that is a valid USCC and a valid resident
    ID is masked (privacy wins) unless kept or labelled 统一社会信用代码 right before it."""
    code = uscc("91350427MA2Y7K3P1")
    assert redact(f"统一社会信用代码：{code}").text.endswith(code)
    assert code in redact(f"代码{code}。").text
    both = next(
        rid(f"350427199001{day:02d}10{seq}")
        for day in range(1, 29)
        for seq in range(10)
        if uscc_check_char(f"350427199001{day:02d}10{seq}")
        == resident_id_check_char(f"350427199001{day:02d}10{seq}")
    )
    assert both not in redact(f"号码{both}。").text
    assert both in redact(f"统一社会信用代码：{both}。").text
    assert both in redact(f"号码{both}。", keep=[both]).text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系电话：13905981234。", "联系电话：139＊＊＊＊＊＊＊＊。"),
        ("手机 138 1234 5678，", "手机 138 ＊＊＊＊ ＊＊＊＊，"),
        ("电话+86 159-6088-2231", "电话+86 159-＊＊＊＊-＊＊＊＊"),
        ("电话0598-5831276", "电话0598-＊＊＊＊＊＊＊"),
        ("电话(0598)5826633", "电话(0598)＊＊＊＊＊＊＊"),
        ("联系电话：5826633", "联系电话：＊＊＊＊＊＊＊"),
        ("电话０５９８—５８３１２７６", "电话０５９８—＊＊＊＊＊＊＊"),
    ],
)
def test_phones(text: str, masked: str) -> None:
    """Contact details are hidden (ZJ-PUB Art. 5-8): a mobile keeps its first 3 digits, a landline its
    area code."""
    assert redact(text).text == masked


@pytest.mark.parametrize(
    "text",
    [
        "账号：13-650101040012345",
        "开户行：中国建设银行沙溪支行，账号：35050168620109888888",
        "卡号6217993000123456789",
        "银行卡 6222 0214 0800 1234 567",
    ],
)
def test_bank_accounts_keep_only_the_first_four_digits(text: str) -> None:
    """Bank accounts are hidden, organisations' (the treasury account) included (ZJ-PUB Art. 5-8; PIPL
    Art. 28)."""
    out = redact(text).text
    digits = "".join(c for c in out if c.isdigit())
    assert len(digits) <= 4


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话138****5678。", "电话138＊＊＊＊＊＊＊＊。"),
        ("身份证350421********1234，", "身份证3504＊＊＊＊＊＊＊＊＊＊＊＊＊＊，"),
    ],
)
def test_numbers_masked_in_the_middle_only_are_masked_to_the_end(text: str, masked: str) -> None:
    """138****5678 is common practice but still partly identifying: only the head stays."""
    assert redact(text).text == masked


def test_vehicle_identification_number_is_masked() -> None:
    assert redact("车架号LSVAM4187C2184847。").text == "车架号" + "＊" * 17 + "。"


def test_payment_codes_amounts_and_dates_stay() -> None:
    text = "非税收入缴款码35042724100000012345，罚款人民币20000元，2024年5月3日，第0356号。"
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("plate", "masked"),
    [
        ("闽A12345", "闽A＊＊＊＊＊"),
        ("闽A·12345", "闽A·＊＊＊＊＊"),
        ("闽AD12345", "闽A＊＊＊＊＊＊"),
        ("闽G3728挂", "闽G＊＊＊＊＊"),
        ("闽G1234学", "闽G＊＊＊＊＊"),
        ("闽g 3D582", "闽g ＊＊＊＊＊"),
    ],
)
def test_plates(plate: str, masked: str) -> None:
    """A plate names its keeper: province and letter stay."""
    assert redact(f"号牌{plate}的车辆").text == f"号牌{masked}的车辆"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("邮箱qianliping1985@163.com。", "qianliping1985"),
        ("微信号：mxy_830930，", "mxy_830930"),
        ("QQ：896543210、", "896543210"),
        ("护照号：E98765432）", "E98765432"),
        ("港澳通行证号码：C12345678，", "C12345678"),
        ("其他证件号码：港澳居民来往内地通行证H1234567890。", "H1234567890"),
        ("加了当事人微信（wxid_abc123）", "wxid_abc123"),
    ],
)
def test_email_and_labelled_ids(text: str, secret: str) -> None:
    out = redact(text).text
    assert secret not in out and "＊" in out


# --- addresses ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("住址：福建省沙溪县城关镇解放村三组27号。", "住址：福建省沙溪县城关镇＊＊＊。", "解放村"),
        ("家住沙溪县龙城街道水南社区水南路66号，", "家住沙溪县龙城街道＊＊＊，", "水南路"),
        (
            "户籍地：广东省深圳市南山区粤海街道科技园社区8栋。",
            "户籍地：广东省深圳市南山区粤海街道＊＊＊。",
            "科技园",
        ),
        ("男，1980年生，住建宁县溪源乡上坪村78号。", "住建宁县溪源乡＊＊＊。", "上坪村"),
        ("现居住地：江西省赣州市章贡区红旗大道99号", "江西省赣州市章贡区＊＊＊", "红旗"),
        ("住址：金山小区3栋201室。", "住址：＊＊＊。", "金山"),
    ],
)
def test_home_addresses_keep_at_most_the_township(text: str, kept: str, gone: str) -> None:
    """ZJ-PUB Art. 5-8: the home address is hidden below the township."""
    out = redact(text).text
    assert kept in out and gone not in out


def test_organisation_address_stays_and_person_block_address_is_masked() -> None:
    """住所 of an organisation is public; 住所 in a natural person's block is a home address."""
    org = "当事人：沙溪县龙城包装加工厂\n住所：沙溪县高砂镇工业园区B区6号"
    assert redact(org).text == org
    person = "当事人：廖长生\n性别：男\n身份证件号码：" + ID + "\n住所：沙溪县仙溪乡龙湖村后垄组8号"
    assert "龙湖村" not in redact(person).text


def test_residence_of_a_party_named_like_a_person_is_a_home_address() -> None:
    out = redact("当事人：张三\n住所：沙溪县城关镇解放路12号").text
    assert out == "当事人：张某\n住所：沙溪县城关镇＊＊＊"


def test_the_partys_home_in_the_facts_is_masked() -> None:
    out = redact("当事人在其位于城关镇解放村三组27号的自建房屋顶加盖彩钢棚。").text
    assert out == "当事人在其位于城关镇＊＊＊的自建房屋顶加盖彩钢棚。"


def test_known_addresses_are_masked_where_the_text_repeats_them() -> None:
    text = "住址：沙溪县龙城街道水南社区水南路66号。当事人将其位于水南路66号的自建房出租。"
    out = redact(text).text
    assert "水南路66号" not in out
    out = redact("在和平路17号旁停车。", addresses=["福建省沙溪县城关镇和平路17号"]).text
    assert "和平路17号" not in out


# --- options and the result ---------------------------------------------------------------------------
def test_extra_masks_every_occurrence_and_wins_over_keep() -> None:
    """The reviewer may mask more, never less: every occurrence, also inside kept strings."""
    result = redact(
        "患有糖尿病。糖尿病病史。沙溪县城关镇人民政府",
        extra=["糖尿病", "城关镇"],
        keep=["沙溪县城关镇人民政府"],
    )
    assert result.text == "患有＊＊＊。＊＊＊病史。沙溪县＊＊＊人民政府"
    assert {s.kind for s in result.spans} == {"extra"}


def test_keep_protects_what_detection_would_mask() -> None:
    text = "联系电话：0598-5806001"
    assert redact(text, keep=["0598-5806001"]).text == text


def test_a_kept_string_inside_an_address_stays_and_the_rest_is_masked() -> None:
    """keep protects its own characters only: the home address around a kept organisation is masked."""
    text = "住址：沙溪县城关镇解放路12号张三小吃店楼上"
    result = redact(text, keep=["张三小吃店"])
    assert result.text == "住址：沙溪县城关镇＊＊＊张三小吃店＊＊＊"
    assert redact(result.text, keep=["张三小吃店"]).text == result.text


def test_spans_are_sorted_apart_and_of_known_kinds() -> None:
    text = f"当事人：张三，身份证号：{ID}，住址：沙溪县城关镇解放路12号，电话13905981234，车牌闽G68523。"
    result = redact(text)
    assert isinstance(result, Redacted)
    assert all(isinstance(s, Span) and s.kind in KINDS for s in result.spans)
    assert [s.start for s in result.spans] == sorted(s.start for s in result.spans)
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False))
    assert {s.kind for s in result.spans} == {"person", "id_number", "address", "phone", "plate"}


def test_empty_text() -> None:
    assert redact("") == Redacted("", ())
    assert find_personal_identifiers("") == []


def test_find_personal_identifiers_reports_what_is_left() -> None:
    """The leak check (services.publication_publish refuses to publish while it finds something)."""
    found = find_personal_identifiers(f"电话13905981234，身份证{ID}，卡号6217993000123456789")
    assert [s.kind for s in found] == ["phone", "id_number", "bank_account"]
    assert find_personal_identifiers(redact(f"电话13905981234，身份证{ID}").text) == []


def test_jieba_loads_once() -> None:
    redact_names.warm_up()
    first = redact_names._jieba()
    redact("证人王五称")
    assert redact_names._jieba() is first
