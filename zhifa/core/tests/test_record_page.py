"""The record page at /record/: read-only, for the justice bureau, administrators and superusers."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.core.record import ObjectRef, record_event

pytestmark = pytest.mark.django_db


def append(n: int, *, actor=None, object_type: str = "test.thing", start: int = 1) -> None:
    with transaction.atomic():
        for i in range(start, start + n):
            record_event(
                actor=actor,
                action="thing.update",
                obj=ObjectRef(object_type, str(i), f"物件{i}"),
                after={"n": i},
            )


def main_html(response) -> str:
    """The page's own content (base.html around it has the language and logout forms)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def seqs(response) -> list[int]:
    return [int(s) for s in re.findall(r'data-seq="(\d+)"', response.content.decode())]


@pytest.mark.parametrize(
    ("role", "place"), [("justice_bureau", "county"), ("admin", "county"), ("admin", "t0")]
)
def test_justice_bureau_and_administrators_read_the_record(client, county, role, place):
    """GO118 (十): supervisors retrieve the record in real time."""
    user = county.user(role, place)
    append(3, actor=user)
    client.force_login(user)
    response = client.get(reverse("record-list"))
    assert response.status_code == 200
    assert seqs(response) == [3, 2, 1]  # newest first
    html = main_html(response)
    assert user.person.name in html  # actor name from the event's data
    assert "test.thing" in html and Event.objects.get(seq=3).hash[:12] in html


def test_superuser_without_person_reads_the_record(client):
    append(1)
    client.force_login(get_user_model().objects.create_superuser(username="root", password=None))
    assert client.get(reverse("record-list")).status_code == 200
    assert client.get(reverse("record-verify")).status_code == 200


@pytest.mark.parametrize(
    ("role", "place"),
    [("officer", "t0"), ("team_leader", "t0"), ("dispatcher", "county"), ("grid_worker", "t1")],
)
def test_other_roles_get_404(client, county, role, place):
    append(1)
    client.force_login(county.user(role, place))
    assert client.get(reverse("record-list")).status_code == 404
    assert client.get(reverse("record-verify")).status_code == 404


def test_retired_justice_bureau_person_gets_404(client, county):
    user = county.user("justice_bureau", "county")
    user.person.status = "retired"
    user.person.save(update_fields=["status"])
    client.force_login(user)
    assert client.get(reverse("record-list")).status_code == 404


def test_user_without_person_gets_404_and_anonymous_is_sent_to_login(client):
    response = client.get(reverse("record-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(get_user_model().objects.create(username="nobody"))
    assert client.get(reverse("record-list")).status_code == 404


def test_filter_by_object_type_and_id(client, county):
    append(3, object_type="test.thing")
    append(2, object_type="test.other")
    client.force_login(county.user("justice_bureau", "county"))
    assert seqs(client.get(reverse("record-list"), {"object_type": "test.other"})) == [5, 4]
    assert seqs(client.get(reverse("record-list"), {"object_type": "test.thing", "object_id": "2"})) == [2]
    assert seqs(client.get(reverse("record-list"), {"seq": "4"})) == [4]
    response = client.get(reverse("record-list"), {"seq": "abc"})  # bad input: a message, not a 500
    assert response.status_code == 200 and "序号必须是整数" in response.content.decode()


def test_pages_hold_50_events_and_the_query_count_does_not_grow(client, county):
    client.force_login(county.user("justice_bureau", "county"))
    append(3)
    client.get(reverse("record-list"))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("record-list"))
    append(57, start=4)
    with CaptureQueriesContext(connection) as many:
        first = client.get(reverse("record-list"))
    assert len(many) == len(few)
    assert seqs(first) == list(range(60, 10, -1))
    second = client.get(reverse("record-list"), {"page": "2"})
    assert seqs(second) == list(range(10, 0, -1))
    assert client.get(reverse("record-list"), {"page": "junk"}).status_code == 200


def test_page_has_no_form_that_writes_and_refuses_post(client, county):
    """GO118 (九): events cannot be changed through any page."""
    append(2)
    client.force_login(county.user("admin", "county"))
    html = main_html(client.get(reverse("record-list")))
    assert 'method="post"' not in html.lower()
    assert all(form_method == "get" for form_method in re.findall(r'<form[^>]*method="(\w+)"', html))
    before = list(Event.objects.values_list("seq", "hash", "data"))
    assert client.post(reverse("record-list"), {"seq": 1, "data": "{}"}).status_code == 405
    assert client.post(reverse("record-verify")).status_code == 405
    assert list(Event.objects.values_list("seq", "hash", "data")) == before


def test_htmx_filter_returns_only_the_results(client, county):
    append(2)
    client.force_login(county.user("admin", "county"))
    response = client.get(reverse("record-list"), {"object_id": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode() and seqs(response) == [1]


def test_verify_now_shows_an_intact_chain(client, county):
    append(4)
    client.force_login(county.user("justice_bureau", "county"))
    response = client.get(reverse("record-verify"))
    html = main_html(response)
    assert 'data-ok="true"' in html and "共 4 条事件" in html


def test_verify_now_names_the_first_broken_link(client, county):
    append(4)
    Event.objects.filter(seq=2).update(action="thing.delete")
    client.force_login(county.user("justice_bureau", "county"))
    response = client.get(reverse("record-verify"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html  # the htmx partial
    assert 'data-ok="false"' in html and 'data-seq="2"' in html and 'data-kind="edited"' in html
    assert "第 2 条事件的哈希与其内容不符" in html
    assert f"{reverse('record-list')}?seq=2" in html
