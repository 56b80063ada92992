"""The clue page (issue 4 points 2-4): facts, photos, map, timeline with late marks, and each action of
the loop by HTTP through the services: classify (suggestions, search), dispatch with the resolver's
route shown first (team / joint meeting / transfer with its reason), joint decision, merge, dismiss,
accept / send back, handle with photos, feedback, verify, close; field errors next to the fields and
the CONFLICT message when someone else acted first."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhifa.core.models import Event
from zhifa.intake.models import Clue, CluePhoto, ClueStatus, ClueStep, StepKind
from zhifa.intake.services import dispatch, loop
from zhifa.intake.tests.command_helpers import classified, in_status, make_overdue, reported
from zhifa.intake.tests.helpers import INSIDE_T0_NEIGHBOUR
from zhifa.org.models import RoleCode

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def as_user(client, world, role=RoleCode.DISPATCHER, place="county"):
    client.force_login(world.user(role, place))
    return client


def act(client, clue, action, **data):
    payload = {f"{action}-{key}": value for key, value in data.items()}
    payload.setdefault(f"{action}-version", clue.version)
    return client.post(reverse("intake-clue-action", args=[clue.pk, action]), payload)


def page(client, clue) -> str:
    response = client.get(reverse("intake-clue", args=[clue.pk]))
    assert response.status_code == 200
    return response.content.decode()


def forms_on(html: str) -> set[str]:
    return set(re.findall(r'data-testid="form-([a-z_]+)"', html))


def test_page_shows_facts_map_timeline_and_the_dispatchers_actions(client, world):
    clue = reported(world, address="东湖镇菜市场北门")
    html = page(as_user(client, world), clue)
    assert clue.code in html and clue.text in html and "东湖镇菜市场北门" in html
    assert world.micro[0].name in html and "待派遣" in html
    assert 'id="clue-map-data"' in html and '"role": "clue"' in html and '"role": "cell"' in html
    assert re.search(r'data-testid="step" data-kind="report"', html)
    assert forms_on(html) == {"classify", "dismiss"}, "dispatching waits for the items"
    assert 'data-testid="route-missing"' in html
    assert re.search(r'data-testid="countdown">剩余 (29|30) 分钟<', html)


def test_classify_then_the_route_is_shown_before_dispatching_to_the_team(client, world):
    clue = reported(world)
    as_user(client, world)
    response = act(client, clue, "classify", items=[world.claimed.pk])
    assert response.status_code == 302 and response["Location"] == reverse("intake-clue", args=[clue.pk])
    clue.refresh_from_db()
    assert list(clue.items.all()) == [world.claimed]
    html = page(client, clue)
    assert 'data-route="team"' in html and "派遣至乡镇执法队" in html
    assert world.county.township_agencies[0].name in html and "已于" in html, "the resolver's reason"
    assert world.county.teams[0].name in html, "the team can be chosen"
    response = act(client, clue, "dispatch", note="请尽快到场", team=world.county.teams[0].pk)
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED and clue.assigned_team == world.county.teams[0]
    assert "已派遣至" in page(client, clue)
    assert Event.objects.filter(action="clue.dispatch", object_id=str(clue.pk)).count() == 1


def test_classify_without_items_shows_the_error_next_to_the_chooser(client, world):
    clue = reported(world)
    response = act(as_user(client, world), clue, "classify")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'data-testid="error-items">请至少选择一项执法事项。<', html)
    assert 'data-testid="action-error"' in html
    clue.refresh_from_db()
    assert clue.version == 1 and not clue.items.exists()


def test_suggestions_and_search_help_the_dispatcher(client, world):
    clue = reported(world)
    as_user(client, world)
    html = page(client, clue)
    assert 'data-testid="suggestions"' in html
    response = client.get(reverse("intake-clue-items", args=[clue.pk]), {"classify-q": world.ungranted.code})
    assert response.status_code == 200
    results = response.content.decode()
    assert f'data-add-item="{world.ungranted.pk}"' in results and world.ungranted.name in results
    assert (
        "没有找到"
        in client.get(reverse("intake-clue-items", args=[clue.pk]), {"q": "不存在的事项"}).content.decode()
    )
    # Officers do not classify.
    client.force_login(world.user(RoleCode.OFFICER, "t0"))
    assert client.get(reverse("intake-clue-items", args=[clue.pk]), {"q": "IN"}).status_code == 403


def test_stale_version_gets_the_conflict_message(client, world):
    """Two dispatchers on one clue: the second form (older version) is told, nothing is written twice."""
    clue = classified(world)
    stale_version = clue.version
    dispatch.clue_dispatch(actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue)
    as_user(client, world, RoleCode.ADMIN, "county")
    response = act(client, clue, "dispatch", version=stale_version)
    assert response.status_code == 409
    html = response.content.decode()
    assert re.search(r'data-testid="conflict">线索 \S+ 已被他人办理或状态已变化，请刷新后查看。<', html)
    assert Event.objects.filter(action="clue.dispatch", object_id=str(clue.pk)).count() == 1
    # Same on an action still offered: the form keeps the page's version.
    other = classified(world)
    response = act(client, other, "dismiss", reason="重复", version=other.version - 1)
    assert response.status_code == 409 and "已被他人办理" in response.content.decode()
    other.refresh_from_db()
    assert other.status == ClueStatus.REPORTED


def test_transfer_route_shows_its_reason_and_transfers(client, world):
    clue = classified(world, [world.ungranted])
    html = page(as_user(client, world), clue)
    assert 'data-route="transfer"' in html and "原实施部门" in html and "确认移送" in html
    assert act(client, clue, "dispatch").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRANSFERRED
    html = page(client, clue)
    assert 'data-testid="transfer"' in html and world.county.department_agency.name in html
    assert 'data-testid="no-actions"' in html


def test_joint_meeting_decision_dispatches_to_the_lead(client, world):
    clue = classified(world, [world.claimed, world.ungranted])
    as_user(client, world)
    assert 'data-route="joint"' in page(client, clue)
    act(client, clue, "dispatch")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.JOINT
    html = page(client, clue)
    assert forms_on(html) == {"joint"}
    response = act(client, clue, "joint", lead_agency=world.county.department_agency.pk, decision="")
    assert response.status_code == 400
    assert 'data-testid="error-decision">请填写会商意见。<' in response.content.decode()
    response = act(
        client, clue, "joint", lead_agency=world.county.township_agencies[0].pk, decision="乡镇牵头，市监配合"
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED and clue.assigned_agency == world.county.township_agencies[0]


def test_duplicates_are_offered_and_merged(client, world):
    first = reported(world)
    second = reported(world, INSIDE_T0_NEIGHBOUR, text="菜市场门口商贩占道经营，通道堵塞")
    html = page(as_user(client, world), second)
    assert f'data-testid="duplicate" data-code="{first.code}"' in html and "相似度" in html
    response = act(client, second, "merge", into=first.pk)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == ClueStatus.MERGED and second.merged_into == first
    assert second.code in page(client, first), "the clue merged into lists it"


def test_dismiss_needs_a_reason(client, world):
    clue = reported(world)
    response = act(as_user(client, world), clue, "dismiss", reason="  ")
    assert response.status_code == 400
    assert 'data-testid="error-reason">请填写不予受理的理由。<' in response.content.decode()
    assert act(client, clue, "dismiss", reason="邻里纠纷，不属于行政执法事项").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISMISSED


def test_team_accepts_handles_with_photos_and_feeds_back(client, world, media):
    clue = in_status(world, ClueStatus.DISPATCHED)
    as_user(client, world, RoleCode.OFFICER, "t0")
    assert forms_on(page(client, clue)) == {"accept", "send_back"}
    assert act(client, clue, "accept").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.HANDLING
    html = page(client, clue)
    assert forms_on(html) == {"handle"} and 'enctype="multipart/form-data"' in html
    response = act(client, clue, "handle", result="", note="")
    assert response.status_code == 400
    assert 'data-testid="error-result">请选择处置结果。<' in response.content.decode()
    bad = client.post(
        reverse("intake-clue-action", args=[clue.pk, "handle"]),
        {
            "handle-version": clue.version,
            "handle-result": "rectified",
            "handle-note": "已整改",
            "handle-photos": [_upload("notes.txt", b"plain text")],
        },
    )
    assert bad.status_code == 400 and "不是照片" in bad.content.decode()
    good = client.post(
        reverse("intake-clue-action", args=[clue.pk, "handle"]),
        {
            "handle-version": clue.version,
            "handle-result": "rectified",
            "handle-note": "已责令商贩退回店内经营",
            "handle-photos": [_upload("a.png", PNG), _upload("b.png", PNG + b"1")],
        },
    )
    assert good.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.HANDLED and clue.result == "rectified"
    assert CluePhoto.objects.filter(clue=clue).count() == 2
    html = page(client, clue)
    assert html.count('href="/intake/photos/') >= 4, "photos on the facts and on the step"
    assert act(client, clue, "feedback", note="").status_code == 400
    assert act(client, clue, "feedback", note="已整改到位，商贩已退店经营").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.FED_BACK


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_send_back_needs_a_reason_and_returns_to_the_dispatcher(client, world):
    clue = in_status(world, ClueStatus.DISPATCHED)
    as_user(client, world, RoleCode.TEAM_LEADER, "t0")
    response = act(client, clue, "send_back", reason="")
    assert 'data-testid="error-reason">请填写退回理由。<' in response.content.decode()
    assert act(client, clue, "send_back", reason="该处属西山街道辖区").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED and clue.assigned_agency is None


def test_verify_by_the_reporting_grid_worker_and_close(client, world):
    clue = in_status(world, ClueStatus.FED_BACK)
    as_user(client, world, RoleCode.GRID_WORKER, "t0")
    assert forms_on(page(client, clue)) == {"verify"}
    response = act(client, clue, "verify", passed="0", note="")
    assert 'data-testid="error-note">请填写核查未通过的原因。<' in response.content.decode()
    assert act(client, clue, "verify", passed="0", note="商贩又回来了").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.HANDLING, "a failed verification reopens handling"
    officer = world.user(RoleCode.OFFICER, "t0")
    clue = loop.clue_handle(actor=officer, clue=clue, result="case_filed", note="已立案")
    clue = loop.clue_feedback(actor=officer, clue=clue, note="已立案查处")
    assert act(client, clue, "verify", passed="1", note="现场已无占道").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.VERIFIED
    as_user(client, world)
    assert forms_on(page(client, clue)) == {"close"}
    assert act(client, clue, "close", note="").status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CLOSED
    kinds = list(clue.steps.values_list("kind", flat=True))
    assert kinds.count(StepKind.REOPEN) == 1 and kinds[-1] == StepKind.CLOSE


def test_late_steps_are_marked_in_the_timeline(client, world):
    clue = make_overdue(classified(world), 6)
    dispatch.clue_dispatch(actor=world.user(RoleCode.DISPATCHER, "county"), clue=clue)
    assert ClueStep.objects.get(clue=clue, kind=StepKind.DISPATCH).late
    html = page(as_user(client, world), clue)
    assert re.search(r'data-kind="dispatch" data-late="1"', html) and 'data-testid="late"' in html


def test_unknown_action_is_404_and_get_is_not_allowed(client, world):
    clue = reported(world)
    as_user(client, world)
    assert client.post(reverse("intake-clue-action", args=[clue.pk, "explode"])).status_code == 404
    assert client.get(reverse("intake-clue-action", args=[clue.pk, "dismiss"])).status_code == 405
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.REPORTED


def test_admin_lists_intake_read_only(client, world):
    """The admin looks things up; every write goes through the services (one record event each)."""
    from django.contrib.auth import get_user_model

    from zhifa.org.testing import password_hash

    clue = in_status(world, ClueStatus.JOINT)
    root = get_user_model().objects.create(
        username="root", password=password_hash(), is_staff=True, is_superuser=True
    )
    client.force_login(root)
    for model in ("clue", "cluecategory", "steplimit", "jointmeeting", "cluetransfer"):
        assert client.get(reverse(f"admin:intake_{model}_changelist")).status_code == 200, model
    page = client.get(reverse("admin:intake_clue_change", args=[clue.pk])).content.decode()
    assert clue.code in page and 'name="_save"' not in page
    assert client.get(reverse("admin:intake_cluecategory_add")).status_code == 403
