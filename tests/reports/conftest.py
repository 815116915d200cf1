"""A province where every figure of November 2026 is known.

P (province) ─┬─ A (commune) ─┬─ a1: regular meeting held on the 5th, minutes final the
              │               │       next day (105 min); 7 on the roll: 3 present, 1 late,
              │               │       1 absent with reason, 1 without, 1 exempted; a cadre
              │               │       visited. A thematic meeting on the 20th: 60 min (short),
              │               │       minutes final on the 25th (late). Feedback raised on
              │               │       the 5th, forwarded, due the 20th: overdue. A task due
              │               │       the 30th, done.
              │               └─ a2: regular meeting postponed; an extraordinary one held
              │                       on the 15th with minutes unfinished.
              └─ B (commune) ─┬─ b1: regular meeting held, minutes on time, 80 min (short);
                              │       feedback answered; a task due the 10th, open.
                              └─ b2: founded on 20 November, no meeting yet.
"""

import datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from chibo.models import Organization
from meetings.models import CadreVisit
from tests.factories import (
    AttendanceFactory,
    CellFactory,
    FeedbackItemFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    OrganizationFactory,
    ResolutionTaskFactory,
    RoleFactory,
    UserFactory,
)

NOVEMBER = datetime.date(2026, 11, 1)


def local(day: int, hour: int = 19, minute: int = 30, month: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


NOW = local(1, 10, 0, month=12)


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def staff_of(organization, kind="staff"):
    user = UserFactory()
    RoleFactory(user=user, organization=organization, kind=kind)
    return user


def final(meeting, *, minutes: int, finalized: datetime.datetime):
    return MinutesFactory(
        meeting=meeting,
        state="final",
        started_at=meeting.scheduled_at,
        ended_at=meeting.scheduled_at + datetime.timedelta(minutes=minutes),
        finalized_at=finalized,
    )


@pytest.fixture
def province(db):
    p = OrganizationFactory(kind="province", name="Đảng bộ tỉnh Sơn La")
    a = OrganizationFactory(parent=p, name="Đảng bộ xã Cò Nòi")
    b = OrganizationFactory(parent=p, name="Đảng bộ xã Mường Bon")
    a1 = CellFactory(parent=a, name="Chi bộ bản Lếch")
    a2 = CellFactory(parent=a, name="Chi bộ bản Cang")
    b1 = CellFactory(parent=b, name="Chi bộ bản Mòng")
    b2 = CellFactory(parent=b, name="Chi bộ bản Mới", founded_on=datetime.date(2026, 11, 20))

    regular_a1 = MeetingFactory(cell=a1, period=NOVEMBER)
    final(regular_a1, minutes=105, finalized=local(6, 9))
    for status in ["present"] * 3 + ["late", "absent_excused", "absent_unexcused", "exempt"]:
        AttendanceFactory(meeting=regular_a1, status=status)
    CadreVisit.objects.create(meeting=regular_a1, cadre=MemberFactory(cell=b1))
    thematic_a1 = MeetingFactory(
        cell=a1, kind="thematic", period=NOVEMBER, scheduled_at=local(20), topic="Chuyển đổi số"
    )
    final(thematic_a1, minutes=60, finalized=local(25, 9))
    overdue = FeedbackItemFactory(
        meeting=regular_a1, state="forwarded", due_on=datetime.date(2026, 11, 20)
    )
    ResolutionTaskFactory(
        minutes=regular_a1.minutes.get(), due_on=datetime.date(2026, 11, 30), status="done"
    )

    MeetingFactory(cell=a2, period=NOVEMBER, state="postponed", state_reason="Mưa lũ")
    extraordinary_a2 = MeetingFactory(
        cell=a2, kind="extraordinary", period=NOVEMBER, scheduled_at=local(15)
    )
    MinutesFactory(meeting=extraordinary_a2)  # a draft

    regular_b1 = MeetingFactory(cell=b1, period=NOVEMBER)
    final(regular_b1, minutes=80, finalized=local(5, 22))
    FeedbackItemFactory(meeting=regular_b1, state="answered", answered_at=local(28, 9))
    ResolutionTaskFactory(
        minutes=regular_b1.minutes.get(), due_on=datetime.date(2026, 11, 10), status="open"
    )
    # Outside the period: October's meeting and December's task count nowhere.
    MeetingFactory(cell=b1, period=datetime.date(2026, 10, 1))
    ResolutionTaskFactory(minutes=regular_b1.minutes.get(), due_on=datetime.date(2026, 12, 3))

    # Read again: a sibling inserted in name order moves the paths of those after it.
    p, a, b, a1, a2, b1, b2 = (Organization.objects.get(pk=o.pk) for o in (p, a, b, a1, a2, b1, b2))
    return SimpleNamespace(
        P=p,
        A=a,
        B=b,
        a1=a1,
        a2=a2,
        b1=b1,
        b2=b2,
        thematic_a1=thematic_a1,
        regular_b1=regular_b1,
        extraordinary_a2=extraordinary_a2,
        overdue=overdue,
        staff=staff_of(p),
    )
