"""Grant list versions and their steps: roles, states, guidance, immutability, record, concurrency."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection

from zhifa.core.errors import ErrorCode, ServiceError
from zhifa.core.models import Event
from zhifa.org.models import RoleCode
from zhifa.powers.models import GrantEntry, GrantList, GrantListStatus, GrantStep, GrantStepKind
from zhifa.powers.services import grants as services
from zhifa.powers.tests.grant_helpers import (
    JAN,
    JUL,
    county_admin,
    leader,
    make_guidance,
    make_items,
    published_list,
)

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def items(county):
    return make_items(county)


def new_version(county, **kwargs) -> GrantList:
    return services.grant_list_create_version(
        actor=county_admin(county), county=county.county, title="清单", **kwargs
    )


@pytest.mark.django_db
def test_full_flow_records_one_event_per_step_and_keeps_comments(county, items):
    """APL Art. 24 / seeds 000, 002: 乡镇梳理 → 县级确认 → 市级统筹 → 发布, each step with its comment."""
    start = Event.objects.count()
    gl = published_list(county, {0: items[:2], 1: items[2:]})
    assert gl.status == GrantListStatus.PUBLISHED and gl.effective_from == JAN
    assert list(Event.objects.order_by("seq").values_list("action", flat=True)[start:]) == [
        "grant_list.create_version",
        "grant_entries.set_for_township",
        "grant_entries.set_for_township",
        "grant_list.confirm",
        "grant_list.coordinate",
        "grant_list.publish",
    ]
    kinds = list(GrantStep.objects.filter(grant_list=gl).values_list("kind", "comment"))
    assert kinds == [
        (GrantStepKind.TOWNSHIP_SUBMITTED, "梳理完毕"),
        (GrantStepKind.TOWNSHIP_SUBMITTED, "梳理完毕"),
        (GrantStepKind.CONFIRMED, "同意"),
        (GrantStepKind.COORDINATED, "统筹同意"),
        (GrantStepKind.PUBLISHED, ""),
    ]
    assert GrantEntry.objects.filter(grant_list=gl).count() == 3


@pytest.mark.django_db
def test_new_version_copies_entries_and_numbers_up(county, items):
    """[ZJ-CAE] Art. 10: an adjustment is a new version based on the published one."""
    first = published_list(county, {0: items[:2]})
    second = new_version(county, based_on=first)
    assert second.number == first.number + 1 and second.status == GrantListStatus.DRAFTING
    assert sorted(second.entries.values_list("item_id", flat=True)) == sorted(i.pk for i in items[:2])


@pytest.mark.django_db
def test_roles_are_enforced(county, items):
    """Only the township's own leader drafts its selection; only county-wide roles confirm."""
    with pytest.raises(ServiceError) as exc:
        services.grant_list_create_version(actor=leader(county), county=county.county, title="x")
    assert exc.value.code == ErrorCode.NOT_ALLOWED
    gl = new_version(county)
    for actor in (leader(county, "t1"), county.user(RoleCode.OFFICER, "t0"), county_admin(county)):
        with pytest.raises(ServiceError) as exc:
            services.grant_entries_set_for_township(
                actor=actor, grant_list=gl, township=county.townships[0], items=items, comment=""
            )
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    township_admin = county.user(RoleCode.ADMIN, "t0")
    services.grant_entries_set_for_township(
        actor=township_admin, grant_list=gl, township=county.townships[0], items=items[:1], comment=""
    )
    for actor in (leader(county), township_admin, county.user(RoleCode.OFFICER, "dept")):
        with pytest.raises(ServiceError) as exc:
            services.grant_list_confirm(actor=actor, grant_list=gl)
        assert exc.value.code == ErrorCode.NOT_ALLOWED
    services.grant_list_confirm(actor=county.user(RoleCode.JUSTICE_BUREAU, "county"), grant_list=gl)


@pytest.mark.django_db
def test_other_county_admin_cannot_act(county, other_county, items):
    gl = new_version(county)
    with pytest.raises(ServiceError) as exc:
        services.grant_list_confirm(actor=county_admin(other_county), grant_list=gl)
    assert exc.value.code == ErrorCode.NOT_ALLOWED


@pytest.mark.django_db
def test_selection_only_from_guidance_list(county, items):
    """APL Art. 24, [ZJ-CAE] Art. 7/9: townships pick from the provincial guidance list only."""
    gl = new_version(county, guidance=make_guidance(county, items[:2]))
    with pytest.raises(ServiceError) as exc:
        services.grant_entries_set_for_township(
            actor=leader(county), grant_list=gl, township=county.townships[0], items=items, comment=""
        )
    assert exc.value.code == ErrorCode.INVALID and exc.value.field == "items"
    assert items[2].code in exc.value.message
    assert not GrantEntry.objects.filter(grant_list=gl).exists()


@pytest.mark.django_db
def test_resubmission_replaces_selection_and_notes(county, items):
    gl = new_version(county)
    kwargs = {"actor": leader(county), "grant_list": gl, "township": county.townships[0], "comment": ""}
    services.grant_entries_set_for_township(items=items[:2], **kwargs)
    services.grant_entries_set_for_township(items=[(items[1], "限城区"), items[2]], **kwargs)
    rows = dict(GrantEntry.objects.filter(grant_list=gl).values_list("item__code", "note"))
    assert rows == {items[1].code: "限城区", items[2].code: ""}


@pytest.mark.django_db
def test_selection_only_while_drafting(county, items):
    gl = new_version(county)
    services.grant_list_confirm(actor=county_admin(county), grant_list=gl)
    with pytest.raises(ServiceError) as exc:
        services.grant_entries_set_for_township(
            actor=leader(county), grant_list=gl, township=county.townships[0], items=items, comment=""
        )
    assert exc.value.code == ErrorCode.INVALID_STATE


@pytest.mark.django_db
def test_steps_follow_the_order(county):
    gl = new_version(county)
    admin = county_admin(county)
    with pytest.raises(ServiceError) as exc:
        services.grant_list_coordinate(actor=admin, grant_list=gl)
    assert exc.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ServiceError) as exc:
        services.grant_list_publish(actor=admin, grant_list=gl, effective_from=JAN, document="x")
    assert exc.value.code == ErrorCode.INVALID_STATE


@pytest.mark.django_db
def test_return_needs_a_comment_and_goes_back_to_drafting(county):
    gl = new_version(county)
    admin = county_admin(county)
    services.grant_list_confirm(actor=admin, grant_list=gl)
    with pytest.raises(ServiceError) as exc:
        services.grant_list_return(actor=admin, grant_list=gl, comment="  ")
    assert exc.value.field == "comment"
    services.grant_list_return(actor=admin, grant_list=gl, comment="西山街道漏报")
    gl.refresh_from_db()
    assert gl.status == GrantListStatus.DRAFTING
    assert gl.steps.last().kind == GrantStepKind.RETURNED and gl.steps.last().comment == "西山街道漏报"


@pytest.mark.django_db
def test_published_version_never_changes(county, items):
    """[ZJ-CAE] Art. 10: a published list is adjusted by a new version, never edited."""
    gl = published_list(county, {0: items[:1]})
    admin = county_admin(county)
    calls = [
        lambda: services.grant_entries_set_for_township(
            actor=leader(county), grant_list=gl, township=county.townships[0], items=items, comment=""
        ),
        lambda: services.grant_list_confirm(actor=admin, grant_list=gl),
        lambda: services.grant_list_return(actor=admin, grant_list=gl, comment="撤回"),
        lambda: services.grant_list_publish(actor=admin, grant_list=gl, effective_from=JUL, document="y"),
    ]
    for call in calls:
        with pytest.raises(ServiceError) as exc:
            call()
        assert exc.value.code == ErrorCode.INVALID_STATE
        assert "已发布" in exc.value.message
    assert GrantEntry.objects.filter(grant_list=gl).count() == 1


@pytest.mark.django_db
def test_effective_date_must_follow_the_latest_published(county, items):
    """Versions take effect in order, so that the resolver's history is never rewritten (APL Art. 24)."""
    published_list(county, {0: items[:1]}, effective_from=JUL)
    gl = new_version(county)
    admin = county_admin(county)
    services.grant_list_confirm(actor=admin, grant_list=gl)
    services.grant_list_coordinate(actor=admin, grant_list=gl)
    for day in (JAN, JUL):
        with pytest.raises(ServiceError) as exc:
            services.grant_list_publish(actor=admin, grant_list=gl, effective_from=day, document="文号")
        assert exc.value.field == "effective_from"
    with pytest.raises(ServiceError) as exc:
        services.grant_list_publish(actor=admin, grant_list=gl, effective_from=JUL, document=" ")
    assert exc.value.field == "document"
    services.grant_list_publish(
        actor=admin, grant_list=gl, effective_from=JUL + datetime.timedelta(days=1), document="文号"
    )


@pytest.mark.django_db
def test_two_approvers_with_stale_versions_one_gets_conflict(county):
    """DESIGN.md: two people approving the same step at once: one succeeds, the other is told why."""
    gl = new_version(county)
    first, second = GrantList.objects.get(pk=gl.pk), GrantList.objects.get(pk=gl.pk)
    services.grant_list_confirm(actor=county_admin(county), grant_list=first, version=first.version)
    before = Event.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.grant_list_confirm(
            actor=county.user(RoleCode.JUSTICE_BUREAU, "county"), grant_list=second, version=second.version
        )
    assert exc.value.code == ErrorCode.CONFLICT and "县级已确认" in exc.value.message
    assert Event.objects.count() == before
    assert GrantStep.objects.filter(grant_list=gl, kind=GrantStepKind.CONFIRMED).count() == 1


@pytest.mark.django_db
def test_confirm_after_township_resubmitted_is_a_conflict(county, items):
    gl = new_version(county)
    stale_version = gl.version
    fresh = GrantList.objects.get(pk=gl.pk)
    services.grant_entries_set_for_township(
        actor=leader(county), grant_list=fresh, township=county.townships[0], items=items, comment=""
    )
    with pytest.raises(ServiceError) as exc:
        services.grant_list_confirm(actor=county_admin(county), grant_list=gl, version=stale_version)
    assert exc.value.code == ErrorCode.CONFLICT


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL: concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_one_wins_on_postgresql(county):
    """Two threads confirm the same version at once: exactly one succeeds, the other gets CONFLICT."""
    assert connection.vendor == "postgresql"
    gl = new_version(county)
    actors = [county_admin(county), county.user(RoleCode.JUSTICE_BUREAU, "county")]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def work(actor) -> None:
        try:
            stale = GrantList.objects.select_related("county").get(pk=gl.pk)
            barrier.wait(timeout=10)
            services.grant_list_confirm(actor=actor, grant_list=stale, version=stale.version)
            results.append("ok")
        except ServiceError as exc:
            results.append(str(exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a,)) for a in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["conflict", "ok"]
    assert GrantStep.objects.filter(grant_list=gl, kind=GrantStepKind.CONFIRMED).count() == 1
