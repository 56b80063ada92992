"""The case workspace (/cases/<pk>/): the head, the steps legal now as buttons and the others greyed with
every reason and the article (issue 5, point 1), the time limits with their article, level and the local
settings they depend on (point 4), the documents with print and PDF links, the timeline; outsiders 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.models import DocType, ProcedureSetting
from zhifa.cases.tests.factories import open_case, ready_case
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def workspace(client, case) -> str:
    response = client.get(reverse("case-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def allowed(html: str) -> list[str]:
    return re.findall(r'data-testid="action" data-action="(\w+)"', html)


def refused(html: str) -> dict[str, str]:
    """Each refused step with the text of its entry (label, article, reasons)."""
    return {
        m.group(1): re.sub(r"<[^>]+>", " ", m.group(2))
        for m in re.finditer(r'data-testid="refused" data-action="(\w+)">(.*?)</li>\s*</ul>', html, re.S)
    }


def test_a_case_without_party_shows_propose_filing_greyed_with_the_reasons(client, world):
    case = open_case(world)
    client.force_login(world.officer)
    html = workspace(client, case)
    assert "propose_filing" not in allowed(html)
    entry = refused(html)["propose_filing"]
    # APL Art. 54 (filing), Art. 59(1) (a party), Art. 42 (two certified officers), Art. 43 (recusal).
    assert "提请立案" in entry and "《行政处罚法》第五十四条" in entry
    assert "请先登记当事人。" in entry
    assert "须有两名以上持有“城市管理”领域有效执法证的执法人员" in entry and "现有1名" in entry
    assert "尚未声明无应当回避情形" in entry
    # A leader's step is explained to an officer by their role.
    assert "您的角色不能办理此环节。" in refused(html)["decline"]


def test_a_ready_case_offers_propose_filing_to_its_officer(client, world):
    case = ready_case(world)
    client.force_login(world.officer)
    html = workspace(client, case)
    assert "propose_filing" in allowed(html)
    url = reverse("case-act", args=[case.pk, "propose_filing"])
    assert f'href="{url}" hx-get="{url}"' in html
    assert "某包装厂擅自挪用消防器材" in html and "东湖包装有限公司" in html
    assert world.item.code in html and "《中华人民共和国消防法》第六十条" in html
    assert "东湖执法员二（协办）" in html
    # The leader may decline but not propose (APL Art. 54: the officers propose, the head approves).
    client.force_login(world.leader)
    html = workspace(client, case)
    assert "decline" in allowed(html) and "propose_filing" in allowed(html)
    # A reviewer reads the case but has nothing to do at this stage.
    client.force_login(world.reviewer)
    assert allowed(workspace(client, case)) == []


def test_deadlines_show_article_days_level_and_the_setting_they_depend_on(client, world):
    case = open_case(world)
    client.force_login(world.officer)
    html = workspace(client, case)
    block = re.search(
        r'data-testid="deadline" data-key="filing" data-level="(\w+)">(.*?)</div>\s*</div>', html, re.S
    )
    assert block is not None and block.group(1) == "ok"
    text = block.group(2)
    assert "立案审批" in text and "15个工作日" in text and "《行政处罚法》第五十四条" in text
    assert 'data-setting="filing_days"' in text and "默认" in text
    # An agency's own setting replaces the default, shown with its source (LAW.md, last table).
    ProcedureSetting.objects.create(
        key="filing_days", agency=case.agency, value=5, source="东湖镇案件办理规定第八条"
    )
    html = workspace(client, case)
    assert "5个工作日" in html and "东湖镇案件办理规定第八条" in html


def test_a_past_deadline_turns_into_an_overdue_warning(client, world):
    today = timezone.localdate()
    case = open_case(
        world, act_on=today - datetime.timedelta(days=90), discovered_on=today - datetime.timedelta(days=60)
    )
    client.force_login(world.officer)
    html = workspace(client, case)
    assert re.search(r'data-key="filing" data-level="overdue"', html)
    assert "已超期" in html


def test_documents_timeline_and_decision_deadline_after_filing(client, world, media):
    case = ready_case(world)
    case = perform(actor=world.officer, case=case, action="propose_filing", payload={"note": "证据已固定"})
    case = perform(actor=world.leader, case=case, action="approve_filing")
    document = case.documents.get(doc_type=DocType.FILING_APPROVAL)
    client.force_login(world.officer)
    html = workspace(client, case)
    assert document.number in html
    assert reverse("case-document", args=[case.pk, document.pk]) in html
    assert reverse("case-document-pdf", args=[case.pk, document.pk]) in html
    steps = re.findall(r'data-testid="step" data-action="(\w+)"', html)
    assert steps == ["open", "propose_filing", "approve_filing"]
    assert "证据已固定" in html and "案源登记 → 立案审批" in html
    # APL Art. 60: the decision within 90 days of filing, calendar days.
    assert re.search(r'data-key="decision" data-level="ok"', html) and "90日" in html
    assert 'data-key="filing"' not in html


def test_outsiders_get_404(client, world):
    case = ready_case(world)
    for user in (
        world.county.user(RoleCode.OFFICER, "t1"),
        world.county.user(RoleCode.GRID_WORKER, "t1"),
        world.county.user(RoleCode.TEAM_LEADER, "t1"),
    ):
        client.force_login(user)
        assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
        assert client.get(reverse("case-act", args=[case.pk, "propose_filing"])).status_code == 404
        response = client.post(
            reverse("case-act", args=[case.pk, "propose_filing"]), {"act-version": case.version}
        )
        assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "source"
    client.logout()
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 302
