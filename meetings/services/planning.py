"""Writes of the meeting calendar: planning a month, adding and changing meetings."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo import figures
from chibo.models import Organization
from meetings import calendar, notices
from meetings.models import Holiday, Meeting, MeetingKind, MeetingState, MinutesState

# Planned and postponed meetings may still change; held and cancelled ones are history.
CHANGEABLE_STATES = {MeetingState.PLANNED, MeetingState.POSTPONED}


class MeetingError(Exception):
    """A change the rules of the calendar refuse; the message is for the user."""


@dataclass(frozen=True)
class PlanResult:
    period: datetime.date
    created: int
    existing: int


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The holidays in [start, end], in one query."""
    dates = Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    return set(dates)


def regular_meeting_at(
    cell: Organization, period: datetime.date, holidays: set[datetime.date]
) -> datetime.datetime:
    """When `cell`'s regular meeting of `period`'s month falls, local time."""
    day = calendar.meeting_day(
        period,
        day=cell.meeting_day,
        week=cell.meeting_week,
        weekday=cell.meeting_weekday,
        holidays=holidays,
    )
    return timezone.make_aware(datetime.datetime.combine(day, cell.meeting_time))


@figures.changes(figures.MEETINGS)
def plan_month(*, period: datetime.date, by=None) -> PlanResult:
    """Create the planned regular meeting of `period`'s month for every active
    cell that has none yet.

    Idempotent: a second run creates nothing (one query finds the existing
    ones; `ignore_conflicts` on the (cell, period) constraint covers a run
    racing this one). Five queries whatever the number of cells.
    """
    period = calendar.first_of_month(period)
    month_end = calendar.last_of_month(period)
    cells = list(
        Organization.objects.cells()
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=month_end))
        .order_by()
    )
    existing = set(
        Meeting.objects.filter(
            kind=MeetingKind.REGULAR, period=period, cell_id__in=[c.pk for c in cells]
        ).values_list("cell_id", flat=True)
    )
    # A holiday shift may push the meeting into the next month.
    horizon = month_end + datetime.timedelta(days=calendar.MAX_SHIFT_DAYS)
    holidays = holidays_between(period, horizon)
    new = []
    for cell in cells:
        if cell.pk in existing:
            continue
        scheduled_at = regular_meeting_at(cell, period, holidays)
        if not cell.is_active_on(timezone.localdate(scheduled_at)):
            continue
        new.append(
            Meeting(
                cell=cell,
                kind=MeetingKind.REGULAR,
                period=period,
                scheduled_at=scheduled_at,
                place=cell.meeting_place,
                created_by=by,
            )
        )
    with transaction.atomic():
        Meeting.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        if new:
            created = Meeting.objects.filter(
                kind=MeetingKind.REGULAR, period=period, cell_id__in=[m.cell_id for m in new]
            )
            Meeting.history.bulk_history_create(list(created), default_user=by, batch_size=500)
    return PlanResult(period=period, created=len(new), existing=len(existing))


@transaction.atomic
@figures.changes(figures.MEETINGS)
def create_meeting(
    *,
    cell: Organization,
    kind: str,
    scheduled_at: datetime.datetime,
    topic: str = "",
    place: str = "",
    by,
) -> Meeting:
    """A thematic (with a topic) or extraordinary meeting. Regular meetings
    come from the cell's schedule (plan_month), never from here."""
    if kind not in (MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY):
        raise MeetingError(_("Only thematic and extraordinary meetings are added by hand."))
    topic = " ".join(topic.split())
    if kind == MeetingKind.THEMATIC and not topic:
        raise MeetingError(_("A thematic meeting needs its topic."))
    if not cell.is_cell or not cell.is_active_on(timezone.localdate(scheduled_at)):
        raise MeetingError(_("This cell is not active on that date."))
    return Meeting.objects.create(
        cell=cell,
        kind=kind,
        period=calendar.first_of_month(timezone.localdate(scheduled_at)),
        topic=topic,
        scheduled_at=scheduled_at,
        place=place or cell.meeting_place,
        created_by=by,
    )


def _require_changeable(meeting: Meeting, reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise MeetingError(_("Give the reason for the change."))
    if meeting.state not in CHANGEABLE_STATES:
        raise MeetingError(
            _("A %(state)s meeting cannot be changed.") % {"state": meeting.get_state_display()}
        )
    if meeting.minutes.filter(state=MinutesState.FINAL).exists():
        raise MeetingError(_("The minutes of this meeting are final: it cannot be changed."))
    return reason


def _save(meeting: Meeting, reason: str, fields: list[str], by) -> Meeting:
    # simple_history reads these two for the history row.
    meeting._change_reason, meeting._history_user = reason[:100], by
    meeting.save(update_fields=[*fields, "state", "state_reason"])
    notices.changed(meeting, by=by)
    return meeting


@transaction.atomic
@figures.changes(figures.MEETINGS)
def move_meeting(
    *, meeting: Meeting, scheduled_at: datetime.datetime, reason: str, place: str = "", by
) -> Meeting:
    """Move a planned or postponed meeting to a new time; it is planned again.
    A regular meeting keeps its period (the month it counts for)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = _require_changeable(meeting, reason)
    if scheduled_at == meeting.scheduled_at and meeting.state == MeetingState.PLANNED:
        raise MeetingError(_("The new time is the same as the planned one."))
    if not meeting.cell.is_active_on(timezone.localdate(scheduled_at)):
        raise MeetingError(_("This cell is not active on that date."))
    meeting.scheduled_at = scheduled_at
    meeting.place = place or meeting.place
    meeting.state, meeting.state_reason = MeetingState.PLANNED, reason
    return _save(meeting, reason, ["scheduled_at", "place"], by)


@transaction.atomic
@figures.changes(figures.MEETINGS)
def postpone_meeting(*, meeting: Meeting, reason: str, by) -> Meeting:
    """Postpone without a new date yet; moving it later plans it again."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = _require_changeable(meeting, reason)
    if meeting.state == MeetingState.POSTPONED:
        raise MeetingError(_("This meeting is already postponed."))
    meeting.state, meeting.state_reason = MeetingState.POSTPONED, reason
    return _save(meeting, reason, [], by)


@transaction.atomic
@figures.changes(figures.MEETINGS)
def cancel_meeting(*, meeting: Meeting, reason: str, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = _require_changeable(meeting, reason)
    meeting.state, meeting.state_reason = MeetingState.CANCELLED, reason
    return _save(meeting, reason, [], by)
