"""Claims (认领): only granted items, only by the township, not before the version takes effect."""

from __future__ import annotations

import datetime

import pytest

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.powers.models import Claim
from zhifa.powers.resolver import competent_agency
from zhifa.powers.services import claims as services
from zhifa.powers.services import grants as grant_services
from zhifa.powers.tests.grant_helpers import JAN, JUL, county_admin, leader, make_items, published_list

pytestmark = pytest.mark.django_db
FEB = datetime.date(2026, 2, 1)


@pytest.fixture
def setup(county):
    items = make_items(county)
    gl = published_list(county, {0: items[:2], 1: items[2:]})
    return county, items, gl


def test_claim_makes_the_township_competent_and_is_recorded(setup):
    """APL Art. 24 / [HN-2025]: once claimed, the township acts in its own name."""
    county, items, gl = setup
    before = Event.objects.count()
    claim = services.claim_create(
        actor=leader(county), grant_list=gl, township=county.townships[0], item=items[0], claimed_on=FEB
    )
    assert Event.objects.count() == before + 1
    assert Event.objects.order_by("-seq").first().action == "claim.create"
    answer = competent_agency(items[0], county.townships[0], FEB)
    assert answer.by_township and answer.claim == claim
    assert not competent_agency(items[0], county.townships[0], JAN).by_township


def test_cannot_claim_an_item_not_granted_to_the_township(setup):
    """APL Art. 24: a township acts only within the powers handed to it."""
    county, items, gl = setup
    with pytest.raises(ServiceError) as exc:
        services.claim_create(
            actor=leader(county), grant_list=gl, township=county.townships[0], item=items[2], claimed_on=FEB
        )
    assert exc.value.code == ErrorCode.INVALID and exc.value.field == "item"
    assert not Claim.objects.exists()


def test_only_the_townships_own_leader_or_admin_claims(setup):
    county, items, gl = setup
    for actor in (leader(county, "t1"), county.user(RoleCode.OFFICER, "t0"), county_admin(county)):
        with pytest.raises(ServiceError) as exc:
            services.claim_create(
                actor=actor, grant_list=gl, township=county.townships[0], item=items[0], claimed_on=FEB
            )
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    services.claim_create(
        actor=county.user(RoleCode.ADMIN, "t0"),
        grant_list=gl,
        township=county.townships[0],
        item=items[0],
        claimed_on=FEB,
    )


def test_claim_not_before_effective_date_nor_twice(setup):
    county, items, gl = setup
    kwargs = {"actor": leader(county), "grant_list": gl, "township": county.townships[0], "item": items[0]}
    with pytest.raises(ServiceError) as exc:
        services.claim_create(claimed_on=JAN - datetime.timedelta(days=1), **kwargs)
    assert exc.value.field == "claimed_on"
    services.claim_create(claimed_on=JAN, **kwargs)
    with pytest.raises(ServiceError) as exc:
        services.claim_create(claimed_on=FEB, **kwargs)
    assert exc.value.code == ErrorCode.DUPLICATE


def test_only_published_versions_can_be_claimed(county):
    items = make_items(county)
    gl = grant_services.grant_list_create_version(
        actor=county_admin(county), county=county.county, title="草稿"
    )
    grant_services.grant_entries_set_for_township(
        actor=leader(county), grant_list=gl, township=county.townships[0], items=items, comment=""
    )
    with pytest.raises(ServiceError) as exc:
        services.claim_create(
            actor=leader(county), grant_list=gl, township=county.townships[0], item=items[0], claimed_on=FEB
        )
    assert exc.value.code == ErrorCode.INVALID_STATE


def test_superseded_version_cannot_be_claimed_after_its_successor_starts(setup):
    county, items, gl = setup
    published_list(county, {0: items[:2]}, effective_from=JUL, based_on=gl)
    with pytest.raises(ServiceError) as exc:
        services.claim_create(
            actor=leader(county), grant_list=gl, township=county.townships[0], item=items[0], claimed_on=JUL
        )
    assert exc.value.field == "claimed_on"


def test_withdraw_returns_the_item_to_the_department(setup):
    """[HN-2025]: a dropped item goes back to the original department from the withdrawal date."""
    county, items, gl = setup
    claim = services.claim_create(
        actor=leader(county), grant_list=gl, township=county.townships[0], item=items[0], claimed_on=FEB
    )
    with pytest.raises(ServiceError) as exc:
        services.claim_withdraw(actor=leader(county), claim=claim, withdrawn_on=FEB)
    assert exc.value.field == "withdrawn_on"
    stale_version = claim.version
    services.claim_withdraw(actor=leader(county), claim=claim, withdrawn_on=JUL)
    assert Event.objects.order_by("-seq").first().action == "claim.withdraw"
    assert competent_agency(items[0], county.townships[0], JUL).agency == county.department_agency
    assert competent_agency(items[0], county.townships[0], FEB).by_township
    stale = Claim.objects.get(pk=claim.pk)
    stale.withdrawn_on = None
    with pytest.raises(ServiceError) as exc:
        services.claim_withdraw(actor=leader(county), claim=stale, withdrawn_on=JUL, version=stale_version)
    assert exc.value.code == ErrorCode.CONFLICT
