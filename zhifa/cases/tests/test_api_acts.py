"""The case's sub-resources through the API: parties, evidence upload, statements, documents, payments.

Writes go through the same services as the pages (one step and one record event each); bad input is
refused naming the field; the evidence file is stored with its SHA-256.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhifa.cases.models import CaseStep, DocType, Evidence, Party, Statement
from zhifa.cases.tests.api_builders import CASES, filed_case, notified_case
from zhifa.cases.tests.factories import open_case, ready_case, staff
from zhifa.core.api_testing import token_client
from zhifa.core.models import Event

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PERSON = {
    "kind": "person",
    "name": "李某",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "address": "东湖镇一村5号",
    "phone": "13800000000",
}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_add_a_party(world):
    case = open_case(world)
    client = token_client(world.officer)
    response = post(client, f"{CASES}/{case.pk}/parties", PERSON)
    assert response.status_code == 201, response.content
    party = Party.objects.get(pk=response.json()["id"])
    assert (party.name, party.birth_date) == ("李某", datetime.date(1949, 12, 31))
    case.refresh_from_db()
    assert response.json()["case_version"] == case.version
    assert CaseStep.objects.filter(case=case, action="party_add").count() == 1
    assert Event.objects.filter(action="case.party_add", object_id=str(case.pk)).count() == 1
    again = post(client, f"{CASES}/{case.pk}/parties", PERSON)
    assert again.status_code == 400 and again.json()["field"] == "id_number"  # the same ID twice


def test_party_input_is_checked_naming_fields(world):
    case = open_case(world)
    client = token_client(world.officer)
    url = f"{CASES}/{case.pk}/parties"
    bad_number = post(client, url, {**PERSON, "id_number": "110105194912310021"})
    assert bad_number.status_code == 400 and bad_number.json()["field"] == "id_number"
    no_address = post(client, url, {**PERSON, "address": " "})
    assert no_address.status_code == 400 and no_address.json()["field"] == "address"
    organisation = post(client, url, {**PERSON, "kind": "organisation"})
    fields = {e["field"] for e in organisation.json()["errors"]}
    assert {"id_type", "legal_representative"} <= fields
    consent = post(client, url, {**PERSON, "e_service_consent": True, "e_service_address": "13800000000"})
    assert consent.status_code == 400 and consent.json()["field"] == "consent_upload"  # APL Art. 61
    other = post(client, url, {**PERSON, "consent_evidence_id": 999999, "e_service_consent": True})
    assert other.status_code == 400 and other.json()["field"] == "consent_evidence_id"
    for shape in ({**PERSON, "kind": "robot"}, {**PERSON, "name": "李\x00某"}, {"name": "李某"}):
        assert post(client, url, shape).status_code == 422
    assert not Party.objects.exists()
    reviewer = post(token_client(world.reviewer), url, PERSON)
    assert reviewer.status_code == 400 and reviewer.json()["code"] == "not_allowed"


def test_upload_evidence_with_its_hash(world, media):
    """APL Art. 46, 42, 55: typed evidence collected by two of the case's certified officers, SHA-256."""
    case = open_case(world)
    staff(case, world)
    client = token_client(world.officer)
    url = f"{CASES}/{case.pk}/evidence"
    form = {
        "kind": "audiovisual",
        "title": "现场照片",
        "collected_at": timezone.now().isoformat(),
        "place": "东湖镇工业园1号",
        "collector_ids": [world.officer.person.pk, world.second_officer.pk],
        "description": "灭火器被挪作他用",
    }
    response = client.post(url, {**form, "file": SimpleUploadedFile("a.png", PNG, "image/png")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest() and body["size"] == len(PNG)
    evidence = Evidence.objects.get(pk=body["id"])
    assert Path(media, evidence.file).read_bytes() == PNG
    assert [c["name"] for c in body["collectors"]] == [world.officer.person.name, world.second_officer.name]
    one = client.post(url, {**form, "collector_ids": [world.officer.person.pk], "kind": "physical"})
    assert one.status_code == 400 and one.json()["field"] == "collector_ids"  # APL Art. 42: two officers
    no_file = client.post(url, {**form, "kind": "electronic"})
    assert no_file.status_code == 400 and no_file.json()["field"] == "file"
    assert client.post(url, {**form, "kind": "rumour"}).status_code == 422
    assert client.post(url, {**form, "collected_at": "昨天"}).status_code == 422
    assert Evidence.objects.filter(case=case).count() == 1


def test_statements_and_waivers(world, media):
    """APL Art. 45, 62-64: what the party says after the notice, through the statements service."""
    case = notified_case(world, served=True, waiver=False)
    client = token_client(world.officer)
    url = f"{CASES}/{case.pk}/statements"
    today = timezone.localdate().isoformat()
    response = post(client, url, {"kind": "waiver", "content": "本人放弃陈述申辩。", "received_on": today})
    assert response.status_code == 201, response.content
    assert Statement.objects.get(pk=response.json()["id"]).kind == "waiver"
    hearing = post(client, url, {"kind": "hearing_request", "received_on": today})
    assert hearing.status_code == 400  # no hearing right was notified for this fine (APL Art. 63)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    later = post(client, url, {"kind": "statement", "content": "我有异议", "received_on": future})
    assert later.status_code == 400 and later.json()["field"] == "received_on"
    assert post(client, url, {"kind": "gossip", "received_on": today}).status_code == 422


def test_documents_and_payments_lists(world, media):
    case = filed_case(world)
    client = token_client(world.officer)
    documents = client.get(f"{CASES}/{case.pk}/documents").json()
    assert [d["doc_type"] for d in documents] == [DocType.FILING_APPROVAL]
    assert documents[0]["number"] == case.filing_number and len(documents[0]["sha256"]) == 64
    payments = client.get(f"{CASES}/{case.pk}/payments").json()
    assert payments == {"due": "0.00", "paid": "0.00", "payment_due_on": None, "notices": [], "payments": []}


def test_sub_resources_of_another_townships_case_are_404(world, media):
    case = ready_case(world)
    outsider = token_client(world.user("officer", "t1"))
    missing = outsider.get(f"{CASES}/999999/documents")
    for response in (
        outsider.get(f"{CASES}/{case.pk}/documents"),
        outsider.get(f"{CASES}/{case.pk}/payments"),
        post(outsider, f"{CASES}/{case.pk}/parties", PERSON),
        post(outsider, f"{CASES}/{case.pk}/statements", {"kind": "waiver", "received_on": "2026-01-05"}),
        outsider.post(
            f"{CASES}/{case.pk}/evidence",
            {
                "kind": "physical",
                "title": "物证",
                "collected_at": timezone.now().isoformat(),
                "place": "东湖镇",
                "collector_ids": [1, 2],
            },
        ),
    ):
        assert response.status_code == 404, response.content
        assert response.content == missing.content
    assert case.parties.count() == 1
