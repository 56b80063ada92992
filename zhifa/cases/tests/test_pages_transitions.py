"""Steps of the procedure through the pages (/cases/<pk>/act/<name>/): the form, engine.perform with the
version the page showed, refusals in Chinese at the field or above the form, "已被他人办理" when the case
moved on (CONFLICT), and every transition's input form present (zhifa.cases.forms)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.engine import perform
from zhifa.cases.forms import ACTION_FORMS, ReviewForm, action_form
from zhifa.cases.models import Case, CaseState, CaseStep, DocType, ReviewTier
from zhifa.cases.procedure import BY_NAME, TRANSITIONS
from zhifa.cases.tests.factories import open_case, ready_case
from zhifa.core.models import Event

pytestmark = pytest.mark.django_db


def act(client, case, name, **data):
    payload = {f"act-{key}": value for key, value in data.items()}
    payload.setdefault("act-version", case.version)
    return client.post(reverse("case-act", args=[case.pk, name]), payload)


def filed(world) -> Case:
    case = ready_case(world)
    case = perform(actor=world.officer, case=case, action="propose_filing")
    return perform(actor=world.leader, case=case, action="approve_filing")


def test_propose_filing_through_the_page(client, world):
    case = ready_case(world)
    client.force_login(world.officer)
    form = client.get(reverse("case-act", args=[case.pk, "propose_filing"]))
    assert form.status_code == 200 and 'data-testid="action-form"' in form.content.decode()
    response = act(client, case, "propose_filing", note="现场检查笔录已制作，请批准立案")
    assert response.status_code == 302 and response["Location"] == reverse("case-detail", args=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.FILING and case.version == 2
    step = CaseStep.objects.get(case=case, action="propose_filing")
    assert step.note == "现场检查笔录已制作，请批准立案" and step.actor == world.officer
    assert Event.objects.filter(action="case.propose_filing").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "提请立案已办理，当前状态“立案审批”" in page


def test_a_refused_step_shows_every_reason_and_changes_nothing(client, world):
    case = open_case(world)
    client.force_login(world.officer)
    page = client.get(reverse("case-act", args=[case.pk, "propose_filing"])).content.decode()
    assert 'data-testid="refused-reasons"' in page and "请先登记当事人。" in page
    response = act(client, case, "propose_filing", note="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="action-errors"' in html and "请先登记当事人。" in html
    assert "《行政处罚法》第四十二条" in html  # two certified officers (APL Art. 42)
    case.refresh_from_db()
    assert case.state == CaseState.SOURCE and not case.steps.exists()


def test_a_stale_version_is_told_someone_else_acted(client, world):
    case = ready_case(world)
    stale = case.version
    perform(actor=world.officer, case=case, action="propose_filing")
    client.force_login(world.leader)
    response = client.post(reverse("case-act", args=[case.pk, "approve_filing"]), {"act-version": stale})
    assert response.status_code == 409
    assert "已被他人办理" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.FILING and case.filed_on is None


def test_the_role_and_the_state_are_checked(client, world):
    case = ready_case(world)
    client.force_login(world.officer)
    # An officer may not approve (APL Art. 54: the head approves); the state is wrong too.
    page = client.get(reverse("case-act", args=[case.pk, "approve_filing"])).content.decode()
    assert 'data-testid="out-of-state"' in page and "不能办理“批准立案”" in page
    response = act(client, case, "decline", reason="不属于违法行为")
    assert response.status_code == 403 and "您的角色不能办理此环节。" in response.content.decode()
    assert client.get(reverse("case-act", args=[case.pk, "serve"])).status_code == 404
    assert client.get(reverse("case-act", args=[case.pk, "nothing"])).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.SOURCE


def test_field_errors_land_next_to_their_fields(client, world, media):
    case = ready_case(world)
    client.force_login(world.officer)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = act(client, case, "order_rectification", requirement="移回灭火器", rectify_by=yesterday)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-rectify_by">整改期限应晚于今天。<' in html
    response = act(client, case, "order_rectification", requirement="", rectify_by="")
    html = response.content.decode()
    assert 'data-testid="error-requirement">请填写整改要求。<' in html
    # APL Art. 28: the order is issued with its number and the case waits for the rectification.
    later = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = act(client, case, "order_rectification", requirement="将灭火器放回原处", rectify_by=later)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RECTIFYING
    assert case.documents.filter(doc_type=DocType.RECTIFICATION_ORDER).exists()


def test_an_intended_fine_outside_the_items_range_is_refused_with_the_reason(client, world, media):
    case = filed(world)
    client.force_login(world.officer)
    page = client.get(reverse("case-act", args=[case.pk, "notify"])).content.decode()
    assert 'value="警告"' in page and 'value="罚款"' in page and "5000.00 至 50000.00 元" in page
    # APL Art. 63: the local "large fine" that brings the hearing right, with its source.
    assert "自然人10000元、法人或其他组织100000元" in page and "默认参照福建住建标准" in page
    response = act(client, case, "notify", intended_types=["罚款"], intended_fine="60000", facts="挪用灭火器")
    assert response.status_code == 400
    assert "罚款金额60000.00元超过该事项法定上限50000.00元。" in response.content.decode()
    case.refresh_from_db()
    assert (
        case.state == CaseState.INVESTIGATING
        and not case.documents.filter(doc_type=DocType.NOTICE_OF_INTENDED_PENALTY).exists()
    )
    response = act(client, case, "notify", intended_types=["罚款"], intended_fine="abc")
    assert 'data-testid="error-intended_fine"' in response.content.decode()


def test_htmx_gets_the_form_alone_for_the_modal(client, world):
    case = ready_case(world)
    client.force_login(world.officer)
    response = client.get(reverse("case-act", args=[case.pk, "propose_filing"]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'data-testid="action-form"' in body and 'data-bs-dismiss="modal"' in body


def test_every_transition_with_a_button_has_its_form(world):
    case = ready_case(world)
    kinds = {t.form for t in TRANSITIONS if not t.system}
    assert kinds <= ACTION_FORMS.keys()
    for transition in TRANSITIONS:
        if transition.system:
            continue
        form = action_form(transition, case)
        assert form["version"].value() == case.version
        assert str(form)  # renders with the case's choices


def test_the_review_tier_can_be_raised_never_lowered(world):
    # Seed 000: the tier is proposed from the case; the form offers it and the higher ones only.
    case = ready_case(world)
    form = ReviewForm(case=case, transition=BY_NAME["submit_review"])
    assert [v for v, _label in form.fields["tier"].choices] == ["township", "department", "panel"]
    case.review_tier = ReviewTier.DEPARTMENT
    form = ReviewForm(case=case, transition=BY_NAME["submit_review"])
    assert [v for v, _label in form.fields["tier"].choices] == ["department", "panel"]
    assert form.initial["tier"] == "department"


def test_choices_of_the_hearing_chair_and_the_transfer(world):
    case = ready_case(world)
    hearing = action_form(BY_NAME["open_hearing"], case)
    chairs = {label for _v, label in hearing.fields["chair_id"].choices}
    # APL Art. 64(4): the chair did not investigate the case.
    assert world.officer.person.name not in chairs and world.second_officer.name not in chairs
    assert world.leader.person.name in chairs
    transfer = action_form(BY_NAME["transfer"], case)
    agencies = {label for _v, label in transfer.fields["to_agency_id"].choices}
    assert world.county.department_agency.name in agencies and case.agency.name not in agencies
