"""The Django admin cannot change the record (GO118 (九) tamper-proof storage), not even for a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from zhifa.core.models import CalendarYear, Event, NumberSeries
from zhifa.core.record import ObjectRef, record_event
from zhifa.core.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser(username="root", password=None)
    client.force_login(user)
    return client


@pytest.fixture
def event() -> Event:
    with transaction.atomic():
        for i in range(3):
            last = record_event(
                actor=None, action="thing.update", obj=ObjectRef("test.thing", str(i)), after={"n": i}
            )
    return last


def _fields(event: Event) -> tuple:
    return Event.objects.filter(pk=event.pk).values_list("seq", "action", "object_id", "data", "hash").get()


def test_superuser_cannot_add_an_event(superuser_client):
    assert superuser_client.get(reverse("admin:core_event_add")).status_code == 403
    response = superuser_client.post(
        reverse("admin:core_event_add"),
        {
            "seq": 99,
            "action": "x.y",
            "object_type": "a.b",
            "object_id": "1",
            "data": "{}",
            "prev_hash": "0",
            "hash": "0",
        },
    )
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_superuser_cannot_change_an_event(superuser_client, event):
    """A POST to the change page is refused and changes nothing."""
    before = _fields(event)
    url = reverse("admin:core_event_change", args=[event.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200  # shown read-only
    assert b'name="_save"' not in page.content
    response = superuser_client.post(
        url,
        {
            "seq": event.seq,
            "occurred_at_0": "2026-01-01",
            "occurred_at_1": "00:00:00",
            "action": "thing.delete",
            "object_type": "test.thing",
            "object_id": "999",
            "data": "{}",
            "prev_hash": event.prev_hash,
            "hash": event.hash,
        },
    )
    assert response.status_code == 403
    assert _fields(event) == before
    assert verify_chain().ok


def test_superuser_cannot_delete_an_event(superuser_client, event):
    url = reverse("admin:core_event_delete", args=[event.pk])
    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_bulk_delete_action_is_not_offered(superuser_client, event):
    changelist = reverse("admin:core_event_changelist")
    page = superuser_client.get(changelist)
    assert page.status_code == 200
    assert b"delete_selected" not in page.content
    superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert Event.objects.count() == 3


def test_event_list_filters_and_search(superuser_client, event):
    changelist = reverse("admin:core_event_changelist")
    page = superuser_client.get(changelist, {"object_type": "test.thing", "q": "1"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1


@pytest.mark.parametrize("model", ["calendaryear", "calendarday", "numberseries", "apitoken"])
def test_other_core_models_are_listed_read_only(superuser_client, model):
    assert superuser_client.get(reverse(f"admin:core_{model}_changelist")).status_code == 200
    assert superuser_client.get(reverse(f"admin:core_{model}_add")).status_code == 403


def test_number_series_cannot_be_edited_in_admin(superuser_client):
    """Issue 2, item 8: document numbers are gap-free, so the counter is not editable by hand."""
    series = NumberSeries.objects.create(key="1:penalty_decision:2026", last=5)
    response = superuser_client.post(
        reverse("admin:core_numberseries_change", args=[series.pk]), {"key": "k", "last": 1}
    )
    assert response.status_code == 403
    assert NumberSeries.objects.get(pk=series.pk).last == 5


def test_calendar_year_cannot_be_deleted_in_admin(superuser_client):
    year = CalendarYear.objects.create(year=2027)
    assert (
        superuser_client.post(
            reverse("admin:core_calendaryear_delete", args=[year.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert CalendarYear.objects.filter(pk=year.pk).exists()


def test_revoking_a_token_in_admin_goes_through_the_service(superuser_client):
    from zhifa.core.services.tokens import api_token_create

    owner = get_user_model().objects.create(username="integration")
    token, _key = api_token_create(actor=None, user=owner, name="12345热线")
    events_before = Event.objects.count()
    response = superuser_client.post(
        reverse("admin:core_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.count() == events_before + 1
    assert Event.objects.order_by("-seq").first().action == "api_token.revoke"
