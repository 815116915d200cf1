"""The reports' SQL form of the meeting rules (meetings/selectors/outcomes.py)
gives the answers of meetings.rules on the same meetings."""

import datetime

import pytest

from meetings import rules
from meetings.models import Meeting
from meetings.selectors.outcomes import final_minutes_q, minutes_on_time_q, short_q
from tests.factories import MeetingFactory, MinutesFactory

pytestmark = pytest.mark.django_db


def final(meeting, *, minutes=105, after=datetime.timedelta(hours=3), amends=None):
    return MinutesFactory(
        meeting=meeting,
        state="final",
        started_at=meeting.scheduled_at,
        ended_at=meeting.scheduled_at + datetime.timedelta(minutes=minutes),
        finalized_at=meeting.scheduled_at + after,
        amends=amends,
    )


def matching(q) -> set[int]:
    return set(Meeting.objects.filter(q).values_list("pk", flat=True))


@pytest.mark.parametrize("thematic_part", [False, True])
@pytest.mark.parametrize("length", [0, 1, 59, 89, 90, 119, 120, 121, 240])
def test_short_agrees_with_the_rule(length, thematic_part):
    meeting = MeetingFactory(has_thematic_part=thematic_part)
    final(meeting, minutes=length)

    in_sql = meeting.pk in matching(short_q())
    by_rule = rules.is_short(duration=length, has_thematic_part=thematic_part)
    assert in_sql == by_rule


def test_a_final_correction_decides_the_length():
    meeting = MeetingFactory()
    first = final(meeting, minutes=60)
    assert meeting.pk in matching(short_q())
    final(meeting, minutes=100, amends=first)
    assert meeting.pk not in matching(short_q())
    draft = MeetingFactory()
    original = final(draft, minutes=60)
    MinutesFactory(meeting=draft, amends=original)  # a correction still in draft
    assert draft.pk in matching(short_q())


@pytest.mark.parametrize(
    ("after", "on_time"),
    [
        (datetime.timedelta(hours=1), True),
        (datetime.timedelta(days=rules.MINUTES_ON_TIME_DAYS), True),
        (datetime.timedelta(days=rules.MINUTES_ON_TIME_DAYS, seconds=1), False),
        (datetime.timedelta(days=10), False),
    ],
)
def test_on_time_is_final_within_the_days_the_office_allows(after, on_time):
    meeting = MeetingFactory()
    final(meeting, after=after)

    assert (meeting.pk in matching(minutes_on_time_q())) is on_time
    assert meeting.pk in matching(final_minutes_q())


def test_a_late_correction_keeps_minutes_that_came_on_time():
    meeting = MeetingFactory()
    first = final(meeting)
    final(meeting, after=datetime.timedelta(days=30), amends=first)
    draft_only = MeetingFactory()
    MinutesFactory(meeting=draft_only)

    assert matching(minutes_on_time_q()) == {meeting.pk}
    assert draft_only.pk not in matching(final_minutes_q())


def test_bounding_by_the_meetings_of_a_report_changes_no_answer():
    inside, outside = MeetingFactory(), MeetingFactory()
    final(inside, minutes=60)
    final(outside, minutes=60)
    among = Meeting.objects.filter(pk=inside.pk).values("pk")

    assert matching(short_q()) == {inside.pk, outside.pk}
    assert matching(short_q(among)) == {inside.pk}
