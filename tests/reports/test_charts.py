"""The report's charts: the figures they draw, their images, and what they refuse."""

import datetime

import pytest
from django.urls import reverse

from chibo.models import Organization
from reports import charts, periods
from reports.rollup import Figures, Row, rollup, trends
from tests.factories import CellFactory, FeedbackItemFactory, MeetingFactory, OrganizationFactory

from .conftest import NOVEMBER, staff_of

pytestmark = pytest.mark.django_db

NOV = periods.month(NOVEMBER)


def chart(client, user, organization, name, period="2026-11"):
    client.force_login(user)
    url = reverse("report_chart", args=[organization.pk, name])
    return client.get(url, {"period": period})


def test_the_trends_count_the_years_meetings_by_month_and_the_periods_feedback_by_state(
    province, frozen
):
    found = trends(province.staff, root=province.P, period=NOV)

    by_month = {month.month: (regular, thematic) for month, regular, thematic in found.by_month}
    assert len(found.by_month) == 12 and found.year == 2026
    assert by_month[11] == (2, 1)  # a1's and b1's regular; a1's thematic
    assert by_month[10] == (1, 0)  # b1's October meeting
    assert by_month[1] == (0, 0)
    states = dict(found.by_state)
    assert states["forwarded"] == 1 and states["answered"] == 1 and states["new"] == 0
    assert [state for state, _n in found.by_state] == [
        "new",
        "forwarded",
        "in_progress",
        "returned",
        "answered",
        "closed",
        "reopened",
    ]


def test_the_trends_of_a_commune_leave_out_the_other_commune(province, frozen):
    found = trends(province.staff, root=province.A, period=NOV)

    assert {m.month: r for m, r, _t in found.by_month}[10] == 0
    assert dict(found.by_state)["answered"] == 0


@pytest.mark.parametrize("cells", [2, 20])
def test_the_trends_cost_the_same_queries_whatever_the_cells(cells, django_assert_num_queries):
    commune = OrganizationFactory(name="Đảng bộ xã Chiềng Mung")
    for _i in range(cells):
        cell = CellFactory(parent=commune)
        FeedbackItemFactory(meeting=MeetingFactory(cell=cell, period=NOVEMBER))
    user, commune = staff_of(commune), Organization.objects.get(pk=commune.pk)
    # The user's roles and member record (their scope), the meetings by month,
    # the feedback by state.
    with django_assert_num_queries(4):
        trends(user, root=commune, period=NOV)


@pytest.mark.parametrize("name", charts.NAMES)
def test_each_chart_is_an_svg_image_without_script(client, province, frozen, name):
    response = chart(client, province.staff, province.P, name)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, max-age=300"
    body = response.content.decode()
    assert body.lstrip().startswith("<?xml") and "<svg" in body
    assert "<script" not in body
    # Its own inline styles are allowed for this image only; scripts stay refused.
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src" not in policy


def test_the_page_shows_the_charts_as_images_of_its_period(client, province, frozen):
    client.force_login(province.staff)
    html = client.get(reverse("report", args=[province.P.pk]), {"period": "2026-Q4"}).content
    html = html.decode()

    for name in charts.NAMES:
        url = reverse("report_chart", args=[province.P.pk, name])
        assert f'src="{url}?period=2026-Q4"' in html


def test_a_cell_has_no_attendance_chart(client, province, frozen):
    client.force_login(province.staff)
    html = client.get(reverse("report", args=[province.a1.pk])).content.decode()

    assert 'data-chart="attendance"' not in html and 'data-chart="months"' in html
    assert chart(client, province.staff, province.a1, "attendance").status_code == 404
    assert chart(client, province.staff, province.a1, "months").status_code == 200


@pytest.mark.parametrize(
    ("name", "period"), [("pie", "2026-11"), ("months", "2026-13"), ("months", "1999")]
)
def test_an_unknown_chart_or_period_is_not_found(client, province, frozen, name, period):
    assert chart(client, province.staff, province.P, name, period).status_code == 404


def test_a_chart_of_an_organization_out_of_sight_is_not_found(client, province, frozen):
    other = staff_of(province.B)

    assert chart(client, other, province.A, "months").status_code == 404
    assert chart(client, other, province.B, "months").status_code == 200


def test_the_same_figures_draw_the_same_file_and_other_figures_another(province, frozen):
    result = rollup(province.staff, root=province.P, period=NOV)
    found = trends(province.staff, root=province.P, period=NOV)

    first = charts.svg(charts.MONTHS, result, found)
    assert charts.svg(charts.MONTHS, result, found) == first
    found.by_month[0] = (datetime.date(2026, 1, 1), 4, 0)
    assert charts.svg(charts.MONTHS, result, found) != first


def test_a_hostile_name_is_drawn_not_written(province, frozen):
    Organization.objects.filter(pk=province.A.pk).update(
        name='Xã --><script>alert(1)</script><svg onload="x">'
    )
    result = rollup(province.staff, root=Organization.objects.get(pk=province.P.pk), period=NOV)
    found = trends(province.staff, root=result.root, period=NOV)
    drawn = charts.svg(charts.ATTENDANCE, result, found)

    assert "<script" not in drawn and "<svg onload" not in drawn
    assert drawn.count("<svg") == 1


def test_the_attendance_chart_shows_the_lowest_rates_when_there_are_many(province, frozen):
    result = rollup(province.staff, root=province.P, period=NOV)
    rated, unrated = result.rows  # A has attendance; B's meeting has no roll
    many = [
        Row(Organization(name=f"Xã {i:02}"), Figures(expected=100, attended=100 - i))
        for i in range(charts.MOST_BARS + 5)
    ]

    shown, total = charts.lowest_rates([unrated, *many])
    assert total == charts.MOST_BARS + 5
    assert [row.organization.name for row in shown[:2]] == ["Xã 29", "Xã 28"]
    assert len(shown) == charts.MOST_BARS
    result.rows = [rated, *many]
    drawn = charts.svg(
        charts.ATTENDANCE, result, trends(province.staff, root=province.P, period=NOV)
    )
    assert "<svg" in drawn


def test_the_pdfs_picture_is_the_same_drawing_as_a_png(province, frozen):
    result = rollup(province.staff, root=province.P, period=NOV)
    found = trends(province.staff, root=province.P, period=NOV)

    drawn = charts.png(charts.MONTHS, result, found)
    assert drawn.startswith(b"\x89PNG") and drawn == charts.png(charts.MONTHS, result, found)
    assert (
        b"<svg" in charts.cached(province.staff, charts.MONTHS, result, found, charts.SVG).encode()
    )
    assert charts.cached(province.staff, charts.MONTHS, result, found, charts.PNG) == drawn
