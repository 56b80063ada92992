"""Every portal URL, filled with the ids of things the public must not see: nothing of them shows.

The patterns are read from zhifa.disclosure.urls_portal's resolver, so a page added later is walked
too: <adcode> with the county and a township, <int:...> with the ids of an exempt (OGI Art. 14-15), a
withdrawn (APL Art. 48: its notice only), an expired (SAMR Order 45 Art. 13) and a deleted publication,
another county's publication and a case; and the list pages are searched for the hidden items' words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from zhifa.cases.tests.factories import build_case_world, open_case
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.tests.test_portal_after_factories import make_publication

pytestmark = pytest.mark.django_db
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def portal_routes() -> Iterator[str]:
    """Every route of the portal, with its converters still in (e.g. "<str:adcode>/decisions/")."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    yield from walk(get_resolver("zhifa.disclosure.urls_portal").url_patterns, "")


def fill(route: str, adcode: str, number: int) -> str:
    def value(match: re.Match) -> str:
        return adcode if match["converter"] in (None, "str", "slug") else str(number)

    return reverse("portal-index") + PARAM.sub(value, route)


def _secret(county, label: str, **fields) -> Publication:
    return make_publication(
        county,
        decision_number=f"秘文号{label}",
        party_name=f"隐秘{label}公司",
        title=f"隐秘{label}公司违法建设案",
        body=f"机密正文{label}",
        **fields,
    )


def test_no_portal_page_shows_what_is_not_published(county, other_county) -> None:
    world = build_case_world(county)
    case = open_case(world)
    visible = make_publication(county, title="公开甲违法建设案")
    exempt = _secret(county, "甲", state=PublicationState.EXEMPT)
    expired = _secret(county, "乙", expires_on=timezone.localdate())
    withdrawn = _secret(county, "丙", state=PublicationState.WITHDRAWN, withdrawal_notice="撤回说明丙")
    deleted = _secret(county, "丁")
    deleted_pk = deleted.pk
    deleted.delete()
    foreign = _secret(other_county, "戊")
    secrets = {
        p.pk: [f"隐秘{label}公司", f"机密正文{label}"] + ([] if p is withdrawn else [f"秘文号{label}"])
        for label, p in zip("甲乙丙", (exempt, expired, withdrawn), strict=True)
    }
    ids = [exempt.pk, expired.pk, withdrawn.pk, deleted_pk, foreign.pk, case.pk, visible.pk]
    # A case id may equal a publication's: then it is that publication's page.
    gone = {exempt.pk, expired.pk, deleted_pk, case.pk} - {visible.pk, foreign.pk, withdrawn.pk}
    year = timezone.localdate().year
    areas = [county.county.adcode, county.townships[0].adcode]
    client = Client()
    routes = list(portal_routes())
    assert any("decisions" in r for r in routes) and any("feed" in r for r in routes)
    # Searched for by their words less the first character (the page repeats the query it answers).
    searches = [{"q": w[1:]} for words in secrets.values() for w in words] + [{"q": "隐秘"}, {"q": "正文"}]
    walked = 0
    for route in routes:
        has_int = "<int:" in route
        numbers = (ids + ([year] if "<int:year>" in route else [])) if has_int else [0]
        lists = not has_int and ("decisions" in route or "feed" in route)
        for adcode in areas:
            for number in numbers:
                url = fill(route, adcode, number)
                for query in searches if lists else [{}]:
                    response = client.get(url, query)
                    walked += 1
                    assert response.status_code < 500, url
                    text = response.content.decode()
                    for words in secrets.values():
                        for word in words:
                            assert word not in text, (url, query, word)
                    if "<int:pk>" in route and number in gone:
                        assert response.status_code == 404, url
                    if "<int:pk>" in route and number == withdrawn.pk:
                        assert response.status_code == 410 and "撤回说明丙" in text, url
                        assert "秘文号丙" not in text, url
                    if not ("<int:pk>" in route and number == foreign.pk):
                        assert "秘文号戊" not in text and "隐秘戊公司" not in text, url
    assert walked > 50
    # The stable URL of another county's publication is public: it is published there.
    assert client.get(reverse("portal-decision", args=[foreign.pk])).status_code == 200
    # The withdrawn list names the decision withdrawn (APL Art. 48), nothing else of it.
    html = client.get(reverse("portal-withdrawn", args=[county.county.adcode])).content.decode()
    assert "秘文号丙" in html and "撤回说明丙" in html and "隐秘丙公司" not in html
