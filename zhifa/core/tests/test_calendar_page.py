"""The holiday-table pages at /calendar/: permissions, statuses, entering a year, error messages."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from zhifa.core.calendar import (
    CALENDAR,
    WORKING,
    clear_calendar_cache,
    deadline,
    is_provisional,
    is_working_day,
)
from zhifa.core.models import CalendarDay, CalendarYear, Event
from zhifa.org.models import PersonStatus

pytestmark = pytest.mark.django_db

D = datetime.date
GOOD_2027 = "2027-01-01 放假 元旦\n2027-02-05..2027-02-11 放假 春节\n2027-02-14 上班 春节调休"


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def admin_client(client, county):
    client.force_login(county.user("admin", "county"))
    return client


def test_list_shows_year_statuses(admin_client):
    CalendarYear.objects.create(year=2028, complete=True, notice="国办发明电〔2027〕1号")
    response = admin_client.get(reverse("calendar-years"))
    assert response.status_code == 200
    html = response.content.decode()
    row = {year: html.split(f'data-year="{year}"')[1].split("</tr>")[0] for year in (2025, 2026, 2027, 2028)}
    assert "内置（chinesecalendar）" in row[2025] and "内置（chinesecalendar）" in row[2026]
    assert "未录入（期限为暂定）" in row[2027]
    assert "已录入" in row[2028] and "国办发明电〔2027〕1号" in row[2028]
    assert reverse("calendar-year-edit", args=[2027]) in html


@pytest.mark.parametrize("role", ["officer", "team_leader", "legal_reviewer"])
def test_other_roles_get_404(client, county, role):
    """Only administrators enter holiday tables; others do not learn the page exists."""
    client.force_login(county.user(role))
    assert client.get(reverse("calendar-years")).status_code == 404
    assert client.get(reverse("calendar-year-edit", args=[2027])).status_code == 404
    response = client.post(reverse("calendar-year-edit", args=[2027]), {"days": GOOD_2027, "complete": "on"})
    assert response.status_code == 404
    assert not CalendarDay.objects.exists()


def test_inactive_admin_gets_404(client, county):
    person = county.person("admin", "county")
    person.status = PersonStatus.RETIRED
    person.save()
    client.force_login(person.user)
    assert client.get(reverse("calendar-years")).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("calendar-years"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_superuser_without_person_may_enter(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password=None))
    assert client.get(reverse("calendar-years")).status_code == 200


def test_enter_2027_makes_deadlines_final(admin_client, county):
    """Entering the State Council notice for 2027 (LAW.md section 7) replaces the provisional fallback."""
    assert is_provisional(D(2027, 3, 1))
    url = reverse("calendar-year-edit", args=[2027])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "2027-02-05..2027-02-08 放假 春节" in page.content.decode()  # the fallback shown for reference
    response = admin_client.post(
        url, {"notice": "国办发明电〔2026〕9号", "days": GOOD_2027, "complete": "on"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("calendar-years")
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.entered_by == county.user("admin", "county")
    assert CalendarDay.objects.filter(date__year=2027).count() == 9
    assert Event.objects.filter(action="calendar_year.save").count() == 1
    assert not is_provisional(D(2027, 3, 1))
    assert is_working_day(D(2027, 2, 14)) and not is_working_day(D(2027, 2, 11))
    # The edit page shows the saved table again, merged into ranges.
    again = admin_client.get(url).content.decode()
    assert "2027-02-05..2027-02-11 放假 春节" in again and "国办发明电〔2026〕9号" in again


def test_bad_line_names_the_line_and_saves_nothing(admin_client):
    """Bad input gets a clear Chinese message naming the line; nothing half-written is left behind."""
    url = reverse("calendar-year-edit", args=[2027])
    text = "2027-01-01 放假 元旦\n2027-02-30 放假 春节\n2027-02-14 上班 春节调休"
    response = admin_client.post(url, {"notice": "x", "days": text, "complete": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "第2行：日期“2027-02-30”无效" in html
    assert text in html  # the input is kept for correction
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    assert not Event.objects.filter(action="calendar_year.save").exists()


def test_stale_form_is_refused(admin_client):
    """Concurrent edits never silently overwrite each other (DESIGN.md)."""
    url = reverse("calendar-year-edit", args=[2027])
    admin_client.post(url, {"notice": "a", "days": "", "updated_at": ""})
    loaded = CalendarYear.objects.get(year=2027).updated_at.isoformat()
    admin_client.post(url, {"notice": "b", "days": "", "updated_at": loaded})
    response = admin_client.post(url, {"notice": "c", "days": "", "updated_at": loaded})
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert CalendarYear.objects.get(year=2027).notice == "b"


def test_year_out_of_range_is_404(admin_client):
    assert admin_client.get(reverse("calendar-year-edit", args=[1999])).status_code == 404


def test_deadline_include_shows_basis_and_provisional_badge():
    """Time limits are shown with the article they come from (DESIGN.md); provisional ones say so."""
    final = render_to_string(
        "core/_deadline.html", {"deadline": deadline(D(2026, 2, 13), 5, WORKING, "APL Art. 64")}
    )
    assert "2026-02-27" in final and "APL Art. 64" in final and "5个工作日" in final and "暂定" not in final
    late = render_to_string(
        "core/_deadline.html", {"deadline": deadline(D(2026, 12, 28), 5, WORKING, "APL Art. 64")}
    )
    assert "2027-01-05" in late and "暂定" in late and "badge" in late
    ninety = render_to_string(
        "core/_deadline.html", {"deadline": deadline(D(2026, 1, 5), 90, CALENDAR, "APL Art. 60")}
    )
    assert "2026-04-07" in ninety and "（APL Art. 60，90日）" in ninety
