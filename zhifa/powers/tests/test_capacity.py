"""Capacity assessment services: roles, states, validation, the record, stale forms, conclusion and
feeding the next grant list version."""

from __future__ import annotations

import pytest

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors
from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.powers.models import (
    AssessmentStatus,
    CapacityRating,
    GrantEntry,
    Judgement,
    Proposal,
    SelfRating,
)
from zhifa.powers.services import capacity as services
from zhifa.powers.services import grants as grant_services
from zhifa.powers.tests.grant_helpers import county_admin, leader
from zhifa.powers.tests.test_capacity_helpers import (
    PERIOD_END,
    PERIOD_START,
    rate,
    rate_all,
    report_for,
    row,
    start_round,
)

pytestmark = pytest.mark.django_db


# --- Services: start ------------------------------------------------------------------------------------


def test_start_creates_one_row_per_granted_pair_and_one_event(world):
    before = Event.objects.count()
    assessment = start_round(world)
    assert assessment.status == AssessmentStatus.DRAFTING
    entries = set(
        GrantEntry.objects.filter(grant_list=world.grant_list).values_list("township_id", "item_id")
    )
    assert set(assessment.ratings.values_list("township_id", "item_id")) == entries and len(entries) == 6
    assert Event.objects.count() == before + 1
    event = Event.objects.order_by("-seq").first()
    assert event.action == "capacity_assessment.start" and '"rows":6' in event.data


def test_start_refuses_roles_states_and_bad_input(world, other_county):
    county = world.county
    kwargs = dict(
        county=county.county,
        grant_list=world.grant_list,
        title="评估",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )
    for actor in (leader(county), county.user(RoleCode.OFFICER, "t0"), county_admin(other_county)):
        with pytest.raises(ServiceError) as exc:
            services.capacity_assessment_start(actor=actor, **kwargs)
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    draft = grant_services.grant_list_create_version(
        actor=county_admin(county), county=county.county, title="草稿"
    )
    with pytest.raises(ServiceError) as exc:
        services.capacity_assessment_start(actor=county_admin(county), **(kwargs | {"grant_list": draft}))
    assert exc.value.field == "grant_list"
    with pytest.raises(ServiceError) as exc:
        services.capacity_assessment_start(
            actor=county_admin(county), **(kwargs | {"period_start": PERIOD_END, "period_end": PERIOD_START})
        )
    assert exc.value.field == "period_end"
    with pytest.raises(ValidationErrors) as exc:
        services.capacity_assessment_start(
            actor=county_admin(county), **(kwargs | {"title": " ", "period_end": None})
        )
    assert {e.field for e in exc.value.errors} == {"title", "period_end"}
    start_round(world)
    with pytest.raises(ServiceError) as exc:
        start_round(world, title="第二轮")
    assert exc.value.code == ErrorCode.DUPLICATE


# --- Services: rating -----------------------------------------------------------------------------------


def test_township_rates_only_its_own_items(world):
    assessment = start_round(world)
    gx0 = world.items[0]
    assert rate(world, assessment, "t0", {gx0: SelfRating.ABLE}) == 1
    saved = CapacityRating.objects.get(assessment=assessment, township=world.t0, item=gx0)
    assert saved.rating == SelfRating.ABLE and saved.rated_by == leader(world.county) and saved.version == 2
    event = Event.objects.order_by("-seq").first()
    assert event.action == "capacity_rating.set" and "GX000" in event.data
    # Township 1's leader may not rate township 0, nor may the county administrator rate for it.
    for actor in (
        leader(world.county, "t1"),
        county_admin(world.county),
        world.county.user(RoleCode.OFFICER, "t0"),
    ):
        with pytest.raises(ServiceError) as exc:
            services.capacity_rating_set(
                actor=actor,
                assessment=assessment,
                township=world.t0,
                ratings=[services.RatingInput(gx0.pk, SelfRating.UNABLE, "x")],
            )
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    # An item not granted to township 1 is not in its rows.
    with pytest.raises(ServiceError) as exc:
        rate(world, assessment, "t1", {world.items[2]: SelfRating.ABLE})
    assert exc.value.field == "items"


def test_unable_needs_a_reason_and_nothing_is_half_saved(world):
    assessment = start_round(world)
    gx0, gx1, _gx2 = world.items
    with pytest.raises(ServiceError) as exc:
        services.capacity_rating_set(
            actor=leader(world.county),
            assessment=assessment,
            township=world.t0,
            ratings=[
                services.RatingInput(gx0.pk, SelfRating.ABLE),
                services.RatingInput(gx1.pk, SelfRating.UNABLE, "  "),
            ],
        )
    assert exc.value.field == f"reason_{gx1.pk}" and exc.value.code == ErrorCode.REQUIRED
    assert not CapacityRating.objects.filter(assessment=assessment).exclude(rating="").exists()


def test_stale_rating_form_is_a_conflict_and_rolls_back(world):
    assessment = start_round(world)
    gx0, gx1, _gx2 = world.items
    rate(world, assessment, "t0", {gx1: SelfRating.ABLE})  # someone saved gx1 meanwhile (version 2)
    with pytest.raises(ServiceError) as exc:
        services.capacity_rating_set(
            actor=leader(world.county),
            assessment=assessment,
            township=world.t0,
            ratings=[
                services.RatingInput(gx0.pk, SelfRating.ABLE, version=1),
                services.RatingInput(gx1.pk, SelfRating.MOSTLY, version=1),
            ],
        )
    assert exc.value.code == ErrorCode.CONFLICT
    ratings = dict(
        CapacityRating.objects.filter(assessment=assessment, township=world.t0).values_list(
            "item_id", "rating"
        )
    )
    assert ratings[gx0.pk] == "" and ratings[gx1.pk] == SelfRating.ABLE


# --- Services: proposals and conclusion -----------------------------------------------------------------


def test_proposals_by_county_roles_only_with_a_note_for_adjustments(world):
    assessment = start_round(world)
    gx0 = world.items[0]
    admin = county_admin(world.county)
    justice = world.county.user(RoleCode.JUSTICE_BUREAU, "county")
    rating = services.capacity_proposal_set(
        actor=justice,
        assessment=assessment,
        township=world.t1,
        item=gx0,
        proposal=Proposal.REVOKE,
        note="无持证人员",
    )
    assert (
        rating.proposal == Proposal.REVOKE
        and Event.objects.order_by("-seq").first().action == "capacity_proposal.set"
    )
    with pytest.raises(ServiceError) as exc:
        services.capacity_proposal_set(
            actor=leader(world.county),
            assessment=assessment,
            township=world.t0,
            item=gx0,
            proposal=Proposal.KEEP,
        )
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    with pytest.raises(ServiceError) as exc:
        services.capacity_proposal_set(
            actor=admin, assessment=assessment, township=world.t0, item=gx0, proposal=Proposal.ADJUST
        )
    assert exc.value.field == "proposal_note"
    with pytest.raises(ServiceError) as exc:  # the form was loaded before the justice bureau's change
        services.capacity_proposal_set(
            actor=admin, assessment=assessment, township=world.t1, item=gx0, proposal=Proposal.KEEP, version=1
        )
    assert exc.value.code == ErrorCode.CONFLICT
    with pytest.raises(ServiceError) as exc:  # GX002 is not granted to township 1
        services.capacity_proposal_set(
            actor=admin, assessment=assessment, township=world.t1, item=world.items[2], proposal=Proposal.KEEP
        )
    assert exc.value.code == ErrorCode.NOT_FOUND


def test_conclude_freezes_the_figures_and_closes_the_round(world):
    assessment = start_round(world)
    rate_all(world, assessment)
    admin = county_admin(world.county)
    concluded = services.capacity_assessment_conclude(
        actor=admin, assessment=assessment, version=assessment.version
    )
    assert concluded.status == AssessmentStatus.CONCLUDED and concluded.concluded_by == admin
    event = Event.objects.order_by("-seq").first()
    assert (
        event.action == "capacity_assessment.conclude"
        and "共赋予4项，能有效承接1项，尚无力承接3项" in event.data
    )
    frozen = CapacityRating.objects.get(assessment=assessment, township=world.t1, item=world.urban)
    assert (frozen.certified_count, frozen.judgement) == (2, Judgement.CAN)
    # A certificate revoked later does not change the concluded report.
    world.county.person(RoleCode.TEAM_LEADER, "t1").certificates.update(
        status="revoked", valid_to=PERIOD_START
    )
    report = report_for(admin, assessment)
    assert report.headline == "共赋予4项，能有效承接1项，尚无力承接3项"
    assert row(report, world.t1, world.urban).can
    # Closed: no more ratings, proposals or a second conclusion.
    with pytest.raises(ServiceError) as exc:
        rate(world, assessment, "t0", {world.items[0]: SelfRating.UNABLE})
    assert exc.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError) as exc:
        services.capacity_proposal_set(
            actor=admin, assessment=assessment, township=world.t0, item=world.items[0], proposal=Proposal.KEEP
        )
    assert exc.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError) as exc:
        services.capacity_assessment_conclude(actor=admin, assessment=assessment)
    assert exc.value.code == ErrorCode.INVALID_STATE
    # The county may start the next round now.
    assert start_round(world, title="下一轮").status == AssessmentStatus.DRAFTING


def test_conclude_with_a_stale_version_is_a_conflict(world):
    assessment = start_round(world)
    with pytest.raises(ServiceError) as exc:
        services.capacity_assessment_conclude(
            actor=county_admin(world.county), assessment=assessment, version=7
        )
    assert exc.value.code == ErrorCode.CONFLICT
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFTING
    with pytest.raises(ServiceError) as exc:
        services.capacity_assessment_conclude(actor=leader(world.county), assessment=assessment)
    assert exc.value.code == ErrorCode.NOT_ALLOWED


# --- Feeding the next version ---------------------------------------------------------------------------


def test_adopted_revocations_leave_the_next_version(world):
    """Seed 000: items a township cannot carry on are cancelled in the next version (取消或调整)."""
    assessment = start_round(world)
    admin = county_admin(world.county)
    gx0 = world.items[0]
    services.capacity_proposal_set(
        actor=admin,
        assessment=assessment,
        township=world.t1,
        item=gx0,
        proposal=Proposal.REVOKE,
        note="无持证人员",
    )
    services.capacity_proposal_set(
        actor=admin,
        assessment=assessment,
        township=world.t0,
        item=world.urban,
        proposal=Proposal.ADJUST,
        note="改派驻",
    )
    # Not adopted while the round runs.
    draft = grant_services.grant_list_create_version(
        actor=admin, county=world.county.county, title="草案", based_on=world.grant_list
    )
    assert draft.entries.count() == 6
    services.capacity_assessment_conclude(actor=admin, assessment=assessment)
    following = grant_services.grant_list_create_version(
        actor=admin, county=world.county.county, title="2027年版", based_on=world.grant_list
    )
    pairs = set(following.entries.values_list("township_id", "item_id"))
    assert (world.t1.pk, gx0.pk) not in pairs and (world.t0.pk, gx0.pk) in pairs
    assert (world.t0.pk, world.urban.pk) in pairs  # adjust is for the county to act on, not a removal
    assert len(pairs) == 5
    event = Event.objects.order_by("-seq").first()
    assert event.action == "grant_list.create_version"
    assert (
        f'"revoked_by_assessment":[{{"assessment":{assessment.pk},"item":"GX000","township":"{world.t1.adcode}"}}]'
        in event.data
    )
    # A version built on another one is not touched.
    unrelated = grant_services.grant_list_create_version(
        actor=admin, county=world.county.county, title="另一版", based_on=draft
    )
    assert unrelated.entries.count() == 6
