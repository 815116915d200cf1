"""A cadre's standing against the yearly quota: behind the pace, at risk of
missing it (meetings.quota), the meetings left by the calendar and the cells'
schedules, and how the quota report and the cadre's page show both.

Tree:  A (commune) ─┬─ A1 (cell, meets on the 24th)
                    └─ A2 (cell, meets on the 24th)
The cadre sits on A's executive committee: a quota of 2 visits a year.
"""

import datetime
from fractions import Fraction
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import CadreVisit
from meetings.quota import quota_progress
from meetings.selectors.cadres import meetings_left, progress_of
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    CommitteeSeatFactory,
    MeetingFactory,
    MemberFactory,
    OrganizationFactory,
    RoleFactory,
    UserFactory,
)

D = datetime.date
MARCH, SEPTEMBER, DECEMBER = D(2026, 3, 15), D(2026, 9, 15), D(2026, 12, 1)


def standing(done, today, left, quota=2):
    p = quota_progress(done=done, quota=quota, meetings_left=left, year=2026, today=today)
    return p.is_behind, p.is_at_risk


# --- the pure rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "today", "left", "expected"),
    [
        # (behind, at risk)
        (0, D(2026, 1, 1), 12, (False, False)),  # nothing owed on the first day
        (0, D(2026, 1, 2), 12, (True, False)),  # 2 × 1/365 owed: no rounding to 0
        (0, MARCH, 10, (True, False)),
        (1, MARCH, 10, (False, False)),
        (1, SEPTEMBER, 4, (True, False)),  # 2 × 257/365 = 1.41 owed
        (2, SEPTEMBER, 4, (False, False)),
        (0, SEPTEMBER, 1, (True, True)),  # two needed, one meeting left
        (1, DECEMBER, 1, (True, False)),  # the last meeting can still make it
        (0, DECEMBER, 1, (True, True)),
        (0, DECEMBER, 2, (True, False)),  # two cells, two December meetings
        (1, D(2026, 12, 30), 0, (True, True)),  # the old rule flagged only on the 31st
        (0, MARCH, 0, (True, True)),  # no assigned cell: nothing left to attend
        (2, DECEMBER, 0, (False, False)),  # met
    ],
)
def test_quota_progress_behind_and_at_risk_at_the_edges(done, today, left, expected):
    assert standing(done, today, left) == expected


def test_quota_progress_keeps_the_exact_pace():
    progress = quota_progress(done=0, quota=2, meetings_left=3, year=2026, today=SEPTEMBER)

    assert (progress.expected, progress.needed, progress.meetings_left) == (
        Fraction(2 * 257, 365),
        2,
        3,
    )


def test_quota_progress_of_a_past_year_is_behind_never_at_risk():
    progress = quota_progress(done=1, quota=2, meetings_left=0, year=2025, today=MARCH)

    assert (progress.is_behind, progress.is_at_risk, progress.meetings_left) == (True, False, None)


def test_quota_progress_without_a_quota_is_neither():
    assert standing(0, DECEMBER, 0, quota=None) == (False, False)


# --- meetings left: calendar and schedules ------------------------------------------------


def local(day, hour=19):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def meeting(cell, day, *, state="planned", kind="regular", period=None):
    return MeetingFactory(
        cell=cell,
        kind=kind,
        state=state,
        period=period or day.replace(day=1),
        scheduled_at=local(day),
        topic="Chuyên đề" if kind == "thematic" else "",
    )


@pytest.fixture
def world(db):
    a = OrganizationFactory(kind="commune", name="Đảng bộ xã Cò Nòi")
    return {
        "A": a,
        "A1": CellFactory(parent=a, name="Chi bộ bản Lếch", meeting_day=24),
        "A2": CellFactory(parent=a, name="Chi bộ bản Cang", meeting_day=24),
    }


def make_cadre(world, cells=("A1",), **assignment):
    user = UserFactory()
    member = MemberFactory(cell=world["A2"], user=user)
    CommitteeSeatFactory(member=member, organization=world["A"], kind="executive")
    RoleFactory(user=user, organization=world["A"], kind="cadre")
    for code in cells:
        AssignmentFactory(cadre=member, cell=world[code], starts_on=D(2025, 1, 1), **assignment)
    return user, member


def left_for(member, today):
    return meetings_left([member.pk], year=2026, today=today)[member.pk]


@pytest.mark.parametrize(
    ("today", "expected"),
    [(MARCH, 10), (SEPTEMBER, 4), (DECEMBER, 1), (D(2026, 12, 24), 1), (D(2026, 12, 25), 0)],
)
def test_meetings_left_by_the_schedule_when_nothing_is_planned(world, today, expected):
    _, member = make_cadre(world)

    assert left_for(member, today) == expected


def test_meetings_left_counts_planned_meetings_and_not_held_ones(world):
    _, member = make_cadre(world, cells=("A1", "A2"))
    meeting(world["A1"], D(2026, 12, 24))
    meeting(world["A1"], D(2026, 12, 10), kind="thematic")
    meeting(world["A2"], D(2026, 12, 1), state="held")  # its December meeting is over

    assert left_for(member, DECEMBER) == 2


def test_meetings_left_no_meeting_left_in_the_cells(world):
    _, member = make_cadre(world, cells=("A1", "A2"))
    meeting(world["A1"], D(2026, 12, 1), state="held")
    meeting(world["A2"], D(2026, 12, 5), state="cancelled", kind="extraordinary")
    # December's meeting of A1 moved into January: not this year any more.
    meeting(world["A2"], D(2027, 1, 5), period=D(2026, 12, 1))

    assert left_for(member, DECEMBER) == 0


def test_meetings_left_stops_with_the_assignment_and_the_cell(world):
    _, member = make_cadre(world, cells=("A1",), ends_on=D(2026, 11, 1))
    AssignmentFactory(cadre=member, cell=world["A2"], starts_on=D(2025, 1, 1))
    world["A2"].dissolved_on = D(2026, 11, 1)
    world["A2"].save()

    assert left_for(member, SEPTEMBER) == 2 + 2  # A1: Sep, Oct; A2: Sep, Oct


def test_meetings_left_without_an_assigned_cell_is_zero(world):
    _, member = make_cadre(world, cells=())

    assert left_for(member, MARCH) == 0


# --- where it shows ---------------------------------------------------------------------


def frozen(day):
    return mock.patch("django.utils.timezone.now", return_value=local(day, hour=8))


def attended(member, cell, day):
    held = meeting(cell, day, state="held", kind="extraordinary")
    CadreVisit.objects.create(meeting=held, cadre=member)


def test_progress_of_in_december_with_one_visit_and_one_meeting_left(world):
    _, member = make_cadre(world)
    attended(member, world["A1"], D(2026, 3, 24))

    progress = progress_of(member, year=2026, today=DECEMBER)

    assert (progress.done, progress.quota, progress.meetings_left) == (1, 2, 1)
    assert (progress.is_behind, progress.is_at_risk) == (True, False)


def test_quota_report_shows_cadres_at_risk_and_behind_in_september(client, world):
    staff = UserFactory()
    RoleFactory(user=staff, organization=world["A"], kind="staff")
    _, on_track = make_cadre(world)
    attended(on_track, world["A1"], D(2026, 3, 24))
    attended(on_track, world["A1"], D(2026, 6, 24))
    _, behind = make_cadre(world)
    attended(behind, world["A1"], D(2026, 4, 24))
    _, at_risk = make_cadre(world, cells=())
    client.force_login(staff)

    with frozen(SEPTEMBER):
        response = client.get(reverse("quota_report"), {"year": 2026})

    rows = {r.pk: r.progress for r in response.context["rows"]}
    assert {pk: (p.is_behind, p.is_at_risk, p.meetings_left) for pk, p in rows.items()} == {
        on_track.pk: (False, False, 4),
        behind.pk: (True, False, 4),
        at_risk.pk: (True, True, 0),
    }
    assert (response.context["behind"], response.context["at_risk"]) == (2, 1)
    html = response.content.decode()
    assert html.count('class="table-danger"') == 1
    assert html.count('class="table-warning"') == 1
    assert "1 có nguy cơ không đạt · 2 chậm so với tiến độ đều trong năm" in html
    assert "còn 4 buổi sinh hoạt trong năm" not in html  # its own column in the report


def test_cadre_page_says_the_quota_is_at_risk_in_december(client, world):
    user, member = make_cadre(world)
    client.force_login(user)

    with frozen(DECEMBER):
        response = client.get(reverse("cadre_home"))

    progress = response.context["progress"]
    assert (progress.done, progress.meetings_left, progress.is_at_risk) == (0, 1, True)
    html = response.content.decode()
    assert (
        "Đồng chí còn cần 2 lần dự, các chi bộ của đồng chí chỉ còn 1 buổi sinh hoạt trong năm."
        in html
    )
    assert "có nguy cơ không đạt" in html
