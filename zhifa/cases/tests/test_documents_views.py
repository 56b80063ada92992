"""The printable page and the stored PDF of a case document: readable by those who see the case, 404
for everyone else (never 403), and never served when the file no longer matches its SHA-256."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.cases.models import DocType
from zhifa.cases.tests.doc_helpers import add_rows, build_case, issue, officer
from zhifa.org.models import RoleCode

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhifa.cases.tests.doc_helpers")]


@pytest.fixture
def decision(county, media):
    case = build_case(county)
    add_rows(case, county)
    return issue(case, DocType.PENALTY_DECISION, officer(county))


def urls(document):
    args = [document.case_id, document.pk]
    return reverse("case-document", args=args), reverse("case-document-pdf", args=args)


def test_the_page_is_rerendered_from_the_fields(client, county, decision):
    client.force_login(officer(county))
    page, pdf = urls(decision)
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "行政处罚决定书" in html and decision.number in html
    assert "测试县人民政府申请行政复议" in html and "印章位置" in html
    assert pdf in html and "cases/document.css" in html


def test_the_pdf_is_the_stored_file(client, county, decision, media):
    client.force_login(county.user(RoleCode.JUSTICE_BUREAU, "county"))  # the county sees its townships
    response = client.get(urls(decision)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == (media / decision.file).read_bytes()


@pytest.mark.parametrize("who", ["other_township", "other_county"])
def test_outsiders_get_404(client, county, other_county, decision, who):
    user = officer(county, "t1") if who == "other_township" else officer(other_county)
    client.force_login(user)
    for url in urls(decision):
        assert client.get(url).status_code == 404


def test_a_document_is_only_found_under_its_own_case(client, county, decision):
    other_case = build_case(county, code="C2026-0002")
    client.force_login(officer(county))
    page = reverse("case-document", args=[other_case.pk, decision.pk])
    pdf = reverse("case-document-pdf", args=[other_case.pk, decision.pk])
    assert client.get(page).status_code == 404
    assert client.get(pdf).status_code == 404


def test_anonymous_users_are_sent_to_login(client, decision):
    for url in urls(decision):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_changed_file_is_not_served(client, county, decision, media):
    (media / decision.file).write_bytes(b"%PDF-1.7 forged")
    client.force_login(officer(county))
    response = client.get(urls(decision)[1])
    assert response.status_code == 409
    assert b"forged" not in response.content and "SHA-256" in response.content.decode()
    (media / decision.file).unlink()
    assert client.get(urls(decision)[1]).status_code == 409
