"""The meeting page runs the same queries for a cell of 10 and of 100 members."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import CadreVisit, Guest, ResolutionTask, Speech
from meetings.services.attendance import Entry, save_attendance
from meetings.services.finalize import finalize_minutes
from meetings.services.minutes import save_minutes, start_minutes
from members.models import TemporaryAttendance
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=7))
# Session, user, roles, the user's member record; the meeting and the EDIT check;
# attendance, roll (2), temporary stays, cadre visits, assignments, guests;
# minutes chain, speeches, tasks, carried-over tasks; the feedback card and
# the user's own bodies and visits it is scoped by; the bell's unread count.
MEETING_PAGE_QUERIES = 20


def populate(cell, size: int, user):
    """A cell of `size` members with a final January (its tasks carried over)
    and a February meeting in writing: attendance, guests, cadres, speeches."""
    members = MemberFactory.create_batch(size - 2, cell=cell)
    members.append(MemberFactory(cell=cell, probationary=True, joined_on=datetime.date(2025, 8, 1)))
    members.append(MemberFactory(cell=cell, exempt=True))
    january = MeetingFactory(
        cell=cell,
        period=datetime.date(2026, 1, 1),
        scheduled_at=datetime.datetime(2026, 1, 5, 19, 30, tzinfo=TZ),
    )
    entries = [Entry(m.pk, "exempt" if m.is_exempt else "present") for m in members]
    save_attendance(meeting=january, members=entries, by=user)
    draft = start_minutes(meeting=january, by=user)
    save_minutes(
        minutes=draft,
        version=draft.version,
        content={
            "chair_id": members[0].pk,
            "minute_taker_id": members[1].pk,
            "started_at": january.scheduled_at,
            "ended_at": january.scheduled_at + datetime.timedelta(minutes=95),
            "votes_for": size - 2,
            "votes_against": 0,
            "votes_abstain": 0,
            "read_back_adopted": True,
            "resolution": "Nghị quyết tháng 1",
        },
        by=user,
    )
    ResolutionTask.objects.bulk_create(
        [
            ResolutionTask(minutes=draft, cell=cell, title=f"Task {i}", assignee=m)
            for i, m in enumerate(members)
        ]
    )
    finalize_minutes(minutes=draft, by=user)

    february = MeetingFactory(cell=cell, state="planned")
    for _ in range(3):
        TemporaryAttendance.objects.create(
            member=MemberFactory(), host_cell=cell, starts_on=datetime.date(2025, 1, 1)
        )
        AssignmentFactory(cell=cell)
    save_attendance(meeting=february, members=entries, by=user)
    minutes = start_minutes(meeting=february, by=user)
    Speech.objects.bulk_create(
        [Speech(minutes=minutes, member=m, text="Ý kiến", order=i) for i, m in enumerate(members)]
    )
    ResolutionTask.objects.bulk_create(
        [ResolutionTask(minutes=minutes, cell=cell, title="Tháng 2", assignee=m) for m in members]
    )
    Guest.objects.bulk_create([Guest(meeting=february, name=f"Khách {i}") for i in range(size)])
    for assignment in cell.assignments.all():
        CadreVisit.objects.create(meeting=february, cadre=assignment.cadre)
    return february


@pytest.mark.parametrize("size", [10, 100])
def test_meeting_detail_query_count_does_not_grow(client, size, django_assert_num_queries):
    cell = CellFactory()
    user = UserFactory()
    RoleFactory(user=user, organization=cell, kind="secretary")
    meeting = populate(cell, size, user)
    client.force_login(user)

    with django_assert_num_queries(MEETING_PAGE_QUERIES):
        response = client.get(reverse("meeting_detail", args=[meeting.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Task ") == size  # every task of January carried over
    assert f'data-count="present">{size - 1}<' in html
