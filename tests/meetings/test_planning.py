"""Planning regular meetings, changing meetings, and reminders."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from chibo.models import EmailState, Notification
from chibo.notifications import relay
from meetings.models import Holiday, Meeting, MeetingState, QuotaRule
from meetings.notices import COMING
from meetings.services import planning
from meetings.services.reminders import send_meeting_reminders
from meetings.tasks import plan_month_task, send_reminders_task
from tests.factories import (
    AssignmentFactory,
    CellFactory,
    MeetingFactory,
    MemberFactory,
    MinutesFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = datetime.date


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_seeded_holidays_include_tet_and_hung_kings():
    dates = set(Holiday.objects.values_list("date", flat=True))

    assert {D(2025, 1, 29), D(2026, 2, 17), D(2027, 2, 6)} <= dates
    assert {D(2025, 4, 7), D(2026, 4, 26), D(2027, 4, 16)} <= dates
    assert {D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 2), D(2026, 1, 1)} <= dates
    assert D(2026, 2, 23) not in dates


def test_seeded_quota_rules_are_mai_sons():
    rules = set(
        QuotaRule.objects.filter(organization=None).values_list(
            "organization_kind", "seat_kind", "visits_per_year"
        )
    )

    assert rules == {
        ("district", "standing", 2),
        ("district", "executive", 3),
        ("commune", "executive", 2),
        ("province", "standing", 2),
        ("province", "executive", 3),
    }


def test_plan_month_plans_each_cell_on_its_day(commune):
    default = CellFactory(parent=commune, meeting_place="Nhà văn hóa bản Lếch")
    own_day = CellFactory(parent=commune, meeting_day=24, meeting_time=datetime.time(8, 0))
    weekday = CellFactory(parent=commune, meeting_week=5, meeting_weekday=4)

    result = planning.plan_month(period=D(2026, 3, 1))

    assert (result.created, result.existing) == (3, 0)
    meetings = {m.cell_id: m for m in Meeting.objects.filter(period=D(2026, 3, 1))}
    assert timezone.localtime(meetings[default.pk].scheduled_at) == local(2026, 3, 3, 19, 30)
    assert meetings[default.pk].place == "Nhà văn hóa bản Lếch"
    assert timezone.localtime(meetings[own_day.pk].scheduled_at) == local(2026, 3, 24, 8, 0)
    assert timezone.localtime(meetings[weekday.pk].scheduled_at) == local(2026, 3, 27, 19, 30)
    assert {m.kind for m in meetings.values()} == {"regular"}
    assert {m.state for m in meetings.values()} == {"planned"}


def test_plan_month_moves_a_meeting_off_tet(commune):
    cell = CellFactory(parent=commune, meeting_day=17)

    planning.plan_month(period=D(2026, 2, 1))

    meeting = Meeting.objects.get(cell=cell)
    assert timezone.localdate(meeting.scheduled_at) == D(2026, 2, 23)
    assert meeting.period == D(2026, 2, 1)


def test_plan_month_moves_past_consecutive_holidays_into_the_next_month(commune):
    cell = CellFactory(parent=commune, meeting_day=30)

    planning.plan_month(period=D(2026, 4, 1))

    meeting = Meeting.objects.get(cell=cell)
    assert timezone.localdate(meeting.scheduled_at) == D(2026, 5, 2)
    assert meeting.period == D(2026, 4, 1)


def test_plan_month_skips_dissolved_and_not_yet_founded_cells(commune):
    active = CellFactory(parent=commune)
    CellFactory(parent=commune, dissolved_on=D(2026, 2, 1))
    CellFactory(parent=commune, founded_on=D(2026, 4, 1))
    # Dissolved on the 2nd: its meeting on the 3rd would be after the end.
    CellFactory(parent=commune, dissolved_on=D(2026, 3, 2))

    result = planning.plan_month(period=D(2026, 3, 1))

    assert result.created == 1
    assert list(Meeting.objects.values_list("cell_id", flat=True)) == [active.pk]


def test_plan_month_twice_creates_nothing_new(commune):
    CellFactory.create_batch(3, parent=commune)
    planning.plan_month(period=D(2026, 3, 1))

    again = planning.plan_month(period=D(2026, 3, 1))

    assert (again.created, again.existing) == (0, 3)
    assert Meeting.objects.count() == 3


def test_plan_month_keeps_a_moved_meeting(commune):
    cell = CellFactory(parent=commune)
    planning.plan_month(period=D(2026, 3, 1))
    meeting = Meeting.objects.get(cell=cell)
    planning.move_meeting(
        meeting=meeting, scheduled_at=local(2026, 3, 5, 19, 0), reason="Mùa gặt", by=None
    )

    planning.plan_month(period=D(2026, 3, 1))

    meeting.refresh_from_db()
    assert Meeting.objects.filter(cell=cell).count() == 1
    assert timezone.localdate(meeting.scheduled_at) == D(2026, 3, 5)


def test_plan_month_records_history(commune):
    CellFactory(parent=commune)

    planning.plan_month(period=D(2026, 3, 1))

    assert Meeting.history.filter(history_type="+").count() == 1


@pytest.mark.parametrize("n", [1, 10])
def test_plan_month_query_count_is_constant(commune, django_assert_num_queries, n):
    CellFactory.create_batch(n, parent=commune)

    with django_assert_num_queries(8):
        planning.plan_month(period=D(2026, 3, 1))

    assert Meeting.objects.count() == n


def test_plan_meetings_command_twice_makes_no_duplicates(commune):
    CellFactory.create_batch(2, parent=commune)
    out = StringIO()

    call_command("plan_meetings", "2026-03", stdout=out)
    call_command("plan_meetings", "2026-03", stdout=out)

    assert out.getvalue().splitlines() == [
        "03/2026: 2 meetings planned, 0 already existed.",
        "03/2026: 0 meetings planned, 2 already existed.",
    ]
    assert Meeting.objects.count() == 2


def test_plan_meetings_command_refuses_a_bad_month():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("plan_meetings", "3/2026")


def test_plan_month_task_plans_next_month_by_default(commune):
    cell = CellFactory(parent=commune)

    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 2, 20)):
        created = plan_month_task.apply().get()
    again = plan_month_task(month="2026-03")

    assert (created, again) == (1, 0)
    assert Meeting.objects.get().cell == cell
    assert Meeting.objects.get().period == D(2026, 3, 1)


def test_beat_plans_on_the_20th_and_reminds_daily():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["plan-next-month"]["task"] == "meetings.plan_month"
    assert schedule["plan-next-month"]["schedule"].day_of_month == {20}
    assert schedule["send-meeting-reminders"]["task"] == "meetings.send_reminders"
    assert plan_month_task.name == "meetings.plan_month"
    assert send_reminders_task.name == "meetings.send_reminders"


# --- changing a meeting -----------------------------------------------------


@pytest.fixture
def planned():
    return MeetingFactory(state="planned", period=D(2026, 3, 1))


def test_move_meeting_keeps_its_period_and_records_the_reason(planned):
    user = UserFactory()

    planning.move_meeting(
        meeting=planned,
        scheduled_at=local(2026, 4, 2, 19, 0),
        place="Nhà bí thư",
        reason="  Trùng   ngày bầu cử ",
        by=user,
    )

    planned.refresh_from_db()
    assert timezone.localtime(planned.scheduled_at) == local(2026, 4, 2, 19, 0)
    assert planned.period == D(2026, 3, 1)
    assert (planned.state, planned.state_reason, planned.place) == (
        "planned",
        "Trùng ngày bầu cử",
        "Nhà bí thư",
    )
    last = planned.history.first()
    assert (last.history_user, last.history_change_reason) == (user, "Trùng ngày bầu cử")


def test_move_meeting_needs_a_reason(planned):
    with pytest.raises(planning.MeetingError, match="reason"):
        planning.move_meeting(
            meeting=planned, scheduled_at=local(2026, 3, 6, 19, 0), reason="  ", by=None
        )


def test_move_meeting_refuses_a_held_meeting():
    meeting = MeetingFactory(state="held")

    with pytest.raises(planning.MeetingError, match="cannot be changed"):
        planning.move_meeting(
            meeting=meeting, scheduled_at=local(2026, 3, 6, 19, 0), reason="x", by=None
        )


def test_cancel_meeting_refuses_when_minutes_are_final(planned):
    MinutesFactory(meeting=planned, state="final")

    with pytest.raises(planning.MeetingError, match="final"):
        planning.cancel_meeting(meeting=planned, reason="Mưa lũ", by=None)

    planned.refresh_from_db()
    assert planned.state == "planned"


def test_cancel_meeting_records_the_reason(planned):
    planning.cancel_meeting(meeting=planned, reason="Mưa lũ, đường bị chia cắt", by=None)

    planned.refresh_from_db()
    assert (planned.state, planned.state_reason) == ("cancelled", "Mưa lũ, đường bị chia cắt")


def test_a_cancelled_meeting_cannot_be_moved(planned):
    planning.cancel_meeting(meeting=planned, reason="Mưa lũ", by=None)

    with pytest.raises(planning.MeetingError, match="cannot be changed"):
        planning.move_meeting(
            meeting=planned, scheduled_at=local(2026, 3, 6, 19, 0), reason="x", by=None
        )


def test_postpone_then_move_plans_again(planned):
    planning.postpone_meeting(meeting=planned, reason="Bí thư ốm", by=None)
    planned.refresh_from_db()
    assert planned.state == MeetingState.POSTPONED

    planning.move_meeting(
        meeting=planned, scheduled_at=local(2026, 3, 10, 19, 30), reason="Đã khỏe", by=None
    )

    planned.refresh_from_db()
    assert (planned.state, planned.state_reason) == ("planned", "Đã khỏe")


def test_postpone_twice_is_refused(planned):
    planning.postpone_meeting(meeting=planned, reason="Bí thư ốm", by=None)

    with pytest.raises(planning.MeetingError, match="already postponed"):
        planning.postpone_meeting(meeting=planned, reason="Vẫn ốm", by=None)


def test_move_to_the_same_time_is_refused(planned):
    with pytest.raises(planning.MeetingError, match="same"):
        planning.move_meeting(
            meeting=planned, scheduled_at=planned.scheduled_at, reason="x", by=None
        )


def test_create_meeting_thematic_needs_a_topic(commune):
    cell = CellFactory(parent=commune)

    with pytest.raises(planning.MeetingError, match="topic"):
        planning.create_meeting(
            cell=cell, kind="thematic", scheduled_at=local(2026, 3, 10, 19, 30), by=None
        )


def test_create_meeting_refuses_a_regular_one(commune):
    cell = CellFactory(parent=commune)

    with pytest.raises(planning.MeetingError, match="by hand"):
        planning.create_meeting(
            cell=cell, kind="regular", scheduled_at=local(2026, 3, 10, 19, 30), by=None
        )


def test_create_meeting_sets_period_and_default_place(commune):
    cell = CellFactory(parent=commune, meeting_place="Nhà văn hóa")

    meeting = planning.create_meeting(
        cell=cell,
        kind="thematic",
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        scheduled_at=local(2026, 3, 31, 20, 0),
        by=None,
    )

    assert (meeting.period, meeting.place, meeting.state) == (
        D(2026, 3, 1),
        "Nhà văn hóa",
        "planned",
    )


def test_create_meeting_refuses_a_dissolved_cell(commune):
    cell = CellFactory(parent=commune, dissolved_on=D(2026, 1, 1))

    with pytest.raises(planning.MeetingError, match="not active"):
        planning.create_meeting(
            cell=cell, kind="extraordinary", scheduled_at=local(2026, 3, 10, 19, 30), by=None
        )


# --- reminders -----------------------------------------------------------------


@pytest.fixture
def reminder_world(commune):
    cell = CellFactory(parent=commune, name="Chi bộ bản Lếch")
    meeting = MeetingFactory(
        cell=cell, state="planned", period=D(2026, 3, 1), scheduled_at=local(2026, 3, 3, 19, 30)
    )
    secretary = UserFactory(email="bithu@example.vn")
    RoleFactory(user=secretary, organization=cell, kind="secretary")
    RoleFactory(user=UserFactory(email=""), organization=cell, kind="secretary")
    cadre_user = UserFactory(email="canbo@example.vn")
    AssignmentFactory(cadre=MemberFactory(user=cadre_user), cell=cell)
    AssignmentFactory(
        cadre=MemberFactory(user=UserFactory(email="cu@example.vn")),
        cell=cell,
        ends_on=D(2026, 1, 1),
    )
    return meeting


def reminded():
    rows = Notification.objects.filter(kind=COMING).select_related("recipient")
    return sorted((n.recipient.email, n.email_state) for n in rows)


def test_reminders_go_to_the_secretary_and_assigned_cadres(
    reminder_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        written = send_meeting_reminders(now=local(2026, 3, 1, 7, 0))

    # The secretary without an address gets the inbox copy only; the cadre
    # whose assignment ended gets nothing.
    assert written == 3
    assert reminded() == [
        ("", EmailState.NONE),
        ("bithu@example.vn", EmailState.SENT),
        ("canbo@example.vn", EmailState.SENT),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["bithu@example.vn", "canbo@example.vn"]
    assert "Chi bộ bản Lếch" in mail.outbox[0].subject
    assert "03/03/2026 19:30" in mail.outbox[0].subject
    assert f"{reminder_world.place or '—'}." in mail.outbox[0].body
    assert "ít nhất một ngày" in mail.outbox[0].body  # the papers, a day before


def test_reminders_are_written_once_when_the_task_runs_twice(reminder_world):
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 3, 1, 7, 0)):
        first = send_reminders_task.apply().get()
        second = send_reminders_task()

    assert (first, second) == (3, 0)
    assert Notification.objects.filter(kind=COMING).count() == 3


def test_reminders_wait_until_two_days_before(reminder_world):
    assert send_meeting_reminders(now=local(2026, 2, 28, 7, 0)) == 0
    assert send_meeting_reminders(now=local(2026, 3, 4, 7, 0)) == 0
    assert not Notification.objects.filter(kind=COMING).exists()


def test_reminders_skip_cancelled_meetings(reminder_world):
    planning.cancel_meeting(meeting=reminder_world, reason="Mưa lũ", by=None)

    assert send_meeting_reminders(now=local(2026, 3, 1, 7, 0)) == 0


def test_a_moved_meeting_is_announced_again(reminder_world):
    send_meeting_reminders(now=local(2026, 3, 1, 7, 0))
    planning.move_meeting(
        meeting=reminder_world, scheduled_at=local(2026, 3, 4, 19, 30), reason="Mưa", by=None
    )

    assert send_meeting_reminders(now=local(2026, 3, 2, 7, 0)) == 3
    assert Notification.objects.filter(kind=COMING).count() == 6


def test_with_the_mail_server_down_the_reminder_waits_in_the_outbox(reminder_world):
    with mock.patch(
        "chibo.notifications.relay.send_mail", side_effect=ConnectionError("SMTP down")
    ):
        send_meeting_reminders(now=local(2026, 3, 1, 7, 0))
        relay.deliver_pending()
    assert mail.outbox == []

    later = timezone.now() + datetime.timedelta(minutes=2)
    assert relay.deliver_pending(now=later) == 2
    assert len(mail.outbox) == 2
