"""Staff pages of double-random draws: create form, steps, the seed kept secret, authorization, queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.models import Event
from zhifa.inspections.models import DrawState, RandomDraw, RiskLevel, Visit
from zhifa.inspections.services.draws import draw_commit, draw_create, draw_run
from zhifa.org.models import RoleCode

LIST = "/inspections/draws/"
NEW = "/inspections/draws/new/"


def make_draw(insp, *, title: str = "2026年餐饮住宿双随机抽查", **kw) -> RandomDraw:
    today = datetime.date.today()
    args = {
        "actor": insp.user("market-leader"),
        "title": title,
        "agency": insp.agencies["market"],
        "region": insp.county.county,
        "period_start": today + datetime.timedelta(days=7),
        "period_end": today + datetime.timedelta(days=30),
        "items": [insp.items["M1"], insp.items["M2"], insp.items["S1"]],
        "ratio": Decimal("0.5"),
        "subject_filter": {"risk_levels": [RiskLevel.B, RiskLevel.C]},
    }
    args.update(kw)
    return draw_create(**args)


def committed(insp, **kw) -> RandomDraw:
    draw = make_draw(insp, **kw)
    return draw_commit(actor=insp.user("market-leader"), draw=draw, version=draw.version)


def drawn(insp, **kw) -> RandomDraw:
    draw = committed(insp, **kw)
    return draw_run(actor=insp.user("market-leader"), draw=draw, version=draw.version)


def form_data(insp, **kw) -> dict:
    today = datetime.date.today()
    data = {
        "title": "2026年第二季度餐饮抽查",
        "agency": insp.agencies["market"].pk,
        "items": [insp.items["M1"].pk, insp.items["M2"].pk],
        "period_start": (today + datetime.timedelta(days=3)).isoformat(),
        "period_end": (today + datetime.timedelta(days=40)).isoformat(),
        "region": insp.county.county.pk,
        "industries": ["catering"],
        "risk_levels": [RiskLevel.B],
        "ratio": "0.3",
        "inspectors_per_subject": "2",
    }
    data.update(kw)
    return data


def test_create_form_refuses_ratio_below_floor_and_single_inspector(client, insp):
    client.force_login(insp.user("market-leader"))
    page = client.get(NEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert insp.items["M1"].name in html and "每户检查人员数" in html and "风险等级" in html

    response = client.post(NEW, form_data(insp, ratio="0.05"))  # B's floor is 0.1
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "抽查比例" in errors["ratio"][0] and "0.1" in errors["ratio"][0]
    assert 'data-testid="error-ratio"' in response.content.decode()

    response = client.post(NEW, form_data(insp, inspectors_per_subject="1"))
    assert "第四十二条" in response.context["form"].errors["inspectors_per_subject"][0]

    response = client.post(NEW, form_data(insp, items=[]))  # no items and no scenario
    assert "检查事项" in response.context["form"].errors["items"][0]
    assert not RandomDraw.objects.exists() and not Event.objects.filter(action="inspections.draw.create")

    response = client.post(NEW, form_data(insp))
    draw = RandomDraw.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{draw.pk}/"
    assert draw.state == DrawState.DRAFT and draw.agency == insp.agencies["market"]
    assert draw.subject_filter == {"industries": ["catering"], "risk_levels": ["B"]}
    assert set(draw.items.all()) == {insp.items["M1"], insp.items["M2"]}


def test_scenario_gives_the_items_when_none_ticked(client, insp):
    client.force_login(insp.user("market-leader"))
    client.post(NEW, form_data(insp, items=[], scenario=insp.scenario.pk))
    draw = RandomDraw.objects.get()
    assert set(draw.items.all()) == set(insp.scenario.items.all())


def test_township_of_another_county_is_not_a_choice(client, insp, other_insp):
    client.force_login(insp.user("market-leader"))
    response = client.post(NEW, form_data(insp, region=other_insp.county.townships[0].pk))
    assert "region" in response.context["form"].errors
    assert not RandomDraw.objects.exists()


def test_detail_steps_keep_the_seed_secret_until_drawn(client, insp):
    draw = make_draw(insp)
    client.force_login(insp.user("market-leader"))
    html = client.get(f"{LIST}{draw.pk}/").content.decode()
    assert 'data-testid="draw-commit"' in html and 'data-testid="draw-run"' not in html
    assert 'data-step="draft" aria-current="step"' in html.replace("\n", "")
    assert 'data-testid="subject-count">6' in html  # live preview of the draft's pool

    response = client.post(f"{LIST}{draw.pk}/commit/", {"version": draw.version}, follow=True)
    draw.refresh_from_db()
    assert draw.state == DrawState.COMMITTED and draw.seed
    html = response.content.decode()
    assert draw.pool_hash in html and draw.seed_commitment in html
    assert draw.seed not in html  # the seed is stored, but shown only after the draw
    assert "抽取后公开" in html and 'data-testid="draw-run"' in html

    response = client.post(f"{LIST}{draw.pk}/run/", {"version": draw.version}, follow=True)
    draw.refresh_from_db()
    html = response.content.decode()
    assert draw.state == DrawState.DRAWN and draw.seed in html
    visits = list(Visit.objects.filter(draw=draw))
    assert len(visits) == draw.sample_size == 3
    for visit in visits:
        assert f'href="/inspections/visits/{visit.pk}/"' in html
    assert 'data-testid="verification"' in html and "复核一致" in html
    assert 'data-testid="draw-actions"' not in html  # nothing left to do


def test_stale_version_and_cancel(client, insp):
    draw = make_draw(insp)
    client.force_login(insp.user("market-leader"))
    response = client.post(f"{LIST}{draw.pk}/commit/", {"version": draw.version + 3}, follow=True)
    assert "已被他人修改" in response.content.decode()
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAFT
    client.post(f"{LIST}{draw.pk}/cancel/", {"version": draw.version})
    draw.refresh_from_db()
    assert draw.state == DrawState.CANCELLED
    response = client.post(f"{LIST}{draw.pk}/commit/", {"version": draw.version}, follow=True)
    assert "不能进行此操作" in response.content.decode()


# --- authorization: role x object x action -------------------------------------------------------


def test_officer_cannot_create(client, insp):
    client.force_login(insp.user("market-0"))
    assert client.get(LIST).status_code == 200
    assert 'data-testid="draw-create"' not in client.get(LIST).content.decode()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(insp)).status_code == 403
    assert not RandomDraw.objects.exists()


@pytest.mark.parametrize("action", ["commit", "run", "cancel"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("safety-leader", 404),  # another agency's leader does not even see the draw
        ("market-0", 403),  # an officer of the organiser sees it but may not act
        ("justice", 403),  # the justice bureau supervises: sees all, organises none
        ("other-county", 404),  # another county's leader, by id
    ],
)
def test_only_the_organiser_acts(client, insp, other_insp, who, action, status):
    draw = committed(insp) if action == "run" else make_draw(insp)
    users = {
        "safety-leader": insp.user("safety-leader"),
        "market-0": insp.user("market-0"),
        "justice": insp.county.user(RoleCode.JUSTICE_BUREAU, "county"),
        "other-county": other_insp.user("market-leader"),
    }
    client.force_login(users[who])
    detail = client.get(f"{LIST}{draw.pk}/")
    assert detail.status_code == (404 if status == 404 else 200)
    if detail.status_code == 200:
        assert 'data-testid="draw-actions"' not in detail.content.decode()
    before = draw.state
    assert client.post(f"{LIST}{draw.pk}/{action}/", {"version": draw.version}).status_code == status
    draw.refresh_from_db()
    assert draw.state == before


def test_list_scope_and_login(client, insp, other_insp):
    ours = make_draw(insp)
    theirs = make_draw(other_insp, title="他县抽查")
    assert client.get(LIST).status_code == 302  # login first
    client.force_login(insp.county.user(RoleCode.GRID_WORKER, "t0"))
    assert client.get(LIST).status_code == 403
    for user, seen in (
        (insp.user("market-leader"), {ours.pk}),
        (insp.county.user(RoleCode.JUSTICE_BUREAU, "county"), {ours.pk}),
        (insp.user("safety-leader"), set()),
        (other_insp.user("market-leader"), {theirs.pk}),
    ):
        client.force_login(user)
        page = client.get(LIST).context["page"]
        assert {d.pk for d in page.object_list} == seen
    client.force_login(insp.user("market-leader"))
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404
    partial = client.get(LIST, {"state": "draft"}, HTTP_HX_REQUEST="true").content.decode()
    assert ours.title in partial and "<html" not in partial  # htmx swaps the results only
    assert ours.title not in client.get(LIST, {"state": "drawn"}).content.decode()


def test_list_queries_do_not_grow_with_rows(client, insp):
    client.force_login(insp.user("market-leader"))
    for i in range(2):
        make_draw(insp, title=f"抽查{i}")
    client.get(LIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).context["page"].object_list) == 2
    for i in range(2, 10):
        committed(insp, title=f"抽查{i}") if i % 2 else make_draw(insp, title=f"抽查{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).context["page"].object_list) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
