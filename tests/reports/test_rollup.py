"""The roll-up's figures on the province of conftest.py, where every number is known."""

import datetime
from dataclasses import asdict

import pytest

from reports import periods
from reports.rollup import Figures, active_months, cell_figures, rollup
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    OrganizationFactory,
)

from .conftest import NOVEMBER, NOW, staff_of

pytestmark = pytest.mark.django_db

A_FIGURES = Figures(
    cells=2,
    regular_owed=2,
    regular_held=1,
    held=3,
    postponed=1,
    thematic_held=1,
    no_thematic=1,
    short=1,
    minutes_on_time=1,
    minutes_late=1,
    minutes_missing=1,
    with_cadre=1,
    expected=6,
    attended=4,
    absent_excused=1,
    absent_unexcused=1,
    feedback_raised=1,
    feedback_overdue=1,
    tasks_due=1,
    tasks_done=1,
)
B_FIGURES = Figures(
    cells=2,
    regular_owed=2,
    regular_held=1,
    held=1,
    no_thematic=2,
    short=1,
    minutes_on_time=1,
    feedback_raised=1,
    feedback_answered=1,
    tasks_due=1,
    tasks_open=1,
)


def november(user, root):
    return rollup(user, root=root, period=periods.month(NOVEMBER), now=NOW)


def test_each_commune_of_the_province_has_its_exact_figures(province):
    report = november(province.staff, province.P)

    assert [row.organization for row in report.rows] == [province.A, province.B]
    assert [asdict(row.figures) for row in report.rows] == [asdict(A_FIGURES), asdict(B_FIGURES)]


def test_the_province_total_adds_up_its_communes(province):
    total = november(province.staff, province.P).total

    assert total == A_FIGURES + B_FIGURES
    assert (total.regular_missing, total.attendance_rate) == (2, 66.7)


def test_a_commune_report_has_a_row_per_cell(province):
    report = november(province.staff, province.A)

    rows = {row.organization.name: row.figures for row in report.rows}
    assert list(rows) == ["Chi bộ bản Cang", "Chi bộ bản Lếch"]  # by name
    assert rows["Chi bộ bản Lếch"].regular_held == 1
    assert rows["Chi bộ bản Cang"].regular_missing == 1
    assert rows["Chi bộ bản Cang"].minutes_missing == 1
    assert report.total == A_FIGURES


def test_a_cell_report_is_the_cell_alone(province):
    report = november(province.staff, province.a1)

    assert [row.organization for row in report.rows] == [province.a1]
    assert report.total.held == 2 and report.total.short == 1


def test_the_exceptions_list_what_needs_action_with_links_to_their_rows(province):
    ex = november(province.staff, province.P).exceptions

    assert ex.no_regular == [(province.a2, 1), (province.b2, 1)]
    assert ex.unfinished == [province.extraordinary_a2]
    assert ex.short == [province.regular_b1, province.thematic_a1]  # by date
    assert ex.no_thematic == [
        (province.a2, datetime.date(2026, 10, 1)),
        (province.b1, datetime.date(2026, 10, 1)),
        (province.b2, datetime.date(2026, 10, 1)),
    ]
    assert ex.overdue == [province.overdue]


def test_a_quarter_owes_a_regular_meeting_per_month_of_each_cell(province):
    report = rollup(province.staff, root=province.P, period=periods.quarter(2026, 4), now=NOW)

    # a1, a2, b1 owe Oct, Nov, Dec; b2, founded in November, owes Nov and Dec.
    assert report.total.regular_owed == 3 * 3 + 2
    # a1 and b1 held November's, b1 October's too.
    assert report.total.regular_held == 3
    assert {cell.name: n for cell, n in report.exceptions.no_regular} == {
        "Chi bộ bản Lếch": 2,
        "Chi bộ bản Cang": 3,
        "Chi bộ bản Mòng": 1,
        "Chi bộ bản Mới": 2,
    }


def test_a_quarter_not_yet_begun_owes_no_thematic_meeting(province):
    report = rollup(province.staff, root=province.P, period=periods.year(2026), now=NOW)
    next_year = rollup(province.staff, root=province.P, period=periods.year(2027), now=NOW)

    # All four quarters of 2026 have begun: a cell without a thematic meeting counts in each.
    starts = {start for _cell, start in report.exceptions.no_thematic}
    assert starts == {datetime.date(2026, m, 1) for m in (1, 4, 7, 10)}
    assert next_year.total.no_thematic == 0 and next_year.exceptions.no_thematic == []


def test_a_user_counts_only_what_they_see(province):
    commune_staff = staff_of(province.A)

    report = november(commune_staff, province.A)

    assert report.total == A_FIGURES


def test_months_a_cell_owes(province):
    quarter = periods.quarter(2026, 4)
    founded = CellFactory(parent=province.A, founded_on=datetime.date(2026, 11, 30))
    assert active_months(founded, quarter) == 2
    assert active_months(province.a1, quarter) == 3
    founded.dissolved_on = datetime.date(2026, 12, 1)
    assert active_months(founded, quarter) == 1


@pytest.mark.parametrize("cells", [2, 20])
def test_the_query_count_does_not_grow_with_the_cells(cells, django_assert_num_queries):
    commune = OrganizationFactory(name="Đảng bộ xã Chiềng Mung")
    for _i in range(cells):
        cell = CellFactory(parent=commune)
        MeetingFactory(cell=cell, period=NOVEMBER)
        seat = CommitteeSeatFactory(organization=commune, member__cell=cell)
        AssignmentFactory(cadre=seat.member, cell=cell)
    user = staff_of(commune)
    # 16 figure queries, the absentees (1), the median days to answer (2),
    # the cadres (1) and their quota (4: visits, seats, assignments, meetings).
    with django_assert_num_queries(24):
        november(user, commune)


def test_the_figures_of_each_cell_add_up_to_the_total(province):
    rows = cell_figures(province.staff, root=province.P, period=periods.month(NOVEMBER), now=NOW)

    by_name = {row.organization.name: row.figures for row in rows}
    assert list(by_name) == [
        c.name
        for c in sorted([province.a1, province.a2, province.b1, province.b2], key=lambda c: c.path)
    ]
    assert sum((row.figures for row in rows), Figures()) == A_FIGURES + B_FIGURES
    assert by_name["Chi bộ bản Lếch"].attended == 4
    assert by_name["Chi bộ bản Mới"].regular_owed == 1


def test_the_counts_of_minutes_agree_with_the_lists_and_the_rules(province):
    """Late and unfinished are counted as differences (rollup): they must
    match the meetings each rule names."""
    report = rollup(
        province.staff, root=province.P, period=periods.month(NOVEMBER), now=NOW, every_line=True
    )
    total = report.total

    assert total.minutes_missing == len(report.exceptions.unfinished) == 1
    assert total.minutes_on_time + total.minutes_late + total.minutes_missing == total.held
    assert (total.minutes_on_time, total.minutes_late) == (2, 1)
