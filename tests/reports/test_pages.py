"""The report page beyond its first view: many sub-organizations, quarters
and years, a cell's own report, the picker, and the cache's staleness after
a real change through the services."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.services import planning
from tests.factories import CellFactory, MeetingFactory, OrganizationFactory

from .conftest import NOVEMBER, local, staff_of

pytestmark = pytest.mark.django_db


def get(client, user, organization, **params):
    client.force_login(user)
    response = client.get(reverse("report", args=[organization.pk]), params)
    assert response.status_code == 200
    return response


def test_thirty_communes_page_their_rows_and_total_them_all(client, frozen):
    province = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Điện Biên")
    for n in range(30):
        commune = OrganizationFactory(parent=province, name=f"Đảng bộ xã {n:02d}")
        MeetingFactory(cell=CellFactory(parent=commune), period=NOVEMBER)
    staff = staff_of(province)

    first = get(client, staff, province, period="2026-11")
    second = get(client, staff, province, period="2026-11", page=2)

    assert len(first.context["page_obj"]) == 25 and len(second.context["page_obj"]) == 5
    assert first.context["report"].total.regular_held == 30
    assert "page=2" in first.content.decode() and "period=2026-11" in first.content.decode()


def test_the_page_size_does_not_grow_with_the_cells(client, frozen):
    sizes = []
    for cells in (60, 200):
        commune = OrganizationFactory(name=f"Đảng bộ xã {cells} chi bộ")
        for _ in range(cells):
            MeetingFactory(cell=CellFactory(parent=commune, name="Chi bộ thôn"), period=NOVEMBER)
        sizes.append(len(get(client, staff_of(commune), commune, period="2026-11").content))

    # 25 rows a page and at most SHOWN lines a list (both full): the same page, give or take.
    assert abs(sizes[1] - sizes[0]) < 0.05 * sizes[0]


def test_a_quarter_and_a_year_on_the_page(client, province, frozen, english_pages):
    quarter = get(client, province.staff, province.P, period="2026-Q4")
    year = get(client, province.staff, province.P, period="2026")

    assert quarter.context["report"].total.regular_owed == 11
    assert "Cell meetings, quarter 4 of 2026" in quarter.content.decode()
    assert year.context["period"].months[0] == datetime.date(2026, 1, 1)
    assert 'href="?period=2025"' in year.content.decode()


def test_a_cells_report_lists_its_figures_and_leads_back_up(client, province, frozen):
    html = get(client, province.staff, province.a2, period="2026-11").content.decode()

    assert reverse("meeting_detail", args=[province.extraordinary_a2.pk]) in html
    assert f'href="{reverse("report", args=[province.A.pk])}?period=2026-11"' in html


def test_the_picker_offers_the_period_shown(client, province, frozen):
    response = get(client, province.staff, province.P, period="2026-Q3")

    html = response.content.decode()
    assert '<option value="2026-Q3" selected>' in html
    assert '<option value="2026-11">' in html


def test_a_postponement_through_the_services_shows_at_once(client, province, frozen):
    get(client, province.staff, province.P, period="2026-11")  # cached
    regular_b1 = Meeting.objects.get(pk=province.regular_b1.pk)
    regular_b1.minutes.all().update(state="draft")  # writable again
    Meeting.objects.filter(pk=regular_b1.pk).update(state="planned", scheduled_at=local(28))

    planning.postpone_meeting(
        meeting=regular_b1, reason="Mưa lũ, đường vào bản bị sạt", by=province.staff
    )
    after = get(client, province.staff, province.P, period="2026-11").context["report"].total

    assert after.postponed == 2
