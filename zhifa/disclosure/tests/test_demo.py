"""`load_demo`'s disclosure part: the demo county's decided cases published through the services (the
leak check passes on every one), one withdrawn with its notice, the newest left in the queue with their
GO118 (六) due dates; a second load writes nothing."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from zhifa.cases.demo import load_cases_demo
from zhifa.core.models import Event
from zhifa.core.verify import verify_chain
from zhifa.disclosure.demo import LEFT_PENDING, load_disclosure_demo
from zhifa.disclosure.models import Publication, PublicationState
from zhifa.disclosure.redaction import find_personal_identifiers
from zhifa.disclosure.selectors.queue import publication_queue
from zhifa.intake.demo import load_intake_demo
from zhifa.org.generate.demo import DEMO_ADCODE
from zhifa.org.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_db_blocker, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from zhifa.org.generate.demo import load_demo
    from zhifa.powers.demo import load_power_demo

    settings.MEDIA_ROOT = tmp_path
    load_demo()
    county = Region.objects.get(adcode=DEMO_ADCODE)
    load_power_demo(county)
    load_intake_demo(county)
    with transaction.atomic():
        load_cases_demo(county)
    return county, get_user_model()


def test_disclosure_demo_publishes_withdraws_and_leaves_pending(demo):
    county, users = demo
    result = load_disclosure_demo(county)
    assert result.created and result.counts["published"] >= 2, result
    publications = Publication.objects.filter(adcode__startswith=county.prefix)
    assert publications.filter(state=PublicationState.WITHDRAWN).count() == 1
    assert publications.filter(state=PublicationState.PUBLISHED).count() == result.counts["published"] - 1
    for publication in publications:
        assert publication.body and not find_personal_identifiers(publication.body)
        assert publication.published_on == timezone.localdate()
    leader = users.objects.get(username="demo_team_leader")
    queue = publication_queue(leader, timezone.localdate())
    assert queue.pending and all(row.case.agency_id == leader.person.agency_id for row in queue.pending)
    assert len(queue.pending) <= LEFT_PENDING
    assert verify_chain().ok
    events = Event.objects.count()
    assert not load_disclosure_demo(county).created
    assert Event.objects.count() == events
