"""Opening a case: the registration form (/cases/open/, services.cases.case_open) with errors next to their
fields in Chinese, and 立案 from a handled clue in one click (issue 5, point 8): the clue page loads the
button from the cases app (intake never imports cases), the place, item, text and photos flow into the
case, and the clue lists the cases opened from it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, CaseSource, CaseState
from zhifa.intake.models import ClueStatus
from zhifa.intake.tests.command_helpers import in_status
from zhifa.intake.tests.helpers import build_intake_world
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def form_data(world, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "agency": world.county.township_agencies[0].pk,
        "item": world.item.pk,
        "region": world.county.townships[0].pk,
        "title": "某包装厂擅自挪用消防器材",
        "procedure": "general",
        "source": "inspection",
        "act_on": (today - datetime.timedelta(days=5)).isoformat(),
        "discovered_on": (today - datetime.timedelta(days=1)).isoformat(),
        "address": "东湖镇工业园1号",
        "facts": "检查发现灭火器被挪作他用。",
    }
    data.update(overrides)
    return data


def test_the_form_lists_the_agencys_items_first_and_the_townships_of_the_county(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("case-open")).content.decode()
    own = re.search(r'<optgroup label="本机关实施的事项">(.*?)</optgroup>', html, re.S).group(1)
    assert world.item.code in own and world.ungranted.code not in own
    assert world.ungranted.code in html  # still offered among the other penalty items
    assert "东湖镇" in html and "西山街道" in html
    assert f'name="agency" value="{world.county.township_agencies[0].pk}"' in html


def test_opening_a_case_goes_to_its_workspace(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("case-open"), form_data(world))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", args=[case.pk])
    assert case.state == CaseState.SOURCE and case.source == CaseSource.INSPECTION
    assert case.agency == world.county.township_agencies[0] and case.item == world.item
    assert case.officers.get().person == world.officer.person, "the registering officer leads the case"


def test_errors_come_back_next_to_their_fields_in_chinese(client, world):
    client.force_login(world.officer)
    today = timezone.localdate()
    response = client.post(
        reverse("case-open"),
        form_data(world, discovered_on=(today - datetime.timedelta(days=9)).isoformat()),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-discovered_on">发现日期不能早于违法行为发生日期。<' in html
    response = client.post(reverse("case-open"), form_data(world, title=""))
    assert 'data-testid="error-title">请填写案由。<' in response.content.decode()
    assert not Case.objects.exists()


def test_only_case_roles_may_open_cases(client, world):
    for role, place in ((RoleCode.GRID_WORKER, "t0"), (RoleCode.LEGAL_REVIEWER, "t0")):
        client.force_login(world.county.user(role, place))
        assert client.get(reverse("case-open")).status_code == 404
    # Another township's agency is not the officer's to choose.
    client.force_login(world.officer)
    response = client.post(
        reverse("case-open"), form_data(world, agency=world.county.township_agencies[1].pk)
    )
    assert response.status_code == 400 and not Case.objects.exists()


@pytest.fixture
def intake(county):
    return build_intake_world(county)


def button(client, clue) -> str:
    response = client.get(reverse("case-clue-button", args=[clue.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_handled_clue_becomes_a_case_in_one_click(client, intake, media):
    clue = in_status(intake, ClueStatus.HANDLING, address="东湖镇菜市场北门")
    client.force_login(intake.county.user(RoleCode.OFFICER, "t0"))
    clue_page = client.get(reverse("intake-clue", args=[clue.pk])).content.decode()
    assert reverse("case-clue-button", args=[clue.pk]) in clue_page
    fragment = button(client, clue)
    assert 'data-testid="submit-open-case"' in fragment
    response = client.post(reverse("case-open-from-clue", args=[clue.pk]), {"item": intake.claimed.pk})
    case = Case.objects.get(clue=clue)
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", args=[case.pk])
    assert case.source == CaseSource.CLUE and case.item == intake.claimed
    assert case.address == "东湖镇菜市场北门" and case.facts == clue.text
    # The clue sees the case opened from it; the same item cannot be filed twice.
    fragment = button(client, clue)
    assert f'data-code="{case.code}"' in fragment and 'data-testid="submit-open-case"' not in fragment
    workspace = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("intake-clue", args=[clue.pk])}"' in workspace


def test_a_clue_not_yet_signed_for_offers_no_case(client, intake):
    clue = in_status(intake, ClueStatus.DISPATCHED)
    client.force_login(intake.county.user(RoleCode.OFFICER, "t0"))
    assert 'data-testid="submit-open-case"' not in button(client, clue)
    response = client.post(reverse("case-open-from-clue", args=[clue.pk]), follow=True)
    assert "线索签收后才能转为案件。" in response.content.decode()
    assert not Case.objects.exists()
    # Another township's officer does not even learn that the clue exists.
    client.force_login(intake.county.user(RoleCode.OFFICER, "t1"))
    assert client.get(reverse("case-clue-button", args=[clue.pk])).status_code == 404
    assert client.post(reverse("case-open-from-clue", args=[clue.pk])).status_code == 404
