"""Assigning cadres to cells, and their yearly quotas."""

import datetime
from fractions import Fraction

import pytest
from django.utils import timezone

from chibo.models import Role
from meetings.models import Assignment, CadreVisit, QuotaRule
from meetings.quota import pace
from meetings.selectors.cadres import progress_of
from meetings.services import assignments as service
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = datetime.date


@pytest.fixture
def lien_khe():
    commune = OrganizationFactory(name="Đảng bộ xã Liên Khê")
    cells = [CellFactory(parent=commune, name=f"Chi bộ thôn {i:02d}") for i in range(1, 11)]
    standing = [
        CommitteeSeatFactory(organization=commune, kind="standing").member for _ in range(2)
    ]
    return commune, cells, standing


def test_bulk_assignment_gives_each_standing_member_five_cells(lien_khe):
    _, cells, standing = lien_khe

    created = service.assign_in_bulk(
        cadres=standing, cells=cells, per_cadre=5, starts_on=D(2026, 1, 1), by=None
    )

    assert len(created) == 10
    for cadre in standing:
        assert Assignment.objects.filter(cadre=cadre).count() == 5
    # Dealt in turn: the first cadre takes the 1st, 3rd, 5th... cells.
    assert [a.cell.name for a in Assignment.objects.filter(cadre=standing[0])] == [
        "Chi bộ thôn 01",
        "Chi bộ thôn 03",
        "Chi bộ thôn 05",
        "Chi bộ thôn 07",
        "Chi bộ thôn 09",
    ]


def test_bulk_assignment_of_one_cadre_takes_all_cells(lien_khe):
    _, cells, standing = lien_khe

    created = service.assign_in_bulk(
        cadres=standing[:1], cells=cells[:4], starts_on=D(2026, 1, 1), by=None
    )

    assert {a.cadre for a in created} == {standing[0]}
    assert {a.cell for a in created} == set(cells[:4])


def test_bulk_assignment_refuses_left_over_cells(lien_khe):
    _, cells, standing = lien_khe

    with pytest.raises(service.AssignmentError, match="left over"):
        service.assign_in_bulk(
            cadres=standing, cells=cells, per_cadre=4, starts_on=D(2026, 1, 1), by=None
        )

    assert Assignment.objects.count() == 0


def test_bulk_assignment_refuses_an_overlap_and_saves_nothing(lien_khe):
    _, cells, standing = lien_khe
    AssignmentFactory(cadre=standing[1], cell=cells[1], starts_on=D(2025, 6, 1))

    with pytest.raises(service.AssignmentError) as error:
        service.assign_in_bulk(cadres=standing, cells=cells[:2], starts_on=D(2026, 1, 1), by=None)

    assert f"{standing[1]}" in str(error.value)
    assert "Chi bộ thôn 02" in str(error.value)
    assert "01/06/2025" in str(error.value)
    assert Assignment.objects.count() == 1


def test_assignment_after_an_ended_one_is_accepted(lien_khe):
    _, cells, standing = lien_khe
    AssignmentFactory(
        cadre=standing[0], cell=cells[0], starts_on=D(2025, 1, 1), ends_on=D(2026, 1, 1)
    )

    assignment = service.assign_cadre(
        cadre=standing[0], cell=cells[0], starts_on=D(2026, 1, 1), by=None
    )

    assert Assignment.objects.filter(cadre=standing[0], cell=cells[0]).count() == 2
    assert assignment.ends_on is None


def test_assignment_ending_before_an_existing_one_starts_is_accepted(lien_khe):
    _, cells, standing = lien_khe
    AssignmentFactory(cadre=standing[0], cell=cells[0], starts_on=D(2026, 6, 1))

    service.assign_cadre(
        cadre=standing[0], cell=cells[0], starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 1), by=None
    )

    assert Assignment.objects.count() == 2


def test_assignment_overlapping_a_later_one_is_refused(lien_khe):
    _, cells, standing = lien_khe
    AssignmentFactory(cadre=standing[0], cell=cells[0], starts_on=D(2026, 6, 1))

    with pytest.raises(service.AssignmentError, match="Already assigned"):
        service.assign_cadre(cadre=standing[0], cell=cells[0], starts_on=D(2026, 1, 1), by=None)


def test_assignment_refuses_an_end_before_the_start(lien_khe):
    _, cells, standing = lien_khe

    with pytest.raises(service.AssignmentError):
        service.assign_cadre(
            cadre=standing[0],
            cell=cells[0],
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 1, 1),
            by=None,
        )


def test_assignment_refuses_a_dissolved_cell(lien_khe):
    commune, _, standing = lien_khe
    dissolved = CellFactory(parent=commune, dissolved_on=D(2025, 1, 1))

    with pytest.raises(service.AssignmentError):
        service.assign_cadre(cadre=standing[0], cell=dissolved, starts_on=D(2026, 1, 1), by=None)


def test_assignment_gives_the_cadres_account_a_cadre_role(lien_khe):
    commune, cells, standing = lien_khe
    user = UserFactory()
    standing[0].user = user
    standing[0].save()

    service.assign_cadre(cadre=standing[0], cell=cells[0], starts_on=D(2026, 1, 1), by=None)
    service.assign_cadre(cadre=standing[0], cell=cells[1], starts_on=D(2026, 1, 1), by=None)

    assert list(Role.objects.filter(user=user).values_list("kind", "organization")) == [
        ("cadre", commune.pk)
    ]


def test_end_assignment(lien_khe):
    _, cells, standing = lien_khe
    assignment = AssignmentFactory(cadre=standing[0], cell=cells[0], starts_on=D(2026, 1, 1))

    service.end_assignment(assignment=assignment, ends_on=D(2026, 7, 1), by=None)

    assignment.refresh_from_db()
    assert assignment.ends_on == D(2026, 7, 1)
    with pytest.raises(service.AssignmentError):
        service.end_assignment(assignment=assignment, ends_on=D(2026, 8, 1), by=None)
    with pytest.raises(service.AssignmentError):
        service.end_assignment(assignment=assignment, ends_on=D(2025, 12, 1), by=None)


# --- quotas ---------------------------------------------------------------------


def visit(cadre, *, when, attended=True, state="held"):
    meeting = MeetingFactory(
        state=state,
        period=when.replace(day=1),
        scheduled_at=timezone.make_aware(datetime.datetime.combine(when, datetime.time(19, 30))),
    )
    return CadreVisit.objects.create(meeting=meeting, cadre=cadre, attended=attended)


TODAY = D(2026, 11, 25)


def test_quota_of_a_commune_executive_member_is_two():
    seat = CommitteeSeatFactory(kind="executive", organization__kind="commune")
    visit(seat.member, when=D(2026, 3, 3))

    progress = progress_of(seat.member, year=2026, today=TODAY)

    # 1 of 2 on 25 November: an even pace owes 2 × 328/365 = 1.8 visits.
    assert (progress.done, progress.quota, progress.expected) == (1, 2, Fraction(656, 365))
    assert (progress.is_behind, progress.is_met) == (True, False)


def test_quota_counts_only_attended_visits_at_held_meetings_of_the_year():
    seat = CommitteeSeatFactory(kind="executive", organization__kind="district")
    visit(seat.member, when=D(2026, 1, 5))
    visit(seat.member, when=D(2026, 2, 5), attended=False)
    visit(seat.member, when=D(2026, 3, 5), state="cancelled")
    visit(seat.member, when=D(2025, 12, 5))

    progress = progress_of(seat.member, year=2026, today=TODAY)

    assert (progress.done, progress.quota, progress.expected) == (1, 3, Fraction(984, 365))
    assert progress.is_behind is True


def test_quota_rule_of_the_very_committee_wins_over_the_level_rule():
    seat = CommitteeSeatFactory(kind="standing", organization__kind="province")
    QuotaRule.objects.create(
        organization_kind="province",
        organization=seat.organization,
        seat_kind="standing",
        visits_per_year=6,
    )

    assert progress_of(seat.member, year=2026, today=TODAY).quota == 6


def test_quota_with_several_seats_is_the_highest():
    member = MemberFactory()
    CommitteeSeatFactory(member=member, kind="standing", organization__kind="district")
    CommitteeSeatFactory(member=member, kind="executive", organization__kind="district")

    assert progress_of(member, year=2026, today=TODAY).quota == 3


def test_quota_ignores_ended_seats_and_seats_without_a_rule():
    member = MemberFactory()
    CommitteeSeatFactory(
        member=member,
        kind="executive",
        organization__kind="district",
        ends_on=D(2025, 7, 1),
    )
    CommitteeSeatFactory(member=member, kind="standing", organization__kind="commune")

    progress = progress_of(member, year=2026, today=TODAY)

    assert (progress.quota, progress.is_behind, progress.is_met) == (None, False, False)


def test_quota_met():
    seat = CommitteeSeatFactory(kind="executive", organization__kind="commune")
    visit(seat.member, when=D(2026, 3, 3))
    visit(seat.member, when=D(2026, 9, 3))

    assert progress_of(seat.member, year=2026, today=TODAY).is_met is True


@pytest.mark.parametrize(
    ("quota", "today", "expected"),
    [
        (3, D(2026, 1, 1), Fraction(0)),
        (3, D(2026, 5, 1), Fraction(3 * 120, 365)),
        (2, D(2026, 1, 2), Fraction(2, 365)),  # not rounded down to 0
        (3, D(2026, 12, 31), Fraction(3 * 364, 365)),
        (2, D(2027, 3, 1), Fraction(2)),
        (2, D(2025, 3, 1), Fraction(0)),
        (None, D(2026, 12, 31), Fraction(0)),
    ],
)
def test_pace_of_an_even_year_is_exact(quota, today, expected):
    assert pace(quota, year=2026, today=today) == expected
