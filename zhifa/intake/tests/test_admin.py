"""Step time limits are configured in the admin, through the service (one record event each)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from zhifa.core.models import Event
from zhifa.intake.models import StepLimit
from zhifa.org.testing import password_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = get_user_model().objects.create(
        username="root", password=password_hash(), is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def test_limits_are_added_and_changed_through_the_service(root, world):
    before = Event.objects.count()
    response = root.post(
        "/admin/intake/steplimit/add/",
        {"step": "dispatch", "category": world.category.pk, "priority": "urgent", "minutes": "5"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    limit = StepLimit.objects.get()
    assert (limit.step, limit.category, limit.priority, limit.minutes) == (
        "dispatch",
        world.category,
        "urgent",
        5,
    )
    response = root.post(f"/admin/intake/steplimit/{limit.pk}/change/", {"minutes": "8"})
    assert response.status_code == 302
    limit.refresh_from_db()
    assert limit.minutes == 8
    assert list(Event.objects.order_by("seq").values_list("action", flat=True)[before:]) == [
        "step_limit.set",
        "step_limit.set",
    ]


def test_a_bad_limit_is_refused_on_its_field(root, world):
    response = root.post("/admin/intake/steplimit/add/", {"step": "report", "priority": "", "minutes": "5"})
    assert response.status_code == 200 and "该环节没有时限" in response.content.decode()
    response = root.post("/admin/intake/steplimit/add/", {"step": "dispatch", "priority": "", "minutes": "0"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not StepLimit.objects.exists()
