"""The document number templates page (issue 2, point 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.org.models import NumberTemplate, RoleCode

pytestmark = pytest.mark.django_db


def test_admin_sets_template_and_sees_example(client, county):
    client.force_login(county.user(RoleCode.ADMIN, "county"))
    agency = county.township_agencies[0]
    url = f"{reverse('number-template-list')}?agency={agency.pk}"
    html = client.get(url).content.decode()
    assert "行政处罚决定书" in html and f"{agency.short_name}罚决字〔" in html
    events = Event.objects.count()
    response = client.post(
        url, {"doc_type": "penalty_decision", "template": "{agency}综执罚字〔{year}〕{seq}号"}
    )
    assert response.status_code == 302
    assert NumberTemplate.objects.get(agency=agency, doc_type="penalty_decision").template.endswith(
        "〕{seq}号"
    )
    assert Event.objects.count() == events + 1


def test_bad_template_shows_chinese_error_and_saves_nothing(client, county):
    client.force_login(county.user(RoleCode.ADMIN, "county"))
    agency = county.township_agencies[0]
    url = f"{reverse('number-template-list')}?agency={agency.pk}"
    response = client.post(url, {"doc_type": "penalty_decision", "template": "{agency}罚决字第{seq}号"})
    assert response.status_code == 400
    assert "年" in response.content.decode()
    assert not NumberTemplate.objects.exists()


@pytest.mark.parametrize(("role", "place"), [(RoleCode.OFFICER, "t0"), (RoleCode.JUSTICE_BUREAU, "county")])
def test_non_admins_get_404(client, county, role, place):
    client.force_login(county.user(role, place))
    assert client.get(reverse("number-template-list")).status_code == 404


def test_township_admin_cannot_reach_other_township_agency(client, county):
    client.force_login(county.user(RoleCode.ADMIN, "t0"))
    other = county.township_agencies[1]
    # Agencies are directory data (county-wide), but editing needs the agency in the admin's own scope.
    response = client.post(
        f"{reverse('number-template-list')}?agency={other.pk}",
        {"doc_type": "penalty_decision", "template": "{agency}罚〔{year}〕{seq}号"},
    )
    assert response.status_code == 404
    assert not NumberTemplate.objects.exists()
