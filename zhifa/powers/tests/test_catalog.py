"""The built-in catalogue of power items (issue 3, point 2): the data file, its load and the demo.

APL Art. 38: a penalty without a legal basis is void, so every row must cite its statute, article and,
where the statute has them, paragraph and item; APL Art. 9: penalty types are those the law lists; APL
Art. 24: what a township may enforce depends on the published grant list and its claims.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhifa.core.models import Event
from zhifa.org.generate.names import DEPARTMENTS, DOMAINS
from zhifa.org.models import AgencyKind, Department, EnforcementDomain, Region, RegionLevel
from zhifa.powers.catalog import (
    CATALOG_PATH,
    HEADER,
    CatalogLoadError,
    ensure_catalog_domains,
    load_power_catalog,
    read_catalog,
)
from zhifa.powers.models import PowerItem, PowerType
from zhifa.powers.services.items import PENALTY_TYPES

ROWS = read_catalog()
REF = re.compile(
    r"《[^》]+》第[一二三四五六七八九十百零]+条(第[一二三四五六七八九十]+款)?(第（[一二三四五六七八九十]+）项)?"
)
CODE = re.compile(r"^(CF|QZ|JC)-[A-Z]{2}-\d{3}$")
TYPES = {"行政处罚": "CF", "行政强制": "QZ", "行政检查": "JC"}
DOMAIN_SUBJECTS = {
    name: f"县{spec.name}" for spec in DEPARTMENTS for code, name in DOMAINS if spec.domains == (code,)
} | {"消防安全": "县消防救援大队"}
PENALTY_ONLY = ("处罚种类", "罚款下限", "罚款上限", "罚款计算方式")


def by_code(code: str) -> dict[str, str]:
    return next(row for row in ROWS if row["事项编码"] == code)


def rows_citing(reference: str) -> list[dict[str, str]]:
    return [row for row in ROWS if reference in row["实施依据"].split("；")]


# --- The data file -----------------------------------------------------------------------------


def test_header_and_numbering():
    with open(CATALOG_PATH, encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(HEADER)
    assert len(ROWS) >= 160
    assert [int(row["序号"]) for row in ROWS] == list(range(1, len(ROWS) + 1))


def test_codes_are_unique_and_follow_the_type_prefix():
    codes = [row["事项编码"] for row in ROWS]
    assert len(set(codes)) == len(codes)
    for row in ROWS:
        assert CODE.match(row["事项编码"]), row["事项编码"]
        assert row["事项编码"].startswith(TYPES[row["职权类型"]] + "-"), row["事项编码"]


def test_types_domains_and_original_subjects():
    """Every domain's items name the county department that holds the domain (APL Art. 39)."""
    counts = {kind: sum(1 for row in ROWS if row["职权类型"] == kind) for kind in TYPES}
    assert counts["行政检查"] >= 10 and counts["行政强制"] >= 10
    assert counts["行政处罚"] >= 150
    for row in ROWS:
        assert row["执法领域"] in DOMAIN_SUBJECTS, row["事项编码"]
        assert row["原实施主体"] == DOMAIN_SUBJECTS[row["执法领域"]], row["事项编码"]
        assert row["事项名称"] and row["赋予对象"], row["事项编码"]
        keywords = row["关键词"].split("、")
        assert 2 <= len(keywords) <= 4 and all(keywords), row["事项编码"]


def test_every_basis_cites_statute_and_article():
    """APL Art. 38: no item without its basis; each reference repeats the statute's name."""
    for row in ROWS:
        basis = row["实施依据"]
        assert basis, row["事项编码"]
        for part in basis.split("；"):
            assert REF.fullmatch(part), (row["事项编码"], part)


def test_penalty_fields_only_on_penalties_and_ranges_ordered():
    """APL Art. 9 types only (detention is for the police), fine ranges with min <= max."""
    for row in ROWS:
        if row["职权类型"] != "行政处罚":
            assert not any(row[key] for key in PENALTY_ONLY), row["事项编码"]
            continue
        types = row["处罚种类"].split("、")
        assert types and all(t in PENALTY_TYPES and t != "行政拘留" for t in types), row["事项编码"]
        assert types == sorted(set(types), key=PENALTY_TYPES.index), "APL Art. 9 order, no repeats"
        low, high = row["罚款下限"], row["罚款上限"]
        if low or high or row["罚款计算方式"]:
            assert "罚款" in types, row["事项编码"]
        if low and high:
            assert Decimal(low) <= Decimal(high), row["事项编码"]


def test_seed_items_are_present():
    """Seeds 000, 001 and 002: the cases the documents tell of are in the catalogue with their basis."""
    # Seed 000: a packaging plant's managers used fire extinguishers for something else (消防法 Art. 60).
    extinguisher = by_code("CF-XF-001")
    assert "《中华人民共和国消防法》第六十条第一款第（一）项" in extinguisher["实施依据"]
    assert "灭火器" in extinguisher["关键词"]
    assert "挪用" in by_code("CF-XF-002")["事项名称"]
    individual = rows_citing("《中华人民共和国消防法》第六十条第二款")
    assert len(individual) == 4 and all(row["处罚种类"] == "警告、罚款" for row in individual)
    assert all(row["罚款上限"] == "500" for row in individual)
    # Seed 002: welders without special-operation qualification (安全生产法 2021 Art. 97 item 7).
    (special,) = rows_citing("《中华人民共和国安全生产法》第九十七条第（七）项")
    assert "特种作业" in special["事项名称"] and special["罚款上限"] == "200000"
    # Seed 002: river sand mining and sand washing (河道管理条例 Art. 44 items 4 and 5).
    (sand,) = rows_citing("《中华人民共和国河道管理条例》第四十四条第（四）项")
    assert "采砂" in sand["事项名称"]
    assert "洗砂" in rows_citing("《中华人民共和国河道管理条例》第四十四条第（五）项")[0]["关键词"]
    # Seed 001: nets and cage traps seized (渔业法 Art. 38): gear, methods, closed seasons.
    fishing = rows_citing("《中华人民共和国渔业法》第三十八条第一款")
    assert {"电鱼", "禁渔期", "禁用渔具"} <= {k for row in fishing for k in row["关键词"].split("、")}
    assert all(row["罚款上限"] == "50000" and row["赋予对象"] == "涉渔乡镇" for row in fishing)


# --- Loading through the list import -----------------------------------------------------------


@pytest.fixture
def departments(db) -> Region:
    """A county with the departments the catalogue names (the import checks original subjects)."""
    ensure_catalog_domains()
    domains = {d.code: d for d in EnforcementDomain.objects.all()}
    county = Region.objects.create(adcode="350599000000", name="目录县", level=RegionLevel.COUNTY)
    specs = [(spec.name, spec.domains) for spec in DEPARTMENTS if spec.domains]
    specs.append(("消防救援大队", ("fire",)))
    for name, codes in specs:
        department = Department.objects.create(name=f"目录县{name}", short_name=name[:4], region=county)
        department.domains.set([domains[code] for code in codes])
    return county


def test_load_creates_every_item_with_structured_basis(departments):
    result = load_power_catalog()
    assert result == {"total": len(ROWS), "created": len(ROWS), "existing": 0, "domains_created": []}
    assert PowerItem.objects.count() == len(ROWS) >= 150
    item = PowerItem.objects.get(code="CF-XF-001")
    assert {"law": "中华人民共和国消防法", "article": 60, "paragraph": 1, "item": 1} in item.basis_refs
    assert item.domain.code == "fire" and item.power_type == PowerType.PENALTY
    assert item.penalty_types == ["罚款"]
    assert (item.fine_min, item.fine_max) == (Decimal("5000.00"), Decimal("50000.00"))
    special = PowerItem.objects.get(code="CF-AQ-006")
    assert {"law": "中华人民共和国安全生产法", "article": 97, "item": 7} in special.basis_refs
    individual = PowerItem.objects.get(code="CF-XF-008")
    assert {"law": "中华人民共和国消防法", "article": 60, "paragraph": 2} in individual.basis_refs
    assert individual.penalty_types == ["警告", "罚款"] and individual.fine_min is None
    assert not PowerItem.objects.filter(basis_refs=[]).exists()
    assert not PowerItem.objects.filter(domain__isnull=True).exists()
    inspection = PowerItem.objects.filter(power_type=PowerType.INSPECTION).first()
    assert inspection.penalty_types == [] and inspection.fine_max is None
    # One batch event for the whole file (APL Art. 47), not one per row.
    assert Event.objects.filter(action="power_item.import").count() == 1


def test_loading_twice_changes_nothing(departments):
    load_power_catalog()
    events = Event.objects.count()
    assert load_power_catalog() == {
        "total": len(ROWS),
        "created": 0,
        "existing": len(ROWS),
        "domains_created": [],
    }
    assert Event.objects.count() == events
    assert PowerItem.objects.count() == len(ROWS)


def test_only_missing_rows_are_imported(departments):
    load_power_catalog()
    PowerItem.objects.filter(code__in=["CF-CG-001", "JC-SL-001"]).delete()
    result = load_power_catalog()
    assert (result["created"], result["existing"]) == (2, len(ROWS) - 2)
    assert PowerItem.objects.count() == len(ROWS)


def test_unknown_departments_refuse_the_whole_file(db):
    """The import checks original subjects: without the departments nothing is written."""
    with pytest.raises(CatalogLoadError) as caught:
        load_power_catalog()
    assert any("原实施主体" in error.column for error in caught.value.errors)
    assert not PowerItem.objects.exists()


def test_fire_domain_is_created_once_with_its_event(db):
    EnforcementDomain.objects.filter(code="fire").delete()
    assert "fire" in ensure_catalog_domains()
    assert EnforcementDomain.objects.get(code="fire").name == "消防安全"
    assert Event.objects.filter(action="enforcement_domain.create").count() >= 1
    events = Event.objects.count()
    assert ensure_catalog_domains() == []
    assert Event.objects.count() == events


def test_command_loads_then_reports_nothing_to_do(departments):
    out = io.StringIO()
    call_command("load_power_catalog", stdout=out)
    assert f"已导入 {len(ROWS)} 项" in out.getvalue()
    call_command("load_power_catalog", stdout=out)
    assert "未做任何改动" in out.getvalue()


# --- The demo county ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_power_demo_versions_claims_and_competence():
    """The demo walks the real services: v1 (2024-01-01) and v2 (2025-07-01) published, v3 drafting;
    a claimed item is the township's, an unclaimed one stays with its department (APL Art. 24)."""
    from zhifa.org.generate.demo import DEMO_ADCODE, load_demo
    from zhifa.powers.demo import GUIDANCE_NAME, SEED_CODES, load_power_demo
    from zhifa.powers.models import Claim, GrantEntry, GrantList, GrantListStatus, GuidanceList
    from zhifa.powers.resolver import competent_agency, grant_list_in_force

    load_demo()
    county = Region.objects.get(adcode=DEMO_ADCODE)
    result = load_power_demo(county)
    assert result.created and result.counts["powers.poweritem"] == len(ROWS)
    brigade = Department.objects.get(region=county, name="沙溪县消防救援大队")
    assert list(brigade.domains.values_list("code", flat=True)) == ["fire"]
    assert brigade.agency.kind == AgencyKind.DEPARTMENT
    guidance = GuidanceList.objects.get(name=GUIDANCE_NAME)
    assert 110 <= guidance.items.count() <= 130
    assert set(SEED_CODES) <= set(guidance.items.values_list("code", flat=True))

    v1, v2, v3 = GrantList.objects.filter(county=county).order_by("number")
    assert (v1.status, v1.effective_from) == (GrantListStatus.PUBLISHED, datetime.date(2024, 1, 1))
    assert (v2.status, v2.effective_from) == (GrantListStatus.PUBLISHED, datetime.date(2025, 7, 1))
    assert v3.status == GrantListStatus.DRAFTING and v2.based_on == v1 and v3.based_on == v2
    assert grant_list_in_force(county, datetime.date(2024, 6, 1)) == v1
    assert grant_list_in_force(county, datetime.date(2025, 12, 31)) == v2
    pairs = {
        gl.number: set(GrantEntry.objects.filter(grant_list=gl).values_list("township_id", "item_id"))
        for gl in (v1, v2)
    }
    assert pairs[2] - pairs[1] and pairs[1] - pairs[2], "version 2 adds and removes items"

    townships = list(Region.objects.filter(parent=county).order_by("adcode"))
    for township in townships:
        granted = GrantEntry.objects.filter(grant_list=v2, township=township).count()
        claimed = Claim.objects.filter(grant_list=v2, township=township).count()
        assert 0 < claimed < granted, "each township claims most items and leaves some unclaimed"

    day = datetime.date(2025, 12, 31)
    township = townships[0]
    claim = Claim.objects.filter(grant_list=v2, township=township).select_related("item").first()
    answer = competent_agency(claim.item, township, day)
    assert answer.by_township and answer.agency.region == township
    assert answer.agency.kind == AgencyKind.TOWNSHIP_GOVERNMENT
    claimed_items = Claim.objects.filter(grant_list=v2, township=township).values_list("item_id", flat=True)
    unclaimed = (
        GrantEntry.objects.filter(grant_list=v2, township=township)
        .exclude(item_id__in=claimed_items)
        .select_related("item")
        .first()
        .item
    )
    answer = competent_agency(unclaimed, township, day)
    assert not answer.by_township and answer.agency.kind == AgencyKind.DEPARTMENT
    assert answer.agency.department.domains.filter(pk=unclaimed.domain_id).exists()
    fire = PowerItem.objects.get(code="CF-XF-001")  # claimed everywhere (seed 000)
    assert competent_agency(fire, township, day).agency.region == township
    assert competent_agency(fire, township, datetime.date(2023, 12, 31)).agency == brigade.agency

    # A capacity assessment round over version 2 runs, half the townships rated (seeds 000, 004).
    from zhifa.powers.models import CapacityAssessment, CapacityRating, Proposal

    assessment = CapacityAssessment.objects.get(county=county)
    assert assessment.grant_list == v2 and assessment.is_drafting
    rated = CapacityRating.objects.filter(assessment=assessment).exclude(rating="")
    assert set(rated.values_list("township_id", flat=True)) == {t.pk for t in townships[:6]}
    assert rated.filter(proposal=Proposal.REVOKE).exists()

    events = Event.objects.count()
    again = load_power_demo(county)
    assert not again.created and Event.objects.count() == events
