"""The report's figures counted per person or per item's history: members
absent without reason three meetings in a row, cadres behind or at risk on
their quota, feedback forwarded and reopened, and the median days to answer."""

import datetime

import pytest
from django.utils import timezone

from feedback.models import FeedbackEvent
from meetings.models import CadreVisit, Meeting, QuotaRule
from reports import periods
from reports.rollup import rollup
from tests.factories import (
    AttendanceFactory,
    CommitteeSeatFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
)

from .conftest import NOVEMBER, NOW, local

pytestmark = pytest.mark.django_db


def november(user, root, **kwargs):
    return rollup(user, root=root, period=periods.month(NOVEMBER), now=NOW, **kwargs)


def figures_of(report, organization):
    return next(row.figures for row in report.rows if row.organization.pk == organization.pk)


def monthly(cell, months, **kwargs):
    """The cell's regular meeting of each month (2026), held on the 5th."""
    return [
        MeetingFactory(cell=cell, period=datetime.date(2026, month, 1), **kwargs)
        for month in months
    ]


def roll(member, meetings, statuses):
    for meeting, status in zip(meetings, statuses, strict=True):
        AttendanceFactory(meeting=meeting, member=member, status=status)


U, E, P = "absent_unexcused", "absent_excused", "present"


def test_members_absent_without_reason_three_meetings_in_a_row_are_named(province, frozen):
    cell = province.a2
    earlier = monthly(cell, [7, 8, 9, 10])
    # November's regular meeting of a2 is postponed; its extraordinary one is held.
    meetings = [*earlier, province.extraordinary_a2]
    named = MemberFactory(cell=cell, full_name="Lò Văn Ba")
    roll(named, meetings, [P, P, U, U, U])
    four = MemberFactory(cell=cell, full_name="Cà Thị Bốn")
    roll(four, meetings, [P, U, U, U, U])
    broken = MemberFactory(cell=cell, full_name="Quàng Văn Gián")
    roll(broken, meetings, [P, U, U, E, U])
    exempt_between = MemberFactory(cell=cell, full_name="Lường Văn Miễn")
    roll(exempt_between, meetings, [U, U, "exempt", U, U])
    earlier_only = MemberFactory(cell=cell, full_name="Tòng Văn Trước")
    roll(earlier_only, meetings, [U, U, U, U, P])

    report = november(province.staff, province.P)

    listed = report.exceptions.absent_in_a_row
    assert [a.full_name for a in listed] == ["Cà Thị Bốn", "Lò Văn Ba"]
    assert {a.meeting_id for a in listed} == {province.extraordinary_a2.pk}
    assert figures_of(report, province.A).absent_in_a_row == 2
    assert figures_of(report, province.B).absent_in_a_row == 0
    assert report.total.absent_in_a_row == 2


def test_the_row_counts_meetings_by_time_whatever_the_cell_and_only_held_ones(province, frozen):
    cell = province.b1
    member = MemberFactory(cell=cell)
    (september,) = monthly(cell, [9])
    october = Meeting.objects.get(cell=cell, period=datetime.date(2026, 10, 1))
    # Elsewhere (temporary attendance) in between, then a cancelled meeting: neither breaks it.
    elsewhere = MeetingFactory(
        cell=province.a1, kind="extraordinary", period=datetime.date(2026, 10, 1)
    )
    cancelled = MeetingFactory(
        cell=cell,
        kind="extraordinary",
        period=datetime.date(2026, 10, 1),
        scheduled_at=local(20, month=10),
        state="cancelled",
    )
    roll(member, [september, elsewhere, cancelled, october], [U, U, P, U])
    roll(member, [province.regular_b1], [U])

    listed = november(province.staff, province.P).exceptions.absent_in_a_row
    assert [(a.member_id, a.meeting_id) for a in listed] == [(member.pk, province.regular_b1.pk)]


def test_a_list_of_absentees_is_cut_for_the_page_and_whole_for_the_spreadsheet(province, frozen):
    meetings = [*monthly(province.a2, [8, 9, 10]), province.extraordinary_a2]
    for index in range(3):
        roll(
            MemberFactory(cell=province.a2, full_name=f"Đảng viên {index}"), meetings, [P, U, U, U]
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("reports.rollup.SHOWN", 2)
        assert len(november(province.staff, province.P).exceptions.absent_in_a_row) == 2
        whole = november(province.staff, province.P, every_line=True)
    assert len(whole.exceptions.absent_in_a_row) == 3 and whole.total.absent_in_a_row == 3


def seated(member, organization, *, visits_per_year):
    """A standing-committee seat of `organization` with its own yearly quota."""
    QuotaRule.objects.create(
        organization_kind=organization.kind,
        organization=organization,
        seat_kind="standing",
        visits_per_year=visits_per_year,
    )
    return CommitteeSeatFactory(member=member, organization=organization).member


def test_cadres_behind_and_at_risk_count_in_their_home_cells_organization(province, frozen):
    at_risk = seated(
        MemberFactory(cell=province.a1, full_name="Lò Văn Chậm"), province.A, visits_per_year=6
    )
    met = seated(
        MemberFactory(cell=province.b1, full_name="Cầm Văn Đủ"), province.B, visits_per_year=1
    )
    CadreVisit.objects.create(meeting=province.regular_b1, cadre=met)

    report = november(province.staff, province.P)

    a, b = figures_of(report, province.A), figures_of(report, province.B)
    assert (a.cadres, a.cadres_behind, a.cadres_at_risk) == (1, 1, 1)
    assert (b.cadres, b.cadres_behind, b.cadres_at_risk) == (1, 0, 0)
    assert [row.pk for row in report.exceptions.cadres_at_risk] == [at_risk.pk]


def test_feedback_forwarded_and_reopened_are_counted(province, frozen):
    reopened = FeedbackItemFactory(
        meeting=province.regular_b1, state="reopened", forwarded_at=local(6)
    )
    FeedbackEvent.objects.create(
        item=reopened, action="reopen", from_state="answered", to_state="reopened"
    )
    province.overdue.forwarded_at = local(6)
    province.overdue.save()

    report = november(province.staff, province.P)

    assert report.total.feedback_forwarded == 2 and report.total.feedback_reopened == 1
    assert figures_of(report, province.B).feedback_reopened == 1


@pytest.mark.parametrize(("days", "median"), [([], None), ([2, 10, 4], 4.0), ([2, 10, 4, 6], 5.0)])
def test_the_median_days_from_forwarding_to_answer(province, frozen, days, median):
    forwarded = local(6, 9)
    for taken in days:
        FeedbackItemFactory(
            meeting=province.regular_b1,
            state="answered",
            forwarded_at=forwarded,
            answered_at=forwarded + datetime.timedelta(days=taken),
        )

    assert november(province.staff, province.P).median_answer_days == median


def test_an_answer_half_a_day_after_forwarding_is_half_a_day(province, frozen):
    forwarded = timezone.make_aware(datetime.datetime(2026, 11, 6, 8, 0))
    FeedbackItemFactory(
        meeting=province.regular_b1,
        state="answered",
        forwarded_at=forwarded,
        answered_at=forwarded + datetime.timedelta(hours=12),
    )

    assert november(province.staff, province.B).median_answer_days == 0.5
