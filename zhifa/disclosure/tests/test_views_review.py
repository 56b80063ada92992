"""The review page (/disclosure/case/<pk>/): original beside redacted, preview, publish, not published.

GO118 "作适当处理"; ZJ-PUB Art. 5-8: the reviewer sees what is masked and can mask more, never less.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.services import publication_publish
from zhifa.disclosure.tests.queue_builders import (
    PERSON,
    client_for,
    events_of,
    penalty_case,
)
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def url(case) -> str:
    return reverse("disclosure-review", args=[case.pk])


def section(html: str, testid: str, length: int = 20000) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : start + length]


def test_the_reviewer_sees_the_original_beside_the_redacted_version(world):
    """The original (staff only) shows the person's ID number; the public side masks it, marked by kind;
    the public summary and the due date are shown."""
    case = penalty_case(world, person=True)
    response = client_for(world.leader).get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    original = html[html.index('data-testid="original-text"') : html.index('data-testid="review-preview"')]
    public = section(html, "review-preview")
    assert PERSON["id_number"] in original
    assert PERSON["id_number"] not in public and PERSON["name"] not in public
    assert 'class="zf-mask zf-mask-' in public and "data-kind=" in public
    assert case.decision_number in section(html, "public-number", 300)
    assert "国办发〔2018〕118号（六）" in section(html, "public-due", 800)
    assert 'data-testid="publish"' in html and 'data-testid="exempt-form"' in html
    assert 'data-testid="mask-selection"' in html


@pytest.mark.parametrize("role, place", [(RoleCode.OFFICER, "t0"), (RoleCode.JUSTICE_BUREAU, "county")])
def test_who_may_not_publish_sees_the_public_version_only(world, role, place):
    """PIPL Art. 34: the original, with the party's identifiers, only for those who review it."""
    case = penalty_case(world, person=True)
    html = client_for(world.user(role, place)).get(url(case)).content.decode()
    assert 'data-testid="original-hidden"' in html
    assert PERSON["id_number"] not in html
    assert 'data-testid="publish"' not in html


def test_preview_through_htmx_marks_the_extra_mask(world):
    case = penalty_case(world)
    response = client_for(world.leader).post(
        url(case), {"action": "preview", "extra_masks": "灭火器\n"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the partial only
    assert 'data-kind="extra"' in html
    redacted = section(html, "redacted-text")
    assert "灭火器" not in redacted[: redacted.index("</div>")]
    assert 'id="mask-errors" hx-swap-oob="true"' in html
    assert not Publication.objects.filter(case=case).exists()


def test_preview_of_a_mask_not_in_the_original_names_the_field(world):
    case = penalty_case(world)
    response = client_for(world.leader).post(
        url(case), {"action": "preview", "extra_masks": "不存在的文字"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'data-testid="error-extra_masks"' in html and "不在决定书原文中" in html


def test_preview_is_for_those_who_may_publish(world):
    """Whether a string is in the original is only told to those who may read the original."""
    case = penalty_case(world)
    response = client_for(world.officer).post(url(case), {"action": "preview", "extra_masks": "灭火器"})
    assert response.status_code == 403


def test_publish_is_one_click_and_lands_on_the_publication(world):
    """GO118 (六): publishing is one reviewed click; the page goes to the publication with a message."""
    case = penalty_case(world)
    before = events_of()
    response = client_for(world.leader).post(
        url(case), {"action": "publish", "extra_masks": "灭火器"}, follow=True
    )
    publication = Publication.objects.get(case=case)
    assert response.redirect_chain[-1][0] == reverse("disclosure-publication", args=[publication.pk])
    html = response.content.decode()
    assert "已公示" in html and 'data-state="published"' in html
    assert publication.extra_masks == ["灭火器"] and "灭火器" not in publication.body
    assert events_of() == before + 1


def test_a_publish_error_is_shown_next_to_the_field(world):
    case = penalty_case(world)
    response = client_for(world.leader).post(url(case), {"action": "publish", "extra_masks": "不存在的文字"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-extra_masks"' in html and "不存在的文字" in html
    assert not Publication.objects.filter(case=case).exists()


def test_an_officer_cannot_publish_through_the_page(world):
    case = penalty_case(world)
    response = client_for(world.officer).post(url(case), {"action": "publish"})
    assert response.status_code == 403
    assert "只有作出决定的执法主体的队长或法制审核员可以公示" in response.content.decode()
    assert not Publication.objects.filter(case=case).exists()


def test_a_case_that_needs_no_publication_shows_why_and_no_buttons(world):
    """SAMR Order 45 Art. 2: warning-only decisions are not published; the page says so."""
    case = penalty_case(world, types=["警告"], fine=None)
    html = client_for(world.leader).get(url(case)).content.decode()
    assert "仅给予警告的处罚决定不公示" in section(html, "no-duty", 600)
    assert 'data-testid="publish"' not in html and 'data-testid="exempt-form"' not in html


def test_a_case_already_handled_links_to_its_publication(world):
    case = penalty_case(world)
    publication = publication_publish(actor=world.leader, case_pk=case.pk)
    html = client_for(world.reviewer).get(url(case)).content.decode()
    assert reverse("disclosure-publication", args=[publication.pk]) in section(html, "already-handled", 600)
    assert 'data-testid="publish"' not in html


def test_not_published_with_its_reason(world):
    """OGI Art. 14-15: the reason is required and named when missing; then the case is exempt."""
    case = penalty_case(world)
    client = client_for(world.leader)
    response = client.post(url(case), {"action": "exempt", "exempt-reason": "privacy", "exempt-note": ""})
    assert response.status_code == 400
    assert 'data-testid="error-note"' in response.content.decode()
    response = client.post(
        url(case), {"action": "exempt", "exempt-reason": "privacy", "exempt-note": "涉及他人隐私。"}
    )
    publication = Publication.objects.get(case=case)
    assert response.status_code == 302 and publication.state == PublicationState.EXEMPT


def test_another_townships_case_is_a_404(world):
    case = penalty_case(world)
    client = client_for(world.user(RoleCode.TEAM_LEADER, "t1"))
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), {"action": "publish"}).status_code == 404
    assert client.get(reverse("disclosure-review", args=[999999])).status_code == 404


def test_an_unknown_action_is_a_400(world):
    case = penalty_case(world)
    response = client_for(world.leader).post(url(case), {"action": "delete"})
    assert response.status_code == 400 and "没有这个操作" in response.content.decode()
