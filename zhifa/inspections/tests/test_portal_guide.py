"""The portal's guide page lists the area's random-check items, draws and joint plans (GO118 (四))."""

from __future__ import annotations

from django.urls import reverse

from zhifa.inspections.selectors.public import public_inspections
from zhifa.inspections.tests.test_draw_pages import committed, make_draw


def guide(client, area) -> str:
    return client.get(reverse("portal-guide", args=[area.adcode])).content.decode()


def section(html: str) -> str:
    return html.split('data-testid="portal-plans"')[1].split("</section>")[0]


def test_guide_lists_committed_draws_and_the_item_list_but_not_drafts(client, insp):
    """GO118 (四): the random-check list is public before enforcement; a draft is not public yet."""
    draft = make_draw(insp, title="尚未承诺的草稿任务")
    draw = committed(insp, title="第四季度餐饮双随机抽查")
    html = section(guide(client, insp.county.townships[0]))
    assert "暂无" not in html
    assert draw.title in html and reverse("portal-draw-detail", args=[draw.pk]) in html
    assert draft.title not in html
    assert insp.items["M1"].name in html and "全覆盖" in html  # risk level A is checked every year
    assert draw.seed not in html  # the seed is revealed by the draw, never before


def test_other_county_draws_stay_out(client, insp, other_insp):
    draw = committed(insp, title="本县的抽查任务")
    html = section(guide(client, other_insp.county.townships[0]))
    assert draw.title not in html


def test_public_inspections_query_count_does_not_grow(insp, django_assert_max_num_queries):
    committed(insp, title="任务一")
    with django_assert_max_num_queries(6):
        small = public_inspections(insp.county.townships[0])
        _ = [list(i.frequency_rules.all()) for i in small.items]
    for n in range(4):
        committed(insp, title=f"任务{n + 2}")
    with django_assert_max_num_queries(6):
        large = public_inspections(insp.county.townships[0])
        _ = [list(i.frequency_rules.all()) for i in large.items]
    assert len(large.draws) == 5
