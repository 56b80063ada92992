"""The powers admin is read-only: workflow rules and record events live in the services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhifa.powers import models as powers_models

pytestmark = pytest.mark.django_db


def test_every_powers_model_has_a_read_only_admin(client):
    client.force_login(get_user_model().objects.create(username="root", is_staff=True, is_superuser=True))
    for name in powers_models.__all__:
        model = getattr(powers_models, name)
        if not hasattr(model, "_meta") or name == "GrantStep":  # shown inline on its grant list
            continue
        assert model in admin.site._registry, name
        name_ = model._meta.model_name
        assert client.get(reverse(f"admin:powers_{name_}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:powers_{name_}_add")).status_code == 403
