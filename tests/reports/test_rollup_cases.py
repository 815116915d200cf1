"""The roll-up's rules one case at a time, each on a small tree built for it:
a reorganization inside the period, a temporary attendee, a visit where the
cadre did not come, cancelled and planned meetings, read-backs, tasks in
every state, a superuser, and what the user does not see."""

import datetime

import pytest

from chibo import tree
from feedback.models import ReadBack
from meetings.models import CadreVisit
from reports import periods
from reports.rollup import Figures, rollup
from tests.factories import (
    AttendanceFactory,
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    ResolutionTaskFactory,
    UserFactory,
)

from .conftest import NOVEMBER, NOW, local, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return OrganizationFactory(name="Đảng bộ xã Cò Nòi")


def november(user, root) -> Figures:
    return rollup(user, root=root, period=periods.month(NOVEMBER), now=NOW).total


def test_a_cell_dissolved_inside_the_period_owes_its_months_and_counts_its_meetings(commune):
    cell = CellFactory(parent=commune, name="Chi bộ bản Cũ")
    MeetingFactory(cell=cell, period=NOVEMBER)
    tree.dissolve_organization(organization=cell, on=datetime.date(2026, 11, 20))
    staff = staff_of(commune)

    month = november(staff, commune)
    december = rollup(
        staff, root=commune, period=periods.month(datetime.date(2026, 12, 1)), now=NOW
    )

    assert (month.cells, month.regular_owed, month.regular_held) == (1, 1, 1)
    assert december.total.cells == 0 and december.rows == []


def test_a_cell_founded_after_the_period_is_not_in_it(commune):
    CellFactory(parent=commune, founded_on=datetime.date(2026, 12, 10))

    assert november(staff_of(commune), commune) == Figures()


def test_a_temporary_attendee_counts_where_they_attended(commune):
    here, home = CellFactory(parent=commune), CellFactory(parent=commune)
    meeting = MeetingFactory(cell=here, period=NOVEMBER)
    AttendanceFactory(meeting=meeting, status="present")
    AttendanceFactory(
        meeting=meeting, member=MemberFactory(cell=home), status="present", is_temporary=True
    )
    report = rollup(staff_of(commune), root=commune, period=periods.month(NOVEMBER), now=NOW)

    by_cell = {row.organization.pk: row.figures for row in report.rows}
    assert (by_cell[here.pk].expected, by_cell[here.pk].attended) == (2, 2)
    assert by_cell[home.pk].expected == 0


def test_attendance_counts_held_meetings_only(commune):
    cell = CellFactory(parent=commune)
    postponed = MeetingFactory(cell=cell, period=NOVEMBER, state="postponed")
    AttendanceFactory(meeting=postponed, status="absent_unexcused")

    figures = november(staff_of(commune), commune)

    assert (figures.expected, figures.absent_unexcused, figures.attendance_rate) == (0, 0, None)
    assert figures.postponed == 1 and figures.regular_missing == 1


def test_a_visit_the_cadre_missed_is_no_meeting_with_a_cadre(commune):
    cell = CellFactory(parent=commune)
    visited, missed = (
        MeetingFactory(cell=cell, period=NOVEMBER),
        MeetingFactory(cell=cell, kind="extraordinary", period=NOVEMBER, scheduled_at=local(12)),
    )
    CadreVisit.objects.create(meeting=visited, cadre=MemberFactory(cell=cell))
    CadreVisit.objects.create(meeting=missed, cadre=MemberFactory(cell=cell), attended=False)

    assert november(staff_of(commune), commune).with_cadre == 1


def test_cancelled_and_future_planned_meetings_are_counted_apart(commune):
    cell = CellFactory(parent=commune)
    MeetingFactory(cell=cell, period=NOVEMBER, state="cancelled", state_reason="Bão")
    MeetingFactory(
        cell=cell, kind="extraordinary", period=NOVEMBER, state="planned", scheduled_at=local(30)
    )

    figures = rollup(
        staff_of(commune), root=commune, period=periods.month(NOVEMBER), now=local(29, 8)
    ).total

    assert (figures.cancelled, figures.planned, figures.held) == (1, 1, 0)
    assert figures.minutes_missing == 0  # nothing took place, nothing is owed


def test_a_past_planned_meeting_with_a_draft_took_place_and_owes_its_minutes(commune):
    cell = CellFactory(parent=commune)
    meeting = MeetingFactory(cell=cell, period=NOVEMBER, state="planned")
    MinutesFactory(meeting=meeting)

    figures = november(staff_of(commune), commune)

    assert (figures.held, figures.regular_held, figures.minutes_missing) == (1, 1, 1)
    assert figures.planned == 0


def test_read_backs_and_satisfaction_are_counted_per_item(commune):
    cell = CellFactory(parent=commune)
    meeting = MeetingFactory(cell=cell, period=NOVEMBER)
    next_meeting = MeetingFactory(cell=cell, period=datetime.date(2026, 12, 1))
    satisfied, unhappy, unread = (
        FeedbackItemFactory(meeting=meeting, state="closed", answered_at=local(10))
        for _ in range(3)
    )
    ReadBack.objects.create(item=satisfied, meeting=next_meeting, is_satisfied=True)
    ReadBack.objects.create(item=unhappy, meeting=next_meeting, is_satisfied=False)
    assert unread.pk

    figures = november(staff_of(commune), commune)

    assert (figures.feedback_raised, figures.feedback_answered) == (3, 3)
    assert (figures.feedback_read_back, figures.feedback_satisfied) == (2, 1)


def test_tasks_due_in_the_period_by_their_state(commune):
    cell = CellFactory(parent=commune)
    minutes = MinutesFactory(meeting=MeetingFactory(cell=cell, period=datetime.date(2026, 10, 1)))
    for status in ("done", "late", "late", "dropped", "open"):
        ResolutionTaskFactory(minutes=minutes, due_on=datetime.date(2026, 11, 15), status=status)
    ResolutionTaskFactory(minutes=minutes, due_on=None)  # no due date: in no period

    figures = november(staff_of(commune), commune)

    assert (figures.tasks_due, figures.tasks_done, figures.tasks_late) == (5, 1, 2)
    assert (figures.tasks_dropped, figures.tasks_open) == (1, 1)


def test_a_superuser_sees_every_commune(commune):
    other = OrganizationFactory(name="Đảng bộ xã Khác")
    for org in (commune, other):
        MeetingFactory(cell=CellFactory(parent=org), period=NOVEMBER)
    root = UserFactory(is_superuser=True)

    assert november(root, commune).regular_held == 1
    assert november(root, other).regular_held == 1


def test_the_commune_rows_sort_sub_organizations_before_cells(commune):
    CellFactory(parent=commune, name="Chi bộ A")
    sub = OrganizationFactory(parent=commune, kind="subcommittee", name="Đảng bộ bộ phận Z")
    CellFactory(parent=sub, name="Chi bộ B")

    report = rollup(staff_of(commune), root=commune, period=periods.month(NOVEMBER), now=NOW)

    assert [row.organization.name for row in report.rows] == ["Đảng bộ bộ phận Z", "Chi bộ A"]
    assert [row.figures.cells for row in report.rows] == [1, 1]
