"""Reminders before a planned meeting, through the notifications' outbox
(chibo.notifications): one per (meeting, its day, recipient), whatever the
number of runs; the worker e-mails those with an address."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from chibo.models import Role, RoleKind
from meetings import notices
from meetings.models import Assignment, Meeting, MeetingState

DAYS_AHEAD = 2


def send_meeting_reminders(*, now: datetime.datetime | None = None) -> int:
    """Tell the secretary, the deputy and the assigned cadres of every planned
    meeting within the next DAYS_AHEAD days; returns how many notifications
    are new. A re-run or a concurrent run writes nothing twice (the outbox's
    unique key); a day the beat missed is caught up by the next run, since
    the window starts now. Each meeting's rows commit on their own."""
    now = now or timezone.now()
    last_day = timezone.localdate(now) + datetime.timedelta(days=DAYS_AHEAD)
    until = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time.max))
    meetings = list(
        Meeting.objects.filter(
            state=MeetingState.PLANNED, scheduled_at__gte=now, scheduled_at__lte=until
        ).select_related("cell")
    )
    if not meetings:
        return 0
    recipients = _recipients(meetings)
    written = 0
    for meeting in meetings:
        with transaction.atomic():
            day = timezone.localdate(meeting.scheduled_at)
            written += notices.coming(meeting, recipients[meeting.pk], day=day)
    return written


def _recipients(meetings: list[Meeting]) -> dict[int, set[int]]:
    """User ids to remind per meeting id, in two queries."""
    cell_ids = {m.cell_id for m in meetings}
    officers = defaultdict(set)
    for cell_id, user_id in Role.objects.filter(
        kind__in=[RoleKind.SECRETARY, RoleKind.DEPUTY], organization_id__in=cell_ids
    ).values_list("organization_id", "user_id"):
        officers[cell_id].add(user_id)
    assignments = list(
        Assignment.objects.filter(cell_id__in=cell_ids, cadre__user__isnull=False).select_related(
            "cadre"
        )
    )
    result = {}
    for meeting in meetings:
        day = timezone.localdate(meeting.scheduled_at)
        users = set(officers[meeting.cell_id])
        users |= {
            a.cadre.user_id
            for a in assignments
            if a.cell_id == meeting.cell_id and a.is_current(day)
        }
        result[meeting.pk] = users
    return result
