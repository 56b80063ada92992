"""Bad query parameters never give a 500: pages fall back to defaults, the API answers 4xx."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

NASTY = ["abc", "-1", "99999999999999999999999", "3501%", "'; DROP TABLE x;--", "\x00", "１２"]
PAGES = [
    "/org/people/?page={v}&page_size={v}&region={v}&agency={v}&status={v}&role={v}&q={v}",
    "/certificates/?page={v}&status={v}&domain={v}&region={v}&expiring={v}&q={v}",
    "/org/grid/?page={v}&level={v}&region={v}",
    "/record/?page={v}&seq={v}&object_type={v}&object_id={v}",
    "/org/numbering/?agency={v}",
    "/org/regions/?page={v}",
    "/verify/{v}/",
]
API = [
    "/api/v1/org/people?limit={v}&offset={v}&region={v}&agency={v}&status={v}",
    "/api/v1/certificates?status={v}&holder={v}&expiring_within_days={v}",
    "/api/v1/org/grid-cells?bbox={v}&level={v}",
    "/api/v1/org/grid-cells/locate?lon={v}&lat={v}",
]


@pytest.mark.parametrize("value", NASTY)
def test_pages_and_api_survive_bad_parameters(client, county, value):
    client.force_login(get_user_model().objects.create(username="root", is_superuser=True, is_staff=True))
    for template in PAGES:
        response = client.get(template.format(v=value))
        assert response.status_code in (200, 302, 400, 404), template
    for template in API:
        response = client.get(template.format(v=value))
        assert response.status_code in (200, 400, 404, 422), template
        if response.status_code >= 400:
            assert response.json(), template


def test_nul_characters_are_refused_with_the_parameter_named(client, county):
    """PostgreSQL cannot compare text with NUL: a page refuses it (400) before any query; the API says 422."""
    client.force_login(get_user_model().objects.create(username="root", is_superuser=True, is_staff=True))
    response = client.get("/org/people/", {"q": "张\x00三"})
    assert response.status_code == 400 and "q" in response.content.decode()
    response = client.get("/api/v1/org/people", {"q": "\x00"})
    assert response.status_code == 422 and response.json()["field"] == "q"
    response = client.post("/org/people/new/", {"name": "a\x00b"})
    assert response.status_code == 400
