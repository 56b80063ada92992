"""Service pages: the workspace section and its forms, outsiders 404, and the party's public page that
never shows a document without the code (APL Art. 61; CPL Art. 90)."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import DocType, Service, ServiceMethod
from zhifa.cases.services.eservice import service_send_electronic
from zhifa.cases.tests.execution_factories import consenting, document_of, notified_case, party_of
from zhifa.org.models import RoleCode


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the public page counts failures per address in the cache
    yield
    cache.clear()


def _link(world, case):
    issued = service_send_electronic(
        actor=world.officer,
        document=document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY),
        party=consenting(case, world),
    )
    token = issued.link.rstrip("/").rsplit("/", 1)[-1]
    return issued, token


def test_outsiders_get_404_on_the_service_pages(client, world, media):
    case = notified_case(world)
    client.force_login(world.county.user(RoleCode.OFFICER, "t1"))
    assert client.get(reverse("case-service", args=[case.pk])).status_code == 404
    for name in ("case-service-record", "case-service-electronic"):
        assert client.post(reverse(name, args=[case.pk]), {}).status_code == 404
    assert not Service.objects.filter(case=case).exists()


def test_the_workspace_shows_the_pending_service_and_the_forms(client, world, media):
    case = notified_case(world)
    client.force_login(world.officer)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="ws-service"' in html
    assert 'data-doc="notice_of_intended_penalty" data-status="pending"' in html
    assert reverse("case-service-record", args=[case.pk]) in html
    assert 'data-testid="eservice-unavailable"' in html  # no party consented (APL Art. 61)


def test_recording_paper_service_with_a_photo(client, world, media):
    case = notified_case(world)
    client.force_login(world.officer)
    photo = b"\xff\xd8\xff\xe0" + b"x" * 200
    data = {
        "document": document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY).pk,
        "party": party_of(case).pk,
        "method": ServiceMethod.LODGED,
        "served_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "note": "当事人拒绝签收",
    }
    refused = client.post(reverse("case-service-record", args=[case.pk]), data)
    assert refused.status_code == 400
    assert "第八十九条" in refused.content.decode()
    data["proof_file"] = SimpleUploadedFile("door.jpg", photo, content_type="image/jpeg")
    response = client.post(reverse("case-service-record", args=[case.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith("#ws-service")
    service = Service.objects.get(case=case)
    assert (
        service.method == ServiceMethod.LODGED and service.proof.sha256 == hashlib.sha256(photo).hexdigest()
    )


def test_the_link_and_code_are_shown_once(client, world, media):
    case = notified_case(world)
    party = consenting(case, world)
    client.force_login(world.officer)
    data = {"document": document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY).pk, "party": party.pk}
    response = client.post(reverse("case-service-electronic", args=[case.pk]), data)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    code = re.search(r'value="(\d{6})" data-testid="eservice-code"', html).group(1)
    link = re.search(r'value="([^"]+)" data-testid="eservice-link"', html).group(1)
    assert "/s/" in link
    again = client.get(reverse("case-service", args=[case.pk])).content.decode()
    assert code not in again and link not in again
    assert 'data-status="link"' in again


def test_electronic_service_without_consent_is_refused_on_the_page(client, world, media):
    case = notified_case(world)
    client.force_login(world.officer)
    data = {"document": document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY).pk, "party": party_of(case).pk}
    response = client.post(reverse("case-service-electronic", args=[case.pk]), data)
    assert response.status_code == 400
    assert "当事人未同意电子送达" in response.content.decode()


def test_the_public_page_shows_nothing_of_the_document_without_the_code(client, world, media):
    case = notified_case(world)
    issued, token = _link(world, case)
    notice = document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    page = reverse("public-service", args=[token])
    pdf = reverse("public-service-pdf", args=[token])
    secret = (notice.title, notice.number, party_of(case).name, case.code, case.title)

    html = client.get(page).content.decode()
    assert 'data-testid="eservice-code-form"' in html
    assert not any(text in html for text in secret)
    assert client.get(pdf).status_code == 404
    wrong = client.post(page, {"code": f"{(int(issued.code) + 1) % 10**6:06d}"})
    assert wrong.status_code == 403 and not any(text in wrong.content.decode() for text in secret)
    assert client.get(pdf).status_code == 404

    assert client.post(page, {"code": issued.code}).status_code == 302
    shown = client.get(page).content.decode()
    assert notice.title in shown and notice.number in shown
    response = client.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == notice.sha256
    assert Service.objects.get(pk=issued.service.pk).served_at is not None

    client.logout()  # a new browser: the code again
    assert client.get(pdf).status_code == 404
    assert 'data-testid="eservice-code-form"' in client.get(page).content.decode()


def test_a_changed_file_is_not_served(client, world, media):
    case = notified_case(world)
    issued, token = _link(world, case)
    client.post(reverse("public-service", args=[token]), {"code": issued.code})
    notice = document_of(case, DocType.NOTICE_OF_INTENDED_PENALTY)
    (media / notice.file).write_bytes(b"%PDF-1.4 forged")
    response = client.get(reverse("public-service-pdf", args=[token]))
    assert response.status_code == 500 and b"forged" not in response.content


def test_guessing_links_is_limited_per_address(client, world, media, settings):
    settings.ZHIFA_ESERVICE_FAILURES_PER_HOUR = 3
    for n in range(3):
        assert client.get(reverse("public-service", args=[f"nothing-{n}"])).status_code == 404
    assert client.get(reverse("public-service", args=["nothing-4"])).status_code == 429
