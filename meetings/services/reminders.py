"""Reminder e-mails before a planned meeting, sent at most once per key."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from chibo.models import Role, RoleKind
from meetings.models import Assignment, Meeting, MeetingState, ReminderLog

log = logging.getLogger(__name__)

MEETING_REMINDER = "meeting_reminder"
DAYS_AHEAD = 2


def send_meeting_reminders(*, now: datetime.datetime | None = None) -> int:
    """E-mail the secretary and the assigned cadres (users with an address) of
    every planned meeting within the next DAYS_AHEAD days; returns how many
    messages went out.

    Each message first claims its (kind, user, meeting, meeting day) row in
    ReminderLog, in the same transaction as the sending: a re-run or a
    concurrent run finds the row and sends nothing, and a failed send rolls
    the claim back so the next run retries. A day missed by beat is caught up
    by the next run, since the window starts now.
    """
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
    sent_keys = set(
        ReminderLog.objects.filter(kind=MEETING_REMINDER, meeting__in=meetings).values_list(
            "user_id", "meeting_id", "day"
        )
    )
    sent = 0
    for meeting in meetings:
        day = timezone.localdate(meeting.scheduled_at)
        for user in recipients[meeting.pk]:
            if (user.pk, meeting.pk, day) not in sent_keys:
                sent += _send_once(meeting=meeting, user=user, day=day)
    return sent


def _recipients(meetings: list[Meeting]) -> dict[int, list]:
    """Users to remind per meeting id, in two queries."""
    cell_ids = {m.cell_id for m in meetings}
    secretaries = defaultdict(list)
    for role in (
        Role.objects.filter(
            kind=RoleKind.SECRETARY, organization_id__in=cell_ids, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    ):
        secretaries[role.organization_id].append(role.user)
    assignments = list(
        Assignment.objects.filter(
            cell_id__in=cell_ids, cadre__user__isnull=False, cadre__user__is_active=True
        )
        .exclude(cadre__user__email="")
        .select_related("cadre__user")
    )
    result = {}
    for meeting in meetings:
        day = timezone.localdate(meeting.scheduled_at)
        users = {u.pk: u for u in secretaries[meeting.cell_id]}
        for a in assignments:
            if a.cell_id == meeting.cell_id and a.is_current(day):
                users[a.cadre.user.pk] = a.cadre.user
        result[meeting.pk] = list(users.values())
    return result


def _send_once(*, meeting: Meeting, user, day: datetime.date) -> int:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(kind=MEETING_REMINDER, user=user, meeting=meeting, day=day)
            context = {"meeting": meeting, "user": user}
            subject = render_to_string("meetings/email/meeting_reminder_subject.txt", context)
            body = render_to_string("meetings/email/meeting_reminder.txt", context)
            send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        # Another run claimed this reminder first.
        log.info("Reminder for meeting %s to user %s already sent", meeting.pk, user.pk)
        return 0
    return 1
