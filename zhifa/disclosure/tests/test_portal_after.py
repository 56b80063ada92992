"""The portal's "after enforcement" pages: decisions (search), one decision, withdrawal notices, feeds."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.disclosure.models import PublicationState
from zhifa.disclosure.tests.test_portal_after_factories import make_publication

pytestmark = pytest.mark.django_db


def _decisions(county, **params):
    return Client().get(reverse("portal-decisions", args=[county.county.adcode]), params)


def test_decisions_page_lists_the_published_set_newest_first(county) -> None:
    old = make_publication(
        county, party_name="旧公司", published_on=timezone.localdate() - datetime.timedelta(days=9)
    )
    new = make_publication(county, party_name="新公司")
    response = _decisions(county)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(new.decision_number) < html.index(old.decision_number)
    assert "共 2 条" in html
    assert response["Cache-Control"].startswith("public") or "public" in response["Cache-Control"]
    assert reverse("portal-decision", args=[new.pk]) in html


def test_township_page_shows_its_own_decisions_only(county) -> None:
    mine = make_publication(county, township=0)
    theirs = make_publication(county, township=1)
    html = Client().get(reverse("portal-decisions", args=[county.townships[0].adcode])).content.decode()
    assert mine.decision_number in html and theirs.decision_number not in html


def test_filters_narrow_the_list(county) -> None:
    a = make_publication(county, title="违法建设案", penalty_types=["罚款", "没收违法所得"])
    b = make_publication(county, kind="other", penalty_types=[], domain=county.domains["market"])
    c = make_publication(county, agency=county.department_agency)
    for params, shown in [
        ({"q": "违法建设"}, a),
        ({"kind": "other"}, b),
        ({"domain": county.domains["market"].pk}, b),
        ({"agency": county.department_agency.pk}, c),
        ({"penalty": "没收违法所得"}, a),
    ]:
        html = _decisions(county, **params).content.decode()
        assert shown.decision_number in html, params
        others = {a, b, c} - {shown}
        assert not any(o.decision_number in html for o in others), params


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"agency": "abc"}, "执法主体"),
        ({"agency": "99999999"}, "执法主体"),
        ({"domain": "-1"}, "执法领域"),
        ({"kind": "bogus"}, "公示类型"),
        ({"date_from": "2025-13-45"}, "公示日期（起）"),
        ({"date_to": "yesterday"}, "公示日期（止）"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "公示日期（止）"),
        ({"penalty": "枪毙"}, "处罚种类"),
        ({"page": "-3"}, "页码"),
        ({"page": "１"}, "页码"),
    ],
)
def test_bad_filters_get_a_chinese_message_naming_them(county, params, label) -> None:
    make_publication(county)
    response = _decisions(county, **params)
    assert response.status_code == 200
    errors = [e for e in response.context["filters"].errors]
    assert errors and errors[0].startswith(label), errors


@pytest.mark.parametrize(
    "text",
    [
        "x" * 5000,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "%",
        "_",
        "\x01\x02\x1b[0m",
        "😀 违法",
        "\u0378\ufdd0\U0010fffd",
        "SELECT * FROM auth_user; DROP TABLE disclosure_publication",
        "NEAR(",
        '"',
        "*",
        "AND OR NOT",
        "-",
        ":",
    ],
)
def test_any_search_text_is_answered_and_escaped(county, text) -> None:
    make_publication(county)
    response = _decisions(county, q=text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if text.startswith("x"):
        assert "只按前100个字检索" in html
        assert 'value="' + "x" * 100 + '"' in html


def test_page_queries_do_not_grow_with_rows(county, django_assert_max_num_queries) -> None:
    for _ in range(10):
        make_publication(county)
    _decisions(county, q="消防")
    client = Client()
    url = reverse("portal-decisions", args=[county.county.adcode])
    with django_assert_max_num_queries(12) as small:
        client.get(url, {"q": "消防"})
    for _ in range(90):
        make_publication(county)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"q": "消防", "page": "2"})
    assert len(response.context["result"].rows) == 20


def test_decision_page_shows_the_published_text(county) -> None:
    p = make_publication(county, body="第一行<b>粗</b>\n第二行")
    response = Client().get(reverse("portal-decision", args=[p.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一行&lt;b&gt;粗&lt;/b&gt;\n第二行" in html
    assert p.party_name in html and p.decision_number in html
    assert reverse("portal-decisions", args=[county.townships[0].adcode]) in html
    assert county.townships[0].name in html


def test_withdrawn_decision_answers_410_with_the_notice_only(county) -> None:
    """APL Art. 48: a withdrawn decision is taken down, with a public explanation."""
    p = make_publication(
        county, state=PublicationState.WITHDRAWN, withdrawal_notice="经复议撤销，撤回公示。", body="秘密正文"
    )
    response = Client().get(reverse("portal-decision", args=[p.pk]))
    assert response.status_code == 410
    html = response.content.decode()
    assert "经复议撤销，撤回公示。" in html and "决定被撤销" in html
    assert p.party_name not in html and "秘密正文" not in html and p.decision_number not in html


def test_exempt_expired_and_unknown_decisions_are_404(county) -> None:
    """OGI Art. 14-15 (exempt); SAMR Order 45 Art. 13 (the period has ended)."""
    exempt = make_publication(county, state=PublicationState.EXEMPT)
    expired = make_publication(county, expires_on=timezone.localdate())
    for pk in (exempt.pk, expired.pk, 999999):
        assert Client().get(reverse("portal-decision", args=[pk])).status_code == 404


def test_withdrawn_page_lists_the_area_notices(county) -> None:
    """APL Art. 48: the withdrawal is explained publicly."""
    mine = make_publication(county, state=PublicationState.WITHDRAWN, withdrawal_notice="撤回说明甲")
    make_publication(county, township=1, state=PublicationState.WITHDRAWN, withdrawal_notice="撤回说明乙")
    html = Client().get(reverse("portal-withdrawn", args=[county.townships[0].adcode])).content.decode()
    assert "撤回说明甲" in html and mine.decision_number in html and "撤回说明乙" not in html
    assert mine.party_name not in html


def test_json_feed_is_valid(county, settings) -> None:
    settings.ZHIFA_PUBLIC_BASE_URL = "https://gs.example.cn/"
    p = make_publication(county, title="违法建设案")
    make_publication(county, state=PublicationState.EXEMPT)
    response = Client().get(reverse("portal-feed-json", args=[county.county.adcode]), {"q": "违法建设"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {"title", "items", "home_page_url", "feed_url"} <= set(feed)
    [item] = feed["items"]
    url = "https://gs.example.cn" + reverse("portal-decision", args=[p.pk])
    assert item["id"] == item["url"] == url
    assert p.decision_number in item["content_text"] and item["title"].startswith("违法建设案")
    assert datetime.datetime.fromisoformat(item["date_published"]).tzinfo is not None


def test_rss_feed_is_valid(county, settings) -> None:
    settings.ZHIFA_PUBLIC_BASE_URL = "https://gs.example.cn"
    p = make_publication(county)
    response = Client().get(reverse("portal-feed-rss", args=[county.townships[0].adcode]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) == 1
    assert items[0].findtext("link") == "https://gs.example.cn" + reverse("portal-decision", args=[p.pk])
    assert p.decision_number in items[0].findtext("description")
    assert items[0].findtext("pubDate")


def test_feed_with_a_bad_filter_answers_400_in_chinese(county) -> None:
    response = Client().get(reverse("portal-feed-json", args=[county.county.adcode]), {"date_from": "x"})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0].startswith("公示日期（起）")
    response = Client().get(reverse("portal-feed-rss", args=[county.county.adcode]), {"kind": "x"})
    assert response.status_code == 400 and response.content.decode().startswith("公示类型")


def test_menu_links_the_after_pages(county) -> None:
    html = Client().get(reverse("portal-home", args=[county.county.adcode])).content.decode()
    for name in (
        "portal-decisions",
        "portal-withdrawn",
        "portal-stats",
        "portal-feed-json",
        "portal-feed-rss",
    ):
        assert reverse(name, args=[county.county.adcode]) in html


def test_out_of_range_ids_and_years_are_404(county) -> None:
    client = Client()
    assert client.get("/portal/decisions/99999999999999999999999999/").status_code == 404
    assert client.get(f"/portal/{county.county.adcode}/statistics/99999999999999999999/").status_code == 404
    assert client.get("/portal/123/decisions/").status_code == 404
    assert client.get("/portal/350102000001/decisions/").status_code == 404  # a village has no portal
