"""Power item services: validation in Chinese naming the field, optimistic concurrency, one event each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.numerals import from_chinese, to_chinese
from zhifa.powers.selectors.items import format_basis_ref
from zhifa.powers.services.items import basis_ref_problems, power_item_create, power_item_update

FIRE_60 = {"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 3}


def fields(**overrides) -> dict:
    data = {
        "code": "XF-060-01-03",
        "name": "对损坏、挪用或者擅自拆除、停用消防设施、器材的行政处罚",
        "power_type": PowerType.PENALTY,
        "original_subject": "县消防救援大队",
        "basis_text": "《中华人民共和国消防法》第六十条第一款第三项",
        "basis_refs": [FIRE_60],
        "keywords": "灭火器 消防设施",
        "penalty_types": ["罚款"],
        "fine_min": Decimal("5000"),
        "fine_max": Decimal("50000"),
    }
    return data | overrides


def problems(exc: ValidationErrors) -> dict[str, str]:
    return {error.field: error.message for error in exc.errors}


@pytest.fixture
def admin(county):
    return county.user(RoleCode.ADMIN, "county")


def test_create_records_one_event_with_the_fields(admin, county):
    before = Event.objects.count()
    item = power_item_create(actor=admin, domain=county.domains["urban"], **fields())
    assert item.version == 1 and item.basis_refs == [FIRE_60] and item.fine_max == Decimal("50000.00")
    events = list(Event.objects.order_by("seq")[before:])
    assert [e.action for e in events] == ["power_item.create"]
    assert events[0].object_id == str(item.pk) and '"code":"XF-060-01-03"' in events[0].data


def test_basis_is_required(admin):
    """APL Art. 38: a penalty without a legal basis is void, so an item cannot be saved without one."""
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(basis_text="  "))
    assert problems(exc.value) == {"basis_text": "实施依据不能为空"}
    assert not PowerItem.objects.exists()


def test_original_subject_is_required(admin):
    """APL Art. 39: the implementing body is published with the item, so it must be named."""
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(original_subject=""))
    assert problems(exc.value) == {"original_subject": "原实施主体不能为空"}


@pytest.mark.parametrize("code", ["", "x", "编码001", "-ABC", "A B", "A" * 41])
def test_code_format(admin, code):
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(code=code))
    assert "code" in problems(exc.value) and "事项编码" in problems(exc.value)["code"]


def test_duplicate_code_is_refused_on_create_and_update(admin):
    power_item_create(actor=admin, **fields())
    other = power_item_create(actor=admin, **fields(code="XF-061"))
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields())
    assert problems(exc.value) == {"code": "事项编码“XF-060-01-03”已存在"}
    with pytest.raises(ValidationErrors) as exc:
        power_item_update(actor=admin, item=other, version=1, code="XF-060-01-03")
    assert exc.value.errors[0].code == ErrorCode.DUPLICATE


def test_fine_min_cannot_exceed_fine_max(admin):
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(fine_min=Decimal("60000"), fine_max=Decimal("50000")))
    assert problems(exc.value) == {"fine_min": "罚款下限不能大于罚款上限"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "罚款上限必须是金额数字"),
        ("-1", "罚款上限必须是不小于 0 的金额"),
        ("1.001", "罚款上限最多保留两位小数"),
    ],
)
def test_fine_amounts_are_checked(admin, value, message):
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(fine_min=None, fine_max=value))
    assert problems(exc.value) == {"fine_max": message}


def test_penalty_range_only_for_penalties(admin):
    """APL Art. 9 penalty types and fines describe penalties; an inspection item has none."""
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(power_type=PowerType.INSPECTION))
    assert "penalty_types" in problems(exc.value)
    item = power_item_create(
        actor=admin,
        **fields(power_type=PowerType.INSPECTION, penalty_types=[], fine_min=None, fine_max=None),
    )
    assert item.penalty_types == []


def test_penalty_types_must_be_apl_article_9_types(admin):
    """APL Art. 9 lists the penalty types; anything else is refused, and the list is kept in its order."""
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(penalty_types=["罚款", "没收房屋"]))
    assert problems(exc.value) == {"penalty_types": "处罚种类无效"}
    item = power_item_create(actor=admin, **fields(penalty_types=["罚款", "警告", "罚款"]))
    assert item.penalty_types == ["警告", "罚款"]


@pytest.mark.parametrize(
    ("refs", "fragment"),
    [
        ("第六十条", "必须是列表"),
        (["x"], "格式错误"),
        ([{"article": 60}], "缺少法律名称"),
        ([{"law": "《消防法》", "article": 60}], "缺少法律名称"),
        ([{"law": "消防法"}], "“条”必须是正整数"),
        ([{"law": "消防法", "article": "六十"}], "“条”必须是正整数"),
        ([{"law": "消防法", "article": 60, "paragraph": 0}], "“款”必须是正整数"),
        ([{"law": "消防法", "article": 60, "item": True}], "“项”必须是正整数"),
        ([{"law": "消防法", "article": 60, "clause": 1}], "未知项"),
    ],
)
def test_basis_refs_structure(refs, fragment):
    found = basis_ref_problems(refs)
    assert found and fragment in found[0]


def test_basis_refs_problem_names_the_field(admin):
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(basis_refs=[{"law": "消防法", "article": -1}]))
    assert list(problems(exc.value)) == ["basis_refs"]


def test_update_changes_fields_and_records_before_and_after(admin):
    item = power_item_create(actor=admin, **fields())
    before = Event.objects.count()
    updated = power_item_update(actor=admin, item=item, version=1, name="新名称", fine_max=Decimal("80000"))
    assert updated.version == 2 and updated.name == "新名称" and updated.fine_min == Decimal("5000")
    events = list(Event.objects.order_by("seq")[before:])
    assert [e.action for e in events] == ["power_item.update"]
    assert '"name":"新名称"' in events[0].data and "对损坏" in events[0].data


def test_stale_version_is_a_conflict_and_changes_nothing(admin):
    """Two administrators editing the same item: the second save is refused, nothing is overwritten."""
    item = power_item_create(actor=admin, **fields())
    power_item_update(actor=admin, item=item, version=1, name="第一人")
    events = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        power_item_update(actor=admin, item=item, version=1, name="第二人")
    assert exc.value.code == ErrorCode.CONFLICT and exc.value.field == "version"
    item.refresh_from_db()
    assert item.name == "第一人" and item.version == 2 and Event.objects.count() == events


def test_only_administrators_may_write(county):
    officer = county.user(RoleCode.OFFICER)
    with pytest.raises(ServiceError) as exc:
        power_item_create(actor=officer, **fields())
    assert exc.value.code == ErrorCode.NOT_ALLOWED and not PowerItem.objects.exists()


def test_text_longer_than_the_column_is_refused(admin):
    """SQLite would store it, PostgreSQL would fail: the service refuses it on both."""
    with pytest.raises(ValidationErrors) as exc:
        power_item_create(actor=admin, **fields(name="长" * 301))
    assert problems(exc.value) == {"name": "事项名称不能超过 300 个字"}


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (60, "六十"),
        (97, "九十七"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (119, "一百一十九"),
        (1001, "一千零一"),
    ],
)
def test_chinese_numerals_round_trip(number, text):
    assert to_chinese(number) == text
    assert from_chinese(text) == number


def test_from_chinese_refuses_non_numerals():
    assert from_chinese("第六十") is None and from_chinese("") is None and from_chinese("12") == 12


def test_format_basis_ref_as_statutes_cite():
    assert format_basis_ref(FIRE_60) == "《中华人民共和国消防法》第六十条第一款第（三）项"
    assert (
        format_basis_ref({"law": "中华人民共和国渔业法", "article": 38})
        == "《中华人民共和国渔业法》第三十八条"
    )
