"""What became of a meeting, as SQL conditions on Meeting rows for the
reports: its current final minutes, whether they came on time, whether the
meeting ran short. The rules are meetings.rules'; these are their SQL form
(tests/meetings/test_outcomes.py holds both to the same answers)."""

import datetime

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from meetings import rules
from meetings.models import Minutes, MinutesState


def _final(among: QuerySet | None):
    """The meeting's final minutes; `among` (meeting pks) bounds what is read
    (see meetings.selectors.schedule)."""
    minutes = Minutes.objects.filter(meeting=OuterRef("pk"), state=MinutesState.FINAL)
    return minutes if among is None else minutes.filter(meeting__in=among)


def _current_final(among: QuerySet | None):
    """The meeting's final minutes that no final correction replaced."""
    corrected = Minutes.objects.filter(amends=OuterRef("pk"), state=MinutesState.FINAL)
    return _final(among).exclude(Exists(corrected))


def final_minutes_q(among: QuerySet | None = None) -> Q:
    return Q(Exists(_final(among)))


def minutes_on_time_q() -> Q:
    """The first minutes were final within MINUTES_ON_TIME_DAYS of the meeting.

    The meeting's time is the outer row's (OuterRef), not a join back to the
    meeting: the condition is then probed per meeting through the minutes'
    meeting index, instead of hashing every final minutes joined to every
    meeting (150 ms for a province's month)."""
    due = OuterRef("scheduled_at") + datetime.timedelta(days=rules.MINUTES_ON_TIME_DAYS)
    return Q(Exists(_final(None).filter(amends__isnull=True, finalized_at__lte=due)))


def short_q(among: QuerySet | None = None) -> Q:
    """The current final minutes record a meeting shorter than rules.is_short
    allows: above zero and under the minimum (longer with a thematic part)."""
    length = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
    minutes = _current_final(among).annotate(length=length).filter(length__gt=datetime.timedelta(0))

    def under(limit: int) -> Q:
        return Q(length__lt=datetime.timedelta(minutes=limit))

    # Whether it had a thematic part is the outer meeting's own column: no join
    # from the minutes back to every meeting.
    plain = minutes.filter(under(rules.MINIMUM_MINUTES))
    thematic = minutes.filter(under(rules.MINIMUM_MINUTES_WITH_THEMATIC_PART))
    return (Q(has_thematic_part=False) & Q(Exists(plain))) | (
        Q(has_thematic_part=True) & Q(Exists(thematic))
    )
