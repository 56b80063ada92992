"""The command centre page, its queue partial and map markers, the team page and the home cards (issue 4
point 5): filters, countdowns, overdue warnings, outside-grid clues, roles, and queries that do not
grow with the number of rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.intake.models import ClueStatus
from zhifa.intake.services.report import clue_report
from zhifa.intake.tests.command_helpers import in_status, make_overdue, reported
from zhifa.intake.tests.helpers import INSIDE_T1, OUTSIDE, clue_input
from zhifa.intake.views.display import countdown, countdown_labels, duration_text
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db


def login(client, world, role=RoleCode.DISPATCHER, place="county"):
    client.force_login(world.user(role, place))
    return client


def codes(html: str) -> set[str]:
    return set(re.findall(r'data-testid="queue-row" data-code="([^"]+)"', html))


def test_countdown_phrases():
    now = timezone.now()
    assert countdown(now + datetime.timedelta(minutes=12, seconds=30), now) == ("剩余 12 分钟", False)
    assert countdown(now - datetime.timedelta(minutes=5, seconds=10), now) == ("超时 5 分钟", True)
    assert countdown(None, now) == ("", False)
    assert duration_text(45) == "45 秒"
    assert duration_text(3 * 3600 + 5 * 60) == "3 小时 5 分钟"
    assert duration_text(2 * 86400 + 4 * 3600 + 59) == "2 天 4 小时"
    # The browser fills the same phrases.
    labels = countdown_labels()
    assert labels["left"] == "剩余 {t}" and labels["m"] == "{n} 分钟" and labels["h"] == "{h} 小时 {m} 分钟"


def test_dispatcher_sees_queue_with_countdowns_and_overdue_warnings(client, world):
    waiting = reported(world)
    late = make_overdue(reported(world, text="河边有人用电瓶电鱼，已持续半小时"), 5)
    closed = in_status(world, ClueStatus.CLOSED)
    html = login(client, world).get(reverse("intake-command")).content.decode()
    assert codes(html) == {waiting.code, late.code}, "closed clues are not in the queue"
    assert closed.code not in html
    # Default dispatch limit 30 minutes (zhifa/intake/limits.py): the countdown runs.
    assert re.search(r'data-testid="countdown">剩余 (29|30) 分钟<', html)
    assert 'zf-deadline-over" data-due="' in html and "超时 5 分钟" in html
    warnings = html[html.index('id="command-warnings"') : html.index('id="command-filters"')]
    assert late.code in warnings and waiting.code not in warnings
    assert "超时预警：1 条线索" in warnings
    # The most pressing limit comes first.
    assert html.index(f'data-code="{late.code}"') < html.index(f'data-code="{waiting.code}"')
    assert reverse("intake-clue", args=[late.pk]) in html


def test_filters_township_status_category_overdue(client, world):
    from zhifa.intake.models import ClueCategory

    t0 = reported(world)
    t1 = reported(world, INSIDE_T1, reporter=(RoleCode.GRID_WORKER, "t1"))
    fishing = ClueCategory.objects.get(code="fishing")
    other = reported(world, category=fishing, text="水库边有人用地笼网捕鱼")
    dispatched = in_status(world, ClueStatus.DISPATCHED)
    late = make_overdue(in_status(world, ClueStatus.HANDLING), 3)
    login(client, world)
    url = reverse("intake-command")
    township = world.county.townships[1].adcode
    assert codes(client.get(url, {"township": township}).content.decode()) == {t1.code}
    assert codes(client.get(url, {"status": "dispatched"}).content.decode()) == {dispatched.code}
    assert codes(client.get(url, {"category": "fishing"}).content.decode()) == {other.code}
    assert codes(client.get(url, {"overdue": "on"}).content.decode()) == {late.code}
    # The partial the page polls keeps the same filters, and carries the warnings out of band.
    partial = client.get(reverse("intake-command-queue"), {"township": world.county.townships[0].adcode})
    html = partial.content.decode()
    assert codes(html) == {t0.code, other.code, dispatched.code, late.code}
    assert 'id="command-warnings" hx-swap-oob="true"' in html and late.code in html
    assert "<html" not in html, "a fragment, not a page"
    # A bad filter value narrows to nothing rather than failing.
    assert client.get(url, {"status": "closed"}).status_code == 200


def test_markers_json_coloured_by_status_and_outside_grid_flagged(client, world):
    inside = reported(world)
    dispatcher = world.user(RoleCode.DISPATCHER, "county")
    outside = clue_report(actor=dispatcher, data=clue_input(world, OUTSIDE, source="hotline"))
    assert outside.outside_grid
    no_position = clue_report(
        actor=dispatcher, data=clue_input(world, None, source="hotline", region=world.county.townships[0])
    )
    data = login(client, world).get(reverse("intake-command-markers")).json()
    markers = {m["code"]: m for m in data["markers"]}
    assert set(markers) == {inside.code, outside.code}, "a clue without a position has no marker"
    assert markers[inside.code]["colour"] == "#d6336c" and markers[inside.code]["status_label"] == "待派遣"
    assert markers[outside.code]["outside"] is True and markers[inside.code]["outside"] is False
    assert markers[inside.code]["url"] == reverse("intake-clue", args=[inside.pk])
    # Same filters as the queue.
    filtered = client.get(reverse("intake-command-markers"), {"status": "dispatched"}).json()
    assert filtered["markers"] == []
    html = client.get(reverse("intake-command")).content.decode()
    listed = html[html.index('id="command-outside"') :]
    assert f'data-testid="outside-row" data-code="{outside.code}"' in listed
    assert 'data-testid="unplaced-row"' in listed and no_position.code in listed
    assert 'data-testid="outside-flag"' in html


def test_command_page_is_for_dispatchers_and_administrators(client, world):
    url = reverse("intake-command")
    assert client.get(url).status_code == 302, "login first"
    for role, place, status in (
        (RoleCode.DISPATCHER, "county", 200),
        (RoleCode.ADMIN, "county", 200),
        (RoleCode.OFFICER, "t0", 403),
        (RoleCode.TEAM_LEADER, "t0", 403),
        (RoleCode.GRID_WORKER, "t0", 403),
    ):
        client.force_login(world.user(role, place))
        assert client.get(url).status_code == status, (role, place)
        assert client.get(reverse("intake-command-markers")).status_code == status, (role, place)
        assert client.get(reverse("intake-command-queue")).status_code == status, (role, place)


def test_dispatcher_of_another_county_sees_none_of_these_clues(client, world, other_county):
    clue = reported(world)
    client.force_login(other_county.user(RoleCode.DISPATCHER, "county"))
    assert clue.code not in client.get(reverse("intake-command")).content.decode()
    assert client.get(reverse("intake-command-markers")).json()["markers"] == []


def test_queue_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    """5 clues or 40: no more queries for the page, the partial, the markers or the team page."""
    for _n in range(5):
        make_overdue(reported(world), 2)
    in_status(world, ClueStatus.DISPATCHED)
    urls = [reverse("intake-command"), reverse("intake-command-queue"), reverse("intake-command-markers")]
    params = {"township": world.county.townships[0].adcode}
    officer = world.user(RoleCode.OFFICER, "t0")
    login(client, world)
    counts = {}
    for url in urls:
        client.get(url, params)  # warm the per-process caches (routing index)
        with django_assert_max_num_queries(20) as captured:
            client.get(url, params)
        counts[url] = len(captured.captured_queries)
    client.force_login(officer)
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("intake-team"))
    team_count = len(captured.captured_queries)
    for n in range(34):
        clue = in_status(world, ClueStatus.DISPATCHED) if n % 4 == 0 else reported(world)
        if n % 3 == 0:
            make_overdue(clue, 4)
    login(client, world)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url, params)
    assert len(response.json()["markers"]) == 40
    client.force_login(officer)
    with django_assert_max_num_queries(team_count):
        html = client.get(reverse("intake-team")).content.decode()
    assert len(codes(html)) == 10


def test_team_page_shows_what_is_assigned_to_the_team(client, world):
    waiting = in_status(world, ClueStatus.DISPATCHED)
    late = make_overdue(in_status(world, ClueStatus.HANDLING), 7)
    unassigned = reported(world)
    html = login(client, world, RoleCode.OFFICER, "t0").get(reverse("intake-team")).content.decode()
    assert codes(html) == {waiting.code, late.code}
    assert unassigned.code not in html
    assert "超时 7 分钟" in html and "1 条已超时" in html
    assert 'style="background: #1c7ed6"' in html, "dispatched is blue"
    partial = client.get(reverse("intake-team-queue")).content.decode()
    assert codes(partial) == {waiting.code, late.code}
    # Another township's officer has nothing; the command centre's roles have no team page.
    assert (
        codes(login(client, world, RoleCode.OFFICER, "t1").get(reverse("intake-team")).content.decode())
        == set()
    )
    assert login(client, world).get(reverse("intake-team")).status_code == 403
    assert login(client, world, RoleCode.GRID_WORKER, "t0").get(reverse("intake-team")).status_code == 403


def test_home_cards_warn_dispatcher_and_team_leader_of_overdue_clues(client, world):
    late = make_overdue(in_status(world, ClueStatus.DISPATCHED), 9)
    for role, place, link in (
        (RoleCode.DISPATCHER, "county", reverse("intake-command")),
        (RoleCode.TEAM_LEADER, "t0", reverse("intake-team")),
    ):
        html = login(client, world, role, place).get(reverse("home")).content.decode()
        card = html[html.index('data-testid="home-overdue"') :]
        assert 'data-count="1"' in card[:200] and late.code in card and "超时 9 分钟" in card
        assert f'href="{link}"' in card
    officer_home = login(client, world, RoleCode.OFFICER, "t0").get(reverse("home")).content.decode()
    assert 'data-testid="home-overdue"' not in officer_home
    t1_leader = login(client, world, RoleCode.TEAM_LEADER, "t1").get(reverse("home")).content.decode()
    assert 'data-count="0"' in t1_leader and late.code not in t1_leader


def test_menu_links_command_centre_and_team_queue_by_role(client, world):
    dispatcher = login(client, world).get(reverse("home")).content.decode()
    assert 'data-nav="intake-command"' in dispatcher and 'data-nav="intake-team"' not in dispatcher
    officer = login(client, world, RoleCode.OFFICER, "t0").get(reverse("home")).content.decode()
    assert 'data-nav="intake-team"' in officer and 'data-nav="intake-command"' not in officer
