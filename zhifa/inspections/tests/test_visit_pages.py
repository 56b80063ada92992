"""Visit pages (list, phone detail, actions) and the public QR page: scoping, actions, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.core.models import Event
from zhifa.inspections.models import Finding, FindingPhoto, Visit, VisitCheck, VisitResult, VisitState
from zhifa.inspections.services import visits as svc
from zhifa.inspections.services.visit_factory import TeamMember, create_visit
from zhifa.inspections.tests.test_findings import penalty_item, real_png
from zhifa.org.models import Person


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The public page counts unknown codes per network in the cache: start each test from zero."""
    from django.core.cache import cache

    cache.clear()


def make_visit(insp, key="market", days=0, subject=0, items=("M1",), extra=()):
    officers = insp.officers[key]
    team = [TeamMember(p, insp.agencies[key], f"C{p.pk}") for p in officers]
    team += [TeamMember(p, insp.agencies[k], f"C{p.pk}") for k in extra for p in insp.officers[k][:1]]
    with transaction.atomic():
        return create_visit(
            actor=None,
            subject_id=insp.subjects[subject].pk,
            agency=insp.agencies[key],
            items=[insp.items[i] for i in items],
            planned_on=timezone.localdate() + datetime.timedelta(days=days),
            team=team,
        )


def start(insp, visit, key="market"):
    return svc.visit_start(actor=insp.user(f"{key}-0"), visit=visit, version=visit.version)


def detail(visit):
    return reverse("inspections-visit-detail", args=[visit.pk])


def url(name, visit, *args):
    return reverse(name, args=[visit.pk, *args])


def test_anonymous_goes_to_login(client, insp):
    visit = make_visit(insp)
    for target in (reverse("inspections-visit-list"), detail(visit)):
        response = client.get(target)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_tabs_and_filters(client, insp):
    today = make_visit(insp)
    later = make_visit(insp, days=3, subject=1)
    done = start(insp, make_visit(insp, subject=2))
    svc.visit_finish(actor=insp.user("market-0"), visit=done, result=VisitResult.PASS, version=done.version)
    theirs = make_visit(insp, "safety", subject=3)
    client.force_login(insp.user("market-0"))
    base = reverse("inspections-visit-list")

    def shown(query: str) -> set[int]:
        response = client.get(base + query)
        assert response.status_code == 200
        return {v.pk for v in response.context["page"].object_list}

    assert shown("") == {today.pk}
    assert shown("?tab=upcoming") == {later.pk}
    assert shown("?tab=done") == {done.pk}
    assert shown("?tab=all") == {today.pk, later.pk, done.pk}
    assert shown("?tab=all&who=all") == {today.pk, later.pk, done.pk}  # safety's visit is out of scope
    assert shown("?tab=all&state=planned") == {today.pk, later.pk}
    assert shown("?tab=all&result=pass") == {done.pk}
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert shown(f"?tab=all&date_from={day}") == {later.pk}
    assert shown(f"?tab=all&date_to={timezone.localdate().isoformat()}") == {today.pk, done.pk}
    assert shown("?tab=bogus&state=bogus&date_from=garbage") == {today.pk}
    page = client.get(base + "?tab=done").content.decode()
    assert 'data-testid="publish-due"' in page and "20个工作日" in page  # GO118 (六)
    # The team leader sees the agency's visits, not only their own; safety sees its own only.
    client.force_login(insp.user("market-leader"))
    assert shown("?tab=all&who=agency") == {today.pk, later.pk, done.pk}
    assert shown("?tab=all&who=mine") == set()
    client.force_login(insp.user("safety-0"))
    assert shown("?tab=all&who=all") == {theirs.pk}


def test_list_query_count_does_not_grow(client, insp, django_assert_max_num_queries):
    client.force_login(insp.user("market-0"))
    target = reverse("inspections-visit-list") + "?tab=all"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        make_visit(insp, subject=i, items=("M1", "M2"))
    two = queries()
    for i in range(8):
        visit = start(insp, make_visit(insp, subject=i % 10, days=-i))
        svc.visit_finish(
            actor=insp.user("market-0"), visit=visit, result=VisitResult.PASS, version=visit.version
        )
    assert len(client.get(target).context["page"].object_list) == 10
    assert queries() == two


def test_detail_for_the_team(client, insp, settings):
    settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.cn/"
    visit = make_visit(insp, items=("M1", "U1"))
    near = make_visit(insp, "safety", days=5)
    client.force_login(insp.user("market-0"))
    page = client.get(detail(visit)).content.decode()
    assert insp.subjects[0].address in page
    for person in insp.officers["market"]:
        assert person.name in page and f"C{person.pk}" in page  # APL Art. 55: certificates shown
    assert "《测试条例》第十一条" in page and "<svg" in page
    assert f"https://zhifa.example.cn/v/{visit.code}/" in page
    assert 'data-testid="repeat-warnings"' in page and near.agency.name in page
    assert 'data-testid="visit-start"' in page


def test_outsiders_get_404(client, insp, other_insp):
    visit = start(insp, make_visit(insp))
    finding = svc.finding_add(
        actor=insp.user("market-0"), visit=visit, item=insp.items["M1"], text="台账不全面"
    )
    targets = [
        ("get", detail(visit)),
        ("post", url("inspections-visit-start", visit)),
        ("post", url("inspections-visit-check", visit)),
        ("post", url("inspections-finding-add", visit)),
        ("post", url("inspections-finding-photo-add", visit, finding.pk)),
        ("post", url("inspections-finding-case", visit, finding.pk)),
        ("post", url("inspections-finding-clue", visit, finding.pk)),
        ("post", url("inspections-visit-finish", visit)),
    ]
    for user in (insp.user("safety-0"), insp.user("safety-leader"), other_insp.user("market-0")):
        client.force_login(user)
        for method, target in targets:
            assert getattr(client, method)(target).status_code == 404, (user, target)
    # Only the setup wrote events (start, finding): nothing the outsiders posted reached a service.
    assert Event.objects.filter(action__startswith="inspections.").count() == 2
    assert not VisitCheck.objects.exists() and Finding.objects.count() == 1


def test_joint_visit_inspector_of_other_agency_works(client, insp):
    visit = start(insp, make_visit(insp, extra=("safety",)))
    client.force_login(insp.user("safety-0"))
    response = client.post(
        url("inspections-visit-check", visit), {"item": insp.items["M1"].pk, "point": 1, "outcome": "ok"}
    )
    assert response.status_code == 302
    assert VisitCheck.objects.get().outcome == "ok"


def test_reader_who_may_not_work_is_refused(client, insp):
    visit = start(insp, make_visit(insp))
    client.force_login(insp.user("t0"))  # the township's officer sees visits in the township
    page = client.get(detail(visit)).content.decode()
    assert 'data-testid="finish-form"' not in page and 'name="outcome"' not in page
    response = client.post(
        url("inspections-visit-check", visit),
        {"item": insp.items["M1"].pk, "point": 0, "outcome": "ok"},
        follow=True,
    )
    assert "无权办理该检查" in response.content.decode()
    assert not VisitCheck.objects.exists()


def test_check_by_htmx_returns_the_point(client, insp):
    visit = start(insp, make_visit(insp))
    client.force_login(insp.user("market-1"))
    item = insp.items["M1"]
    response = client.post(
        url("inspections-visit-check", visit),
        {"item": item.pk, "point": 1, "outcome": "problem", "note": "台账缺三月"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="point-{item.pk}-1"' in body and 'data-outcome="problem"' in body and "台账缺三月" in body
    bad = client.post(
        url("inspections-visit-check", visit),
        {"item": item.pk, "point": 7, "outcome": "ok"},
        HTTP_HX_REQUEST="true",
    )
    assert "检查要点序号无效" in bad.content.decode() and bad["HX-Retarget"] == f"#point-error-{item.pk}-7"
    assert VisitCheck.objects.get().outcome == "problem"


def test_finding_photo_case_and_finish(client, insp):
    power = penalty_item(insp)
    visit = start(insp, make_visit(insp))
    client.force_login(insp.user("market-0"))
    client.post(url("inspections-finding-add", visit), {"item": insp.items["M1"].pk, "text": "短"})
    assert not Finding.objects.exists()
    client.post(
        url("inspections-finding-add", visit), {"item": insp.items["M1"].pk, "text": "未公示食品经营许可证"}
    )
    finding = Finding.objects.get()
    photo_url = url("inspections-finding-photo-add", visit, finding.pk)
    bad = client.post(photo_url, {"photo": SimpleUploadedFile("a.gif", b"GIF89a" + b"\0" * 20)}, follow=True)
    assert "只接受 JPEG 或 PNG" in bad.content.decode()
    from zhifa.inspections.services.findings import MAX_PHOTO_BYTES

    huge = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_PHOTO_BYTES)
    assert "过大" in client.post(photo_url, {"photo": huge}, follow=True).content.decode()
    assert not FindingPhoto.objects.exists()
    png = real_png()
    client.post(photo_url, {"photo": SimpleUploadedFile("现场.png", png, content_type="image/png")})
    photo = FindingPhoto.objects.get()
    served = client.get(url("inspections-finding-photo", visit, photo.pk))
    assert served.status_code == 200 and b"".join(served.streaming_content) == png
    assert served["Content-Type"] == "image/png"
    page = client.get(detail(visit)).content.decode()
    assert 'data-testid="to-case"' in page and 'capture="environment"' in page
    client.post(url("inspections-finding-case", visit, finding.pk), {"power_item": power.pk})
    case = Case.objects.get()
    assert Finding.objects.get().case_id == case.pk
    response = client.post(
        url("inspections-finding-case", visit, finding.pk), {"power_item": power.pk}, follow=True
    )
    assert "该问题已立案" in response.content.decode() and Case.objects.count() == 1
    visit.refresh_from_db()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.post(
        url("inspections-visit-finish", visit), {"result": "rectify", "rectify_by": tomorrow, "version": 1}
    )
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS  # a stale version is refused
    client.post(url("inspections-visit-finish", visit), {"result": "rectify", "version": visit.version})
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS  # no date for rectification
    client.post(
        url("inspections-visit-finish", visit),
        {"result": "rectify", "rectify_by": tomorrow, "version": visit.version},
    )
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.rectify_by.isoformat() == tomorrow
    # Another agency's officer cannot fetch the photo by id.
    client.force_login(insp.user("safety-0"))
    assert client.get(url("inspections-finding-photo", visit, photo.pk)).status_code == 404


def test_public_page(client, insp):
    Person.objects.filter(pk__in=[p.pk for p in insp.officers["market"]]).update(phone="13912345678")
    insp.subjects[0].__class__.objects.filter(pk=insp.subjects[0].pk).update(contact_phone="13787654321")
    visit = make_visit(insp, items=("M1", "S1"))
    target = reverse("inspections-public-visit", args=[visit.code])
    page = client.get(target).content.decode()
    for person in insp.officers["market"]:
        assert person.name in page and f"C{person.pk}" in page
    assert (
        insp.agencies["market"].name in page
        and "《测试条例》第十条" in page
        and insp.items["S1"].name in page
    )
    assert "13912345678" not in page and "13787654321" not in page
    assert 'data-testid="public-rate-form"' not in page and 'data-testid="public-result-pending"' in page
    assert client.post(target, {"rating": 5}).status_code == 200 and Visit.objects.get().rating is None
    visit = start(insp, visit)
    svc.finding_add(actor=insp.user("market-0"), visit=visit, item=insp.items["M1"], text="私密的问题描述")
    visit.refresh_from_db()
    svc.visit_finish(actor=insp.user("market-0"), visit=visit, result=VisitResult.PASS, version=visit.version)
    page = client.get(target).content.decode()
    assert "未发现问题" in page and 'data-testid="public-rate-form"' in page and "私密的问题描述" not in page
    response = client.post(target, {"rating": 9})
    assert "请选择1至5星" in response.content.decode() and Visit.objects.get().rating is None
    response = client.post(target, {"rating": 4, "comment": "出示了证件，态度好"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.rating, visit.rating_comment) == (4, "出示了证件，态度好")
    client.post(target, {"rating": 1})
    visit.refresh_from_db()
    assert visit.rating == 4 and Event.objects.filter(action="inspections.visit.rate").count() == 1
    assert 'data-testid="public-rating"' in client.get(target).content.decode()
    assert client.get(reverse("inspections-public-visit", args=[visit.code.lower()])).status_code == 200


def test_public_unknown_code_is_404_in_chinese(client, insp):
    response = client.get(reverse("inspections-public-visit", args=["NOSUCHCODE"]))
    assert response.status_code == 404 and "检查码不存在" in response.content.decode()
    cancelled = make_visit(insp)
    Visit.objects.filter(pk=cancelled.pk).update(state=VisitState.CANCELLED)
    assert client.get(reverse("inspections-public-visit", args=[cancelled.code])).status_code == 404


@pytest.mark.parametrize("limit", [2])
def test_public_unknown_codes_are_limited(client, insp, settings, monkeypatch, limit):
    from zhifa.inspections.views import public

    monkeypatch.setattr(public, "UNKNOWN_CODES_PER_HOUR", limit)
    visit = make_visit(insp)
    for n in range(limit):
        client.get(reverse("inspections-public-visit", args=[f"GUESS{n}"]))
    assert client.get(reverse("inspections-public-visit", args=[visit.code])).status_code == 404


def test_finding_to_clue_from_the_page(client, insp):
    from zhifa.inspections.models import Subject
    from zhifa.intake.models import ClueCategory, ClueSource

    category = ClueCategory.objects.create(code="insp-page", name="检查发现")
    Subject.objects.filter(pk=insp.subjects[0].pk).update(lng=None, lat=None)  # placed by its township
    visit = start(insp, make_visit(insp))
    finding = svc.finding_add(
        actor=insp.user("market-0"), visit=visit, item=insp.items["M1"], text="无证经营冷食"
    )
    client.force_login(insp.user("market-0"))
    page = client.get(detail(visit)).content.decode()
    assert 'data-testid="to-clue"' in page and 'data-testid="to-case"' not in page  # no penalty item listed
    client.post(url("inspections-finding-clue", visit, finding.pk), {"category": category.pk})
    finding.refresh_from_db()
    assert finding.clue.source == ClueSource.INSPECTION
    response = client.post(
        url("inspections-finding-clue", visit, finding.pk), {"category": category.pk}, follow=True
    )
    assert "该问题已转为线索" in response.content.decode()
    assert 'data-testid="finding-clue"' in response.content.decode()
