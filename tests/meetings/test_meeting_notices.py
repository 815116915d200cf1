"""A meeting moved, postponed or cancelled tells the cadres assigned to the
cell on its date (meetings/notices.py), never the one who changed it."""

import datetime

import pytest
from django.utils import timezone

from chibo.models import Notification
from meetings.notices import CHANGED
from meetings.services import planning
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def meeting():
    cell = CellFactory(name="Chi bộ bản Lếch")
    meeting = MeetingFactory(cell=cell, state="planned", period=D(2026, 3, 1))
    for username in ("canbo.a", "canbo.b"):
        cadre = MemberFactory(user=UserFactory(username=username))
        AssignmentFactory(cadre=cadre, cell=cell, starts_on=D(2020, 1, 1))
    ended = MemberFactory(user=UserFactory(username="canbo.cu"))
    AssignmentFactory(cadre=ended, cell=cell, starts_on=D(2020, 1, 1), ends_on=D(2025, 1, 1))
    AssignmentFactory(cell=cell, starts_on=D(2020, 1, 1))  # a cadre without an account
    return meeting


def told():
    rows = Notification.objects.filter(kind=CHANGED).order_by("recipient__username")
    return [(n.recipient.username, n.params["state"]) for n in rows]


def test_a_move_tells_the_assigned_cadres_with_the_new_day(meeting):
    new = timezone.make_aware(datetime.datetime(2026, 3, 6, 19, 30))

    planning.move_meeting(meeting=meeting, scheduled_at=new, reason="Mùa gặt", by=None)

    assert told() == [("canbo.a", "planned"), ("canbo.b", "planned")]
    notification = Notification.objects.filter(kind=CHANGED).first()
    assert notification.params["day"] == "06/03/2026 19:30"
    assert notification.params["reason"] == "Mùa gặt"


def test_postponing_and_cancelling_tell_them_each_time(meeting):
    by = UserFactory(username="canbo.a")  # the cadre who changes it is not told
    planning.postpone_meeting(meeting=meeting, reason="Bão", by=by)
    planning.cancel_meeting(meeting=meeting, reason="Họp ghép với tháng sau", by=by)

    assert told() == [("canbo.b", "postponed"), ("canbo.b", "cancelled")]
