"""The workspace sections of the acts: thin views over the services, errors in Chinese next to the field,
404 for outsiders, the evidence file served only when its SHA-256 still matches, fixed query counts."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import CoerciveMeasure, Evidence, MeasureKind, Party, Statement, StatementKind
from zhifa.cases.selectors import acts as selectors
from zhifa.cases.tests.test_acts_support import PNG, filed_case, media_files, notified_case, officer_ids
from zhifa.org.models import RoleCode

HTMX = {"HTTP_HX_REQUEST": "true"}
SECTIONS = ["officers", "parties", "evidence", "statements", "extensions", "measures"]


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.officer)
    return client


def party_post(**overrides):
    data = {
        "party-kind": "organisation",
        "party-name": "深圳市腾讯计算机系统有限公司",
        "party-id_type": "uscc",
        "party-id_number": "9144030071526726XG",
        "party-legal_representative": "马某",
        "party-address": "深圳市南山区",
    }
    data.update(overrides)
    return data


def evidence_post(world, upload):
    return {
        "evidence-kind": "audiovisual",
        "evidence-title": "现场照片",
        "evidence-collected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "evidence-place": "东湖镇工业园1号",
        "evidence-collector_ids": [str(i) for i in officer_ids(world)],
        "evidence-file": upload,
    }


def photo(name="IMG_1.jpg", content=PNG):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_renders_for_the_officer(officer_client, world, section):
    case = filed_case(world)
    response = officer_client.get(reverse("case-acts-section", args=[case.pk, section]), **HTMX)
    assert response.status_code == 200
    assert f'id="ws-{section}"' in response.content.decode()


def test_workspace_includes_the_sections(officer_client, world):
    case = filed_case(world)
    page = officer_client.get(reverse("case-workspace", args=[case.pk])).content.decode()
    for section in SECTIONS:
        assert f'data-testid="ws-{section}"' in page


def test_plain_post_goes_back_to_the_workspace(officer_client, world):
    case = filed_case(world)
    response = officer_client.post(reverse("case-party-add", args=[case.pk]), party_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("case-workspace", args=[case.pk]) + "#ws-parties"
    assert Party.objects.filter(case=case, id_number="9144030071526726XG").exists()


def test_htmx_error_is_shown_next_to_the_field_in_chinese(officer_client, world):
    case = filed_case(world)
    response = officer_client.post(
        reverse("case-party-add", args=[case.pk]),
        party_post(**{"party-id_number": "9144030071526726XA"}),
        **HTMX,
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    html = response.content.decode()
    assert 'data-testid="error-id_number"' in html and "校验码错误" in html
    assert 'value="9144030071526726XA"' in html  # what the user typed is kept
    assert not Party.objects.filter(case=case, name="深圳市腾讯计算机系统有限公司").exists()


def test_htmx_success_renders_the_section_with_a_notice(officer_client, world):
    case = filed_case(world)
    response = officer_client.post(reverse("case-party-add", args=[case.pk]), party_post(), **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    html = response.content.decode()
    assert "已登记当事人" in html and "深圳市腾讯计算机系统有限公司" in html


def test_user_without_the_right_gets_a_chinese_error(client, world):
    case = filed_case(world)
    client.force_login(world.reviewer)  # sees the township's cases, but does not investigate
    response = client.post(reverse("case-party-add", args=[case.pk]), party_post())
    assert response.status_code == 403
    assert "无权办理该案件" in response.content.decode()


@pytest.mark.parametrize("place", ["t1", "dept"])
def test_outsiders_get_404_everywhere(client, world, media, place):
    case = filed_case(world)
    evidence = case.evidence.first()
    client.force_login(world.county.user(RoleCode.OFFICER, place))
    assert client.get(reverse("case-acts-section", args=[case.pk, "parties"])).status_code == 404
    assert client.post(reverse("case-party-add", args=[case.pk]), party_post()).status_code == 404
    assert client.get(reverse("case-evidence-file", args=[case.pk, evidence.pk])).status_code == 404
    assert not Party.objects.filter(case=case, id_number="9144030071526726XG").exists()


def test_row_of_another_case_is_404(officer_client, world):
    case = filed_case(world)
    other = filed_case(world, title="另一案件")
    officer = other.officers.first()
    url = reverse("case-officer-withdraw", args=[case.pk, officer.pk])
    assert officer_client.post(url, {f"withdraw-{officer.pk}-reason": "x"}).status_code == 404


def test_evidence_upload_and_checked_download(officer_client, world, media):
    case = filed_case(world)
    response = officer_client.post(
        reverse("case-evidence-add", args=[case.pk]), evidence_post(world, photo())
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case, title="现场照片")
    url = reverse("case-evidence-file", args=[case.pk, evidence.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Repr-Digest"].startswith("sha-256=:")
    (media / evidence.file).write_bytes(PNG + b"tampered")
    response = officer_client.get(url)
    assert response.status_code == 409 and "SHA-256" in response.content.decode()
    (media / evidence.file).unlink()
    assert officer_client.get(url).status_code == 404
    assert hashlib.sha256(PNG).hexdigest() == evidence.sha256


def test_refused_upload_leaves_nothing(officer_client, world, media, settings):
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 10
    case = filed_case(world)
    before = Evidence.objects.count()
    response = officer_client.post(
        reverse("case-evidence-add", args=[case.pk]), evidence_post(world, photo()), **HTMX
    )
    html = response.content.decode()
    assert 'data-testid="error-file"' in html and "过大" in html
    assert Evidence.objects.count() == before and media_files(media) == []
    settings.ZHIFA_EVIDENCE_MAX_BYTES = 50 * 1024 * 1024
    data = evidence_post(world, photo())
    data["evidence-collector_ids"] = [str(world.officer.person.pk)]  # one officer: Art. 42
    html = officer_client.post(reverse("case-evidence-add", args=[case.pk]), data, **HTMX).content.decode()
    assert 'data-testid="error-collector_ids"' in html and "第四十二条" in html
    assert Evidence.objects.count() == before and media_files(media) == []


def test_party_edit_form_and_version_conflict(officer_client, world):
    case = filed_case(world)
    officer_client.post(reverse("case-party-add", args=[case.pk]), party_post())
    party = Party.objects.get(case=case, id_number="9144030071526726XG")
    html = officer_client.get(
        reverse("case-acts-section", args=[case.pk, "parties"]) + f"?edit={party.pk}", **HTMX
    ).content.decode()
    assert f'data-testid="form-party-{party.pk}"' in html
    prefix = f"party-{party.pk}"
    data = {k.replace("party-", f"{prefix}-", 1): v for k, v in party_post().items()}
    data[f"{prefix}-version"] = str(party.version)
    data[f"{prefix}-phone"] = "0755-1234567"
    url = reverse("case-party-update", args=[case.pk, party.pk])
    assert officer_client.post(url, data).status_code == 302
    data[f"{prefix}-phone"] = "0755-7654321"
    response = officer_client.post(url, data)  # the same page's version, now stale
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    party.refresh_from_db()
    assert party.phone == "0755-1234567"


def test_hearing_request_after_the_period_refused_on_the_page(officer_client, world):
    served = timezone.localdate() - datetime.timedelta(days=20)
    case = notified_case(world, served_on=served)
    data = {
        "statement-kind": "hearing_request",
        "statement-received_on": timezone.localdate().isoformat(),
        "statement-content": "要求听证",
    }
    html = officer_client.post(reverse("case-statement-add", args=[case.pk]), data, **HTMX).content.decode()
    assert 'data-testid="error-received_on"' in html and "听证申请期已于" in html
    assert not case.statements.filter(kind=StatementKind.HEARING_REQUEST).exists()


def test_selectors_use_a_fixed_number_of_queries(world):
    case = filed_case(world)
    user = world.officer

    def count() -> list[int]:
        counts = []
        for name in SECTIONS:
            fresh = (
                type(case).objects.select_related("item__domain", "agency__region", "region").get(pk=case.pk)
            )
            selector = getattr(selectors, f"{name}_context")
            with CaptureQueriesContext(connection) as queries:
                context = selector(user, fresh)
                for value in context.values():  # forms with choices are evaluated when rendered
                    if hasattr(value, "fields"):
                        str(value)
                for rows in (
                    v for k, v in context.items() if k.endswith(("_rows", "_hearings", "_remedies"))
                ):
                    for row in rows:
                        for attr in vars(row).values():
                            if hasattr(attr, "fields"):
                                str(attr)
            counts.append(len(queries))
        return counts

    first = count()
    for n in range(4):
        Party.objects.create(
            case=case,
            kind="person",
            name=f"当事人{n}",
            id_type="passport",
            id_number=f"E{n}2345",
            address="某地",
        )
        Evidence.objects.create(
            case=case,
            kind="documentary",
            title=f"书证{n}",
            collected_at=timezone.now(),
            place="某地",
            collectors=[],
        )
        Statement.objects.create(
            case=case, kind=StatementKind.STATEMENT, received_on=timezone.localdate(), content="陈述"
        )
        CoerciveMeasure.objects.create(
            case=case,
            kind=MeasureKind.SEAL,
            items="物品",
            started_on=timezone.localdate(),
            due_on=timezone.localdate(),
        )
    assert count() == first
