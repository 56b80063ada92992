"""The record pages under the project's own URL configuration (the other record tests use a test-only
one, so that they do not depend on apps written alongside): mounted at /supervision/record/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.org.models import RoleCode
from zhifa.supervision.tests.test_record_world import orm_case

pytestmark = pytest.mark.django_db


def test_record_pages_are_mounted_under_supervision(client, county):
    case = orm_case(county, "C2026-0401")
    assert reverse("supervision-record") == "/supervision/record/"
    assert reverse("supervision-case-record", args=[case.pk]) == f"/supervision/record/case/{case.pk}/"
    assert (
        reverse("supervision-case-file", args=[case.pk]) == f"/supervision/record/case/{case.pk}/casefile.pdf"
    )
    assert reverse("supervision-clue-record", args=[7]) == "/supervision/record/clue/7/"
    client.force_login(county.user(RoleCode.JUSTICE_BUREAU, "county"))
    response = client.get(f"/supervision/record/case/{case.pk}/")
    assert response.status_code == 200 and case.code in response.content.decode()
    assert client.get("/supervision/record/?q=C2026").status_code == 200
