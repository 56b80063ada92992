"""The legal review pages: the reviewer's queue (scoped, tiers, due colours, constant queries), the review
form (404 for outsiders, the GO118 (十三) checklist with the system's findings, refusals naming the
missing checks), the workspace section and the collective discussion form (APL Art. 57 para 2)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases.models import CaseState, Discussion, DocType, ReviewStatus, ReviewTier
from zhifa.cases.review_checklist import CHECK_KEYS
from zhifa.cases.selectors.reviews import review_queue, reviews_context
from zhifa.cases.services.review import review_decide
from zhifa.cases.tests.review_helpers import all_passed, pending_review, review_case
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def decide_form(**overrides: str) -> dict[str, str]:
    data = {"action": "decide", "opinion": "同意", "qualified": "1"}
    data.update({f"check-{key}": "pass" for key in CHECK_KEYS})
    data.update(overrides)
    return data


def test_the_queue_shows_each_reviewer_their_tier(world, media, client):
    township = review_case(world)
    panel = review_case(world, tier=ReviewTier.PANEL)
    client.force_login(world.reviewer)
    page = client.get(reverse("case-review-queue"))
    assert page.status_code == 200
    html = page.content.decode()
    # The township's own reviewer decides its township review and may add a first opinion to the panel's.
    assert f'data-code="{township.code}" data-tier="township" data-can-decide="1"' in html
    assert f'data-code="{panel.code}" data-tier="panel" data-can-decide="0"' in html
    client.force_login(world.user(RoleCode.JUSTICE_BUREAU, "county"))
    html = client.get(reverse("case-review-queue")).content.decode()
    assert panel.code in html and township.code not in html
    client.force_login(world.user(RoleCode.LEGAL_REVIEWER, "t1"))
    assert township.code not in client.get(reverse("case-review-queue")).content.decode()
    client.force_login(world.officer)
    assert client.get(reverse("case-review-queue")).status_code == 403


def test_the_queue_takes_the_same_queries_for_one_or_many_reviews(world, media):
    review_case(world)
    with CaptureQueriesContext(connection) as one:
        rows = review_queue(world.reviewer)
        [(r.review.case.agency.name, r.review.case.item.name) for r in rows]
    for _ in range(3):
        review_case(world)
    world.reviewer.__dict__.pop("_zhifa_scope", None)
    world.reviewer.__dict__.pop("_zhifa_roles", None)
    with CaptureQueriesContext(connection) as many:
        rows = review_queue(world.reviewer)
        [(r.review.case.agency.name, r.review.case.item.name) for r in rows]
    assert len(rows) == 4
    assert len(many) == len(one)
    assert {r.level for r in rows} == {"ok"}


def test_a_reviewer_of_another_township_gets_404(world, media, client):
    review = pending_review(review_case(world))
    client.force_login(world.user(RoleCode.LEGAL_REVIEWER, "t1"))
    assert client.get(reverse("case-review", args=[review.pk])).status_code == 404
    assert client.post(reverse("case-review", args=[review.pk]), decide_form()).status_code == 404
    assert pending_review(review.case).status == ReviewStatus.PENDING


def test_the_form_shows_the_case_and_the_findings(world, media, client):
    case = review_case(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("case-review", args=[pending_review(case).pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for text in (
        "执法主体是否合法",
        "违法行为是否涉嫌犯罪、需要移送司法机关",
        case.facts,
        "依赋权清单",
        "现场检查笔录",
    ):
        assert text in html
    assert 'data-testid="review-checklist"' in html and 'name="qualified"' in html
    client.force_login(world.officer)
    html = client.get(reverse("case-review", args=[pending_review(case).pk])).content.decode()
    assert 'data-testid="review-checklist"' not in html and 'data-testid="review-readonly"' in html


def test_missing_answers_are_named_on_the_page(world, media, client):
    case = review_case(world)
    review = pending_review(case)
    client.force_login(world.reviewer)
    data = decide_form()
    del data["check-law"]
    data["check-facts"] = "fail"
    page = client.post(reverse("case-review", args=[review.pk]), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert (
        "适用法律、法规、规章是否准确" in html and 'data-field="law"' in html and 'data-field="facts"' in html
    )
    case.refresh_from_db()
    assert case.state == CaseState.REVIEW


def test_deciding_on_the_page_moves_the_case(world, media, client):
    case = review_case(world)
    review = pending_review(case)
    client.force_login(world.reviewer)
    data = decide_form(**{"check-facts": "fail", "opinion-facts": "缺少询问笔录", "opinion": "退回补正"})
    data["version"] = str(case.version)
    page = client.post(reverse("case-review", args=[review.pk]), data)
    assert page.status_code == 302 and page["Location"] == reverse("case-review-queue")
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    html = client.get(reverse("case-review", args=[review.pk])).content.decode()
    assert "缺少询问笔录" in html and 'data-testid="opinion-document"' in html


def test_the_panel_form_takes_its_members(world, media, client):
    case = review_case(world, tier=ReviewTier.PANEL)
    review = pending_review(case)
    client.force_login(world.user(RoleCode.JUSTICE_BUREAU, "county"))
    members = {"panel-name-0": "张法治", "panel-role-0": "official", "panel-name-1": "李顾问"}
    members |= {
        "panel-role-1": "official",
        "panel-name-2": "王律师",
        "panel-role-2": "social_lawyer",
    }
    page = client.post(reverse("case-review", args=[review.pk]), decide_form(**members))
    assert page.status_code == 400 and "政府法律顾问或公职律师" in page.content.decode()
    members["panel-role-1"] = "government_counsel"
    assert client.post(reverse("case-review", args=[review.pk]), decide_form(**members)).status_code == 302
    review.refresh_from_db()
    assert [(m["name"], m["role"]) for m in review.panel] == [
        ("张法治", "官员"),
        ("李顾问", "政府法律顾问"),
        ("王律师", "社会律师"),
    ]


def test_the_workspace_section_and_the_collective_discussion(world, media, client, rf):
    """A panel case passes review, waits for the heads' discussion (APL Art. 57 para 2), which the
    team leader records from the workspace section."""
    case = review_case(world, tier=ReviewTier.PANEL)
    members = [
        {"name": "张法治", "role": "official"},
        {"name": "李顾问", "role": "government_counsel"},
        {"name": "王律师", "role": "public_lawyer"},
    ]
    bureau = world.user(RoleCode.JUSTICE_BUREAU, "county")
    review_decide(
        actor=bureau,
        review=pending_review(case),
        answers=all_passed(),
        opinion="同意",
        panel=members,
        qualified=True,
    )
    case.refresh_from_db()
    assert case.state == CaseState.DISCUSSION
    request = rf.get("/")
    request.user = world.leader
    context = reviews_context(world.leader, case)
    assert context["discussion_required"] and context["discussion_form"] is not None
    assert context["review_rounds"][0]["document"].doc_type == DocType.LEGAL_REVIEW_OPINION
    html = render_to_string("cases/ws_reviews.html", {"case": case, "request": request, **context})
    assert 'data-testid="opinion-link"' in html and 'data-testid="discussion-form"' in html
    assert reviews_context(world.officer, case)["discussion_form"] is None
    client.force_login(world.leader)
    workspace = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="ws-reviews"' in workspace and 'data-testid="discussion-form"' in workspace
    post = {
        "discussion-version": str(case.version),
        "discussion-chair": "镇长",
        "discussion-attendees": "镇长，副镇长甲，副镇长乙",
        "discussion-conclusion": "同意按拟处罚意见作出决定。",
        "discussion-agreed": "1",
    }
    page = client.post(reverse("case-discussion", args=[case.pk]), post)
    assert page.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DECIDING
    assert Discussion.objects.get(case=case).attendees == ["镇长", "副镇长甲", "副镇长乙"]
    html = render_to_string(
        "cases/ws_reviews.html", {"case": case, "request": request, **reviews_context(world.leader, case)}
    )
    assert 'data-testid="minutes-link"' in html and 'data-testid="discussion-form"' not in html
